import type { CircleCategoryId } from '../../../src/domain/circle/categories';
import type { CoordinateSystem } from '../../../src/domain/circle/coordinates';
import type { CirclePlace, PlaceDraft } from '../../../src/domain/circle/place';
import type { LatLng } from '../../../src/domain/circle/walking';
import type { CircleOrigin } from '../../../src/domain/contract/circle';
import { pageWindow, takePage } from '../../../src/domain/shared/paging';
import {
  COLLECTIONS,
  type Condition,
  type Database,
  type DbOperator,
  PAGE_MAX,
  type SpaceDoc,
  defaultSpaceId,
  getOrNull,
  isDuplicateKey,
  transact,
} from '../../_shared';
import { type PlaceDoc, type PlaceRemovalDoc, type StoredPoint, placeView } from '../docs';
import { toStoredSystem } from './coordinates';

/**
 * Reads and writes of the circle's places. Geo: places store `location` as `db.Geo.Point`;
 * queries use `_.geoNear` (sent as `$nearSphere`, nearest first, metres) against the 2dsphere
 * index declared in indexes.json. Every stored point is GCJ-02; points arriving in another system
 * (a browser's WGS-84 origin, a WGS-84 GeoJSON import) are converted by ./coordinates first.
 */

/** The places answer carries at most this many (3 pages), nearest first. */
export const PLACES_MAX = 300;
/** Import writes go in batches of this many documents. */
const INSERT_BATCH = 100;
/** How many update request keys a place keeps: far more than the retries of one request ever span. */
const REQUESTS_KEPT = 20;

/** The geo parts of the SDK the typed facade in _shared does not cover. */
interface GeoDatabase {
  Geo: { Point(longitude: number, latitude: number): StoredPoint };
}
interface GeoCommand {
  geoNear(options: { geometry: StoredPoint; maxDistance?: number }): DbOperator;
}

function geoPoint(db: Database, p: LatLng): StoredPoint {
  return (db as unknown as GeoDatabase).Geo.Point(p.longitude, p.latitude);
}

function near(db: Database, p: LatLng, maxDistance?: number): DbOperator {
  const command = db.command as unknown as GeoCommand;
  return command.geoNear({
    geometry: geoPoint(db, p),
    ...(maxDistance !== undefined ? { maxDistance } : {}),
  });
}

function places(db: Database) {
  return db.collection<PlaceDoc>(COLLECTIONS.circlePlaces);
}

/** Where the circle is centred: the caller's point (converted to GCJ-02), else the space; null: no such space. */
export async function loadOrigin(
  db: Database,
  input: { origin?: LatLng; originSystem?: CoordinateSystem; spaceId?: string },
): Promise<CircleOrigin | null> {
  const spaceId = input.spaceId ?? defaultSpaceId();
  const space = await getOrNull<SpaceDoc>(db, COLLECTIONS.spaces, spaceId);
  if (!space) return null;
  const spacePoint = { latitude: space.location.latitude, longitude: space.location.longitude };
  if (!input.origin) return { point: spacePoint, kind: 'space', spaceId, spaceName: space.name };
  const point = toStoredSystem(
    { latitude: input.origin.latitude, longitude: input.origin.longitude },
    input.originSystem ?? 'gcj02',
  );
  return { point, kind: 'point', spaceId, spaceName: space.name };
}

/** Places within `radius` metres of `origin`, nearest first, up to `max` (pages of 100). */
export async function placesWithin(
  db: Database,
  origin: LatLng,
  radius: number,
  extra: Condition,
  max = PLACES_MAX,
): Promise<{ docs: PlaceDoc[]; truncated: boolean }> {
  const docs: PlaceDoc[] = [];
  for (;;) {
    const want = Math.min(PAGE_MAX, max + 1 - docs.length);
    const { data } = await places(db)
      .where({ ...extra, location: near(db, origin, radius) })
      .skip(docs.length)
      .limit(want)
      .get();
    docs.push(...data);
    if (data.length < want || docs.length > max) break;
  }
  return { docs: docs.slice(0, max), truncated: docs.length > max };
}

/** For each category, its nearest place at any distance (categories with none are left out). */
export async function nearestOfEach(
  db: Database,
  origin: LatLng,
  categories: readonly CircleCategoryId[],
): Promise<PlaceDoc[]> {
  const nearest = await Promise.all(
    categories.map(async (category) => {
      const { data } = await places(db)
        .where({ category, location: near(db, origin) })
        .limit(1)
        .get();
      return data[0] ?? null;
    }),
  );
  return nearest.filter((d): d is PlaceDoc => d !== null);
}

/** One page of every place, by category and name. */
export async function listPlacesPage(
  db: Database,
  page: number,
  size: number,
): Promise<{ places: CirclePlace[]; hasMore: boolean }> {
  const { skip, limit } = pageWindow(page, size);
  const { data } = await places(db)
    .orderBy('category', 'asc')
    .orderBy('name', 'asc')
    .skip(skip)
    .limit(limit)
    .get();
  const { items, hasMore } = takePage(data, size);
  return { places: items.map(placeView), hasMore };
}

function placeData(draft: PlaceDraft, db: Database, openid: string) {
  return {
    name: draft.name,
    category: draft.category,
    location: geoPoint(db, draft.location),
    hours: draft.hours,
    phone: draft.phone,
    address: draft.address,
    note: draft.note,
    updatedBy: openid,
    updatedAt: db.serverDate(),
  };
}

export async function loadPlace(db: Database, id: string): Promise<PlaceDoc | null> {
  return getOrNull<PlaceDoc>(db, COLLECTIONS.circlePlaces, id);
}

/**
 * Insert the place under `id` (which follows from the secretary and the request): every copy of
 * one submission inserts the same document, only the first succeeds, and the others answer the
 * place it stored (as it is now, if it was edited since).
 */
export async function insertPlaceOnce(
  db: Database,
  id: string,
  draft: PlaceDraft,
  openid: string,
): Promise<CirclePlace> {
  try {
    await places(db).add({
      data: { _id: id, ...placeData(draft, db, openid), sample: false, createdAt: db.serverDate() },
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stored = await loadPlace(db, id);
    if (!stored) throw error;
    return placeView(stored);
  }
  return { id, ...draft, location: { ...draft.location }, sample: false };
}

/**
 * Replace the place's details where `requestKey` is not yet recorded on it; the key is pushed
 * with the change, so racing requests keep each other's keys. Answers the place as saved (null:
 * removed meanwhile).
 */
export async function updatePlaceOnce(
  db: Database,
  id: string,
  draft: PlaceDraft,
  openid: string,
  requestKey: string,
): Promise<PlaceDoc | null> {
  const _ = db.command;
  await places(db)
    .where({ _id: id, requests: _.neq(requestKey) })
    .update({
      data: {
        ...placeData(draft, db, openid),
        requests: _.push({ each: [requestKey], slice: -REQUESTS_KEPT }),
      },
    });
  return loadPlace(db, id);
}

/**
 * Remove the place and write its removal record (`recordId`, keyed by secretary and request)
 * together. 'recorded': the place is gone and this request's record names it (a retry, or a copy
 * that lost the race); 'missing': no such place.
 */
export async function removePlaceRecorded(
  db: Database,
  id: string,
  recordId: string,
  openid: string,
  now: Date,
): Promise<'removed' | 'recorded' | 'missing'> {
  return transact(db, async (tx) => {
    const ref = tx.collection<PlaceDoc>(COLLECTIONS.circlePlaces).doc(id);
    const records = tx.collection<PlaceRemovalDoc>(COLLECTIONS.audit);
    const place = (await ref.get()).data;
    if (!place) {
      const recorded = (await records.doc(recordId).get()).data;
      return recorded?.placeId === id ? 'recorded' : 'missing';
    }
    await ref.remove();
    const record: Omit<PlaceRemovalDoc, '_id'> = {
      _openid: openid,
      kind: 'place-removed',
      actorOpenid: openid,
      placeId: id,
      placeName: place.name,
      at: now,
    };
    await records.doc(recordId).set({ data: record });
    return 'removed';
  });
}

/**
 * Write an import's places, all or none: place i is `${importId}_${i}`, so a retry or a racing
 * copy of the request writes the same documents and none of them twice. Batches are written in
 * order, so the last place stored means the whole import is (nothing more is written); a failed
 * batch removes what earlier batches wrote (by import id, which a racing copy shares: the
 * secretary sees an error and imports again rather than half an import).
 */
export async function writeImport(
  db: Database,
  importId: string,
  drafts: readonly PlaceDraft[],
  openid: string,
): Promise<void> {
  const ids = drafts.map((_draft, i) => `${importId}_${i}`);
  if (await loadPlace(db, ids[ids.length - 1])) return;
  try {
    for (let i = 0; i < drafts.length; i += INSERT_BATCH) {
      const batch = drafts.slice(i, i + INSERT_BATCH).map((draft, j) => ({
        _id: ids[i + j],
        ...placeData(draft, db, openid),
        sample: false,
        importId,
        createdAt: db.serverDate(),
      }));
      await addBatch(db, batch);
    }
  } catch (error) {
    await places(db).where({ importId }).remove();
    throw error;
  }
}

/** One batch insert; when a copy of the request wrote (some of) it first, the rest one by one. */
async function addBatch(db: Database, batch: Array<{ _id: string }>): Promise<void> {
  const collection = places(db);
  const batchAdd = collection.add as unknown as (options: {
    data: unknown[];
  }) => Promise<{ ids: string[] }>;
  try {
    await batchAdd.call(collection, { data: batch });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    for (const doc of batch) {
      try {
        await collection.add({ data: doc as never });
      } catch (one) {
        if (!isDuplicateKey(one)) throw one;
      }
    }
  }
}
