import * as v from 'valibot';
import type { BookingKind } from '../space/space';
import { calendarDateSchema } from '../shared/dates';
import { safeText } from '../shared/text';

/**
 * The booking rules of one service, set by the secretary. Times of day are minutes from 00:00
 * Asia/Shanghai; durations are minutes unless the name says otherwise.
 */
export interface Session {
  /** Minutes from 00:00 Asia/Shanghai. */
  start: number;
  end: number;
  /** e.g. "上午场". */
  label: string;
}

export interface BookingRules {
  /** Places per slot (people per hour for the gym, children per session, 1 for a room). */
  capacity: number;
  /** Length of one slot: gym hour, 15-minute appointment window, one hour of a room block. */
  slotMinutes: number;
  /** Rooms only: the shortest and longest block, in slots (1–4 hours by default). */
  minSlots: number;
  maxSlots: number;
  /** Sessions only: the day's sessions (offered on days the service is open). */
  sessions: Session[];
  /** Dates (YYYY-MM-DD, Asia/Shanghai) with no bookings at all. */
  blackoutDates: string[];
  /** How many days ahead one may book (today counts as day 0). */
  horizonDays: number;
  /** Minutes before a slot starts after which it can no longer be booked. */
  minNoticeMinutes: number;
  /** Minutes before the start after which a resident can no longer cancel. */
  cancelCutoffMinutes: number;
  /** Check-in is open from `checkInBeforeMinutes` before the start to `checkInAfterMinutes` after. */
  checkInBeforeMinutes: number;
  checkInAfterMinutes: number;
  /** Per person and service: bookings not yet ended (confirmed or held). */
  maxActiveBookings: number;
  /** Per person and service: booked hours in one week (Monday–Sunday, Asia/Shanghai). */
  maxHoursPerWeek: number;
  /** Minutes a freed place is held for the first person on the waitlist. */
  holdMinutes: number;
  /** This many no-shows within `noShowPeriodDays` suspend booking for `suspensionDays`. */
  noShowThreshold: number;
  noShowPeriodDays: number;
  suspensionDays: number;
}

/** The stated defaults (README): what a service starts with until the secretary changes it. */
export const COMMON_DEFAULTS = {
  minSlots: 1,
  maxSlots: 1,
  sessions: [] as Session[],
  blackoutDates: [] as string[],
  horizonDays: 7,
  minNoticeMinutes: 30,
  cancelCutoffMinutes: 60,
  checkInBeforeMinutes: 15,
  checkInAfterMinutes: 15,
  maxActiveBookings: 3,
  maxHoursPerWeek: 8,
  holdMinutes: 30,
  noShowThreshold: 3,
  noShowPeriodDays: 30,
  suspensionDays: 14,
};

export function defaultRules(kind: BookingKind): BookingRules {
  switch (kind) {
    case 'room':
      return {
        ...COMMON_DEFAULTS,
        capacity: 1,
        slotMinutes: 60,
        minSlots: 1,
        maxSlots: 4,
        maxActiveBookings: 2,
      };
    case 'session':
      return {
        ...COMMON_DEFAULTS,
        capacity: 10,
        slotMinutes: 0,
        sessions: [
          { start: 9 * 60, end: 12 * 60, label: '上午场' },
          { start: 14 * 60, end: 17 * 60, label: '下午场' },
        ],
        maxHoursPerWeek: 30,
        cancelCutoffMinutes: 120,
      };
    case 'appointment':
      return {
        ...COMMON_DEFAULTS,
        capacity: 1,
        slotMinutes: 15,
        minNoticeMinutes: 60,
        maxActiveBookings: 2,
        maxHoursPerWeek: 2,
      };
    case 'capacity':
    case 'walk-in':
    default:
      return { ...COMMON_DEFAULTS, capacity: 10, slotMinutes: 60 };
  }
}

/** Stored rules may predate a field: anything missing takes the default of the kind. */
export function withDefaults(
  kind: BookingKind,
  stored: Partial<BookingRules> | undefined,
): BookingRules {
  return { ...defaultRules(kind), ...(stored ?? {}) };
}

export const BOOKABLE_KINDS = ['capacity', 'room', 'session', 'appointment'] as const;
export type BookableKind = (typeof BOOKABLE_KINDS)[number];
export function isBookable(kind: BookingKind): kind is BookableKind {
  return (BOOKABLE_KINDS as readonly string[]).includes(kind);
}

const int = (min: number, max: number, what: string) =>
  v.pipe(
    v.number(`${what}必须是数字`),
    v.integer(`${what}必须是整数`),
    v.minValue(min, `${what}不能小于 ${min}`),
    v.maxValue(max, `${what}不能大于 ${max}`),
  );

/** A calendar date that exists (2026-02-31 is refused), YYYY-MM-DD. */
export const dateSchema = calendarDateSchema('日期');

export const sessionSchema = v.pipe(
  v.strictObject({
    start: int(0, 1439, '场次开始时间'),
    end: int(1, 1440, '场次结束时间'),
    label: safeText('场次名称', 12, { min: 1, minMessage: '场次名称不能为空' }),
  }),
  v.check((s) => s.end > s.start, '场次结束时间必须晚于开始时间'),
);

/** What the secretary may change; every field optional, each within sensible limits. */
export const rulesPatchSchema = v.pipe(
  v.strictObject({
    capacity: v.optional(int(1, 200, '每时段名额')),
    slotMinutes: v.optional(
      v.picklist([15, 30, 60, 90, 120], '时段长度只能是 15、30、60、90 或 120 分钟'),
    ),
    minSlots: v.optional(int(1, 8, '最短时长')),
    maxSlots: v.optional(int(1, 8, '最长时长')),
    sessions: v.optional(v.pipe(v.array(sessionSchema), v.maxLength(8, '每天最多 8 个场次'))),
    blackoutDates: v.optional(v.pipe(v.array(dateSchema), v.maxLength(60, '停约日期最多 60 个'))),
    horizonDays: v.optional(int(0, 30, '可预约天数')),
    minNoticeMinutes: v.optional(int(0, 2880, '提前预约分钟数')),
    cancelCutoffMinutes: v.optional(int(0, 2880, '取消截止分钟数')),
    checkInBeforeMinutes: v.optional(int(0, 120, '提前签到分钟数')),
    checkInAfterMinutes: v.optional(int(1, 120, '迟到签到分钟数')),
    maxActiveBookings: v.optional(int(1, 20, '同时有效预约数')),
    maxHoursPerWeek: v.optional(int(1, 168, '每周预约小时数')),
    holdMinutes: v.optional(int(5, 1440, '候补保留分钟数')),
    noShowThreshold: v.optional(int(1, 20, '爽约次数')),
    noShowPeriodDays: v.optional(int(1, 365, '爽约统计天数')),
    suspensionDays: v.optional(int(0, 365, '暂停预约天数')),
  }),
  v.check(
    (r) => r.minSlots === undefined || r.maxSlots === undefined || r.minSlots <= r.maxSlots,
    '最短时长不能大于最长时长',
  ),
);
export type RulesPatch = v.InferOutput<typeof rulesPatchSchema>;

/** Apply a patch; sessions sorted, blackout dates de-duplicated and sorted. */
export function applyRulesPatch(current: BookingRules, patch: RulesPatch): BookingRules {
  const next: BookingRules = { ...current, ...patch };
  next.sessions = [...next.sessions].sort((a, b) => a.start - b.start);
  next.blackoutDates = [...new Set(next.blackoutDates)].sort();
  if (next.minSlots > next.maxSlots) next.maxSlots = next.minSlots;
  return next;
}

/** Sessions must not overlap, or a roster would double-count a child. */
export function overlappingSessions(sessions: Session[]): boolean {
  const sorted = [...sessions].sort((a, b) => a.start - b.start);
  return sorted.some((s, i) => i > 0 && s.start < sorted[i - 1].end);
}
