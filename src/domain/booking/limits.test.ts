import { shanghaiInstant } from '../shared/time';
import {
  LIMIT_STATES,
  limitChange,
  limitRefusal,
  limitsHeld,
  normalHeld,
  quotaRecount,
  slotRecount,
  weekOf,
  withinGrace,
  type LimitFacts,
} from './limits';
import { BOOKING_STATES, type BookingState } from './policy';
import { defaultRules, withDefaults } from './rules';

const at = (date: string, hhmm: string) =>
  shanghaiInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const gym = withDefaults('capacity', { maxActiveBookings: 3, maxHoursPerWeek: 3 });

function aBooking(overrides: Partial<LimitFacts> = {}): LimitFacts {
  return {
    state: 'confirmed',
    requestKey: `p:${Math.random().toString(36).slice(2)}`,
    slotIds: ['gym@2026-11-27T1000'],
    start: at('2026-11-27', '10:00'),
    end: at('2026-11-27', '11:00'),
    ...overrides,
  };
}
const now = at('2026-11-27', '08:00');
const claim = (hhmm: string, date = '2026-11-27', hours = 1) => ({
  requestKey: 'p:new',
  slotIds: [`gym@${date}T${hhmm.replace(':', '')}`],
  start: at(date, hhmm),
  end: new Date(at(date, hhmm).getTime() + hours * 3_600_000),
});

describe('per-person limits (one statement for precheck, atomic step and recount)', () => {
  it('states which states count for each limit', () => {
    expect(LIMIT_STATES).toEqual({
      active: ['waiting', 'held', 'confirmed'],
      weeklyMinutes: ['waiting', 'held', 'confirmed', 'checked-in', 'no-show'],
      slot: ['waiting', 'held', 'confirmed', 'checked-in'],
    });
  });

  it('gives back exactly what a state change leaves behind, and takes nothing on promotion or claim', () => {
    const change = (from: BookingState | null, to: BookingState | null) => limitChange(from, to);
    expect(change(null, 'confirmed')).toEqual({ active: 1, weeklyMinutes: 1, slot: 1 });
    expect(change(null, 'waiting')).toEqual({ active: 1, weeklyMinutes: 1, slot: 1 });
    expect(change('waiting', 'held')).toEqual({ active: 0, weeklyMinutes: 0, slot: 0 });
    expect(change('held', 'confirmed')).toEqual({ active: 0, weeklyMinutes: 0, slot: 0 });
    for (const from of ['waiting', 'held', 'confirmed'] as const) {
      expect(change(from, 'cancelled')).toEqual({ active: -1, weeklyMinutes: -1, slot: -1 });
      expect(change(from, 'expired')).toEqual({ active: -1, weeklyMinutes: -1, slot: -1 });
    }
    expect(change('confirmed', 'checked-in')).toEqual({ active: -1, weeklyMinutes: 0, slot: 0 });
    expect(change('confirmed', 'no-show')).toEqual({ active: -1, weeklyMinutes: 0, slot: -1 });
    expect(change('checked-in', 'no-show')).toEqual({ active: 0, weeklyMinutes: 0, slot: -1 });
    expect(change('no-show', 'checked-in')).toEqual({ active: 0, weeklyMinutes: 0, slot: 1 });
    // Any path from a new booking to its end gives back all it took.
    for (const end of BOOKING_STATES) {
      const total = { active: 0, weeklyMinutes: 0, slot: 0 };
      for (const [a, b] of [
        [null, 'confirmed'],
        ['confirmed', end],
        [end, null],
      ] as const) {
        const c = limitChange(a, b);
        total.active += c.active;
        total.weeklyMinutes += c.weeklyMinutes;
        total.slot += c.slot;
      }
      expect(total).toEqual({ active: 0, weeklyMinutes: 0, slot: 0 });
    }
  });

  it('holds what the bookings count: active with request keys, minutes per Shanghai week, slots not yet over', () => {
    const held = limitsHeld(
      [
        aBooking({ requestKey: 'p:a' }),
        aBooking({
          requestKey: 'p:b',
          state: 'waiting',
          slotIds: ['gym@2026-11-30T1000'],
          start: at('2026-11-30', '10:00'),
          end: at('2026-11-30', '11:00'),
        }),
        aBooking({
          requestKey: 'p:c',
          state: 'no-show',
          slotIds: ['gym@2026-11-26T1000'],
          start: at('2026-11-26', '10:00'),
          end: at('2026-11-26', '11:00'),
        }),
        aBooking({ requestKey: 'p:d', state: 'cancelled', slotIds: ['gym@2026-11-27T1200'] }),
        // Last week: no longer counts for hours.
        aBooking({
          requestKey: 'p:e',
          state: 'checked-in',
          slotIds: ['gym@2026-11-20T1000'],
          start: at('2026-11-20', '10:00'),
          end: at('2026-11-20', '11:00'),
        }),
      ],
      now,
    );
    expect(held).toEqual({
      active: 2,
      requests: ['p:a', 'p:b'],
      weeks: { '2026-11-23': 120, '2026-11-30': 60 },
      slots: ['gym@2026-11-27T1000', 'gym@2026-11-30T1000'],
    });
    expect(weekOf(at('2026-11-29', '23:59'))).toBe('2026-11-23');
    expect(weekOf(at('2026-11-30', '00:00'))).toBe('2026-11-30');
  });

  it('refuses a second booking of a held slot, the active limit and the weekly hours, in that order', () => {
    const held = limitsHeld(
      [
        aBooking(),
        aBooking({
          slotIds: ['gym@2026-11-27T1100'],
          start: at('2026-11-27', '11:00'),
          end: at('2026-11-27', '12:00'),
        }),
      ],
      now,
    );
    expect(limitRefusal(held, claim('10:00'), gym)?.code).toBe('ALREADY_BOOKED');
    expect(limitRefusal(held, claim('12:00'), gym)).toBeNull();
    // Two hours held of three: a two-hour block is one too many, the same block next week is fine.
    expect(limitRefusal(held, claim('12:00', '2026-11-27', 2), gym)?.code).toBe('QUOTA_HOURS');
    expect(limitRefusal(held, claim('12:00', '2026-11-30', 2), gym)).toBeNull();
    const three = limitsHeld(
      [aBooking(), aBooking({ slotIds: ['x'] }), aBooking({ state: 'waiting', slotIds: ['y'] })],
      now,
    );
    expect(limitRefusal(three, claim('15:00'), gym)).toEqual({
      code: 'QUOTA_ACTIVE',
      message: '每人同时最多 3 个有效预约（含候补）',
    });
    expect(limitRefusal(limitsHeld([], now), claim('15:00', '2026-11-27', 4), gym)?.message).toBe(
      '每人每周最多预约 3 小时（含候补）',
    );
  });

  it('recounts a quota document only when it disagrees with the bookings', () => {
    const bookings = [aBooking({ requestKey: 'p:a' })];
    const exact = limitsHeld(bookings, now);
    expect(
      quotaRecount({ ...exact, weeks: { ...exact.weeks, '2026-11-30': 0 } }, bookings, now),
    ).toBeNull();
    expect(
      quotaRecount({ ...exact, requests: [...exact.requests].reverse() }, bookings, now),
    ).toBeNull();
    // An orphaned take (a create that died before its insert) is given back.
    const orphan = {
      active: 2,
      requests: ['p:a', 'p:lost'],
      weeks: { '2026-11-23': 120 },
      slots: ['gym@2026-11-27T1000', 'gym@2026-11-27T1500'],
    };
    expect(quotaRecount(orphan, bookings, now)).toEqual(exact);
    // A week that is over is dropped.
    expect(
      quotaRecount({ ...exact, weeks: { ...exact.weeks, '2026-11-16': 60 } }, bookings, now),
    ).toEqual(exact);
    expect(normalHeld({ active: 0, requests: ['b', 'a'], weeks: { w: 0 }, slots: [] })).toEqual({
      active: 0,
      requests: ['a', 'b'],
      weeks: {},
      slots: [],
    });
  });

  it('recounts a slot counter only downwards in places taken: capacity − left = holders', () => {
    expect(slotRecount({ capacity: 10, left: 3 }, 7)).toBeNull();
    expect(slotRecount({ capacity: 10, left: 3 }, 5)).toBe(5);
    expect(slotRecount({ capacity: 10, left: 0 }, 0)).toBe(10);
    // More holders than places taken is never "repaired" by taking places.
    expect(slotRecount({ capacity: 10, left: 5 }, 8)).toBeNull();
  });

  it('has a 5-minute grace period', () => {
    expect(withinGrace(at('2026-11-27', '07:56'), now)).toBe(true);
    expect(withinGrace(at('2026-11-27', '07:55'), now)).toBe(false);
    expect(withinGrace(undefined, now)).toBe(false);
    expect(defaultRules('room').maxActiveBookings).toBe(2);
  });
});
