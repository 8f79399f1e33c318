import { importWriteRefusal, parsePlaceImport } from '../../../src/domain/circle/import';
import { CIRCLE_REFUSALS, changeApplied } from '../../../src/domain/circle/place';
import { REQUESTABLE_CATEGORIES, requestTally } from '../../../src/domain/circle/requests';
import { PLACES_PAGE_SIZE, type circleContract } from '../../../src/domain/contract/circle';
import { fail, ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, requestDocId } from '../../_shared';
import { placeView } from '../docs';
import { toStoredSystem } from '../store/coordinates';
import {
  insertPlaceOnce,
  listPlacesPage,
  loadPlace,
  removePlaceRecorded,
  updatePlaceOnce,
  writeImport,
} from '../store/places';
import { countRequests } from '../store/requests';

/** Ids of places added one by one, of imports (each place: import id + '_' + row), and of removal records. */
const PLACE_ID_PREFIX = 'place_';
const IMPORT_ID_PREFIX = 'imp_';
const REMOVAL_ID_PREFIX = 'place_removed_';

const { PLACE_NOT_FOUND } = CIRCLE_REFUSALS;

/** The secretary's management of places, and the residents' requests counted. */
export const secretaryHandlers = {
  async listPlaces({ page }, ctx) {
    return ok(await listPlacesPage(ctx.db, page, PLACES_PAGE_SIZE));
  },

  async addPlace({ clientRequestId, ...draft }, ctx) {
    // Every copy of one submission, on any instance, inserts the same document.
    const id = requestDocId(PLACE_ID_PREFIX, ctx.openid, clientRequestId);
    return ok(await insertPlaceOnce(ctx.db, id, draft, ctx.openid));
  },

  async updatePlace({ id, place, clientRequestId }, ctx) {
    const key = requestDocId('', ctx.openid, clientRequestId);
    const found = await loadPlace(ctx.db, id);
    if (!found) return fail(PLACE_NOT_FOUND.code, PLACE_NOT_FOUND.message);
    // A retry of a recorded change answers the place as it is now (changed again since, perhaps).
    if (changeApplied(found.requests, key)) return ok(placeView(found));
    const saved = await updatePlaceOnce(ctx.db, id, place, ctx.openid, key);
    if (!saved) return fail(PLACE_NOT_FOUND.code, PLACE_NOT_FOUND.message);
    return ok(placeView(saved));
  },

  async removePlace({ id, clientRequestId }, ctx) {
    const recordId = requestDocId(REMOVAL_ID_PREFIX, ctx.openid, clientRequestId);
    const outcome = await removePlaceRecorded(ctx.db, id, recordId, ctx.openid, ctx.now);
    if (outcome === 'missing') return fail(PLACE_NOT_FOUND.code, PLACE_NOT_FOUND.message);
    return ok({ id });
  },

  async importPlaces({ format, text, dryRun, acceptedOnly, system, clientRequestId }, ctx) {
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
    const refusal = importWriteRefusal(parsed.report, acceptedOnly);
    if (refusal) return fail(refusal.code, refusal.message);
    const importId = requestDocId(IMPORT_ID_PREFIX, ctx.openid, clientRequestId);
    await writeImport(
      ctx.db,
      importId,
      accepted.map((row) => row.draft),
      ctx.openid,
    );
    return ok({ ...outcome, written: accepted.length });
  },

  async serviceRequests(_input, ctx) {
    return ok(requestTally(await countRequests(ctx.db, REQUESTABLE_CATEGORIES)));
  },
} satisfies HandlerGroup<typeof circleContract>;
