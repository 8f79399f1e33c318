import { pageWindow, takePage } from './paging';

describe('paging', () => {
  it('asks for one row more than a page', () => {
    expect(pageWindow(0, 20)).toEqual({ skip: 0, limit: 21 });
    expect(pageWindow(2, 20)).toEqual({ skip: 40, limit: 21 });
  });

  it('reports more when the extra row came back', () => {
    const rows = Array.from({ length: 21 }, (_, i) => i);
    expect(takePage(rows, 20)).toEqual({ items: rows.slice(0, 20), hasMore: true });
    expect(takePage(rows.slice(0, 20), 20)).toEqual({ items: rows.slice(0, 20), hasMore: false });
    expect(takePage([], 20)).toEqual({ items: [], hasMore: false });
  });
});
