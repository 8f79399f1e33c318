import type { visitsContract } from '../../../src/domain/contract/visits';
import { managesVisits, mayLogVisit } from '../../../src/domain/visits/access';
import type { CadenceConfig } from '../../../src/domain/visits/cadence';
import {
  VISIT_ID_TAKEN_MESSAGE,
  isResentVisit,
  statusWithoutElder,
  visitConfirmRefusal,
  visitLogDetail,
  visitLogRefusal,
} from '../../../src/domain/visits/visit-log';
import { fail, ok } from '../../../src/domain/shared/result';
import {
  COLLECTIONS,
  type Database,
  type HandlerContext,
  type HandlerGroup,
  getOrNull,
  secretariesFromEnv,
} from '../../_shared';
import {
  type FlagDoc,
  type VisitDoc,
  elderStatus,
  pendingServiceView,
  statusView,
  visitView,
} from '../docs';
import { recordAccess, refuseAction, refuseElder } from '../store/access';
import { loadElder } from '../store/elders';
import { elderNames, maskedNames, nameOr, secretaryOpenids } from '../store/names';
import { type FlagReach, raiseFlag } from '../store/notify';
import { loadPairing, pairingPost } from '../store/pairings';
import { loadCadence } from '../store/settings';
import {
  confirmVisit,
  loadVisit,
  newFlagDoc,
  newVisitDoc,
  pendingVisits,
  storeVisit,
} from '../store/visits';

/**
 * Who an urgent visit's flag reached, masked, for the volunteer: from this raise, or (a retry,
 * the offline queue sending it again) as written on the flag.
 */
async function flagNotice(db: Database, visit: VisitDoc, reach: FlagReach | null) {
  if (!visit.urgent) return null;
  const flag = reach
    ? null
    : await getOrNull<FlagDoc>(db, COLLECTIONS.elderFlags, `flag_${visit._id}`);
  // A retry can overtake the raise (another instance still sending): every secretary has the
  // flag in the app as soon as it is stored, so the in-app list is never "nobody" meanwhile.
  const notified =
    reach?.notified ??
    flag?.notifiedOpenids ??
    (flag ? await secretaryOpenids(db, secretariesFromEnv()) : []);
  const messaged = reach?.messaged ?? flag?.messagedOpenids ?? [];
  const names = await maskedNames(db, notified);
  const name = (openid: string) => nameOr(names, openid, '社区书记');
  return { secretaries: notified.map(name), messaged: messaged.map(name) };
}

/** A visit as answered to its volunteer: with the elder's status now. */
async function visitAnswer(
  ctx: { db: Database; now: Date; cadence: CadenceConfig },
  visit: VisitDoc,
  replayed: boolean,
  reach: FlagReach | null = null,
) {
  const elder = await loadElder(ctx.db, visit.elderId);
  const status = elder ? elderStatus(elder, ctx.now, ctx.cadence) : statusWithoutElder(ctx.now);
  const notice = await flagNotice(ctx.db, visit, reach);
  return ok({ visit: visitView(visit, '我'), status: statusView(status), replayed, notice });
}

/** Confirm one visit's service time: VISIT_NOT_FOUND, or what the confirmation answers. */
async function confirmOne(ctx: HandlerContext, clientRequestId: string, visitId: string) {
  const visit = await loadVisit(ctx.db, visitId);
  const refusal = visitConfirmRefusal(visit);
  if (refusal || !visit) return refusal ?? 'VISIT_NOT_FOUND';
  const post = await pairingPost(ctx.db, visit.elderId, visit._openid);
  const confirmation = { secretary: ctx.openid, clientRequestId, visit, post };
  const outcome = await confirmVisit(ctx.db, confirmation, ctx.now);
  if (outcome === 'confirmed')
    await recordAccess(
      ctx,
      'confirm',
      { id: visit.elderId, name: null },
      `确认探访时长 ${visit.minutes} 分钟`,
    );
  return outcome;
}

/** Visit logs: a paired volunteer logs visits; the secretary confirms their service time. */
export const logHandlers = {
  async log(input, ctx) {
    const { db, now, openid } = ctx;
    const stored = await loadVisit(db, input.visitId);
    const answering = { db, now, cadence: await loadCadence(db) };
    // The same visit sent again answers with what was stored, even if the pairing has since ended.
    const sent = stored ? { volunteer: stored._openid, elderId: stored.elderId } : null;
    if (stored && isResentVisit(sent, input, openid)) return visitAnswer(answering, stored, true);
    const elder = await loadElder(db, input.elderId);
    const paired = elder?.status === 'active' ? await loadPairing(db, elder._id, openid) : null;
    if (!mayLogVisit(elder, paired)) return refuseElder(ctx, input.elderId, '记录探访');
    const refusal = visitLogRefusal(input, stored !== null, now);
    if (refusal) return fail(refusal.code, refusal.message);
    const visit = newVisitDoc(input, openid, now);
    const flag = input.urgent ? newFlagDoc(visit, elder.name, now) : null;
    const result = await storeVisit(db, visit, flag, paired?.postId ?? null);
    if (result.kind === 'gone') return refuseElder(ctx, input.elderId, '记录探访');
    if (result.kind === 'replayed' && result.doc._openid !== openid)
      return fail('VISIT_ID_TAKEN', VISIT_ID_TAKEN_MESSAGE);
    if (result.kind === 'replayed') return visitAnswer(answering, result.doc, true);
    const detail = visitLogDetail(visit.minutes, input.urgent);
    await recordAccess(ctx, 'log', { id: elder._id, name: elder.name }, detail);
    const reach = flag ? await raiseFlag(db, flag, now) : null;
    return visitAnswer(answering, result.doc, false, reach);
  },

  async pendingServices(_input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看待确认探访');
    const visits = await pendingVisits(ctx.db);
    const [elders, names] = await Promise.all([
      elderNames(
        ctx.db,
        visits.map((v) => v.elderId),
      ),
      maskedNames(
        ctx.db,
        visits.map((v) => v._openid),
      ),
    ]);
    const rows = visits.map((v) =>
      pendingServiceView(v, nameOr(elders, v.elderId, '（已删除）'), nameOr(names, v._openid)),
    );
    return ok(rows);
  },

  async confirmVisits({ clientRequestId, visitIds }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '确认探访时长');
    const tally = {
      confirmed: 0,
      replayed: 0,
      skipped: [] as Array<{ visitId: string; code: string }>,
    };
    for (const visitId of visitIds) {
      const outcome = await confirmOne(ctx, clientRequestId, visitId);
      if (outcome === 'confirmed') tally.confirmed++;
      else if (outcome === 'replayed') tally.replayed++;
      else tally.skipped.push({ visitId, code: outcome });
    }
    return ok(tally);
  },
} satisfies HandlerGroup<typeof visitsContract>;
