import {
  MINUTES_PER_DAY,
  formatMinuteOfDay,
  shanghaiMinuteOfDay,
  shanghaiWeekday,
} from '../shared/time';

/**
 * One rule of a weekly timetable: on each weekday in `days` (0 = Sunday … 6 = Saturday, Asia/Shanghai)
 * the place is open from `open` to `close`, in minutes from 00:00 Asia/Shanghai. `close` may pass
 * 1440 for hours that run past midnight (20:00–02:00 is open 1200, close 1560).
 */
export interface OpeningRule {
  days: number[];
  open: number;
  close: number;
}

export type OpenState =
  | { kind: 'always' }
  | { kind: 'open'; closesAt: number; closesSoon: boolean }
  | { kind: 'closed'; opensAt: number; opensInDays: number }
  | { kind: 'never' };

/** Minutes before closing when a place counts as "closing soon". */
export const CLOSING_SOON_MINUTES = 30;

export function isAlwaysOpen(rules: OpeningRule[]): boolean {
  const days = new Set<number>();
  for (const r of rules)
    if (r.open <= 0 && r.close >= MINUTES_PER_DAY) r.days.forEach((d) => days.add(d));
  return days.size === 7;
}

/** Open intervals of weekday `day`, including hours carried over from the night before. */
function intervalsOn(rules: OpeningRule[], day: number): Array<[number, number]> {
  const prev = (day + 6) % 7;
  const out: Array<[number, number]> = [];
  for (const r of rules) {
    if (r.days.includes(day)) out.push([r.open, Math.min(r.close, MINUTES_PER_DAY)]);
    if (r.days.includes(prev) && r.close > MINUTES_PER_DAY)
      out.push([0, r.close - MINUTES_PER_DAY]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Whether the place is open at instant `now`, and when that changes (Asia/Shanghai). */
export function openState(rules: OpeningRule[], now: Date): OpenState {
  if (rules.length === 0) return { kind: 'never' };
  if (isAlwaysOpen(rules)) return { kind: 'always' };
  const day = shanghaiWeekday(now);
  const minute = shanghaiMinuteOfDay(now);
  const today = intervalsOn(rules, day);
  const current = today.find(([o, c]) => minute >= o && minute < c);
  if (current) {
    // Closing time, following on into an interval that starts exactly when this one ends.
    let closesAt = current[1];
    const next = today.find(([o]) => o === closesAt);
    if (next) closesAt = next[1];
    return { kind: 'open', closesAt, closesSoon: closesAt - minute <= CLOSING_SOON_MINUTES };
  }
  for (let offset = 0; offset < 8; offset++) {
    const intervals = intervalsOn(rules, (day + offset) % 7);
    const upcoming = intervals.find(([o]) => offset > 0 || o > minute);
    if (upcoming) return { kind: 'closed', opensAt: upcoming[0], opensInDays: offset };
  }
  return { kind: 'never' };
}

export function isOpenNow(rules: OpeningRule[], now: Date): boolean {
  const s = openState(rules, now);
  return s.kind === 'always' || s.kind === 'open';
}

const DAY_WORDS = ['今天', '明天', '后天'];
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** A short Chinese label for an open state, e.g. "营业中 · 21:00 关门". */
export function openStateLabel(state: OpenState, now: Date): string {
  switch (state.kind) {
    case 'always':
      return '24小时开放';
    case 'open':
      return state.closesSoon
        ? `即将关门 · ${formatMinuteOfDay(state.closesAt)}`
        : `营业中 · ${formatMinuteOfDay(state.closesAt)} 关门`;
    case 'closed': {
      const when =
        state.opensInDays < DAY_WORDS.length
          ? DAY_WORDS[state.opensInDays]
          : WEEKDAY_NAMES[(shanghaiWeekday(now) + state.opensInDays) % 7];
      return `已关门 · ${when} ${formatMinuteOfDay(state.opensAt)} 开门`;
    }
    case 'never':
      return '暂停开放';
  }
}

/** Human-readable weekly hours, e.g. "周一至周五 09:00–17:30". */
export function describeOpeningRules(rules: OpeningRule[]): string {
  if (isAlwaysOpen(rules)) return '全天 24 小时';
  return rules
    .map(
      (r) =>
        `${describeDays(r.days)} ${formatMinuteOfDay(r.open)}–${formatMinuteOfDay(r.close % MINUTES_PER_DAY || (r.close > 0 ? MINUTES_PER_DAY : 0))}`,
    )
    .join('；');
}

function describeDays(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const key = sorted.join(',');
  if (key === '0,1,2,3,4,5,6') return '每天';
  if (key === '1,2,3,4,5') return '周一至周五';
  if (key === '0,6') return '周末';
  return sorted.map((d) => WEEKDAY_NAMES[d]).join('、');
}
