import * as v from 'valibot';
import {
  MINUTES_PER_DAY,
  formatMinuteOfDay,
  parseMinuteOfDay,
  shanghaiInstant,
  shanghaiWeekday,
} from '../shared/time';
import { isCalendarDate } from '../shared/dates';
import { safeText } from '../shared/text';

/**
 * Opportunity lists (机会岗位清单): a secretary composes a list of posts in categories, saves it as a
 * draft, publishes it for volunteers to claim, and closes it. A new list can start from a copy.
 */

export const LIST_STATUSES = ['draft', 'published', 'closed'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_STATUS_LABELS: Record<ListStatus, string> = {
  draft: '草稿',
  published: '已发布',
  closed: '已结束',
};

export const POSTS_PER_LIST_MAX = 50;
export const CATEGORIES_PER_LIST_MAX = 10;
export const POST_CAPACITY_MAX = 500;
export const POST_POINTS_MAX = 1000;
/** A recurring schedule spans at most this many days. */
export const SCHEDULE_SPAN_DAYS_MAX = 366;
/** The end of the last occurrence: a claim stops counting as active (for overlaps and quotas) after it. */
export function claimEndsAt(schedule: Schedule): Date {
  const all = occurrences(schedule);
  const last = all[all.length - 1];
  return last ? shanghaiInstant(last.date, last.end) : claimDeadline(schedule);
}

/** Withdrawing is allowed until this many minutes before the (last) occurrence starts. */
export const WITHDRAW_LEAD_MINUTES = 120;

/**
 * When a post's service happens. Times are minutes from 00:00 Asia/Shanghai; dates YYYY-MM-DD.
 * `weekly` repeats on the given weekdays (0 = Sunday) from `from` to `until`, both inclusive.
 */
export type Schedule =
  | { kind: 'once'; date: string; start: number; end: number }
  | { kind: 'weekly'; weekdays: number[]; start: number; end: number; from: string; until: string };

export interface Occurrence {
  date: string;
  start: number;
  end: number;
}

export interface Requirements {
  partyMemberOnly: boolean;
  /** Free text shown to volunteers, e.g. "需会使用血压计". */
  note: string;
}

export interface PostLocation {
  /** The space whose entrance QR code checks a volunteer in; absent for services elsewhere. */
  spaceId?: string;
  place: string;
}

export interface Category {
  id: string;
  name: string;
}

/** A post as composed by the secretary. */
export interface PostDraft {
  categoryId: string;
  title: string;
  description: string;
  schedule: Schedule;
  capacity: number;
  points: number;
  requirements: Requirements;
  location: PostLocation;
}

export interface ListDraft {
  title: string;
  /** The list's period (inclusive dates). */
  periodFrom: string;
  periodUntil: string;
  categories: Category[];
  posts: PostDraft[];
}

export interface OpportunityList {
  id: string;
  title: string;
  periodFrom: string;
  periodUntil: string;
  categories: Category[];
  status: ListStatus;
  postCount: number;
  createdAt: string;
  publishedAt?: string;
  closedAt?: string;
  copiedFrom?: string;
}

/** A post as volunteers see it. */
export interface Post extends PostDraft {
  id: string;
  listId: string;
  claimed: number;
  order: number;
}

/** A YYYY-MM-DD date that exists on the calendar (the shared rule). */
export function isValidDate(date: string): boolean {
  return isCalendarDate(date);
}

/** `date` plus `days` calendar days (YYYY-MM-DD, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

export function daysBetween(from: string, until: string): number {
  return Math.round(
    (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000,
  );
}

const dateSchema = v.pipe(
  v.string('日期必须是文字'),
  v.check(isValidDate, '日期格式应为 2025-03-01'),
);
const minuteSchema = v.pipe(
  v.number('时间必须是数字'),
  v.integer('时间必须是整数分钟'),
  v.minValue(0, '时间不能早于 00:00'),
  v.maxValue(MINUTES_PER_DAY, '时间不能晚于 24:00'),
);
const text = (label: string, min: number, max: number) => safeText(label, max, { min });

export const scheduleSchema = v.pipe(
  v.variant(
    'kind',
    [
      v.strictObject({
        kind: v.literal('once'),
        date: dateSchema,
        start: minuteSchema,
        end: minuteSchema,
      }),
      v.strictObject({
        kind: v.literal('weekly'),
        weekdays: v.pipe(
          v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)), '星期格式不正确'),
          v.minLength(1, '请选择每周哪几天'),
          v.maxLength(7),
          v.check((d) => new Set(d).size === d.length, '星期不能重复'),
        ),
        start: minuteSchema,
        end: minuteSchema,
        from: dateSchema,
        until: dateSchema,
      }),
    ],
    '时间安排只能是单次或每周重复',
  ),
  v.check((s) => s.start < s.end, '结束时间必须晚于开始时间'),
  v.check(
    (s) =>
      s.kind === 'once' ||
      (daysBetween(s.from, s.until) >= 0 && daysBetween(s.from, s.until) < SCHEDULE_SPAN_DAYS_MAX),
    `重复安排的结束日期须不早于开始日期，且不超过 ${SCHEDULE_SPAN_DAYS_MAX} 天`,
  ),
);

export const categoryIdSchema = v.pipe(
  v.string('分类编号必须是文字'),
  v.regex(/^[a-z0-9-]{1,16}$/, '分类编号格式不正确'),
);

export const postDraftSchema = v.strictObject(
  {
    categoryId: categoryIdSchema,
    title: text('岗位名称', 2, 30),
    description: safeText('岗位说明', 300, { multiline: true }),
    schedule: scheduleSchema,
    capacity: v.pipe(
      v.number('名额必须是数字'),
      v.integer('名额必须是整数'),
      v.minValue(1, '名额至少 1 人'),
      v.maxValue(POST_CAPACITY_MAX, `名额最多 ${POST_CAPACITY_MAX} 人`),
    ),
    points: v.pipe(
      v.number('积分必须是数字'),
      v.integer('积分必须是整数'),
      v.minValue(0, '积分不能为负'),
      v.maxValue(POST_POINTS_MAX, `积分最多 ${POST_POINTS_MAX}`),
    ),
    requirements: v.strictObject({
      partyMemberOnly: v.boolean('请选择是否仅限党员'),
      note: v.optional(safeText('要求说明', 60, { multiline: true }), ''),
    }),
    location: v.strictObject({
      spaceId: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,24}$/, '空间编号格式不正确'))),
      place: text('服务地点', 1, 60),
    }),
  },
  '岗位信息格式不正确',
);

export const listDraftSchema = v.pipe(
  v.strictObject(
    {
      title: text('清单标题', 2, 40),
      periodFrom: dateSchema,
      periodUntil: dateSchema,
      categories: v.pipe(
        v.array(
          v.strictObject({ id: categoryIdSchema, name: text('分类名称', 1, 12) }),
          '分类格式不正确',
        ),
        v.minLength(1, '至少需要一个分类'),
        v.maxLength(CATEGORIES_PER_LIST_MAX, `最多 ${CATEGORIES_PER_LIST_MAX} 个分类`),
      ),
      posts: v.pipe(
        v.array(postDraftSchema, '岗位格式不正确'),
        v.maxLength(POSTS_PER_LIST_MAX, `一个清单最多 ${POSTS_PER_LIST_MAX} 个岗位`),
      ),
    },
    '清单格式不正确',
  ),
  v.check((l) => daysBetween(l.periodFrom, l.periodUntil) >= 0, '清单结束日期不能早于开始日期'),
  v.check(
    (l) => new Set(l.categories.map((c) => c.id)).size === l.categories.length,
    '分类不能重复',
  ),
  v.check(
    (l) => l.posts.every((p) => l.categories.some((c) => c.id === p.categoryId)),
    '岗位所属分类不在清单中',
  ),
);

/** Why a list cannot be published, or null when it can. */
/** A draft list is seen only by the secretary; published and closed lists by everyone. */
export function listVisible(list: { status: ListStatus }, role: string): boolean {
  return list.status !== 'draft' || role === 'secretary';
}

export const LIST_NOT_DRAFT_MESSAGE = '已发布的清单不能再修改，可以复制为新清单';

/** Only a draft's content can be replaced; a published list is copied instead. */
export function editRefusal(list: { status: ListStatus }): 'LIST_NOT_DRAFT' | null {
  return list.status === 'draft' ? null : 'LIST_NOT_DRAFT';
}

export function publishRefusal(list: {
  status: ListStatus;
  postCount: number;
}): 'LIST_NOT_DRAFT' | 'LIST_EMPTY' | null {
  if (list.status !== 'draft') return 'LIST_NOT_DRAFT';
  if (list.postCount === 0) return 'LIST_EMPTY';
  return null;
}

/** Every occurrence of a schedule, in date order. */
export function occurrences(schedule: Schedule): Occurrence[] {
  if (schedule.kind === 'once')
    return [{ date: schedule.date, start: schedule.start, end: schedule.end }];
  const out: Occurrence[] = [];
  const span = Math.min(daysBetween(schedule.from, schedule.until), SCHEDULE_SPAN_DAYS_MAX);
  for (let i = 0; i <= span; i++) {
    const date = addDays(schedule.from, i);
    if (schedule.weekdays.includes(shanghaiWeekday(shanghaiInstant(date, 720)))) {
      out.push({ date, start: schedule.start, end: schedule.end });
    }
  }
  return out;
}

/** Do two schedules have a moment in common? Touching ends (10:00–11:00, 11:00–12:00) do not overlap. */
export function schedulesOverlap(a: Schedule, b: Schedule): boolean {
  if (a.start >= b.end || b.start >= a.end) return false;
  const bDates = new Set(occurrences(b).map((o) => o.date));
  return occurrences(a).some((o) => bDates.has(o.date));
}

/** The start of the last occurrence: claims are accepted until then. */
export function claimDeadline(schedule: Schedule): Date {
  const all = occurrences(schedule);
  const last = all[all.length - 1];
  if (!last)
    return shanghaiInstant(
      schedule.kind === 'once' ? schedule.date : schedule.from,
      schedule.start,
    );
  return shanghaiInstant(last.date, last.start);
}

/** Withdrawing is allowed until WITHDRAW_LEAD_MINUTES before the last occurrence starts. */
export function withdrawDeadline(schedule: Schedule): Date {
  return new Date(claimDeadline(schedule).getTime() - WITHDRAW_LEAD_MINUTES * 60_000);
}

const WEEKDAY_NAMES = ['日', '一', '二', '三', '四', '五', '六'];

/** "2025-03-01 09:00–11:00" or "每周一、三 09:00–11:00（03-01 至 03-31）". */
export function describeSchedule(schedule: Schedule): string {
  const time = `${formatMinuteOfDay(schedule.start)}–${formatMinuteOfDay(schedule.end)}`;
  if (schedule.kind === 'once') return `${schedule.date} ${time}`;
  const days = [...schedule.weekdays]
    .sort((x, y) => x - y)
    .map((d) => WEEKDAY_NAMES[d])
    .join('、');
  return `每周${days} ${time}（${schedule.from.slice(5)} 至 ${schedule.until.slice(5)}）`;
}

/** Places left on a post (never negative). */
export function placesLeft(post: { capacity: number; claimed: number }): number {
  return Math.max(0, post.capacity - post.claimed);
}

/**
 * A new draft from an earlier list: same categories and posts, dates moved by `shiftDays` so the
 * period starts on `periodFrom`.
 */
export function copyListDraft(source: ListDraft, periodFrom: string): ListDraft {
  const shift = daysBetween(source.periodFrom, periodFrom);
  const move = (d: string) => addDays(d, shift);
  return {
    title: source.title,
    periodFrom,
    periodUntil: move(source.periodUntil),
    categories: source.categories.map((c) => ({ ...c })),
    posts: source.posts.map((p) => ({
      ...p,
      requirements: { ...p.requirements },
      location: { ...p.location },
      schedule:
        p.schedule.kind === 'once'
          ? { ...p.schedule, date: move(p.schedule.date) }
          : {
              ...p.schedule,
              weekdays: [...p.schedule.weekdays],
              from: move(p.schedule.from),
              until: move(p.schedule.until),
            },
    })),
  };
}

/** Weekdays in the order a Chinese week is shown (Monday first), 0 = Sunday. */
export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;
export const WEEKDAY_LABELS: Record<number, string> = {
  0: '日',
  1: '一',
  2: '二',
  3: '三',
  4: '四',
  5: '五',
  6: '六',
};

/** A schedule as typed into the compose form: dates YYYY-MM-DD, times "HH:mm". */
export interface ScheduleForm {
  kind: Schedule['kind'];
  date: string;
  weekdays: number[];
  from: string;
  until: string;
  start: string;
  end: string;
}

/**
 * The schedule a compose form describes, still to be checked with `scheduleSchema` (a malformed
 * time becomes -1 so the schema names it).
 */
export function scheduleFromForm(form: ScheduleForm): Schedule {
  const start = parseMinuteOfDay(form.start.trim()) ?? -1;
  const end = parseMinuteOfDay(form.end.trim()) ?? -1;
  if (form.kind === 'once') return { kind: 'once', date: form.date.trim(), start, end };
  const weekdays = [...new Set(form.weekdays)].sort((a, b) => a - b);
  return { kind: 'weekly', weekdays, start, end, from: form.from.trim(), until: form.until.trim() };
}

/** The period a copy of a list gets when it starts on `periodFrom` (same length as the source). */
export function copiedPeriod(
  source: { periodFrom: string; periodUntil: string },
  periodFrom: string,
): { periodFrom: string; periodUntil: string } {
  return {
    periodFrom,
    periodUntil: addDays(source.periodUntil, daysBetween(source.periodFrom, periodFrom)),
  };
}

/** Where a copy of a list starts by default: the day after it ends, but not before today. */
export function nextPeriodFrom(source: { periodUntil: string }, today: string): string {
  const after = addDays(source.periodUntil, 1);
  return after > today ? after : today;
}

/** One browsing category across every published list: lists name their categories alike. */
export interface BrowseCategory {
  name: string;
  /** The category ids, one per list, that carry this name. */
  ids: string[];
}

/** Categories of several lists merged by name, in first-seen order, for the 志愿 tab's filter. */
export function browseCategories(
  lists: ReadonlyArray<{ categories: ReadonlyArray<Category> }>,
): BrowseCategory[] {
  const byName = new Map<string, BrowseCategory>();
  for (const list of lists) {
    for (const c of list.categories) {
      const entry = byName.get(c.name) ?? { name: c.name, ids: [] };
      if (!entry.ids.includes(c.id)) entry.ids.push(c.id);
      byName.set(c.name, entry);
    }
  }
  return [...byName.values()];
}
