import {
  type ClaimContext,
  ACTIVE_CLAIMS_MAX,
  PLACES_RECOUNT_GRACE_MINUTES,
  activeHeldClaims,
  atClaimLimit,
  claimId,
  claimRefusal,
  overlappingClaims,
  placesRecount,
  withdrawRefusal,
} from './claims';
import type { Schedule } from './opportunity';
import { shanghaiInstant } from '../shared/time';

const once = (date: string, start: number, end: number): Schedule => ({
  kind: 'once',
  date,
  start,
  end,
});

function aClaim(overrides: Partial<ClaimContext> = {}): ClaimContext {
  return {
    volunteer: { status: 'approved', partyMember: false },
    listStatus: 'published',
    post: {
      schedule: once('2025-03-10', 540, 660),
      requirements: { partyMemberOnly: false, note: '' },
      capacity: 5,
      claimed: 0,
    },
    alreadyClaimed: false,
    activeClaims: 0,
    now: shanghaiInstant('2025-03-09', 600),
    ...overrides,
  };
}

describe('claim rules', () => {
  it('lets an approved volunteer claim an open post', () => {
    expect(claimRefusal(aClaim())).toBeNull();
  });
  it('refuses residents who are not volunteers, and pending or rejected registrations', () => {
    expect(claimRefusal(aClaim({ volunteer: null }))).toBe('NOT_VOLUNTEER');
    expect(claimRefusal(aClaim({ volunteer: { status: 'rejected', partyMember: true } }))).toBe(
      'NOT_VOLUNTEER',
    );
    expect(claimRefusal(aClaim({ volunteer: { status: 'pending', partyMember: true } }))).toBe(
      'REGISTRATION_PENDING',
    );
  });
  it('refuses draft and closed lists', () => {
    expect(claimRefusal(aClaim({ listStatus: 'draft' }))).toBe('LIST_NOT_OPEN');
    expect(claimRefusal(aClaim({ listStatus: 'closed' }))).toBe('LIST_NOT_OPEN');
  });
  it('closes claims when the service starts', () => {
    expect(claimRefusal(aClaim({ now: shanghaiInstant('2025-03-10', 539) }))).toBeNull();
    expect(claimRefusal(aClaim({ now: shanghaiInstant('2025-03-10', 540) }))).toBe('CLAIM_CLOSED');
  });
  it('keeps party-member posts for party members', () => {
    const post = { ...aClaim().post, requirements: { partyMemberOnly: true, note: '' } };
    expect(claimRefusal(aClaim({ post }))).toBe('REQUIREMENT_NOT_MET');
    expect(
      claimRefusal(aClaim({ post, volunteer: { status: 'approved', partyMember: true } })),
    ).toBeNull();
  });
  it('allows one claim per post, a limited number at once, and never beyond capacity', () => {
    expect(claimRefusal(aClaim({ alreadyClaimed: true }))).toBe('ALREADY_CLAIMED');
    expect(claimRefusal(aClaim({ activeClaims: ACTIVE_CLAIMS_MAX }))).toBe('TOO_MANY_CLAIMS');
    expect(claimRefusal(aClaim({ post: { ...aClaim().post, claimed: 5 } }))).toBe('POST_FULL');
    expect(claimRefusal(aClaim({ post: { ...aClaim().post, claimed: 4 } }))).toBeNull();
  });
  it('gives one deterministic claim id per volunteer and post', () => {
    expect(claimId('p1', 'o1')).toBe('p1_o1');
  });
});

describe('withdraw rules', () => {
  const schedule = once('2025-03-10', 540, 660);
  it('allows withdrawing until two hours before the start', () => {
    expect(
      withdrawRefusal({
        claimStatus: 'claimed',
        schedule,
        serviceCount: 0,
        now: shanghaiInstant('2025-03-10', 419),
      }),
    ).toBeNull();
    expect(
      withdrawRefusal({
        claimStatus: 'claimed',
        schedule,
        serviceCount: 0,
        now: shanghaiInstant('2025-03-10', 420),
      }),
    ).toBe('WITHDRAW_CLOSED');
  });
  it('refuses without an active claim or once service is recorded', () => {
    const now = shanghaiInstant('2025-03-01');
    expect(withdrawRefusal({ claimStatus: null, schedule, serviceCount: 0, now })).toBe(
      'NOT_CLAIMED',
    );
    expect(withdrawRefusal({ claimStatus: 'withdrawn', schedule, serviceCount: 0, now })).toBe(
      'NOT_CLAIMED',
    );
    expect(withdrawRefusal({ claimStatus: 'claimed', schedule, serviceCount: 1, now })).toBe(
      'HAS_SERVICE',
    );
  });
});

describe('overlap warning', () => {
  it('lists the other claims that overlap in time', () => {
    const mine = [
      { postId: 'a', schedule: once('2025-03-10', 600, 720) },
      { postId: 'b', schedule: once('2025-03-11', 600, 720) },
      {
        postId: 'c',
        schedule: {
          kind: 'weekly',
          weekdays: [1],
          start: 480,
          end: 570,
          from: '2025-03-01',
          until: '2025-03-31',
        } as Schedule,
      },
    ];
    // 2025-03-10 is a Monday.
    expect(overlappingClaims(once('2025-03-10', 540, 660), mine).map((m) => m.postId)).toEqual([
      'a',
      'c',
    ]);
    expect(overlappingClaims(once('2025-03-10', 540, 660), mine, 'a').map((m) => m.postId)).toEqual(
      ['c'],
    );
    expect(overlappingClaims(once('2025-03-12', 540, 660), mine)).toEqual([]);
  });
});

describe('places recount', () => {
  const now = shanghaiInstant('2025-03-09', 600);
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it('leaves a counter that agrees with the claims alone', () => {
    expect(placesRecount({ claimed: 3, lastTakenAt: minutesAgo(60) }, 3, now)).toBeNull();
  });

  it('releases a place taken long ago with no claim behind it', () => {
    expect(placesRecount({ claimed: 3, lastTakenAt: minutesAgo(60) }, 2, now)).toBe(2);
    expect(placesRecount({ claimed: 1 }, 0, now)).toBe(0);
  });

  it('raises a counter that is below the claims', () => {
    expect(placesRecount({ claimed: 1, lastTakenAt: minutesAgo(60) }, 2, now)).toBe(2);
  });

  it('waits while a claim taken moments ago may still be being written', () => {
    expect(placesRecount({ claimed: 3, lastTakenAt: minutesAgo(1) }, 2, now)).toBeNull();
    expect(
      placesRecount({ claimed: 3, lastTakenAt: minutesAgo(PLACES_RECOUNT_GRACE_MINUTES) }, 2, now),
    ).toBe(2);
  });
});

describe('held claims (the per-person limit)', () => {
  const now = new Date('2026-12-02T04:00:00Z');
  const held = [
    { claimId: 'p1_v', endsAt: new Date('2026-12-02T03:59:59Z') },
    { claimId: 'p2_v', endsAt: new Date('2026-12-02T04:00:01Z') },
    { claimId: 'p3_v', endsAt: new Date('2026-12-09T04:00:00Z') },
  ];
  it('counts only claims whose post has not ended, and not the claim being made again', () => {
    expect(activeHeldClaims(held, now).map((h) => h.claimId)).toEqual(['p2_v', 'p3_v']);
    expect(activeHeldClaims(held, now, 'p3_v').map((h) => h.claimId)).toEqual(['p2_v']);
  });
  it('is at the limit with ACTIVE_CLAIMS_MAX held, not one below', () => {
    expect(atClaimLimit(ACTIVE_CLAIMS_MAX)).toBe(true);
    expect(atClaimLimit(ACTIVE_CLAIMS_MAX - 1)).toBe(false);
  });
});
