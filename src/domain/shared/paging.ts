/**
 * Pages are numbered from 0. A page query asks for one row more than the page holds, so whether
 * another page exists is known without counting.
 */
export function pageWindow(page: number, pageSize: number): { skip: number; limit: number } {
  return { skip: page * pageSize, limit: pageSize + 1 };
}

/** The rows of one page from a `pageWindow` query, and whether more follow. */
export function takePage<T>(
  rows: readonly T[],
  pageSize: number,
): { items: T[]; hasMore: boolean } {
  return { items: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}
