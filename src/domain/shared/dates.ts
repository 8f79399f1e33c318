import * as v from 'valibot';

/**
 * Calendar dates and instants as the contracts carry them, checked against the calendar: a
 * date that does not exist (2026-02-31, 2025-02-29, 2026-13-01) is refused, never rolled over
 * into the next month the way `Date.UTC` and `Date.parse` do.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-8601 instant with an explicit offset: 2025-03-01T09:30Z, …T09:30:15.250+08:00. */
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Years a date in Linli may fall in. */
export const CALENDAR_YEAR_MIN = 1900;
export const CALENDAR_YEAR_MAX = 2099;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for YYYY-MM-DD naming a day that exists (years 1900–2099). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (
    y >= CALENDAR_YEAR_MIN &&
    y <= CALENDAR_YEAR_MAX &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, mo)
  );
}

/** True for an ISO-8601 instant with offset whose date and time of day exist (no 24:00, no :60). */
export function isIsoInstant(text: string): boolean {
  const m = INSTANT.exec(text);
  if (!m) return false;
  const [, date, hh, mm, ss, , oh, om] = m;
  if (!isCalendarDate(date)) return false;
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return false;
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59)) return false;
  return Number.isFinite(Date.parse(text));
}

/** A calendar date, YYYY-MM-DD (Asia/Shanghai unless the field says otherwise). */
export const calendarDateSchema = (label = '日期') =>
  v.pipe(
    v.string(`${label}必须是文字`),
    v.check(isCalendarDate, `${label}应为存在的日期，格式如 2025-03-01`),
  );

/** An instant as ISO-8601 text with an explicit offset. */
export const isoInstantSchema = (label: string) =>
  v.pipe(v.string(`${label}必须是时间`), v.check(isIsoInstant, `${label}不是有效时间`));
