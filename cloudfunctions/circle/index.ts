import { CIRCLE_CATEGORY_IDS, type CircleCategoryId } from '../../src/domain/circle/categories';
import type { CoordinateSystem } from '../../src/domain/circle/coordinates';
import { coverage } from '../../src/domain/circle/coverage';
import { nearbyPlaces } from '../../src/domain/circle/coverage';
import { parsePlaceImport, rejectedSummary } from '../../src/domain/circle/import';
import type { CirclePlace, PlaceDraft } from '../../src/domain/circle/place';
import { BANDS } from '../../src/domain/circle/categories';
import { type LatLng, type Pace, bandRadiusMetres } from '../../src/domain/circle/walking';
import {
  type CircleOrigin,
  PLACES_PAGE_SIZE,
  circleContract,
} from '../../src/domain/contract/circle';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { fail, ok } from '../../src/domain/shared/result';
import {
  COLLECTIONS,
  type Condition,
  type Database,
  type DbOperator,
  type SpaceDoc,
  createRouter,
  isDuplicateWrite,
  requestDocId,
  transact,
} from '../_shared';
import {
  CIRCLE_COLLECTIONS,
  type PlaceDoc,
  type PlaceRemovalDoc,
  type ServiceRequestDoc,
  type StoredPoint,
  placeFromDoc,
} from './collections';
import { toStoredSystem } from './coordinates';

/**
 * The 15-minute life circle: places near the space (or the resident), coverage against the
 * MOFCOM guide, residents' requests for missing services, and the secretary's place management.
 *
 * Geo: places store `location` as `db.Geo.Point`; queries use `_.geoNear` (sent as `$nearSphere`,
 * nearest first, metres) against the 2dsphere index declared in indexes.json. Walking minutes are
 * never computed here by any other rule than src/domain/circle/walking.ts.
 *
 * Coordinates: every stored point is GCJ-02 (STORED_COORDINATE_SYSTEM). Points arriving in another
 * system (a browser's WGS-84 origin, a WGS-84 GeoJSON import) are converted here, on the server,
 * by ./coordinates before they are queried or written.
 */

/** The geo parts of the SDK the typed facade in _shared does not cover. */
interface GeoDatabase {
  Geo: { Point(longitude: number, latitude: number): StoredPoint };
}
interface GeoCommand {
  geoNear(options: {
    geometry: StoredPoint;
    maxDistance?: number;
    minDistance?: number;
  }): DbOperator;
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

/** One `get()` answers at most 100 documents. */
const PAGE = 100;
/** The places answer carries at most this many (3 pages), nearest first. */
export const PLACES_MAX = 300;
/** Import writes go in batches of this many documents. */
const INSERT_BATCH = 100;
/** Ids of places added one by one, of imports (each place: import id + '_' + row), and of removal records. */
const PLACE_ID_PREFIX = 'place_';
const IMPORT_ID_PREFIX = 'imp_';
const REMOVAL_ID_PREFIX = 'place_removed_';
/** How many update request keys a place keeps: far more than the retries of one request ever span. */
const REQUESTS_KEPT = 20;

export function defaultSpaceId(): string {
  return process.env.LINLI_DEFAULT_SPACE?.trim() || 'r29';
}

async function resolveOrigin(
  db: Database,
  input: { origin?: LatLng; originSystem?: CoordinateSystem; spaceId?: string },
): Promise<CircleOrigin | null> {
  const spaceId = input.spaceId ?? defaultSpaceId();
  const space = await db.collection<SpaceDoc>(COLLECTIONS.spaces).doc(spaceId).get();
  if (!space.data) return null;
  const spacePoint = {
    latitude: space.data.location.latitude,
    longitude: space.data.location.longitude,
  };
  if (!input.origin)
    return { point: spacePoint, kind: 'space', spaceId, spaceName: space.data.name };
  const point = toStoredSystem(
    { latitude: input.origin.latitude, longitude: input.origin.longitude },
    input.originSystem ?? 'gcj02',
  );
  return { point, kind: 'point', spaceId, spaceName: space.data.name };
}

const SPACE_NOT_FOUND = '没有找到这个空间，请重新扫码或稍后再试';

/** Places within `radius` metres of `origin`, nearest first, up to `max` (pages of 100). */
async function placesWithin(
  db: Database,
  origin: LatLng,
  radius: number,
  extra: Condition,
  max: number,
): Promise<{ docs: PlaceDoc[]; truncated: boolean }> {
  const docs: PlaceDoc[] = [];
  const places = db.collection<PlaceDoc>(CIRCLE_COLLECTIONS.places);
  for (;;) {
    const want = Math.min(PAGE, max + 1 - docs.length);
    const { data } = await places
      .where({ ...extra, location: near(db, origin, radius) })
      .skip(docs.length)
      .limit(want)
      .get();
    docs.push(...data);
    if (data.length < want || docs.length > max) break;
  }
  return { docs: docs.slice(0, max), truncated: docs.length > max };
}

/** The nearest place of `category` at any distance, or null. */
async function nearestOf(
  db: Database,
  origin: LatLng,
  category: CircleCategoryId,
): Promise<PlaceDoc | null> {
  const { data } = await db
    .collection<PlaceDoc>(CIRCLE_COLLECTIONS.places)
    .where({ category, location: near(db, origin) })
    .limit(1)
    .get();
  return data[0] ?? null;
}

function placeDocData(draft: PlaceDraft, db: Database, openid: string) {
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

function placeFromDraft(id: string, draft: PlaceDraft, sample = false): CirclePlace {
  return { id, ...draft, location: { ...draft.location }, sample };
}

export const main = createRouter(
  circleContract,
  {
    async places({ origin, originSystem, spaceId, pace, category }, ctx) {
      const at = await resolveOrigin(ctx.db, { origin, originSystem, spaceId });
      if (!at) return fail('SPACE_NOT_FOUND', SPACE_NOT_FOUND);
      const radius = bandRadiusMetres(BANDS[BANDS.length - 1], pace);
      const { docs, truncated } = await placesWithin(
        ctx.db,
        at.point,
        radius,
        category ? { category } : {},
        PLACES_MAX,
      );
      return ok({
        origin: at,
        pace,
        places: nearbyPlaces(at.point, docs.map(placeFromDoc), pace),
        truncated,
      });
    },

    async coverage({ origin, originSystem, spaceId, pace }, ctx) {
      const at = await resolveOrigin(ctx.db, { origin, originSystem, spaceId });
      if (!at) return fail('SPACE_NOT_FOUND', SPACE_NOT_FOUND);
      const radius = bandRadiusMetres(BANDS[BANDS.length - 1], pace);
      // Everything within 15 minutes, then for each category not seen there its nearest instance
      // anywhere: exact even when the 15-minute set was truncated.
      const [{ docs }, mine] = await Promise.all([
        placesWithin(ctx.db, at.point, radius, {}, PLACES_MAX),
        ctx.db
          .collection<ServiceRequestDoc>(CIRCLE_COLLECTIONS.requests)
          .where({ _openid: ctx.openid })
          .limit(PAGE)
          .get(),
      ]);
      const seen = new Set(docs.map((d) => d.category));
      const unseen = CIRCLE_CATEGORY_IDS.filter((c) => !seen.has(c));
      const beyond = await Promise.all(unseen.map((c) => nearestOf(ctx.db, at.point, c)));
      const all = [...docs, ...beyond.filter((d): d is PlaceDoc => d !== null)].map(placeFromDoc);
      const report = coverage(at.point, all, pace as Pace);
      return ok({ ...report, originInfo: at, myRequests: mine.data.map((r) => r.category) });
    },

    async requestService({ category, spaceId, requestId }, ctx) {
      const requests = ctx.db.collection<ServiceRequestDoc>(CIRCLE_COLLECTIONS.requests);
      const id = `${ctx.openid}:${category}`;
      const requestKey = requestDocId('', ctx.openid, requestId);
      // `created` says whether this request (any copy or retry of it) is the one that asked.
      const answer = (doc: ServiceRequestDoc) =>
        ok({ category, created: doc.requestKey === requestKey });
      const existing = await requests.doc(id).get();
      if (existing.data) return answer(existing.data);
      try {
        // The id and the unique index on (_openid, category) both refuse a second request.
        await requests.add({
          data: {
            _id: id,
            _openid: ctx.openid,
            category,
            spaceId: spaceId ?? defaultSpaceId(),
            requestKey,
            createdAt: ctx.db.serverDate(),
          },
        });
      } catch (error) {
        const raced = await requests.doc(id).get();
        if (raced.data) return answer(raced.data);
        throw error;
      }
      return ok({ category, created: true });
    },

    async listPlaces({ page }, ctx) {
      const { skip, limit } = pageWindow(page, PLACES_PAGE_SIZE);
      const { data } = await ctx.db
        .collection<PlaceDoc>(CIRCLE_COLLECTIONS.places)
        .orderBy('category', 'asc')
        .orderBy('name', 'asc')
        .skip(skip)
        .limit(limit)
        .get();
      const { items, hasMore } = takePage(data, PLACES_PAGE_SIZE);
      return ok({ places: items.map(placeFromDoc), hasMore });
    },

    async addPlace({ requestId, ...draft }, ctx) {
      const places = ctx.db.collection<PlaceDoc>(CIRCLE_COLLECTIONS.places);
      // The id follows from the secretary and the request: every copy of one submission, on any
      // instance, inserts the same document, only the first insert succeeds, and the others
      // answer the place it stored (as it is now, if it was edited since).
      const id = requestDocId(PLACE_ID_PREFIX, ctx.openid, requestId);
      try {
        await places.add({
          data: {
            _id: id,
            ...placeDocData(draft, ctx.db, ctx.openid),
            sample: false,
            createdAt: ctx.db.serverDate(),
          },
        });
      } catch (error) {
        if (!isDuplicateWrite(error)) throw error;
        const stored = await places.doc(id).get();
        if (!stored.data) throw error;
        return ok(placeFromDoc(stored.data));
      }
      return ok(placeFromDraft(id, draft));
    },

    async updatePlace({ id, place, requestId }, ctx) {
      const places = ctx.db.collection<PlaceDoc>(CIRCLE_COLLECTIONS.places);
      const key = requestDocId('', ctx.openid, requestId);
      const found = (await places.doc(id).get()).data;
      if (!found) return fail('PLACE_NOT_FOUND', '这个地点不存在，可能已被删除');
      // A retry of a change that was recorded answers the place as it is now (changed again
      // since, perhaps), without writing its own details over it. Racing copies write alike.
      if (found.requests?.includes(key)) return ok(placeFromDoc(found));
      const _ = ctx.db.command;
      // The key is pushed with the change, so racing requests keep each other's keys.
      await places
        .where({ _id: id, requests: _.neq(key) })
        .update({
          data: {
            ...placeDocData(place, ctx.db, ctx.openid),
            requests: _.push({ each: [key], slice: -REQUESTS_KEPT }),
          },
        });
      const saved = (await places.doc(id).get()).data;
      if (!saved) return fail('PLACE_NOT_FOUND', '这个地点不存在，可能已被删除');
      return ok(placeFromDoc(saved));
    },

    async removePlace({ id, requestId }, ctx) {
      // The removal and its record (keyed by secretary and request) are written together, so a
      // retry of this request, or a copy that lost the race, finds the record and answers the
      // removal it made; a place that is simply not there is still PLACE_NOT_FOUND.
      const recordId = requestDocId(REMOVAL_ID_PREFIX, ctx.openid, requestId);
      const outcome = await transact(ctx.db, async (tx) => {
        const ref = tx.collection<PlaceDoc>(CIRCLE_COLLECTIONS.places).doc(id);
        const records = tx.collection<PlaceRemovalDoc>(COLLECTIONS.audit);
        const place = (await ref.get()).data;
        if (!place) {
          const recorded = (await records.doc(recordId).get()).data;
          return recorded?.placeId === id ? ('recorded' as const) : ('missing' as const);
        }
        await ref.remove();
        const record: Omit<PlaceRemovalDoc, '_id'> = {
          _openid: ctx.openid,
          kind: 'place-removed',
          actorOpenid: ctx.openid,
          placeId: id,
          placeName: place.name,
          at: ctx.now,
        };
        await records.doc(recordId).set({ data: record });
        return 'removed' as const;
      });
      if (outcome === 'missing') return fail('PLACE_NOT_FOUND', '这个地点不存在，可能已被删除');
      return ok({ id });
    },

    async importPlaces({ format, text, dryRun, acceptedOnly, system, requestId }, ctx) {
      const parsed = parsePlaceImport(format, text, { system, toStored: toStoredSystem });
      if (!parsed.ok) return fail(parsed.code, parsed.reason);
      const { accepted, rejected } = parsed.report;
      const outcome = {
        acceptedCount: accepted.length,
        rejected,
        dryRun,
        system: parsed.report.system,
      };
      if (dryRun) return ok({ ...outcome, written: 0 });
      if (rejected.length > 0 && !acceptedOnly) {
        return fail(
          'IMPORT_ROWS_REJECTED',
          `有 ${rejected.length} 行有问题，未导入任何地点。${rejectedSummary(rejected)}`,
        );
      }
      if (accepted.length === 0) return fail('IMPORT_ROWS_REJECTED', '没有可以导入的行');
      // All accepted rows or none: every written document carries this import's id, and a failed
      // batch removes what earlier batches wrote. The import's id and each place's id follow from
      // the secretary, the request and the row: a retry or a racing copy of this request writes
      // the same documents, and none of them twice.
      const importId = requestDocId(IMPORT_ID_PREFIX, ctx.openid, requestId);
      const ids = accepted.map((_row, i) => `${importId}_${i}`);
      const places = ctx.db.collection<PlaceDoc>(CIRCLE_COLLECTIONS.places);
      // Batches are written in order, so the last place stored means the whole import is.
      if ((await places.doc(ids[ids.length - 1]).get()).data)
        return ok({ ...outcome, written: accepted.length });
      const batchAdd = places.add as unknown as (options: {
        data: unknown[];
      }) => Promise<{ ids: string[] }>;
      try {
        for (let i = 0; i < accepted.length; i += INSERT_BATCH) {
          const batch = accepted.slice(i, i + INSERT_BATCH).map(({ draft }, j) => ({
            _id: ids[i + j],
            ...placeDocData(draft, ctx.db, ctx.openid),
            sample: false,
            importId,
            createdAt: ctx.db.serverDate(),
          }));
          try {
            await batchAdd.call(places, { data: batch });
          } catch (error) {
            if (!isDuplicateWrite(error)) throw error;
            // A copy of this request wrote (some of) this batch first: add the rest one by one.
            for (const doc of batch) {
              try {
                await places.add({ data: doc });
              } catch (one) {
                if (!isDuplicateWrite(one)) throw one;
              }
            }
          }
        }
      } catch (error) {
        // Undone by import id, which a racing copy of this request shares: the secretary sees an
        // error and imports again (a new request) rather than half an import.
        await places.where({ importId }).remove();
        throw error;
      }
      return ok({ ...outcome, written: accepted.length });
    },

    async serviceRequests(_input, ctx) {
      const requests = ctx.db.collection<ServiceRequestDoc>(CIRCLE_COLLECTIONS.requests);
      const counts = await Promise.all(
        CIRCLE_CATEGORY_IDS.map(async (category) => ({
          category,
          count: (await requests.where({ category }).count()).total,
        })),
      );
      const asked = counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
      return ok({ counts: asked, total: asked.reduce((n, c) => n + c.count, 0) });
    },
  },
  {
    name: 'circle',
    roles: {
      listPlaces: ['secretary'],
      addPlace: ['secretary'],
      updatePlace: ['secretary'],
      removePlace: ['secretary'],
      importPlaces: ['secretary'],
      serviceRequests: ['secretary'],
    },
  },
);
