/**
 * WeChat cloud-function timer triggers use a 7-field cron expression:
 *
 *   second(0–59) minute(0–59) hour(0–23) day-of-month(1–31) month(1–12 | JAN–DEC)
 *   day-of-week(0–6, 0 = Sunday | SUN–SAT) year(1970–2099)
 *
 * Each field is `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n` or `a/n`, or a comma list of
 * those. When both day-of-month and day-of-week are restricted (neither is `*`), a day matches if
 * EITHER matches (the documented "or" rule, as in classic cron).
 *
 * Time zone: WeChat documents timer triggers as UTC+8 (the cloud functions themselves run in UTC),
 * so expressions are evaluated on the Asia/Shanghai wall clock — fixed +08:00, no DST — whatever
 * the host's time zone is. `0 0 2 * * * *` fires at 02:00 in Chengdu, which is 18:00 UTC.
 */

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2099 },
];

export interface CronSchedule {
  source: string;
  second: ReadonlySet<number>;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
  year: ReadonlySet<number>;
  /** Whether the day-of-month / day-of-week field was `*` (unrestricted). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

function parseValue(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  const byName = spec.names?.indexOf(upper) ?? -1;
  if (byName >= 0) return spec.min + byName;
  if (!/^\d+$/.test(text)) throw new Error(`${spec.name}: "${text}" is not a number`);
  const n = Number(text);
  if (n < spec.min || n > spec.max)
    throw new Error(`${spec.name}: ${n} is outside ${spec.min}–${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new Error(`${spec.name}: empty list item in "${text}"`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`${spec.name}: "${part}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new Error(`${spec.name}: bad step in "${part}"`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = spec.min;
      to = spec.max;
    } else if (rangeText.includes('-')) {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined || a === undefined || b === undefined)
        throw new Error(`${spec.name}: bad range "${rangeText}"`);
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to) throw new Error(`${spec.name}: range "${rangeText}" runs backwards`);
    } else {
      from = parseValue(rangeText, spec);
      // "a/n" means from a to the end of the field in steps of n.
      to = stepText !== undefined ? spec.max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 7) {
    throw new Error(
      `cron "${expression}" must have 7 fields (second minute hour day month weekday year), has ${parts.length}`,
    );
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]));
  return {
    source: expression,
    second: sets[0],
    minute: sets[1],
    hour: sets[2],
    dayOfMonth: sets[3],
    month: sets[4],
    dayOfWeek: sets[5],
    year: sets[6],
    anyDayOfMonth: parts[3] === '*',
    anyDayOfWeek: parts[5] === '*',
  };
}

/** Wall-clock fields of `at` in Asia/Shanghai. */
function shanghaiFields(at: Date) {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return {
    second: d.getUTCSeconds(),
    minute: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    day: d.getUTCDate(),
    month: d.getUTCMonth() + 1,
    weekday: d.getUTCDay(),
    year: d.getUTCFullYear(),
  };
}

function dayMatches(s: CronSchedule, day: number, weekday: number): boolean {
  const dom = s.dayOfMonth.has(day);
  const dow = s.dayOfWeek.has(weekday);
  if (s.anyDayOfMonth && s.anyDayOfWeek) return true;
  if (s.anyDayOfMonth) return dow;
  if (s.anyDayOfWeek) return dom;
  return dom || dow;
}

/** Does the schedule fire at the (whole) second containing `at`? */
export function cronMatches(schedule: CronSchedule, at: Date): boolean {
  const f = shanghaiFields(at);
  return (
    schedule.second.has(f.second) &&
    schedule.minute.has(f.minute) &&
    schedule.hour.has(f.hour) &&
    schedule.month.has(f.month) &&
    schedule.year.has(f.year) &&
    dayMatches(schedule, f.day, f.weekday)
  );
}

/**
 * The first instant strictly after `after`, on a whole second, at which the schedule fires;
 * null when it never fires again (e.g. a past year). Skips whole years, months, days, hours and
 * minutes that cannot match, so it is fast for sparse schedules.
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | null {
  // Work on a "Shanghai wall clock as UTC" timestamp, then shift back.
  let t = Math.floor((after.getTime() + SHANGHAI_OFFSET_MS) / 1000) * 1000 + 1000;
  const maxYear = Math.max(...schedule.year);
  for (let guard = 0; guard < 1_000_000; guard++) {
    const d = new Date(t);
    const year = d.getUTCFullYear();
    if (year > maxYear) return null;
    if (!schedule.year.has(year)) {
      t = Date.UTC(year + 1, 0, 1);
      continue;
    }
    const month = d.getUTCMonth() + 1;
    if (!schedule.month.has(month)) {
      t = Date.UTC(year, month, 1);
      continue;
    }
    if (!dayMatches(schedule, d.getUTCDate(), d.getUTCDay())) {
      t = Date.UTC(year, month - 1, d.getUTCDate() + 1);
      continue;
    }
    if (!schedule.hour.has(d.getUTCHours())) {
      t = Date.UTC(year, month - 1, d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!schedule.minute.has(d.getUTCMinutes())) {
      t = Date.UTC(year, month - 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes() + 1);
      continue;
    }
    if (!schedule.second.has(d.getUTCSeconds())) {
      t += 1000;
      continue;
    }
    return new Date(t - SHANGHAI_OFFSET_MS);
  }
  return null;
}
