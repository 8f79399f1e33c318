import {
  formatMinuteOfDay,
  inShanghai,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  shanghaiWeekday,
} from '../shared/time';
import { limitRefusal, limitsHeld, weekOf, type LimitRefusal } from './limits';
import type { BookingRules } from './rules';
import { bookableDates, minNoticeText, pastNotice, type Slot } from './slots';

/**
 * A booking's life:
 *   waiting ─(place frees)→ held ─(claimed)→ confirmed ─(check-in)→ checked-in
 *   held ─(hold lapses)→ expired;  waiting ─(slot starts)→ expired
 *   confirmed ─(window closes, no check-in)→ no-show;  any open state ─(cancel)→ cancelled
 */
export const BOOKING_STATES = [
  'waiting',
  'held',
  'confirmed',
  'checked-in',
  'no-show',
  'cancelled',
  'expired',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const STATE_LABELS: Record<BookingState, string> = {
  waiting: '候补中',
  held: '候补到位·待确认',
  confirmed: '已预约',
  'checked-in': '已签到',
  'no-show': '爽约',
  cancelled: '已取消',
  expired: '已失效',
};

/** States that hold a place in the slot's counter. (The per-person limits: limits.ts.) */
export const PLACE_STATES: readonly BookingState[] = ['held', 'confirmed', 'checked-in'];
/** States a resident may still cancel (or leave, for the waitlist). */
export const CANCELLABLE_STATES: readonly BookingState[] = ['waiting', 'held', 'confirmed'];

/** States the secretary's day lists: every booking that is not cancelled or expired. */
export const SCHEDULE_STATES: readonly BookingState[] = [
  ...CANCELLABLE_STATES,
  'checked-in',
  'no-show',
];

/** What the rules need to know of a person's bookings of one service. */
export interface BookingFacts {
  state: BookingState;
  start: Date;
  end: Date;
  /** When it was marked a no-show. */
  noShowAt?: Date;
  /** For the one-booking-per-slot limit and retries (limits.ts); absent counts no slot. */
  slotIds?: readonly string[];
  requestKey?: string;
}

export type BookingRefusal =
  | { code: 'BLACKOUT_DATE'; message: string }
  | { code: 'OUTSIDE_HORIZON'; message: string }
  | { code: 'TOO_LATE_TO_BOOK'; message: string }
  | { code: 'SUSPENDED'; message: string }
  | LimitRefusal;

/** Monday 00:00 Asia/Shanghai of the week holding `at`, as a date. */
export const weekStartDate = weekOf;

/** Monday (YYYY-MM-DD, Asia/Shanghai) of the week holding the Shanghai date `date`. */
export function weekOfDate(date: string): string {
  return weekOf(shanghaiInstant(date, 12 * 60));
}

/** Until when a person is suspended from booking this service, or null. */
export function suspendedUntil(
  history: readonly BookingFacts[],
  rules: BookingRules,
  now: Date,
): Date | null {
  if (rules.suspensionDays <= 0) return null;
  const times = history
    .filter((b) => b.state === 'no-show')
    .map((b) => (b.noShowAt ?? b.end).getTime())
    .sort((a, b) => a - b);
  const periodMs = rules.noShowPeriodDays * 86_400_000;
  // The latest no-show that completes `threshold` within one period starts the suspension.
  for (let i = times.length - 1; i >= rules.noShowThreshold - 1; i--) {
    const first = times[i - rules.noShowThreshold + 1];
    if (times[i] - first <= periodMs) {
      const until = new Date(times[i] + rules.suspensionDays * 86_400_000);
      return until > now ? until : null;
    }
  }
  return null;
}

/** How far back the history must reach for quotas and suspension at `now` for a slot. */
export function historySince(rules: BookingRules, now: Date, slotStart: Date): Date {
  const weekStart = shanghaiInstant(weekStartDate(slotStart));
  const penaltyStart = new Date(
    now.getTime() - (rules.noShowPeriodDays + rules.suspensionDays) * 86_400_000,
  );
  return new Date(Math.min(weekStart.getTime(), penaltyStart.getTime(), now.getTime()));
}

function fmt(at: Date): string {
  const d = inShanghai(at);
  return `${d.format('M月D日')} ${formatMinuteOfDay(shanghaiMinuteOfDay(at))}`;
}

/**
 * May this person book the run of `slots` at `now`? Checks, in order: blackout, horizon, minimum
 * notice, suspension, then the per-person limits of limits.ts (one booking per slot, active
 * bookings, weekly hours) as the history shows them — the quota document's atomic step is the
 * authority on those. `history` is the person's bookings of this service (any state) reaching
 * back to `historySince`.
 */
export function bookingRefusal(
  slots: readonly Slot[],
  rules: BookingRules,
  history: readonly BookingFacts[],
  now: Date,
): BookingRefusal | null {
  const first = slots[0];
  if (slots.some((s) => rules.blackoutDates.includes(s.date))) {
    return { code: 'BLACKOUT_DATE', message: '这一天暂停预约' };
  }
  if (!bookableDates(rules, now).includes(first.date)) {
    return { code: 'OUTSIDE_HORIZON', message: `只能预约今天起 ${rules.horizonDays} 天内的时段` };
  }
  if (pastNotice(first, rules, now)) {
    return {
      code: 'TOO_LATE_TO_BOOK',
      message: rules.minNoticeMinutes > 0 ? minNoticeText(rules) : '这个时段已经开始',
    };
  }
  const until = suspendedUntil(history, rules, now);
  if (until) {
    return { code: 'SUSPENDED', message: `因多次爽约，${fmt(until)} 前暂停预约此服务` };
  }
  const held = limitsHeld(
    history.map((b) => ({
      state: b.state,
      start: b.start,
      end: b.end,
      slotIds: b.slotIds ?? [],
      requestKey: b.requestKey ?? '',
    })),
    now,
  );
  return limitRefusal(
    held,
    {
      requestKey: '',
      slotIds: slots.map((s) => s.id),
      start: first.start,
      end: slots[slots.length - 1].end,
    },
    rules,
  );
}

/** The last moment a resident may cancel a booking starting at `start`. */
export function cancelCutoff(start: Date, rules: Pick<BookingRules, 'cancelCutoffMinutes'>): Date {
  return new Date(start.getTime() - rules.cancelCutoffMinutes * 60_000);
}

export function cancelCutoffPassed(
  start: Date,
  rules: Pick<BookingRules, 'cancelCutoffMinutes'>,
  now: Date,
): boolean {
  return now.getTime() > cancelCutoff(start, rules).getTime();
}

/**
 * The cancel cut-off of a slot on `date` as its row states it: "13:00 后不可取消" (with the day
 * when it falls on another), or that it has passed already.
 */
export function cancelCutoffText(
  slot: { date: string; start: Date },
  rules: Pick<BookingRules, 'cancelCutoffMinutes'>,
  now: Date,
): string {
  if (cancelCutoffPassed(slot.start, rules, now)) return '已过取消时间，约后不可取消';
  const at = cancelCutoff(slot.start, rules);
  const time = formatMinuteOfDay(shanghaiMinuteOfDay(at));
  const day = shanghaiDate(at) === slot.date ? '' : `${inShanghai(at).format('M月D日')} `;
  return `${day}${time} 后不可取消`;
}

/** Asked before booking a slot whose cancel cut-off has passed. */
export function lateCancelWarning(rules: Pick<BookingRules, 'cancelCutoffMinutes'>): string {
  return `这个时段开始前 ${rules.cancelCutoffMinutes} 分钟内不能取消，预约后如有变化请联系工作人员。仍要预约吗？`;
}

/** A resident may cancel until `cancelCutoffMinutes` before the start; the waitlist any time before. */
export function cancelRefusal(
  booking: { state: BookingState; start: Date },
  rules: BookingRules,
  now: Date,
): { code: 'NOT_CANCELLABLE' | 'CANCEL_CUTOFF_PASSED'; message: string } | null {
  if (!CANCELLABLE_STATES.includes(booking.state))
    return { code: 'NOT_CANCELLABLE', message: '这个预约已不能取消' };
  if (booking.state === 'waiting') return null;
  if (cancelCutoffPassed(booking.start, rules, now)) {
    return {
      code: 'CANCEL_CUTOFF_PASSED',
      message: `开始前 ${rules.cancelCutoffMinutes} 分钟内不能取消，如有变化请联系工作人员`,
    };
  }
  return null;
}

/** What the secretary's day offers on one booking. */
export type SecretaryAction = 'markAttended' | 'markAbsent' | 'cancel';

/**
 * The actions the secretary's day lists for a booking in `state`: attended from confirmed or a
 * no-show, absent from confirmed or checked-in, cancel while a resident could. (Marking still
 * waits for check-in to open: markRefusal.)
 */
export function secretaryActions(state: BookingState): SecretaryAction[] {
  const out: SecretaryAction[] = [];
  if (state === 'confirmed' || state === 'no-show') out.push('markAttended');
  if (state === 'confirmed' || state === 'checked-in') out.push('markAbsent');
  if (CANCELLABLE_STATES.includes(state)) out.push('cancel');
  return out;
}

/** The secretary may cancel any booking a resident could still cancel, whatever the cutoff. */
export function secretaryCancelRefusal(booking: {
  state: BookingState;
}): { code: 'NOT_CANCELLABLE'; message: string } | null {
  return CANCELLABLE_STATES.includes(booking.state)
    ? null
    : { code: 'NOT_CANCELLABLE', message: '这个预约已不能取消' };
}

/**
 * The secretary marks attendance once check-in has opened: attended from confirmed or a no-show
 * (a late arrival), absent from confirmed or checked-in (a mistaken check-in).
 */
export function markRefusal(
  booking: { state: BookingState; start: Date },
  attended: boolean,
  rules: BookingRules,
  now: Date,
): { code: 'NOT_MARKABLE'; message: string } | null {
  const from: readonly BookingState[] = attended
    ? ['confirmed', 'no-show']
    : ['confirmed', 'checked-in'];
  if (now < checkInWindow(booking.start, rules).opens)
    return { code: 'NOT_MARKABLE', message: '签到开始后才能登记到场情况' };
  if (!from.includes(booking.state))
    return {
      code: 'NOT_MARKABLE',
      message: `预约状态为「${STATE_LABELS[booking.state]}」，不能这样登记`,
    };
  return null;
}

export interface CheckInWindow {
  opens: Date;
  closes: Date;
}

export function checkInWindow(start: Date, rules: BookingRules): CheckInWindow {
  return {
    opens: new Date(start.getTime() - rules.checkInBeforeMinutes * 60_000),
    closes: new Date(start.getTime() + rules.checkInAfterMinutes * 60_000),
  };
}

export type CheckInState =
  | { kind: 'open'; closes: Date }
  | { kind: 'not-yet'; opens: Date; reason: string }
  | { kind: 'closed'; reason: string }
  | { kind: 'not-confirmed'; reason: string }
  | { kind: 'done'; reason: string };

/** Can this booking be checked in at `now`, and if not, why not (in words for the resident). */
export function checkInState(
  booking: { state: BookingState; start: Date },
  rules: BookingRules,
  now: Date,
): CheckInState {
  if (booking.state === 'checked-in') return { kind: 'done', reason: '已签到' };
  if (booking.state !== 'confirmed')
    return {
      kind: 'not-confirmed',
      reason: `预约状态为「${STATE_LABELS[booking.state]}」，不能签到`,
    };
  const w = checkInWindow(booking.start, rules);
  if (now < w.opens)
    return { kind: 'not-yet', opens: w.opens, reason: `签到将于 ${fmt(w.opens)} 开始` };
  if (now >= w.closes) return { kind: 'closed', reason: `签到已于 ${fmt(w.closes)} 截止` };
  return { kind: 'open', closes: w.closes };
}

/** A confirmed booking whose check-in window has closed is a no-show. */
export function isNoShow(
  booking: { state: BookingState; start: Date },
  rules: BookingRules,
  now: Date,
): boolean {
  return booking.state === 'confirmed' && now >= checkInWindow(booking.start, rules).closes;
}

/** Until when the first person in line may claim a freed place. */
export function holdExpiry(now: Date, rules: BookingRules, slotStart: Date): Date {
  const end = now.getTime() + rules.holdMinutes * 60_000;
  // A hold never outlives the slot's start.
  return new Date(Math.min(end, slotStart.getTime()));
}

/** Human text for a booking's time, e.g. "11月27日 周五 09:00–10:00". */
export function describeWhen(start: Date, end: Date): string {
  const weekday = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'][shanghaiWeekday(start)];
  const endLabel =
    shanghaiDate(end) !== shanghaiDate(start) && shanghaiMinuteOfDay(end) === 0
      ? '24:00'
      : formatMinuteOfDay(shanghaiMinuteOfDay(end));
  const nextDay =
    shanghaiDate(end) !== shanghaiDate(start) && shanghaiMinuteOfDay(end) !== 0 ? '次日' : '';
  return `${inShanghai(start).format('M月D日')} ${weekday} ${formatMinuteOfDay(shanghaiMinuteOfDay(start))}–${nextDay}${endLabel}`;
}
