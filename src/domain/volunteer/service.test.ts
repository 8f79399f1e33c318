import { checkInRefusal, confirmItem, isSameCheckIn } from './service';

// 2026-03-02 10:00 Asia/Shanghai is 02:00Z.
const NOW = new Date('2026-03-02T02:00:00Z');
const atSpace = {
  location: { spaceId: 'r29', place: '光华社区' },
  schedule: { kind: 'once' as const, date: '2026-03-02', start: 540, end: 660 },
};

describe('checkInRefusal', () => {
  it('asks for a claim first', () => {
    expect(checkInRefusal({ claimStatus: null, post: atSpace, scene: 's=r29', now: NOW })).toBe(
      'NOT_CLAIMED',
    );
    expect(
      checkInRefusal({ claimStatus: 'withdrawn', post: atSpace, scene: 's=r29', now: NOW }),
    ).toBe('NOT_CLAIMED');
  });

  it("needs the space's entrance code when the post is served at a space", () => {
    const base = { claimStatus: 'claimed' as const, post: atSpace, now: NOW };
    expect(checkInRefusal({ ...base, scene: undefined })).toBe('WRONG_PLACE');
    expect(checkInRefusal({ ...base, scene: 's=other' })).toBe('WRONG_PLACE');
    expect(checkInRefusal({ ...base, scene: 's%3Dr29' })).toBeNull();
  });

  it('checks in elsewhere without a code, only on a service day', () => {
    const elsewhere = { ...atSpace, location: { place: '小区门口' } };
    const base = { claimStatus: 'claimed' as const, post: elsewhere, scene: undefined };
    expect(checkInRefusal({ ...base, now: NOW })).toBeNull();
    expect(checkInRefusal({ ...base, now: new Date('2026-03-03T02:00:00Z') })).toBe(
      'NOT_SERVICE_DAY',
    );
  });
});

describe('isSameCheckIn', () => {
  it('is the request that made the record when its key is kept', () => {
    const made = { checkInRequest: 'checkin:a:r1', status: 'open' as const, checkInAt: NOW };
    expect(isSameCheckIn(made, 'checkin:a:r1', new Date(NOW.getTime() + 3_600_000))).toBe(true);
    expect(isSameCheckIn(made, 'checkin:a:r2', NOW)).toBe(false);
  });

  it('falls back to an open record checked in within the last minute', () => {
    const legacy = { status: 'open' as const, checkInAt: NOW };
    expect(isSameCheckIn(legacy, 'k', new Date(NOW.getTime() + 59_000))).toBe(true);
    expect(isSameCheckIn(legacy, 'k', new Date(NOW.getTime() + 60_000))).toBe(false);
    expect(isSameCheckIn({ ...legacy, status: 'closed' }, 'k', NOW)).toBe(false);
  });
});

describe('confirmItem', () => {
  const claim = { status: 'claimed' as const };
  it('skips a claim no longer held or whose post is gone', () => {
    expect(confirmItem(undefined, {}, 2)).toEqual({ refusal: 'NOT_CLAIMED' });
    expect(confirmItem({ status: 'withdrawn' as const }, {}, 2)).toEqual({
      refusal: 'NOT_CLAIMED',
    });
    expect(confirmItem(claim, undefined, 2)).toEqual({ refusal: 'NOT_CLAIMED' });
  });

  it('confirms half-hour steps up to 12 hours, as minutes', () => {
    expect(confirmItem(claim, { id: 'p' }, 1.5)).toEqual({ claim, post: { id: 'p' }, minutes: 90 });
    expect(confirmItem(claim, { id: 'p' }, 1.2)).toEqual({ refusal: 'INVALID_HOURS' });
    expect(confirmItem(claim, { id: 'p' }, 13)).toEqual({ refusal: 'INVALID_HOURS' });
  });
});
