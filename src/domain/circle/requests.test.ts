import { askedByThisRequest, requestTally } from './requests';

describe('askedByThisRequest', () => {
  it('is true for the request that asked (any copy or retry) and false for another', () => {
    expect(askedByThisRequest({ requestKey: 'k1' }, 'k1')).toBe(true);
    expect(askedByThisRequest({ requestKey: 'k1' }, 'k2')).toBe(false);
    expect(askedByThisRequest({}, 'k1')).toBe(false);
  });
});

describe('requestTally', () => {
  it('keeps categories somebody asked for, most asked first, and totals them', () => {
    expect(
      requestTally([
        { category: 'laundry', count: 1 },
        { category: 'pharmacy', count: 0 },
        { category: 'wet-market', count: 3 },
      ]),
    ).toEqual({
      counts: [
        { category: 'wet-market', count: 3 },
        { category: 'laundry', count: 1 },
      ],
      total: 4,
    });
  });

  it('is empty when nobody asked', () => {
    expect(requestTally([{ category: 'laundry', count: 0 }])).toEqual({ counts: [], total: 0 });
  });
});
