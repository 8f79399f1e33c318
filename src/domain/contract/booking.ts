import * as v from 'valibot';
import { defineAction } from './define';
import type { BookingKind, ServiceCategory, Space, SpaceService } from '../space/space';
import type { OpeningRule } from '../space/opening-hours';
import type { BookingState, CheckInState, SecretaryAction } from '../booking/policy';
import { rulesPatchSchema, type BookingRules } from '../booking/rules';
import { calendarDateSchema } from '../shared/dates';
import { requestIdSchema } from '../shared/request-id';
import { safeText } from '../shared/text';
import type { WeekUtilization } from '../booking/utilization';

export const spaceIdSchema = v.pipe(
  v.string('空间编号必须是文字'),
  v.regex(/^[a-z0-9-]{1,24}$/, '空间编号格式不正确'),
);

export interface SpaceOverview {
  space: Space;
  services: SpaceService[];
}

// ---------------------------------------------------------------------------------------------
// Booking the space's services (issue 3). Times leave functions as ISO-8601 strings (UTC);
// dates are YYYY-MM-DD and minutes are from 00:00, both Asia/Shanghai.

export const serviceIdSchema = v.pipe(
  v.string('服务编号必须是文字'),
  v.regex(/^[a-z0-9-]{1,40}$/, '服务编号格式不正确'),
);
export const bookingIdSchema = v.pipe(
  v.string('预约编号必须是文字'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, '预约编号格式不正确'),
);
/** Made once per tap on the client and sent again on a retry, so a retry books nothing new (the one request-id shape). */
export const clientRequestIdSchema = requestIdSchema;
/** A calendar date that exists (2026-02-31 is refused), Asia/Shanghai. */
const dateSchema = calendarDateSchema();
const minuteOfDaySchema = v.pipe(
  v.number('开始时间必须是数字'),
  v.integer('开始时间必须是整数'),
  v.minValue(0, '开始时间不正确'),
  v.maxValue(1439, '开始时间不正确'),
);
const pageSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(200)), 0);

export const openingRuleSchema = v.pipe(
  v.strictObject({
    days: v.pipe(
      v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)), '开放日格式不正确'),
      v.minLength(1, '请至少选择一天'),
      v.maxLength(7, '开放日格式不正确'),
    ),
    open: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0, '开门时间不正确'),
      v.maxValue(1439, '开门时间不正确'),
    ),
    close: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1, '关门时间不正确'),
      v.maxValue(2880, '关门时间不正确'),
    ),
  }),
  v.check((r) => r.close > r.open, '关门时间必须晚于开门时间'),
);

/** A service one can book, with its rules and how full the next days are. */
export interface BookableServiceView {
  id: string;
  spaceId: string;
  name: string;
  category: ServiceCategory;
  summary: string;
  place: string;
  kind: BookingKind;
  hours: OpeningRule[];
  /** e.g. "每天 09:00–21:00". */
  hoursText: string;
  rules: BookingRules;
  /**
   * Today and the next days: `slots` one may still book (not begun, not within the minimum
   * notice), how many of those are `full`, and how many the day `offered` in all.
   */
  days: Array<{ date: string; slots: number; full: number; offered: number }>;
}

export interface SlotView {
  id: string;
  date: string;
  startMinute: number;
  minutes: number;
  start: string;
  end: string;
  label: string;
  capacity: number;
  left: number;
  /** free: bookable now; full: join the waitlist; closed: too late / past. */
  state: 'free' | 'full' | 'closed';
  /** The caller's own booking or waitlist place in this slot. */
  mine?: { bookingId: string; state: BookingState };
}

export interface BookingView {
  id: string;
  serviceId: string;
  serviceName: string;
  place: string;
  kind: BookingKind;
  state: BookingState;
  stateLabel: string;
  slotIds: string[];
  date: string;
  start: string;
  end: string;
  /** e.g. "11月27日 周五 09:00–10:00". */
  when: string;
  /** Who attends a session (child / elder name), when given. */
  attendee?: string;
  /** Held places: claim before this. */
  holdUntil?: string;
  /** Set when the secretary cancelled it; shown to the resident. */
  cancelReason?: string;
  cancelledBy?: 'resident' | 'secretary';
  checkInOpens: string;
  checkInCloses: string;
  /** Whether a resident may still cancel it now, and if not why. */
  canCancel: boolean;
  createdAt: string;
}

export interface CheckInOption {
  booking: BookingView;
  kind: CheckInState['kind'];
  /** Why not now, in words; empty when check-in is open. */
  reason: string;
}

export interface ScheduleEntry {
  bookingId: string;
  /** The resident's nickname at booking time (never the openid). */
  name: string;
  attendee?: string;
  state: BookingState;
  stateLabel: string;
  /** What the secretary may do with it (secretaryActions in domain/booking/policy.ts). */
  actions: SecretaryAction[];
}

export interface ScheduleSlot {
  slotId: string;
  label: string;
  capacity: number;
  left: number;
  entries: ScheduleEntry[];
}

const slotInput = {
  serviceId: serviceIdSchema,
  date: dateSchema,
  startMinute: minuteOfDaySchema,
  /** Rooms: how many consecutive slots (hours); 1 for everything else. */
  slots: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1, '时长不正确'), v.maxValue(8, '时长不正确')),
    1,
  ),
  clientRequestId: clientRequestIdSchema,
  attendee: v.optional(safeText('参加人', 20)),
};

const BOOK_ERRORS = [
  'SERVICE_NOT_FOUND',
  'NOT_BOOKABLE',
  'NO_SUCH_SLOT',
  'SLOT_FULL',
  'ALREADY_BOOKED',
  'BLACKOUT_DATE',
  'OUTSIDE_HORIZON',
  'TOO_LATE_TO_BOOK',
  'QUOTA_ACTIVE',
  'QUOTA_HOURS',
  'SUSPENDED',
  'BLOCK_LENGTH',
] as const;

const BOOKING_ERRORS = ['BOOKING_NOT_FOUND'] as const;

export const bookingActions = {
  /** The space's bookable services with rules and how full the next 3 days are. */
  listServices: defineAction<{ services: BookableServiceView[] }>()(
    v.strictObject({ spaceId: v.optional(spaceIdSchema) }),
    ['SPACE_NOT_FOUND'] as const,
  ),
  /** The slots starting on one date, with places left and the caller's own bookings. */
  listSlots: defineAction<{
    service: BookableServiceView;
    date: string;
    dates: string[];
    slots: SlotView[];
    /** How many more bookings (or waitlist places) of this service the caller may hold now. */
    activeLeft: number;
  }>()(v.strictObject({ serviceId: serviceIdSchema, date: dateSchema }), [
    'SERVICE_NOT_FOUND',
    'NOT_BOOKABLE',
  ] as const),
  /** Book a slot (or a room block). A retry with the same clientRequestId answers the same booking. */
  create: defineAction<BookingView>()(v.strictObject(slotInput), BOOK_ERRORS),
  /** Join the waitlist of a full slot. */
  joinWaitlist: defineAction<BookingView>()(v.strictObject(slotInput), [
    ...BOOK_ERRORS,
    'SLOT_NOT_FULL',
  ] as const),
  /** Take the place held for you from the waitlist. */
  claimHold: defineAction<BookingView>()(v.strictObject({ bookingId: bookingIdSchema }), [
    ...BOOKING_ERRORS,
    'NOT_HELD',
    'HOLD_EXPIRED',
  ] as const),
  /** Cancel one's own booking (before the cut-off) or leave the waitlist. */
  cancel: defineAction<BookingView>()(v.strictObject({ bookingId: bookingIdSchema }), [
    ...BOOKING_ERRORS,
    'NOT_CANCELLABLE',
    'CANCEL_CUTOFF_PASSED',
  ] as const),
  /** The caller's bookings: upcoming (soonest first) or past (latest first), 20 a page. */
  mine: defineAction<{ bookings: BookingView[]; hasMore: boolean }>()(
    v.strictObject({
      scope: v.picklist(['upcoming', 'past'], '范围只能是即将开始或历史'),
      page: pageSchema,
    }),
  ),
  /** The caller's bookings today around now, each with whether check-in is open. */
  checkInOptions: defineAction<{ options: CheckInOption[] }>()(
    v.strictObject({ spaceId: v.optional(spaceIdSchema) }),
  ),
  /** Check in to one's own booking during its check-in window. */
  checkIn: defineAction<BookingView>()(v.strictObject({ bookingId: bookingIdSchema }), [
    ...BOOKING_ERRORS,
    'CHECK_IN_NOT_OPEN',
    'CHECK_IN_CLOSED',
    'NOT_CONFIRMED',
  ] as const),

  // Secretary.
  /** Change a service's kind, hours and booking rules (capacity, blackouts, quotas…). */
  updateService: defineAction<BookableServiceView>()(
    v.strictObject({
      serviceId: serviceIdSchema,
      kind: v.optional(
        v.picklist(['capacity', 'room', 'session', 'appointment', 'walk-in'], '预约方式不正确'),
      ),
      hours: v.optional(v.pipe(v.array(openingRuleSchema), v.maxLength(14, '开放时间最多 14 条'))),
      rules: v.optional(rulesPatchSchema),
    }),
    ['SERVICE_NOT_FOUND', 'CAPACITY_BELOW_BOOKED', 'SESSIONS_OVERLAP', 'SERVICE_CHANGED'] as const,
  ),
  /** One day's schedule of a service: each slot with names and check-in state. */
  schedule: defineAction<{ service: BookableServiceView; date: string; slots: ScheduleSlot[] }>()(
    v.strictObject({ serviceId: serviceIdSchema, date: dateSchema }),
    ['SERVICE_NOT_FOUND'] as const,
  ),
  /** Mark by hand whether someone came. */
  markAttendance: defineAction<BookingView>()(
    v.strictObject({ bookingId: bookingIdSchema, attended: v.boolean('到场情况只能是是或否') }),
    [...BOOKING_ERRORS, 'NOT_MARKABLE'] as const,
  ),
  /** Cancel someone's booking with a reason they will see. */
  cancelBySecretary: defineAction<BookingView>()(
    v.strictObject({
      bookingId: bookingIdSchema,
      reason: safeText('原因', 60, { min: 2, minMessage: '请写明取消原因', multiline: true }),
    }),
    [...BOOKING_ERRORS, 'NOT_CANCELLABLE'] as const,
  ),
  /** Places taken / offered per day of one week (Monday start). */
  utilization: defineAction<WeekUtilization>()(
    v.strictObject({ serviceId: serviceIdSchema, weekStart: dateSchema }),
    ['SERVICE_NOT_FOUND'] as const,
  ),
};

export const bookingContract = {
  /** A space and its services with opening hours; the default space when none is named. */
  space: defineAction<SpaceOverview>()(v.strictObject({ spaceId: v.optional(spaceIdSchema) }), [
    'SPACE_NOT_FOUND',
  ] as const),
  ...bookingActions,
};
