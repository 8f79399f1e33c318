import type { Database, DbCollection, DocData } from '../runtime/sdk';
import { SAMPLE_SERVICES, SAMPLE_SPACE, sampleUsers } from './data';
import { withSampleBookingRules } from './booking';
import { sampleCirclePlaces } from './circle';
import { sampleVolunteerGroups } from './volunteer';
import { sampleVisitGroups } from './visits';

/**
 * Seeds the sample data once per data directory. A marker document `meta/seed` records that it
 * happened; every sample document has a fixed `_id` and is only inserted when missing, so running
 * twice (or two processes at once) leaves exactly one copy, and data the user changed is kept.
 */

export const META_COLLECTION = 'meta';
export const SEED_MARKER_ID = 'seed';
/**
 * Bump when the sample set grows: a data dir seeded at an older version gets the missing sample
 * documents on the next start (existing ones, changed or not, are left alone).
 * 1: space, services, personas. 2: booking rules, life-circle places, volunteer lists, elders.
 */
export const SEED_VERSION = 2;

export interface SeedReport {
  seeded: boolean;
  inserted: number;
}

/** Insert `doc` unless a document with its `_id` exists; true when this call inserted it. */
async function insertIfMissing(
  col: DbCollection,
  doc: DocData & { _id: string },
): Promise<boolean> {
  const existing = await col.doc(doc._id).get();
  if (existing.data) return false;
  try {
    await col.add({ data: doc });
    return true;
  } catch (e) {
    // A concurrent seeder may have inserted it between our read and write.
    const again = await col.doc(doc._id).get();
    if (again.data) return false;
    throw e;
  }
}

/** True when this data dir holds the current sample set (the marker is at SEED_VERSION or later). */
export async function isSeeded(db: Database): Promise<boolean> {
  const marker = await db.collection(META_COLLECTION).doc(SEED_MARKER_ID).get();
  const version = (marker.data as { version?: unknown } | null | undefined)?.version;
  return typeof version === 'number' && version >= SEED_VERSION;
}

export async function seedOnce(db: Database, now: Date = new Date()): Promise<SeedReport> {
  if (await isSeeded(db)) return { seeded: false, inserted: 0 };
  let inserted = 0;
  const groups: Array<[string, Array<DocData & { _id: string }>]> = [
    ['spaces', [{ ...SAMPLE_SPACE }]],
    ['services', withSampleBookingRules(SAMPLE_SERVICES.map((s) => ({ ...s })))],
    ['users', sampleUsers(now).map((u) => ({ ...u }))],
    ['circle_places', sampleCirclePlaces(db, now)],
    ...sampleVolunteerGroups(now),
    ...sampleVisitGroups(now),
  ];
  for (const [collection, docs] of groups) {
    const col = db.collection(collection);
    for (const doc of docs) if (await insertIfMissing(col, doc)) inserted++;
  }
  await db
    .collection(META_COLLECTION)
    .doc(SEED_MARKER_ID)
    .set({
      data: { version: SEED_VERSION, seededAt: now, sample: true },
    });
  return { seeded: true, inserted };
}
