import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/**
 * Every calendar computation in Linli is done in Asia/Shanghai (UTC+08:00, no daylight saving
 * since 1991). The offset is applied explicitly instead of reading the process time zone, because
 * cloud functions run in UTC and mini-program JS engines do not all ship full Intl time-zone data.
 */
export const SHANGHAI_TZ = 'Asia/Shanghai';
export const SHANGHAI_OFFSET_MINUTES = 480;

/** Minutes in a day; opening hours are stored as minutes from 00:00 Asia/Shanghai. */
export const MINUTES_PER_DAY = 1440;

/** The instant `at` seen on an Asia/Shanghai wall clock. */
export function inShanghai(at: Date | number | string): Dayjs {
  return dayjs(at).utcOffset(SHANGHAI_OFFSET_MINUTES);
}

/** Calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiDate(at: Date | number | string): string {
  return inShanghai(at).format('YYYY-MM-DD');
}

/** Minutes since 00:00 Asia/Shanghai for the instant `at` (0–1439). */
export function shanghaiMinuteOfDay(at: Date | number | string): number {
  const d = inShanghai(at);
  return d.hour() * 60 + d.minute();
}

/** Day of week in Asia/Shanghai: 0 = Sunday … 6 = Saturday. */
export function shanghaiWeekday(at: Date | number | string): number {
  return inShanghai(at).day();
}

/** The instant at `minuteOfDay` minutes after 00:00 Asia/Shanghai on calendar date `date`. */
export function shanghaiInstant(date: string, minuteOfDay = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  const utcMs = Date.UTC(y, m - 1, d, 0, minuteOfDay) - SHANGHAI_OFFSET_MINUTES * 60_000;
  return new Date(utcMs);
}

/** "HH:mm" for minutes from 00:00 (1440 prints as 24:00). */
export function formatMinuteOfDay(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Parse "HH:mm" (00:00–24:00) into minutes from 00:00; null when malformed. */
export function parseMinuteOfDay(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (h > 24 || m > 59 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}
