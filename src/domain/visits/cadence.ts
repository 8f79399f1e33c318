import * as v from 'valibot';
import { shanghaiDate, shanghaiInstant } from '../shared/time';

/**
 * Visit cadence by risk level. Every elder on the roster belongs to the special-difficulty group
 * the 2022 MCA policy targets (100 % visited monthly; 覆盖率 is counted per month), and the story
 * we grew from visits even elders living with their children about monthly. So the defaults make
 * monthly the floor for every level: key and general elders at least monthly, high-risk elders at
 * least weekly and within 24 h after a flagged change (see shared/notes/domain.md). A provincial
 * implementation's "general: quarterly" fits only people outside the roster; a secretary may still
 * choose it in the settings.
 *
 * This file is the ONE definition of due / overdue / visited. Every screen (我的结对, coverage)
 * and the scheduled reminder call `visitStatus`; nothing else decides whether a visit is late.
 */

export const RISK_LEVELS = ['high', 'key', 'general'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LABELS: Record<RiskLevel, string> = {
  high: '高风险',
  key: '重点',
  general: '一般',
};

export const VISIT_STATES = ['overdue', 'due', 'visited'] as const;
export type VisitState = (typeof VISIT_STATES)[number];
export const VISIT_STATE_LABELS: Record<VisitState, string> = {
  overdue: '已逾期',
  due: '待探访',
  visited: '已探访',
};

export const INTERVAL_UNITS = ['day', 'week', 'month'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** "Every `count` `unit`s", counted in Asia/Shanghai calendar days or months. */
export interface Interval {
  unit: IntervalUnit;
  count: number;
}

export interface LevelCadence {
  every: Interval;
  /** Days before the due date from which the elder shows as "due" rather than "visited". */
  dueSoonDays: number;
}

export interface CadenceConfig {
  levels: Record<RiskLevel, LevelCadence>;
  /** Hours after a flagged change (an urgent flag or a change the secretary records) by which a visit is due. */
  afterFlagHours: number;
  /** Calendar days after a "not at home" attempt by which a follow-up is due. */
  notAtHomeFollowUpDays: number;
  /** Calendar days after being added to the roster by which the first visit is due. */
  firstVisitDays: number;
  /** Hours after which an unacknowledged urgent flag is raised again. */
  reraiseFlagAfterHours: number;
}

export const DEFAULT_CADENCE: CadenceConfig = {
  levels: {
    high: { every: { unit: 'week', count: 1 }, dueSoonDays: 2 },
    key: { every: { unit: 'month', count: 1 }, dueSoonDays: 7 },
    general: { every: { unit: 'month', count: 1 }, dueSoonDays: 7 },
  },
  afterFlagHours: 24,
  notAtHomeFollowUpDays: 2,
  firstVisitDays: 7,
  reraiseFlagAfterHours: 4,
};

const intInRange = (label: string, min: number, max: number) =>
  v.pipe(
    v.number(`${label}必须是数字`),
    v.integer(`${label}必须是整数`),
    v.minValue(min, `${label}不能小于 ${min}`),
    v.maxValue(max, `${label}不能大于 ${max}`),
  );

const levelSchema = v.strictObject({
  every: v.strictObject({
    unit: v.picklist(INTERVAL_UNITS, '周期单位只能是天、周或月'),
    count: intInRange('周期', 1, 12),
  }),
  dueSoonDays: intInRange('提前提醒天数', 0, 30),
});

export const cadenceConfigSchema = v.strictObject({
  levels: v.strictObject({ high: levelSchema, key: levelSchema, general: levelSchema }),
  afterFlagHours: intInRange('紧急变化后探访时限（小时）', 1, 72),
  notAtHomeFollowUpDays: intInRange('未遇回访天数', 1, 7),
  firstVisitDays: intInRange('首次探访天数', 1, 30),
  reraiseFlagAfterHours: intInRange('紧急提醒重发间隔（小时）', 1, 48),
});

/** The calendar span of one interval never exceeds the policy minimum for its level by accident. */
export function intervalDays(every: Interval): number {
  return every.unit === 'day'
    ? every.count
    : every.unit === 'week'
      ? every.count * 7
      : every.count * 31;
}

export function describeInterval(every: Interval): string {
  if (every.unit === 'day') return every.count === 1 ? '每天' : `每 ${every.count} 天`;
  if (every.unit === 'week') return every.count === 1 ? '每周' : `每 ${every.count} 周`;
  if (every.count === 1) return '每月';
  if (every.count === 3) return '每季度';
  return `每 ${every.count} 个月`;
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addCalendarDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `date` plus `months` calendar months; the day is clamped to the month's length (01-31 + 1 → 02-28/29). */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay)))
    .toISOString()
    .slice(0, 10);
}

export function addInterval(date: string, every: Interval): string {
  if (every.unit === 'month') return addCalendarMonths(date, every.count);
  return addCalendarDays(date, every.unit === 'week' ? every.count * 7 : every.count);
}

/** What the cadence needs to know about one elder. Instants as Date. */
export interface CadenceFacts {
  riskLevel: RiskLevel;
  addedAt: Date;
  /** Last contact: a visit with outcome "visited" or "refused" (the elder was seen). */
  lastContactAt?: Date | null;
  /** Last "not at home" attempt. Counts only when later than the last contact. */
  notAtHomeAt?: Date | null;
  /** Last flagged change (urgent flag from a visit, or recorded by the secretary). Counts when not older than the last contact. */
  flaggedChangeAt?: Date | null;
}

export type DueReason = 'first-visit' | 'cadence' | 'not-at-home' | 'flagged-change';
export const DUE_REASON_LABELS: Record<DueReason, string> = {
  'first-visit': '首次探访',
  cadence: '例行探访',
  'not-at-home': '未遇回访',
  'flagged-change': '紧急情况回访',
};

export interface VisitStatus {
  state: VisitState;
  /** The instant by which the next visit must have happened; at or after it the elder is overdue. */
  dueAt: Date;
  /** The last calendar day (Asia/Shanghai) on which the visit is on time. */
  dueDate: string;
  reason: DueReason;
  /** Whole calendar days from today to the due date (negative when overdue). */
  daysLeft: number;
}

/** The instant a due date (inclusive) ends: 00:00 Asia/Shanghai the next day. */
function endOfDate(date: string): Date {
  return shanghaiInstant(addCalendarDays(date, 1));
}

function daysFromTo(from: string, until: string): number {
  return Math.round(
    (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000,
  );
}

/**
 * Due date, reason and state of one elder at `now`. The earliest of the applicable deadlines wins:
 * the level's cadence after the last contact (or the first-visit window after being added), a
 * follow-up after an unanswered "not at home", and `afterFlagHours` after a flagged change.
 *
 * - overdue: `now` is at or after the deadline;
 * - due: within the level's `dueSoonDays` before the deadline, or never contacted;
 * - visited: contacted, and the next visit is not yet close.
 */
export function visitStatus(
  facts: CadenceFacts,
  now: Date,
  config: CadenceConfig = DEFAULT_CADENCE,
): VisitStatus {
  const level = config.levels[facts.riskLevel];
  const contact = facts.lastContactAt ?? null;
  const candidates: Array<{ dueAt: Date; reason: DueReason }> = [];
  if (contact)
    candidates.push({
      dueAt: endOfDate(addInterval(shanghaiDate(contact), level.every)),
      reason: 'cadence',
    });
  else
    candidates.push({
      dueAt: endOfDate(addCalendarDays(shanghaiDate(facts.addedAt), config.firstVisitDays)),
      reason: 'first-visit',
    });
  const notAtHome = facts.notAtHomeAt ?? null;
  if (notAtHome && (!contact || notAtHome.getTime() > contact.getTime())) {
    candidates.push({
      dueAt: endOfDate(addCalendarDays(shanghaiDate(notAtHome), config.notAtHomeFollowUpDays)),
      reason: 'not-at-home',
    });
  }
  const flagged = facts.flaggedChangeAt ?? null;
  if (flagged && (!contact || flagged.getTime() >= contact.getTime())) {
    candidates.push({
      dueAt: new Date(flagged.getTime() + config.afterFlagHours * 3_600_000),
      reason: 'flagged-change',
    });
  }
  const next = candidates.reduce((a, b) => (b.dueAt.getTime() < a.dueAt.getTime() ? b : a));
  const dueDate = shanghaiDate(new Date(next.dueAt.getTime() - 1));
  const daysLeft = daysFromTo(shanghaiDate(now), dueDate);
  let state: VisitState;
  if (now.getTime() >= next.dueAt.getTime()) state = 'overdue';
  else if (!contact || next.reason !== 'cadence' || daysLeft <= level.dueSoonDays) state = 'due';
  else state = 'visited';
  return { state, dueAt: next.dueAt, dueDate, reason: next.reason, daysLeft };
}

const STATE_ORDER: Record<VisitState, number> = { overdue: 0, due: 1, visited: 2 };

/** Most due first: overdue before due before visited, then by earliest deadline, then by name. */
export function compareByDue(
  a: { status: VisitStatus; name: string },
  b: { status: VisitStatus; name: string },
): number {
  return (
    STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] ||
    a.status.dueAt.getTime() - b.status.dueAt.getTime() ||
    a.name.localeCompare(b.name, 'zh-Hans-CN')
  );
}

/** Text for a due date relative to today, e.g. "逾期 3 天", "今天到期", "还有 5 天". */
export function describeDue(status: VisitStatus): string {
  if (status.state === 'overdue')
    return status.daysLeft < 0 ? `逾期 ${-status.daysLeft} 天` : '已逾期';
  if (status.daysLeft === 0) return '今天到期';
  if (status.daysLeft === 1) return '明天到期';
  return `还有 ${status.daysLeft} 天`;
}

/** What saving a new cadence would do to the roster, shown to the secretary before saving. */
export interface CadenceChangePreview {
  /** Active elders considered. */
  total: number;
  /** Elders whose due date (or due instant, for flagged changes) moves. */
  changed: number;
  /** Of those, due earlier / later than now. */
  earlier: number;
  later: number;
  /** Elders not overdue today who would be overdue at once under the new cadence. */
  newlyOverdue: number;
}

/** Compare every elder's status under `before` and `after` at `now`, by the one rule above. */
export function previewCadenceChange(
  elders: readonly CadenceFacts[],
  now: Date,
  before: CadenceConfig,
  after: CadenceConfig,
): CadenceChangePreview {
  const preview: CadenceChangePreview = {
    total: elders.length,
    changed: 0,
    earlier: 0,
    later: 0,
    newlyOverdue: 0,
  };
  for (const elder of elders) {
    const was = visitStatus(elder, now, before);
    const will = visitStatus(elder, now, after);
    const delta = will.dueAt.getTime() - was.dueAt.getTime();
    if (delta !== 0) {
      preview.changed++;
      if (delta < 0) preview.earlier++;
      else preview.later++;
    }
    if (was.state !== 'overdue' && will.state === 'overdue') preview.newlyOverdue++;
  }
  return preview;
}

/** Whether two cadences are the same (the form saves nothing when they are). */
export function sameCadence(a: CadenceConfig, b: CadenceConfig): boolean {
  const level = (x: LevelCadence, y: LevelCadence) =>
    x.every.unit === y.every.unit &&
    x.every.count === y.every.count &&
    x.dueSoonDays === y.dueSoonDays;
  return (
    RISK_LEVELS.every((r) => level(a.levels[r], b.levels[r])) &&
    a.afterFlagHours === b.afterFlagHours &&
    a.notAtHomeFollowUpDays === b.notAtHomeFollowUpDays &&
    a.firstVisitDays === b.firstVisitDays &&
    a.reraiseFlagAfterHours === b.reraiseFlagAfterHours
  );
}
