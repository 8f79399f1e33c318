import type { OpeningRule } from '../space/opening-hours';
import type { BookingKind } from '../space/space';
import { shanghaiDate } from '../shared/time';
import {
  bookingRefusal,
  checkInState,
  type BookingFacts,
  type BookingRefusal,
  type BookingState,
} from './policy';
import {
  applyRulesPatch,
  isBookable,
  overlappingSessions,
  withDefaults,
  type BookingRules,
  type RulesPatch,
} from './rules';
import {
  addDays,
  blockLengthRefusal,
  pastClosingRefusal,
  pastNotice,
  slotRun,
  slotsOn,
  type BookableService,
  type Slot,
} from './slots';

/**
 * The decisions the booking function's actions make around the rules of policy.ts, limits.ts and
 * slots.ts: which slots a request asks for, whether it is a retry, what a waitlist, a claim and a
 * check-in may do, and what a secretary's edit of a service changes.
 */

/** A refusal in words for the caller. */
export interface Refusal<C extends string = string> {
  code: C;
  message: string;
}

/** The refusals no other rule words. */
export const REFUSALS = {
  spaceNotFound: { code: 'SPACE_NOT_FOUND', message: '没有找到这个空间，请重新扫码或稍后再试' },
  serviceNotFound: { code: 'SERVICE_NOT_FOUND', message: '没有找到这项服务' },
  notBookable: { code: 'NOT_BOOKABLE', message: '这项服务无需预约，到场即可使用' },
  bookingNotFound: { code: 'BOOKING_NOT_FOUND', message: '没有找到这个预约' },
  noSuchSlot: { code: 'NO_SUCH_SLOT', message: '没有这个时段，请刷新后重新选择' },
  waitlistOneSlot: { code: 'BLOCK_LENGTH', message: '候补只能排一个时段' },
  slotNotFull: { code: 'SLOT_NOT_FULL', message: '这个时段还有空位，可以直接预约' },
  alreadyBooked: { code: 'ALREADY_BOOKED', message: '你已预约或正在候补这个时段' },
  notHeld: { code: 'NOT_HELD', message: '这个候补还没有空出名额' },
  holdExpired: { code: 'HOLD_EXPIRED', message: '保留时间已过，名额已顺延给下一位' },
  /** A resident's cancel lost to a change made meanwhile. */
  cancelLost: { code: 'NOT_CANCELLABLE', message: '这个预约刚刚发生了变化，请刷新后再试' },
  /** The secretary's cancel lost to a change made meanwhile. */
  secretaryCancelLost: { code: 'NOT_CANCELLABLE', message: '预约状态刚刚发生了变化，请刷新后再试' },
  checkInLost: { code: 'NOT_CONFIRMED', message: '预约状态刚刚发生了变化，请刷新后再试' },
  markLost: { code: 'NOT_MARKABLE', message: '预约状态刚刚发生了变化，请刷新后再试' },
  sessionsOverlap: { code: 'SESSIONS_OVERLAP', message: '场次时间不能重叠' },
  serviceChanged: { code: 'SERVICE_CHANGED', message: '服务设置刚被其他人修改，请刷新后再试' },
} as const;

/** No place left in (one slot of) the run. */
export function slotFullRefusal(runLength: number): Refusal<'SLOT_FULL'> {
  return {
    code: 'SLOT_FULL',
    message: runLength > 1 ? '所选时间内已有人预约，请换个时间' : '这个时段已约满，可以加入候补',
  };
}

/** A lower capacity than `slots` upcoming slots already hold. */
export function capacityBelowBookedRefusal(slots: number): Refusal<'CAPACITY_BELOW_BOOKED'> {
  return {
    code: 'CAPACITY_BELOW_BOOKED',
    message: `有 ${slots} 个时段的预约人数已超过新名额，请先处理这些预约`,
  };
}

export type RunRefusal =
  (typeof REFUSALS)['serviceNotFound' | 'notBookable' | 'noSuchSlot'] | Refusal<'BLOCK_LENGTH'>;

/**
 * The slots a booking or waitlist request asks for: `count` consecutive slots from (`date`,
 * `startMinute`) of a bookable service, or why not (no such service, a walk-in one, a block of
 * the wrong length, no such run of slots).
 */
export function requestedRun(
  service: BookableService | null,
  request: { date: string; startMinute: number; slots: number },
): { refusal: RunRefusal } | { service: BookableService; run: Slot[] } {
  if (!service) return { refusal: REFUSALS.serviceNotFound };
  if (!isBookable(service.kind)) return { refusal: REFUSALS.notBookable };
  const tooLong = blockLengthRefusal(service.kind, service.rules, request.slots);
  if (tooLong) return { refusal: tooLong };
  const run = slotRun(service, request.date, request.startMinute, request.slots);
  if (run) return { service, run };
  const pastClosing = pastClosingRefusal(service, request.date, request.startMinute, request.slots);
  return { refusal: pastClosing ?? REFUSALS.noSuchSlot };
}

export type RequestDecision =
  /** `history[index]` is this request's booking: a retry answers it. */
  | { kind: 'retried'; index: number }
  | { kind: 'refused'; refusal: BookingRefusal }
  | { kind: 'new' };

/**
 * A request found in the person's `history` (by its request key) is a retry and answers the
 * booking it made; otherwise the history's refusal of the run, if any. Passing only means the
 * history allows it: the quota document's atomic take decides.
 */
export function requestDecision(
  history: readonly BookingFacts[],
  requestKey: string,
  run: readonly Slot[],
  rules: BookingRules,
  now: Date,
): RequestDecision {
  const index = history.findIndex((b) => b.requestKey === requestKey);
  if (index >= 0) return { kind: 'retried', index };
  const refusal = bookingRefusal(run, rules, history, now);
  return refusal ? { kind: 'refused', refusal } : { kind: 'new' };
}

/**
 * One may wait only for a full slot: `placesLeft` is null when nobody has booked it yet (or its
 * counter is still opening), so it is not full.
 */
export function waitlistRefusal(
  placesLeft: number | null,
): (typeof REFUSALS)['slotNotFull'] | null {
  return placesLeft === null || placesLeft > 0 ? REFUSALS.slotNotFull : null;
}

/** A held place is claimed; a confirmed one is answered as it is; anything else is not held. */
export function claimDecision(
  state: BookingState,
):
  | { kind: 'done' }
  | { kind: 'claim' }
  | { kind: 'refused'; refusal: (typeof REFUSALS)['notHeld'] } {
  if (state === 'confirmed') return { kind: 'done' };
  if (state === 'held') return { kind: 'claim' };
  return { kind: 'refused', refusal: REFUSALS.notHeld };
}

type CheckInRefusal = Refusal<'CHECK_IN_NOT_OPEN' | 'CHECK_IN_CLOSED' | 'NOT_CONFIRMED'>;

/** A resident's check-in: done already, open now, or refused with checkInState's reason. */
export function checkInDecision(
  booking: { state: BookingState; start: Date },
  rules: BookingRules,
  now: Date,
): { kind: 'done' } | { kind: 'open' } | { kind: 'refused'; refusal: CheckInRefusal } {
  const state = checkInState(booking, rules, now);
  switch (state.kind) {
    case 'done':
      return { kind: 'done' };
    case 'open':
      return { kind: 'open' };
    case 'not-yet':
      return { kind: 'refused', refusal: { code: 'CHECK_IN_NOT_OPEN', message: state.reason } };
    case 'closed':
      return { kind: 'refused', refusal: { code: 'CHECK_IN_CLOSED', message: state.reason } };
    case 'not-confirmed':
      return { kind: 'refused', refusal: { code: 'NOT_CONFIRMED', message: state.reason } };
  }
}

/** Today's check-in list offers a booking until it ends, a checked-in one all day. */
export function offersCheckIn(booking: { state: BookingState; end: Date }, now: Date): boolean {
  return booking.end > now || booking.state === 'checked-in';
}

/** Places of a slot as shown: its counter's, or the whole capacity before anyone booked it. */
export function slotPlaces(
  counter: { capacity: number; left: number } | undefined,
  capacity: number,
): { capacity: number; left: number } {
  return counter
    ? { capacity: counter.capacity, left: Math.max(0, counter.left) }
    : { capacity, left: Math.max(0, capacity) };
}

/** Places taken in a slot counter. */
export function placesTaken(counter: { capacity: number; left: number }): number {
  return Math.max(0, counter.capacity - counter.left);
}

/** How many of `counters` hold more places than `capacity`. */
export function slotsOverCapacity(
  counters: readonly { capacity: number; left: number }[],
  capacity: number,
): number {
  return counters.filter((c) => c.capacity - c.left > capacity).length;
}

/** Dates from today on which the service list reports fullness. */
export const SUMMARY_DAYS = 3;

export function summaryDates(now: Date): string[] {
  const today = shanghaiDate(now);
  return Array.from({ length: SUMMARY_DAYS }, (_, i) => addDays(today, i));
}

/**
 * Per date: the slots a service offers that one may still book at `now` (not begun, not within
 * the minimum notice), how many of those are full, and how many the day offers in all.
 */
export function daySummary(
  service: BookableService,
  dates: readonly string[],
  fullSlots: ReadonlySet<string>,
  now: Date,
): Array<{ date: string; slots: number; full: number; offered: number }> {
  return dates.map((date) => {
    const offered = slotsOn(service, date);
    const slots = offered.filter((s) => !pastNotice(s, service.rules, now));
    return {
      date,
      slots: slots.length,
      full: slots.filter((s) => fullSlots.has(s.id)).length,
      offered: offered.length,
    };
  });
}

/** The 7 dates of the week from `weekStart`. */
export function weekDates(weekStart: string): string[] {
  return Array.from({ length: 7 }, (_x, i) => addDays(weekStart, i));
}

/** How a service is booked, as the secretary edits it. */
export interface ServiceSettings {
  kind: BookingKind;
  hours: OpeningRule[];
  rules: BookingRules;
}

/** A secretary's edit of a service, decided: what it stores and what it changes. */
export interface ServiceEdit {
  next: ServiceSettings;
  /** The settings it replaces, the stored rules completed with the defaults of the kind. */
  previous: ServiceSettings;
  capacityChanges: boolean;
  /** A lower capacity: refused while an upcoming slot holds more than it. */
  lowersCapacity: boolean;
}

/**
 * Apply the secretary's change to a service's stored settings (rules completed with the defaults
 * of the new kind, then patched); overlapping sessions are refused.
 */
export function serviceEdit(
  stored: { kind: BookingKind; hours: OpeningRule[]; rules: Partial<BookingRules> | undefined },
  change: { kind?: BookingKind; hours?: OpeningRule[]; rules?: RulesPatch },
): { refusal: (typeof REFUSALS)['sessionsOverlap'] } | { edit: ServiceEdit } {
  const kind = change.kind ?? stored.kind;
  const current = withDefaults(stored.kind, stored.rules);
  const rules = applyRulesPatch(withDefaults(kind, { ...stored.rules }), change.rules ?? {});
  if (overlappingSessions(rules.sessions)) return { refusal: REFUSALS.sessionsOverlap };
  return {
    edit: {
      next: { kind, hours: change.hours ?? stored.hours, rules },
      previous: { kind: stored.kind, hours: stored.hours, rules: current },
      capacityChanges: rules.capacity !== current.capacity,
      lowersCapacity: rules.capacity < current.capacity,
    },
  };
}

/**
 * An edit stored as revision `rev` could not apply its lower capacity (a booking slipped in):
 * what to store again, from the service as it is now (`fresh`). Its previous settings when it is
 * still the latest revision; only the previous capacity when another edit was stored meanwhile;
 * nothing (null) when that edit changed the capacity again, since its own pass settles the
 * counters.
 */
export function settingsToRestore(
  fresh: { kind: BookingKind; hours: OpeningRule[]; rules: Partial<BookingRules> | undefined },
  freshRev: number | undefined,
  edit: ServiceEdit,
  rev: number,
): ServiceSettings | null {
  const freshRules = withDefaults(fresh.kind, fresh.rules);
  if (freshRules.capacity !== edit.next.rules.capacity) return null;
  if (freshRev === rev) return edit.previous;
  return {
    kind: fresh.kind,
    hours: fresh.hours,
    rules: { ...freshRules, capacity: edit.previous.rules.capacity },
  };
}
