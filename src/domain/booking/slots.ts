import type { OpeningRule } from '../space/opening-hours';
import type { BookingKind } from '../space/space';
import {
  MINUTES_PER_DAY,
  formatMinuteOfDay,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  shanghaiWeekday,
} from '../shared/time';
import type { BookingRules } from './rules';

/** A service as the booking rules see it. */
export interface BookableService {
  id: string;
  spaceId: string;
  name: string;
  place: string;
  kind: BookingKind;
  hours: OpeningRule[];
  rules: BookingRules;
}

/**
 * One bookable unit of time. A booking takes one slot (gym hour, appointment window, session) or
 * several consecutive ones (a room block of 1–4 hours). Each slot has its own place counter.
 */
export interface Slot {
  /** `<serviceId>@<YYYY-MM-DD>T<HHmm>`, the start on the Asia/Shanghai wall clock. */
  id: string;
  serviceId: string;
  /** Shanghai calendar date of the start. */
  date: string;
  /** Minutes from 00:00 Asia/Shanghai of `date` (0–1439). */
  startMinute: number;
  /** Length in minutes; the end may fall on the next day. */
  minutes: number;
  start: Date;
  end: Date;
  /** "09:00–10:00", or the session's name with its times. */
  label: string;
}

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

export function isRealDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date;
}

export function slotId(serviceId: string, date: string, startMinute: number): string {
  return `${serviceId}@${date}T${formatMinuteOfDay(startMinute).replace(':', '')}`;
}

function weekdayOf(date: string): number {
  return shanghaiWeekday(shanghaiInstant(date, 12 * 60));
}

function makeSlot(
  service: BookableService,
  date: string,
  startMinute: number,
  minutes: number,
  name?: string,
): Slot {
  const start = shanghaiInstant(date, startMinute);
  const end = shanghaiInstant(date, startMinute + minutes);
  const endMinute = (startMinute + minutes) % MINUTES_PER_DAY;
  const times = `${formatMinuteOfDay(startMinute)}–${endMinute === 0 && minutes > 0 ? '24:00' : formatMinuteOfDay(endMinute)}`;
  return {
    id: slotId(service.id, date, startMinute),
    serviceId: service.id,
    date,
    startMinute,
    minutes,
    start,
    end,
    label: name ? `${name} ${times}` : times,
  };
}

/**
 * Open intervals that start on `date`, in minutes from its 00:00 (the end may pass 1440 when the
 * hours run past midnight).
 */
function intervalsStartingOn(hours: OpeningRule[], date: string): Array<[number, number]> {
  const day = weekdayOf(date);
  return hours
    .filter((r) => r.days.includes(day) && r.close > r.open)
    .map((r): [number, number] => [r.open, r.close])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * The slots that start on `date` (Asia/Shanghai), in time order. Blackout dates have none.
 * - capacity / appointment / room: `slotMinutes` slots from each opening, whole slots only; a slot
 *   may run past midnight when the hours do.
 * - session: the rules' sessions, on the days the service opens.
 */
export function slotsOn(service: BookableService, date: string): Slot[] {
  const { rules } = service;
  if (rules.blackoutDates.includes(date)) return [];
  if (service.kind === 'session') {
    const opens = intervalsStartingOn(service.hours, date).length > 0;
    if (!opens) return [];
    return rules.sessions
      .filter((s) => s.end > s.start)
      .map((s) => makeSlot(service, date, s.start, s.end - s.start, s.label))
      .sort((a, b) => a.startMinute - b.startMinute);
  }
  if (service.kind === 'walk-in' || rules.slotMinutes <= 0) return [];
  const out: Slot[] = [];
  const seen = new Set<number>();
  for (const [open, close] of intervalsStartingOn(service.hours, date)) {
    for (
      let m = open;
      m + rules.slotMinutes <= close && m < MINUTES_PER_DAY;
      m += rules.slotMinutes
    ) {
      if (seen.has(m)) continue;
      seen.add(m);
      out.push(makeSlot(service, date, m, rules.slotMinutes));
    }
  }
  return out.sort((a, b) => a.startMinute - b.startMinute);
}

/** The Shanghai dates one may book on at `now`: today and `horizonDays` more. */
export function bookableDates(rules: BookingRules, now: Date): string[] {
  const today = shanghaiDate(now);
  return Array.from({ length: rules.horizonDays + 1 }, (_, i) => addDays(today, i));
}

/**
 * The consecutive slots with no gap from (`date`, `startMinute`), at most `count` of them (a room
 * block may run into the next day); null when no slot starts there.
 */
function runFrom(
  service: BookableService,
  date: string,
  startMinute: number,
  count: number,
): Slot[] | null {
  const pool = [...slotsOn(service, date), ...slotsOn(service, addDays(date, 1))];
  const first = pool.findIndex((s) => s.date === date && s.startMinute === startMinute);
  if (first < 0) return null;
  const run = [pool[first]];
  for (let i = first + 1; i < pool.length && run.length < count; i++) {
    if (pool[i].start.getTime() !== run[run.length - 1].end.getTime()) break;
    run.push(pool[i]);
  }
  return run;
}

/**
 * The slots a booking starting at (`date`, `startMinute`) and `count` slots long would take:
 * consecutive slots with no gap (a room block may run into the next day). Null when there is no
 * such run, e.g. the block would pass closing time or the start is not on the slot grid.
 */
export function slotRun(
  service: BookableService,
  date: string,
  startMinute: number,
  count: number,
): Slot[] | null {
  const run = runFrom(service, date, startMinute, count);
  return run && run.length === count ? run : null;
}

/** "21:00", "24:00" at midnight, "次日 02:00" past it, for the end of a run starting on `date`. */
function endText(end: Date, date: string): string {
  const minute = shanghaiMinuteOfDay(end);
  const endDate = shanghaiDate(end);
  if (endDate === date) return formatMinuteOfDay(minute);
  if (minute === 0 && endDate === addDays(date, 1)) return '24:00';
  return `次日 ${formatMinuteOfDay(minute)}`;
}

/**
 * A block of `count` slots from a slot that exists but would run past closing (or into a gap in
 * the hours): say when it closes and how long one may book from there. Null when the block fits
 * or no slot starts there (then the start itself is wrong: "没有这个时段").
 */
export function pastClosingRefusal(
  service: BookableService,
  date: string,
  startMinute: number,
  count: number,
): { code: 'BLOCK_LENGTH'; message: string } | null {
  const run = runFrom(service, date, startMinute, count);
  if (!run || run.length >= count) return null;
  const close = endText(run[run.length - 1].end, date);
  const hours = (run.length * service.rules.slotMinutes) / 60;
  return { code: 'BLOCK_LENGTH', message: `${close} 关门，最多可约到 ${close}（${hours} 小时）` };
}

/** Parse a slot id back into its parts; null when malformed. */
export function parseSlotId(
  id: string,
): { serviceId: string; date: string; startMinute: number } | null {
  const match = /^([a-z0-9-]{1,40})@(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$/.exec(id);
  if (!match) return null;
  const h = Number(match[3]);
  const m = Number(match[4]);
  if (h > 23 || m > 59 || !isRealDate(match[2])) return null;
  return { serviceId: match[1], date: match[2], startMinute: h * 60 + m };
}

/** How a slot shows to a resident at `now`. */
export type SlotState = 'free' | 'full' | 'closed';

/**
 * A slot is closed once it starts within `minNoticeMinutes` of `now` or lies outside the
 * bookable dates; otherwise free while a place is left, else full.
 */
export function slotState(
  slot: Pick<Slot, 'date' | 'start'>,
  placesLeft: number,
  rules: Pick<BookingRules, 'minNoticeMinutes'>,
  dates: readonly string[],
  now: Date,
): SlotState {
  if (pastNotice(slot, rules, now) || !dates.includes(slot.date)) return 'closed';
  return placesLeft > 0 ? 'free' : 'full';
}

/** Too close to the start (within the minimum notice) or already begun: no longer bookable. */
export function pastNotice(
  slot: Pick<Slot, 'start'>,
  rules: Pick<BookingRules, 'minNoticeMinutes'>,
  now: Date,
): boolean {
  return slot.start.getTime() - now.getTime() < rules.minNoticeMinutes * 60_000;
}

/** The minimum notice in words, as the slot page states it and a late booking is refused. */
export function minNoticeText(rules: Pick<BookingRules, 'minNoticeMinutes'>): string {
  return rules.minNoticeMinutes > 0
    ? `需至少提前 ${rules.minNoticeMinutes} 分钟预约`
    : '开始前均可预约';
}

/** Where the slot list opens: the first slot that is not closed (-1 when every one is). */
export function firstOpenIndex(slots: ReadonlyArray<{ state: SlotState }>): number {
  return slots.findIndex((s) => s.state !== 'closed');
}

const WEEKDAY_WORDS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** A date as a chip shows it at `now` (Asia/Shanghai): 今天 / 明天 / 周三 12月3日. */
export function dayLabel(date: string, now: Date): string {
  const today = shanghaiDate(now);
  if (date === today) return '今天';
  if (date === addDays(today, 1)) return '明天';
  const [, m, d] = date.split('-').map(Number);
  return `${WEEKDAY_WORDS[weekdayOf(date)]} ${m}月${d}日`;
}

/** A room is booked in blocks of `minSlots`–`maxSlots` slots; every other kind one slot at a time. */
export function blockLengthRefusal(
  kind: BookingKind,
  rules: Pick<BookingRules, 'minSlots' | 'maxSlots'>,
  count: number,
): { code: 'BLOCK_LENGTH'; message: string } | null {
  if (kind !== 'room')
    return count === 1 ? null : { code: 'BLOCK_LENGTH', message: '每次只能预约一个时段' };
  if (count >= rules.minSlots && count <= rules.maxSlots) return null;
  return {
    code: 'BLOCK_LENGTH',
    message: `每次可预约 ${rules.minSlots}–${rules.maxSlots} 个时段`,
  };
}
