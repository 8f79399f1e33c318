import {
  categoriesAbsent,
  circleRadiusMetres,
  coverage,
  nearbyPlaces,
} from '../../../src/domain/circle/coverage';
import { CIRCLE_REFUSALS } from '../../../src/domain/circle/place';
import { askedByThisRequest } from '../../../src/domain/circle/requests';
import type { circleContract } from '../../../src/domain/contract/circle';
import { fail, ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, defaultSpaceId, requestDocId } from '../../_shared';
import { placeView } from '../docs';
import { loadOrigin, nearestOfEach, placesWithin } from '../store/places';
import { insertServiceRequest, loadServiceRequest, requestedCategories } from '../store/requests';

const { SPACE_NOT_FOUND } = CIRCLE_REFUSALS;

/** What every resident sees: the places near them, the coverage, and asking for what is missing. */
export const residentHandlers = {
  async places({ origin, originSystem, spaceId, pace, category }, ctx) {
    const at = await loadOrigin(ctx.db, { origin, originSystem, spaceId });
    if (!at) return fail(SPACE_NOT_FOUND.code, SPACE_NOT_FOUND.message);
    const where = category ? { category } : {};
    const { docs, truncated } = await placesWithin(
      ctx.db,
      at.point,
      circleRadiusMetres(pace),
      where,
    );
    const places = nearbyPlaces(at.point, docs.map(placeView), pace);
    return ok({ origin: at, pace, places, truncated });
  },

  async coverage({ origin, originSystem, spaceId, pace }, ctx) {
    const at = await loadOrigin(ctx.db, { origin, originSystem, spaceId });
    if (!at) return fail(SPACE_NOT_FOUND.code, SPACE_NOT_FOUND.message);
    // Everything within 15 minutes, then for each category not seen there its nearest instance
    // anywhere: exact even when the 15-minute set was truncated.
    const [{ docs }, myRequests] = await Promise.all([
      placesWithin(ctx.db, at.point, circleRadiusMetres(pace), {}),
      requestedCategories(ctx.db, ctx.openid),
    ]);
    const beyond = await nearestOfEach(ctx.db, at.point, categoriesAbsent(docs));
    const report = coverage(at.point, [...docs, ...beyond].map(placeView), pace);
    return ok({ ...report, originInfo: at, myRequests });
  },

  async requestService({ category, spaceId, clientRequestId }, ctx) {
    const requestKey = requestDocId('', ctx.openid, clientRequestId);
    const stored =
      (await loadServiceRequest(ctx.db, ctx.openid, category)) ??
      (await insertServiceRequest(ctx.db, {
        _openid: ctx.openid,
        category,
        spaceId: spaceId ?? defaultSpaceId(),
        requestKey,
      }));
    return ok({ category, created: askedByThisRequest(stored, requestKey) });
  },
} satisfies HandlerGroup<typeof circleContract>;
