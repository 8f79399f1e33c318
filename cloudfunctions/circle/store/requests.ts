import type { CircleCategoryId } from '../../../src/domain/circle/categories';
import type { RequestCount } from '../../../src/domain/circle/requests';
import { COLLECTIONS, PAGE_MAX, type Database, getOrNull } from '../../_shared';
import type { ServiceRequestDoc } from '../docs';

/** Reads and writes of residents' requests for a missing service. */

function requests(db: Database) {
  return db.collection<ServiceRequestDoc>(COLLECTIONS.circleRequests);
}

/** One request per person per category: its `_id`. */
export function serviceRequestId(openid: string, category: CircleCategoryId): string {
  return `${openid}:${category}`;
}

export async function loadServiceRequest(
  db: Database,
  openid: string,
  category: CircleCategoryId,
): Promise<ServiceRequestDoc | null> {
  return getOrNull<ServiceRequestDoc>(
    db,
    COLLECTIONS.circleRequests,
    serviceRequestId(openid, category),
  );
}

/**
 * Insert the request; the id and the unique index on (_openid, category) both refuse a second
 * one. Answers the request as stored: this one, or the one a racing copy inserted first.
 */
export async function insertServiceRequest(
  db: Database,
  request: Omit<ServiceRequestDoc, '_id' | 'createdAt'>,
): Promise<Pick<ServiceRequestDoc, 'requestKey'>> {
  const id = serviceRequestId(request._openid, request.category);
  try {
    await requests(db).add({ data: { _id: id, ...request, createdAt: db.serverDate() } });
  } catch (error) {
    const raced = await getOrNull<ServiceRequestDoc>(db, COLLECTIONS.circleRequests, id);
    if (raced) return raced;
    throw error;
  }
  return request;
}

/** The categories the person has asked for (at most one page: one request per category). */
export async function requestedCategories(
  db: Database,
  openid: string,
): Promise<CircleCategoryId[]> {
  const { data } = await requests(db).where({ _openid: openid }).limit(PAGE_MAX).get();
  return data.map((r) => r.category);
}

/** How many residents asked for each of `categories` (one count each). */
export async function countRequests(
  db: Database,
  categories: readonly CircleCategoryId[],
): Promise<RequestCount[]> {
  return Promise.all(
    categories.map(async (category) => ({
      category,
      count: (await requests(db).where({ category }).count()).total,
    })),
  );
}
