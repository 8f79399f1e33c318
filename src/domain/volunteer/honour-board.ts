import { maskName } from './registration';

/** The honour board (光华榜样): confirmed hours per volunteer in a calendar month. */

export const HONOUR_BOARD_SIZE = 20;
export const ANONYMOUS_NAME = '匿名志愿者';

export interface HonourRow {
  rank: number;
  /** Masked real name, or ANONYMOUS_NAME when the volunteer opted out of being named. */
  name: string;
  minutes: number;
  services: number;
  /** True for the caller's own row, so they can find themself even when anonymous. */
  isMe: boolean;
}

export interface MonthlyMinutes {
  subject: string;
  minutes: number;
  services: number;
}

/** Sum confirmed minutes per volunteer. */
export function monthlyTotals(
  entries: ReadonlyArray<{ subject: string; minutes: number }>,
): MonthlyMinutes[] {
  const by = new Map<string, MonthlyMinutes>();
  for (const e of entries) {
    const row = by.get(e.subject) ?? { subject: e.subject, minutes: 0, services: 0 };
    row.minutes += e.minutes;
    row.services += 1;
    by.set(e.subject, row);
  }
  return [...by.values()];
}

/**
 * Rank by minutes (then services); equal totals share a rank. Volunteers who opted out still count
 * and keep their place, shown without a name.
 */
export function honourBoard(
  totals: readonly MonthlyMinutes[],
  people: ReadonlyMap<string, { name: string; optOut: boolean }>,
  me: string,
  size = HONOUR_BOARD_SIZE,
): HonourRow[] {
  const sorted = [...totals]
    .filter((t) => t.minutes > 0)
    .sort(
      (a, b) =>
        b.minutes - a.minutes || b.services - a.services || a.subject.localeCompare(b.subject),
    );
  const rows: HonourRow[] = [];
  sorted.slice(0, size).forEach((t, i) => {
    const prev = rows[i - 1];
    const rank = prev && sorted[i - 1].minutes === t.minutes ? prev.rank : i + 1;
    const person = people.get(t.subject);
    const name = !person || person.optOut ? ANONYMOUS_NAME : maskName(person.name);
    rows.push({ rank, name, minutes: t.minutes, services: t.services, isMe: t.subject === me });
  });
  return rows;
}

/** "2025-03" → the first day of the month and of the next month (YYYY-MM-DD). */
export function monthRange(month: string): { from: string; before: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, before: `${next}-01` };
}
