import { addDays, slotsOn, type BookableService } from './slots';

/** Places offered and taken on one day (Asia/Shanghai), for the weekly chart. */
export interface DayUtilization {
  date: string;
  /** Place-slots offered: Σ capacity over the day's slots. */
  offered: number;
  /** Place-slots taken (held, confirmed or checked in). */
  taken: number;
  /** taken / offered, 0–1 (0 when nothing was offered). */
  ratio: number;
}

export interface WeekUtilization {
  serviceId: string;
  weekStart: string;
  days: DayUtilization[];
  offered: number;
  taken: number;
  ratio: number;
}

/**
 * Utilisation of one service over the 7 days from `weekStart`, from the per-slot counters
 * (`slotId → places taken`). A counter never exceeds its capacity, so ratio ≤ 1.
 */
export function weekUtilization(
  service: BookableService,
  weekStart: string,
  taken: ReadonlyMap<string, number>,
): WeekUtilization {
  const days = Array.from({ length: 7 }, (_, i): DayUtilization => {
    const date = addDays(weekStart, i);
    const slots = slotsOn(service, date);
    const offered = slots.length * service.rules.capacity;
    const used = slots.reduce(
      (sum, s) => sum + Math.min(taken.get(s.id) ?? 0, service.rules.capacity),
      0,
    );
    return { date, offered, taken: used, ratio: offered > 0 ? used / offered : 0 };
  });
  const offered = days.reduce((s, d) => s + d.offered, 0);
  const used = days.reduce((s, d) => s + d.taken, 0);
  return {
    serviceId: service.id,
    weekStart,
    days,
    offered,
    taken: used,
    ratio: offered > 0 ? used / offered : 0,
  };
}
