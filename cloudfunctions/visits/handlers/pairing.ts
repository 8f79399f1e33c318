import type { visitsContract } from '../../../src/domain/contract/visits';
import { ELDER_NOT_FOUND, managesVisits } from '../../../src/domain/visits/access';
import {
  NOT_PAIRED,
  NOT_VOLUNTEER,
  pairClaimRefusal,
  pairElderRefusal,
  pairVolunteerRefusal,
} from '../../../src/domain/visits/pairing';
import { pairCandidates } from '../../../src/domain/visits/roster';
import { maskName, maskPhone } from '../../../src/domain/volunteer/registration';
import { fail, ok } from '../../../src/domain/shared/result';
import type { Database, HandlerGroup } from '../../_shared';
import { pairingView } from '../docs';
import { notFound, recordAccess, refuseAction } from '../store/access';
import { loadElder } from '../store/elders';
import { UNREGISTERED, maskedName, maskedNames, nameOr } from '../store/names';
import {
  endPairing,
  loadClaim,
  loadPairCandidates,
  loadVolunteer,
  pairVolunteer,
  recordedPairing,
} from '../store/pairings';
import { changeRequestKey } from '../store/requests';

/**
 * What a pairing needs, read and checked in turn (nothing more is read once one is refused): the
 * elder on the active roster, an approved volunteer, and the claim named, theirs and held.
 */
async function pairable(
  db: Database,
  { elderId, openid, claimId }: { elderId: string; openid: string; claimId?: string },
) {
  const elder = await loadElder(db, elderId);
  const elderRefusal = pairElderRefusal(elder);
  if (elderRefusal || !elder) return elderRefusal ?? ELDER_NOT_FOUND;
  const volunteer = await loadVolunteer(db, openid);
  const volunteerRefusal = pairVolunteerRefusal(volunteer);
  if (volunteerRefusal || !volunteer) return volunteerRefusal ?? NOT_VOLUNTEER;
  const claim = claimId ? await loadClaim(db, claimId) : null;
  const claimRefusal = claimId ? pairClaimRefusal(claim, openid) : null;
  if (claimRefusal) return claimRefusal;
  return { elder, volunteer, postId: claim?.postId ?? null };
}

/** Pairing (结对): the secretary pairs volunteers with elders, from their claims on visiting posts, and ends pairings. */
export const pairingHandlers = {
  async pairCandidates(_input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看可结对志愿者');
    const { volunteers, claims, posts } = await loadPairCandidates(ctx.db);
    const rows = pairCandidates(
      volunteers.map((v) => ({
        openid: v._id,
        maskedName: maskName(v.name),
        maskedPhone: maskPhone(v.phone),
      })),
      claims.map((c) => ({ id: c._id, openid: c.openid, postId: c.postId })),
      posts.map((p) => ({ id: p._id, title: p.title })),
    );
    return ok(rows);
  },

  async pair({ elderId, openid, claimId, clientRequestId }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '结对');
    const { db } = ctx;
    const request = { elderId, openid, key: changeRequestKey(ctx.openid, clientRequestId) };
    // A retry answers the pairing its request made, as it is now (ended since, or the elder
    // archived since), before anything that may have changed is checked again.
    const recorded = await recordedPairing(db, request);
    if (recorded) return ok(pairingView(recorded, await maskedName(db, openid)));
    const found = await pairable(db, { elderId, openid, claimId });
    if ('code' in found) return fail(found.code, found.message);
    const { elder, volunteer, postId } = found;
    const by = { by: ctx.openid, now: ctx.now };
    const pairing = { ...request, ...by, claimId: claimId ?? null, postId };
    const result = await pairVolunteer(db, pairing);
    if (result.kind === 'refused') return fail(result.refusal.code, result.refusal.message);
    const name = maskName(volunteer.name);
    const detail = `与志愿者 ${name} 结对${claimId ? '（来自岗位认领）' : ''}`;
    if (result.kind === 'paired')
      await recordAccess(ctx, 'pair', { id: elderId, name: elder.name }, detail);
    return ok(pairingView(result.doc, name));
  },

  async unpair({ elderId, openid, clientRequestId }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '解除结对');
    const { db } = ctx;
    const elder = await loadElder(db, elderId);
    if (!elder) return notFound();
    const request = { elderId, openid, key: changeRequestKey(ctx.openid, clientRequestId) };
    const ended = await endPairing(db, { ...request, now: ctx.now });
    if (!ended) return fail(NOT_PAIRED.code, NOT_PAIRED.message);
    const names = await maskedNames(db, [openid]);
    const detail = `解除与 ${nameOr(names, openid, '志愿者')} 的结对`;
    if (ended.kind === 'ended')
      await recordAccess(ctx, 'unpair', { id: elderId, name: elder.name }, detail);
    return ok(pairingView(ended.doc, nameOr(names, openid, UNREGISTERED)));
  },
} satisfies HandlerGroup<typeof visitsContract>;
