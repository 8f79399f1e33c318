import { shanghaiDate, shanghaiWeekday } from '../shared/time';
import type { BookingState } from './policy';
import type { BookingRules } from './rules';
import { addDays } from './slots';

/**
 * The per-person limits of booking one service, stated once. The precheck from a person's history
 * (`bookingRefusal`), the atomic step on the person's quota document (cloudfunctions/booking/store/quota.ts),
 * every state change that gives something back, and the timer's recount all read this module.
 *
 * - active: at most `rules.maxActiveBookings` bookings in a counted state. A waitlist place counts:
 *   it turns into a held place the moment someone cancels, without the person doing anything, and
 *   the limit must hold at that moment too.
 * - weeklyMinutes: at most `rules.maxHoursPerWeek` hours of bookings starting in one week (Monday
 *   00:00 – Sunday 24:00 Asia/Shanghai). No-shows keep counting (the hours were taken from others).
 * - slot: at most one booking of a slot per person (booked, held, checked in, or waiting for it).
 *
 * A booking counts from its insert until a state change moves it out of the counted states
 * (cancel, check-in, no-show, expiry); time passing alone changes nothing (the sweep timer moves
 * bookings whose time has come).
 */
export const LIMIT_STATES = {
  active: ['waiting', 'held', 'confirmed'],
  weeklyMinutes: ['waiting', 'held', 'confirmed', 'checked-in', 'no-show'],
  slot: ['waiting', 'held', 'confirmed', 'checked-in'],
} as const satisfies Record<string, readonly BookingState[]>;

export type LimitName = keyof typeof LIMIT_STATES;
export const LIMIT_NAMES = Object.keys(LIMIT_STATES) as LimitName[];

export function countsFor(limit: LimitName, state: BookingState | null): boolean {
  return state !== null && (LIMIT_STATES[limit] as readonly BookingState[]).includes(state);
}

/** The limits' values for a service's rules. */
export function limitValues(rules: BookingRules): { maxActive: number; maxWeekMinutes: number } {
  return { maxActive: rules.maxActiveBookings, maxWeekMinutes: rules.maxHoursPerWeek * 60 };
}

/**
 * How many more bookings (or waitlist places) of the service a person may hold, from the states
 * of their bookings of it (what the slot page states before booking).
 */
export function activeLeft(
  states: readonly BookingState[],
  rules: Pick<BookingRules, 'maxActiveBookings'>,
): number {
  const active = states.filter((s) => countsFor('active', s)).length;
  return Math.max(0, rules.maxActiveBookings - active);
}

/** The active-bookings limit as the slot page states it. */
export function activeLeftText(
  left: number,
  rules: Pick<BookingRules, 'maxActiveBookings'>,
): string {
  const limit = `每人同时最多 ${rules.maxActiveBookings} 个有效预约，含候补`;
  return left > 0
    ? `你还可预约 ${left} 个（${limit}）`
    : `你已有 ${rules.maxActiveBookings} 个有效预约，取消或用完后才能再约（${limit}）`;
}

/** Monday (YYYY-MM-DD, Asia/Shanghai) of the week holding `at`: the week a booking's hours count in. */
export function weekOf(at: Date): string {
  const weekday = shanghaiWeekday(at); // 0 = Sunday
  return addDays(shanghaiDate(at), -((weekday + 6) % 7));
}

export function bookingMinutes(b: { start: Date; end: Date }): number {
  return Math.round((b.end.getTime() - b.start.getTime()) / 60_000);
}

/** What the limits need to know of one booking. */
export interface LimitFacts {
  state: BookingState;
  requestKey: string;
  slotIds: readonly string[];
  start: Date;
  end: Date;
}

/**
 * What a person's bookings of one service hold against the limits: the quota document's content.
 * `requests` are the request keys of the bookings counted as active (a retry of one of them is
 * recognised by it); `weeks` holds minutes per week from the week of `now` on (earlier weeks no
 * longer matter); `slots` the slots of counted bookings not yet over.
 */
export interface LimitsHeld {
  active: number;
  requests: string[];
  weeks: Record<string, number>;
  slots: string[];
}

export function limitsHeld(bookings: readonly LimitFacts[], now: Date): LimitsHeld {
  const thisWeek = weekOf(now);
  const held: LimitsHeld = { active: 0, requests: [], weeks: {}, slots: [] };
  for (const b of bookings) {
    if (countsFor('active', b.state)) {
      held.active += 1;
      held.requests.push(b.requestKey);
    }
    const week = weekOf(b.start);
    if (countsFor('weeklyMinutes', b.state) && week >= thisWeek)
      held.weeks[week] = (held.weeks[week] ?? 0) + bookingMinutes(b);
    if (countsFor('slot', b.state) && b.end > now) held.slots.push(...b.slotIds);
  }
  held.requests.sort();
  held.slots.sort();
  return held;
}

export type LimitRefusal =
  | { code: 'ALREADY_BOOKED'; message: string }
  | { code: 'QUOTA_ACTIVE'; message: string }
  | { code: 'QUOTA_HOURS'; message: string };

/** A new booking or waitlist place asking for its share of the limits. */
export interface LimitClaim {
  requestKey: string;
  slotIds: readonly string[];
  start: Date;
  end: Date;
}

/**
 * Would `claim` pass the limits given what is `held`? The same three checks the quota document's
 * conditional update makes (quota.ts `takeCondition`), in words for the resident.
 */
export function limitRefusal(
  held: LimitsHeld,
  claim: LimitClaim,
  rules: BookingRules,
): LimitRefusal | null {
  const { maxActive, maxWeekMinutes } = limitValues(rules);
  if (claim.slotIds.some((id) => held.slots.includes(id))) {
    return { code: 'ALREADY_BOOKED', message: '你已预约或正在候补这个时段' };
  }
  if (held.active >= maxActive) {
    return {
      code: 'QUOTA_ACTIVE',
      message: `每人同时最多 ${rules.maxActiveBookings} 个有效预约（含候补）`,
    };
  }
  const week = weekOf(claim.start);
  if ((held.weeks[week] ?? 0) + bookingMinutes(claim) > maxWeekMinutes) {
    return {
      code: 'QUOTA_HOURS',
      message: `每人每周最多预约 ${rules.maxHoursPerWeek} 小时（含候补）`,
    };
  }
  return null;
}

/** -1 gives back, +1 takes, 0 leaves each limit as it is. */
export type LimitChange = Record<LimitName, -1 | 0 | 1>;

/**
 * How a booking's move from `from` to `to` changes what it holds (null: no booking, before the
 * insert). Applied exactly once, by whoever won the conditional state change.
 */
export function limitChange(from: BookingState | null, to: BookingState | null): LimitChange {
  const change = {} as LimitChange;
  for (const limit of LIMIT_NAMES)
    change[limit] = ((countsFor(limit, to) ? 1 : 0) - (countsFor(limit, from) ? 1 : 0)) as
      -1 | 0 | 1;
  return change;
}

export function isNoChange(change: LimitChange): boolean {
  return LIMIT_NAMES.every((l) => change[l] === 0);
}

/**
 * A quota document or slot counter changed within this many minutes may have a booking still
 * being written or a place still being given back; the recount leaves it alone (a function run
 * lasts at most 60 seconds).
 */
export const RECOUNT_GRACE_MINUTES = 5;

export function withinGrace(at: Date | undefined, now: Date): boolean {
  return at !== undefined && now.getTime() - at.getTime() < RECOUNT_GRACE_MINUTES * 60_000;
}

/** `held` with its lists sorted and weeks of 0 minutes left out: two holds compare by value. */
export function normalHeld(held: LimitsHeld): LimitsHeld {
  const weeks: Record<string, number> = {};
  for (const w of Object.keys(held.weeks).sort()) if (held.weeks[w] !== 0) weeks[w] = held.weeks[w];
  return {
    active: held.active,
    requests: [...held.requests].sort(),
    weeks,
    slots: [...held.slots].sort(),
  };
}

function sameHeld(a: LimitsHeld, b: LimitsHeld): boolean {
  return JSON.stringify(normalHeld(a)) === JSON.stringify(normalHeld(b));
}

/**
 * The content a quota document should hold, from the bookings that hold it, or null when it
 * already agrees. Weeks before `now`'s are dropped, so a stale week alone also asks for a write.
 */
export function quotaRecount(
  stored: LimitsHeld,
  bookings: readonly LimitFacts[],
  now: Date,
): LimitsHeld | null {
  const expected = limitsHeld(bookings, now);
  return sameHeld(stored, expected) ? null : expected;
}

/**
 * Places of a slot counter: at rest `capacity - left` = bookings holding a place. A place is taken
 * before its booking is written and given back after the booking has left a holding state, so in
 * between `capacity - left` may exceed the holders, never fall below them. The recount gives back
 * the difference (a crash between the two steps) and never takes a place. The new `left`, or null.
 */
export function slotRecount(
  counter: { capacity: number; left: number },
  holders: number,
): number | null {
  const taken = counter.capacity - counter.left;
  if (taken <= holders) return null;
  return counter.capacity - Math.min(holders, counter.capacity);
}
