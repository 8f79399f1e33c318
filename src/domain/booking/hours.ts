import * as v from 'valibot';
import { openingRuleSchema } from '../contract/booking';
import type { OpeningRule } from '../space/opening-hours';

/**
 * Opening hours as the secretary edits them: per rule a set of weekdays (0 = Sunday … 6 =
 * Saturday) and open / close times typed as HH:MM (Asia/Shanghai). A close at or before the open
 * time runs past midnight ("22:00–02:00"); "24:00" closes at midnight.
 */
export interface HoursDraft {
  days: number[];
  open: string;
  close: string;
}

/** Weekdays in the order shown (Monday first), with their labels. */
export const WEEKDAYS_SHOWN: Array<[number, string]> = [
  [1, '一'],
  [2, '二'],
  [3, '三'],
  [4, '四'],
  [5, '五'],
  [6, '六'],
  [0, '日'],
];

const pad = (n: number) => String(n).padStart(2, '0');

export function minuteToHhmm(minute: number): string {
  const m = ((minute % 1440) + 1440) % 1440;
  return minute === 1440 ? '24:00' : `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "HH:MM" → minutes from 00:00; null when not a time of day ("24:00" allowed). */
export function hhmmToMinute(text: string): number | null {
  const match = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

export function toDrafts(rules: OpeningRule[]): HoursDraft[] {
  return rules.map((r) => ({
    days: [...r.days],
    open: minuteToHhmm(r.open),
    close: minuteToHhmm(r.close > 1440 ? r.close - 1440 : r.close),
  }));
}

/** Drafts → opening rules, validated by the contract's schema; the first problem in words. */
export function parseHoursDrafts(
  drafts: HoursDraft[],
): { ok: true; hours: OpeningRule[] } | { ok: false; message: string } {
  if (drafts.length === 0) return { ok: false, message: '请至少保留一条开放时间' };
  if (drafts.length > 14) return { ok: false, message: '开放时间最多 14 条' };
  const hours: OpeningRule[] = [];
  for (const [i, d] of drafts.entries()) {
    const where = drafts.length > 1 ? `第 ${i + 1} 条：` : '';
    const open = hhmmToMinute(d.open);
    const close = hhmmToMinute(d.close);
    if (open === null || open >= 1440)
      return { ok: false, message: `${where}开门时间应为 HH:MM，如 09:00` };
    if (close === null) return { ok: false, message: `${where}关门时间应为 HH:MM，如 21:00` };
    const rule = {
      days: [...new Set(d.days)].sort((a, b) => a - b),
      open,
      close: close <= open ? close + 1440 : close,
    };
    const parsed = v.safeParse(openingRuleSchema, rule);
    if (!parsed.success) return { ok: false, message: `${where}${parsed.issues[0].message}` };
    hours.push(parsed.output);
  }
  return { ok: true, hours };
}
