import { shanghaiDate } from '../shared/time';
import {
  type CadenceConfig,
  type CadenceFacts,
  DEFAULT_CADENCE,
  type VisitStatus,
  compareByDue,
  visitStatus,
} from './cadence';

/**
 * Coverage for the secretary: each elder's state by the one cadence rule, and the share of elders
 * visited on time (not overdue) against the policy target of 100%.
 */

/** MCA et al. (2022): every elder with special difficulties visited on time. */
export const COVERAGE_TARGET = 1;

export interface CoverageInput extends CadenceFacts {
  name: string;
  lastVisitAt?: Date | null;
}

export interface CoverageSummary {
  /** YYYY-MM, Asia/Shanghai. */
  month: string;
  total: number;
  onTime: number;
  overdue: number;
  due: number;
  visited: number;
  /** Elders with a contact in the current month. */
  contactedThisMonth: number;
  /** onTime / total; 1 when the roster is empty. */
  rate: number;
  target: number;
}

export function coverageSummary(
  elders: readonly CoverageInput[],
  now: Date,
  config: CadenceConfig = DEFAULT_CADENCE,
): CoverageSummary {
  const month = shanghaiDate(now).slice(0, 7);
  const counts = { overdue: 0, due: 0, visited: 0 };
  let contactedThisMonth = 0;
  for (const e of elders) {
    counts[visitStatus(e, now, config).state]++;
    if (e.lastContactAt && shanghaiDate(e.lastContactAt).slice(0, 7) === month)
      contactedThisMonth++;
  }
  const total = elders.length;
  const onTime = total - counts.overdue;
  return {
    month,
    total,
    onTime,
    ...counts,
    contactedThisMonth,
    rate: total === 0 ? 1 : onTime / total,
    target: COVERAGE_TARGET,
  };
}

/** Elders with their status, most due first (overdue at the top). */
export function byMostDue<T extends CoverageInput>(
  elders: readonly T[],
  now: Date,
  config: CadenceConfig = DEFAULT_CADENCE,
): Array<T & { status: VisitStatus }> {
  return elders.map((e) => ({ ...e, status: visitStatus(e, now, config) })).sort(compareByDue);
}

/** "87%" */
export function formatRate(rate: number): string {
  return `${Math.floor(rate * 1000) / 10}%`.replace('.0%', '%');
}
