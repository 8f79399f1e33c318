import type { BookingFacts } from './policy';
import {
  REFUSALS,
  capacityBelowBookedRefusal,
  checkInDecision,
  claimDecision,
  daySummary,
  offersCheckIn,
  placesTaken,
  requestDecision,
  requestedRun,
  serviceEdit,
  settingsToRestore,
  slotFullRefusal,
  slotPlaces,
  slotsOverCapacity,
  summaryDates,
  waitlistRefusal,
  weekDates,
} from './requests';
import { defaultRules, withDefaults } from './rules';
import { slotId, slotRun, type BookableService } from './slots';
import { shanghaiInstant } from '../shared/time';

/** A fixed clock: 2026-03-02 (a Monday) 10:00 Asia/Shanghai. */
const NOW = new Date('2026-03-02T02:00:00.000Z');
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

function aService(overrides: Partial<BookableService> = {}): BookableService {
  const kind = overrides.kind ?? 'capacity';
  return {
    id: 'r29-gym',
    spaceId: 'r29',
    name: '共享健身房',
    place: '二楼',
    kind,
    hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
    rules: { ...defaultRules(kind), minNoticeMinutes: 0 },
    ...overrides,
  };
}

describe('requestedRun', () => {
  const ask = { date: '2026-03-03', startMinute: 600, slots: 1 };

  it('is the run of slots asked for', () => {
    const service = aService();
    const asked = requestedRun(service, ask);
    expect(asked).toEqual({ service, run: slotRun(service, '2026-03-03', 600, 1) });
  });

  it('refuses no service, a walk-in one, a block of the wrong length and no such slot', () => {
    expect(requestedRun(null, ask)).toEqual({ refusal: REFUSALS.serviceNotFound });
    expect(requestedRun(aService({ kind: 'walk-in' }), ask)).toEqual({
      refusal: REFUSALS.notBookable,
    });
    expect(requestedRun(aService(), { ...ask, slots: 2 })).toMatchObject({
      refusal: { code: 'BLOCK_LENGTH' },
    });
    expect(requestedRun(aService(), { ...ask, startMinute: 610 })).toEqual({
      refusal: REFUSALS.noSuchSlot,
    });
  });
});

describe('requestDecision', () => {
  const service = aService();
  const run = slotRun(service, '2026-03-03', 600, 1)!;
  const booked = (requestKey: string, slot = run[0].id): BookingFacts => ({
    state: 'confirmed',
    start: run[0].start,
    end: run[0].end,
    slotIds: [slot],
    requestKey,
  });

  it('answers a retry with the booking its request made, before any limit', () => {
    const history = [booked('alice:other', 'elsewhere'), booked('alice:r1')];
    expect(requestDecision(history, 'alice:r1', run, service.rules, NOW)).toEqual({
      kind: 'retried',
      index: 1,
    });
  });

  it('refuses what the history refuses, and lets a new request go on', () => {
    expect(requestDecision([booked('alice:r1')], 'alice:r2', run, service.rules, NOW)).toEqual({
      kind: 'refused',
      refusal: { code: 'ALREADY_BOOKED', message: expect.any(String) },
    });
    expect(requestDecision([], 'alice:r2', run, service.rules, NOW)).toEqual({ kind: 'new' });
  });
});

describe('waitlist, claim and check-in', () => {
  it('waits only for a full slot (nobody booked yet or still opening: not full)', () => {
    expect(waitlistRefusal(0)).toBeNull();
    expect(waitlistRefusal(1)).toEqual(REFUSALS.slotNotFull);
    expect(waitlistRefusal(null)).toEqual(REFUSALS.slotNotFull);
  });

  it('claims a held place, answers a confirmed one as it is, refuses the rest', () => {
    expect(claimDecision('held')).toEqual({ kind: 'claim' });
    expect(claimDecision('confirmed')).toEqual({ kind: 'done' });
    expect(claimDecision('waiting')).toEqual({ kind: 'refused', refusal: REFUSALS.notHeld });
  });

  it('checks in within the window, with the reason as the refusal otherwise', () => {
    const rules = defaultRules('capacity');
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    expect(checkInDecision({ state: 'confirmed', start: at(5) }, rules, NOW)).toEqual({
      kind: 'open',
    });
    expect(checkInDecision({ state: 'checked-in', start: at(5) }, rules, NOW)).toEqual({
      kind: 'done',
    });
    expect(checkInDecision({ state: 'confirmed', start: at(120) }, rules, NOW)).toMatchObject({
      kind: 'refused',
      refusal: { code: 'CHECK_IN_NOT_OPEN' },
    });
    expect(checkInDecision({ state: 'confirmed', start: at(-120) }, rules, NOW)).toMatchObject({
      kind: 'refused',
      refusal: { code: 'CHECK_IN_CLOSED' },
    });
    expect(checkInDecision({ state: 'waiting', start: at(5) }, rules, NOW)).toMatchObject({
      kind: 'refused',
      refusal: { code: 'NOT_CONFIRMED' },
    });
  });

  it('offers a booking for check-in until it ends, a checked-in one all day', () => {
    const ended = new Date(NOW.getTime() - 1);
    expect(offersCheckIn({ state: 'confirmed', end: new Date(NOW.getTime() + 1) }, NOW)).toBe(true);
    expect(offersCheckIn({ state: 'confirmed', end: ended }, NOW)).toBe(false);
    expect(offersCheckIn({ state: 'checked-in', end: ended }, NOW)).toBe(true);
  });
});

describe('places', () => {
  it("shows a counter's places, the whole capacity before anyone booked", () => {
    expect(slotPlaces({ capacity: 4, left: 1 }, 10)).toEqual({ capacity: 4, left: 1 });
    expect(slotPlaces(undefined, 10)).toEqual({ capacity: 10, left: 10 });
    expect(placesTaken({ capacity: 4, left: 1 })).toBe(3);
  });

  it('counts the slots holding more than a capacity', () => {
    const counters = [
      { capacity: 4, left: 0 },
      { capacity: 4, left: 2 },
      { capacity: 4, left: 1 },
    ];
    expect(slotsOverCapacity(counters, 2)).toBe(2);
    expect(slotsOverCapacity(counters, 4)).toBe(0);
  });

  it('words a full slot and a capacity below what is booked', () => {
    expect(slotFullRefusal(1).message).toContain('可以加入候补');
    expect(slotFullRefusal(2).message).toContain('请换个时间');
    expect(capacityBelowBookedRefusal(3)).toEqual({
      code: 'CAPACITY_BELOW_BOOKED',
      message: '有 3 个时段的预约人数已超过新名额，请先处理这些预约',
    });
  });

  it('summarises the next three days: slots offered and full', () => {
    expect(summaryDates(NOW)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    const full = new Set([slotId('r29-gym', '2026-03-03', 600)]);
    // The day before: nothing has begun yet, every slot counts.
    const dayBefore = shanghaiInstant('2026-03-01', 23 * 60);
    expect(daySummary(aService(), ['2026-03-02', '2026-03-03'], full, dayBefore)).toEqual([
      { date: '2026-03-02', slots: 24, full: 0, offered: 24 },
      { date: '2026-03-03', slots: 24, full: 1, offered: 24 },
    ]);
    expect(weekDates('2026-02-26')).toEqual([
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
  });
});

describe("the secretary's edit of a service", () => {
  const hours = [{ days: EVERY_DAY, open: 0, close: 1440 }];
  const stored = { kind: 'capacity' as const, hours, rules: { capacity: 4 } };

  it('patches the stored rules, completed with the defaults, and says what changes', () => {
    const decided = serviceEdit(stored, { rules: { capacity: 2 } });
    expect(decided).toEqual({
      edit: {
        next: { kind: 'capacity', hours, rules: withDefaults('capacity', { capacity: 2 }) },
        previous: { kind: 'capacity', hours, rules: withDefaults('capacity', { capacity: 4 }) },
        capacityChanges: true,
        lowersCapacity: true,
      },
    });
    const same = serviceEdit(stored, { hours: [] });
    expect(same).toMatchObject({
      edit: { next: { hours: [] }, capacityChanges: false, lowersCapacity: false },
    });
  });

  it('refuses overlapping sessions', () => {
    const sessions = [
      { start: 540, end: 660, label: '上午' },
      { start: 600, end: 720, label: '中午' },
    ];
    expect(serviceEdit(stored, { kind: 'session', rules: { sessions } })).toEqual({
      refusal: REFUSALS.sessionsOverlap,
    });
  });

  it('restores the previous settings, only the capacity after a later edit, nothing after a later capacity', () => {
    const decided = serviceEdit(stored, { rules: { capacity: 2, holdMinutes: 30 } });
    if (!('edit' in decided)) throw new Error('refused');
    const { edit } = decided;
    const fresh = { ...edit.next };
    expect(settingsToRestore(fresh, 3, edit, 3)).toEqual(edit.previous);
    expect(settingsToRestore(fresh, 4, edit, 3)).toEqual({
      ...edit.next,
      rules: { ...edit.next.rules, capacity: 4 },
    });
    const recapped = { ...fresh, rules: { ...fresh.rules, capacity: 6 } };
    expect(settingsToRestore(recapped, 4, edit, 3)).toBeNull();
  });
});
