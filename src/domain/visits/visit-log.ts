import * as v from 'valibot';
import { shanghaiDate, shanghaiInstant } from '../shared/time';
import { DEFAULT_CADENCE, type VisitStatus, addCalendarDays, visitStatus } from './cadence';
import { isoInstantSchema } from '../shared/dates';
import { safeText } from '../shared/text';

/**
 * One visit as the volunteer logs it on the phone. The client makes the visit id when the form
 * is saved, so the same visit sent again (offline queue, retries, a second tap) is stored once.
 */

export const OUTCOMES = ['visited', 'not-at-home', 'refused'] as const;
export type VisitOutcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<VisitOutcome, string> = {
  visited: '已见到老人',
  'not-at-home': '不在家',
  refused: '老人婉拒',
};

export const CHECK_ITEMS = ['health', 'mood', 'homeSafety', 'needs'] as const;
export type CheckItem = (typeof CHECK_ITEMS)[number];
export const CHECK_LABELS: Record<CheckItem, string> = {
  health: '身体状况',
  mood: '精神情绪',
  homeSafety: '居家安全',
  needs: '生活需求',
};

/** ok: nothing to report; concern: needs attention; unknown: not checked (e.g. not at home). */
export const CHECK_VALUES = ['ok', 'concern', 'unknown'] as const;
export type CheckValue = (typeof CHECK_VALUES)[number];
export const CHECK_VALUE_LABELS: Record<CheckValue, string> = {
  ok: '良好',
  concern: '需关注',
  unknown: '未了解',
};

export const VISIT_NOTES_MAX = 500;
export const URGENT_NOTE_MAX = 100;
/** Longest visit counted, in minutes (same cap as a day of volunteer service). */
export const VISIT_MINUTES_MAX = 12 * 60;
/**
 * The visit form offers the visit's date from today back this many calendar days (Asia/Shanghai),
 * never a future date: a visit logged after midnight for the evening before is dated 昨天.
 */
export const VISIT_BACKDATE_DAYS = 7;
/**
 * The function accepts a visit that started up to this many calendar days before the day it
 * arrives: the 7 days the form offers, plus time the visit may wait in the offline queue.
 */
export const VISIT_MAX_AGE_DAYS = 30;
/** Phones' clocks drift: a visit ending this far in the future is still accepted. */
export const CLOCK_SKEW_MINUTES = 10;

/** The project name visit time carries in the volunteer ledger and the national record export. */
export const VISIT_SERVICE_TITLE = '关爱老人日常探访';

/**
 * An opportunity post is a home-visit post when its title names visits or elder care; a volunteer
 * who claimed one is offered first when the secretary pairs an elder.
 */
export function isVisitPost(title: string): boolean {
  return title.includes('探访') || title.includes('关爱老人');
}

/** Client ids for visits: 8–64 letters, digits, '-' or '_'. */
export const VISIT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
export const ELDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const visitIdSchema = v.pipe(
  v.string('探访编号必须是文字'),
  v.regex(VISIT_ID_PATTERN, '探访编号格式不正确'),
);
export const elderIdSchema = v.pipe(
  v.string('老人编号必须是文字'),
  v.regex(ELDER_ID_PATTERN, '老人编号格式不正确'),
);

/** ISO-8601 with offset, on a day and at a time of day that exist. */
const isoInstant = isoInstantSchema;

const checkValue = v.picklist(CHECK_VALUES, '检查项只能是良好、需关注或未了解');

export const visitLogSchema = v.pipe(
  v.strictObject({
    visitId: visitIdSchema,
    elderId: elderIdSchema,
    startAt: isoInstant('开始时间'),
    endAt: isoInstant('结束时间'),
    outcome: v.picklist(OUTCOMES, '请选择探访结果'),
    checklist: v.strictObject({
      health: checkValue,
      mood: checkValue,
      homeSafety: checkValue,
      needs: checkValue,
    }),
    notes: v.optional(safeText('备注', VISIT_NOTES_MAX, { multiline: true }), ''),
    /** Cloud file id (weapp) or a local path not yet uploaded; optional. */
    photo: v.optional(v.pipe(v.string('照片必须是文件地址'), v.maxLength(300, '照片地址过长')), ''),
    urgent: v.optional(v.boolean('请选择是否紧急'), false),
    urgentNote: v.optional(safeText('紧急情况说明', URGENT_NOTE_MAX, { multiline: true }), ''),
  }),
  v.check((x) => Date.parse(x.endAt) >= Date.parse(x.startAt), '结束时间不能早于开始时间'),
  v.check(
    (x) => Date.parse(x.endAt) - Date.parse(x.startAt) <= VISIT_MINUTES_MAX * 60_000,
    '一次探访最长 12 小时',
  ),
  v.check((x) => !x.urgent || x.urgentNote.length >= 2, '标记紧急时请简要说明情况'),
);
export type VisitLog = v.InferOutput<typeof visitLogSchema>;
export type VisitLogInput = v.InferInput<typeof visitLogSchema>;

export type VisitTimeRefusal = 'VISIT_IN_FUTURE' | 'VISIT_TOO_OLD';
export function visitTimeMessage(
  refusal: VisitTimeRefusal,
  maxAgeDays = VISIT_MAX_AGE_DAYS,
): string {
  return refusal === 'VISIT_IN_FUTURE'
    ? '探访时间不能晚于现在，请检查日期和时间'
    : `只能补记 ${maxAgeDays} 天内的探访`;
}
export const VISIT_TIME_MESSAGES: Record<VisitTimeRefusal, string> = {
  VISIT_IN_FUTURE: visitTimeMessage('VISIT_IN_FUTURE'),
  VISIT_TOO_OLD: visitTimeMessage('VISIT_TOO_OLD'),
};

/**
 * Checks that need the clock (the schema checks start ≤ end): the visit does not end in the future
 * (beyond the phones' clock skew), and did not start before 00:00 Asia/Shanghai `maxAgeDays`
 * calendar days before today. The form uses VISIT_BACKDATE_DAYS; the function VISIT_MAX_AGE_DAYS.
 */
export function visitTimeRefusal(
  log: Pick<VisitLog, 'startAt' | 'endAt'>,
  now: Date,
  maxAgeDays = VISIT_MAX_AGE_DAYS,
): VisitTimeRefusal | null {
  if (Date.parse(log.endAt) > now.getTime() + CLOCK_SKEW_MINUTES * 60_000) return 'VISIT_IN_FUTURE';
  if (Date.parse(log.startAt) < earliestVisitStart(now, maxAgeDays).getTime())
    return 'VISIT_TOO_OLD';
  return null;
}

/** 00:00 Asia/Shanghai, `days` calendar days before today. */
export function earliestVisitStart(now: Date, days: number): Date {
  return shanghaiInstant(addCalendarDays(shanghaiDate(now), -days));
}

/** The dates the form offers, oldest first: today back VISIT_BACKDATE_DAYS days (YYYY-MM-DD, Shanghai). */
export function visitDateRange(now: Date): { earliest: string; latest: string } {
  const today = shanghaiDate(now);
  return { earliest: addCalendarDays(today, -VISIT_BACKDATE_DAYS), latest: today };
}

/**
 * The instants of a visit from the form: `date` is the day the visit started (Asia/Shanghai); an
 * end time earlier than the start time is on the next day (a visit across midnight).
 */
export function visitInstants(
  date: string,
  startMinute: number,
  endMinute: number,
): { startAt: string; endAt: string } {
  const endDate = endMinute < startMinute ? addCalendarDays(date, 1) : date;
  return {
    startAt: shanghaiInstant(date, startMinute).toISOString(),
    endAt: shanghaiInstant(endDate, endMinute).toISOString(),
  };
}

/** Whole minutes of the visit, capped. This is what goes to the volunteer ledger. */
export function visitMinutes(log: Pick<VisitLog, 'startAt' | 'endAt'>): number {
  const minutes = Math.floor((Date.parse(log.endAt) - Date.parse(log.startAt)) / 60_000);
  return Math.max(0, Math.min(VISIT_MINUTES_MAX, minutes));
}

/** "Visited" and "refused" mean the elder was seen; "not at home" is only an attempt. */
export function isContact(outcome: VisitOutcome): boolean {
  return outcome !== 'not-at-home';
}

/** Items marked "needs attention": shown to the secretary with the visit. */
export function concerns(checklist: Record<CheckItem, CheckValue>): CheckItem[] {
  return CHECK_ITEMS.filter((item) => checklist[item] === 'concern');
}

/** A fresh visit id: time plus randomness, so ids from one phone never collide. */
export function newVisitId(now: Date, random: () => number = Math.random): string {
  let tail = '';
  for (let i = 0; i < 12; i++) tail += Math.floor(random() * 36).toString(36);
  return `v-${now.getTime().toString(36)}-${tail}`;
}

/**
 * What the elder's summary fields become after a visit, whatever order visits arrive in: the
 * latest contact, the latest not-at-home attempt and the latest flagged change each only move
 * forward.
 */
export interface ElderVisitFacts {
  lastContactAt: Date | null;
  notAtHomeAt: Date | null;
  flaggedChangeAt: Date | null;
  lastVisitAt: Date | null;
  lastOutcome: VisitOutcome | null;
}

function later(a: Date | null, b: Date): Date {
  return a && a.getTime() >= b.getTime() ? a : b;
}

export function applyVisit(
  facts: ElderVisitFacts,
  visit: { endAt: Date; outcome: VisitOutcome; urgent: boolean },
): ElderVisitFacts {
  const next = { ...facts };
  if (isContact(visit.outcome)) next.lastContactAt = later(facts.lastContactAt, visit.endAt);
  else next.notAtHomeAt = later(facts.notAtHomeAt, visit.endAt);
  if (visit.urgent) next.flaggedChangeAt = later(facts.flaggedChangeAt, visit.endAt);
  if (!facts.lastVisitAt || visit.endAt.getTime() >= facts.lastVisitAt.getTime()) {
    next.lastVisitAt = visit.endAt;
    next.lastOutcome = visit.outcome;
  }
  return next;
}

/** What refuses a visit from a caller who may log it: its id taken by another visit, or its time. */
export function visitLogRefusal(
  log: Pick<VisitLog, 'startAt' | 'endAt'>,
  idTaken: boolean,
  now: Date,
): { code: 'VISIT_ID_TAKEN' | VisitTimeRefusal; message: string } | null {
  if (idTaken) return { code: 'VISIT_ID_TAKEN', message: VISIT_ID_TAKEN_MESSAGE };
  const refusal = visitTimeRefusal(log, now);
  return refusal ? { code: refusal, message: VISIT_TIME_MESSAGES[refusal] } : null;
}

export const VISIT_ID_TAKEN_MESSAGE = '探访编号已被使用，请重新填写';

/** A visit sent again by the volunteer who logged it, for the same elder: answered as stored. */
export function isResentVisit(
  stored: { volunteer: string; elderId: string } | null,
  log: { elderId: string },
  openid: string,
): boolean {
  return stored !== null && stored.volunteer === openid && stored.elderId === log.elderId;
}

/** The id of the service record a visit becomes; '' when it lasted under a minute (none). */
export function visitServiceId(visitId: string, minutes: number): string {
  return minutes > 0 ? `visit_${visitId}` : '';
}

/** The access log's line for a visit logged. */
export function visitLogDetail(minutes: number, urgent: boolean): string {
  return `探访 ${minutes} 分钟${urgent ? '，标记紧急' : ''}`;
}

/** The status a visit's answer shows when its elder's record is gone: a first visit, by the default cadence. */
export function statusWithoutElder(now: Date): VisitStatus {
  return visitStatus(
    {
      riskLevel: 'high',
      addedAt: now,
      lastContactAt: null,
      notAtHomeAt: null,
      flaggedChangeAt: null,
    },
    now,
    DEFAULT_CADENCE,
  );
}

/** A visit whose time the secretary may confirm: one that became a service record. */
export function visitConfirmRefusal(visit: { serviceId: string } | null): 'VISIT_NOT_FOUND' | null {
  return visit?.serviceId ? null : 'VISIT_NOT_FOUND';
}

/** The service record of a visit, as the confirmation's transaction reads it: there, and not confirmed yet. */
export function serviceConfirmRefusal(
  service: { status: string } | null,
): 'SERVICE_NOT_FOUND' | 'ALREADY_CONFIRMED' | null {
  if (!service) return 'SERVICE_NOT_FOUND';
  return service.status === 'confirmed' ? 'ALREADY_CONFIRMED' : null;
}
