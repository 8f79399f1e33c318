import { CIRCLE_CATEGORY_IDS, type CircleCategoryId } from './categories';

/**
 * Residents' requests for a missing service: one per person per category. Asking again is a
 * no-op; the request that asked (any copy or retry of it, same key) is the one that created it.
 */
export function askedByThisRequest(stored: { requestKey?: string }, requestKey: string): boolean {
  return stored.requestKey === requestKey;
}

/** How many residents asked for one category. */
export interface RequestCount {
  category: CircleCategoryId;
  count: number;
}

/** The secretary's tally: categories somebody asked for, most asked first, and the total. */
export function requestTally(counts: readonly RequestCount[]): {
  counts: RequestCount[];
  total: number;
} {
  const asked = counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
  return { counts: asked, total: asked.reduce((n, c) => n + c.count, 0) };
}

/** Every category the tally counts, in the guide's order. */
export const REQUESTABLE_CATEGORIES: readonly CircleCategoryId[] = CIRCLE_CATEGORY_IDS;
