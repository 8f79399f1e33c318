import { ELDER_NOT_FOUND } from '../../../src/domain/visits/access';
import {
  type ALREADY_PAIRED,
  alreadyPairedRefusal,
  elderGoneRefusal,
  unpairRefusal,
  withPaired,
  withoutPaired,
} from '../../../src/domain/visits/pairing';
import { COLLECTIONS, type Database, byIds, getOrNull, readAll, transact } from '../../_shared';
import type { ClaimDoc, PostDoc, VolunteerDoc } from '../../_shared/volunteering';
import type { ElderDoc, PairingDoc } from '../docs';
import { hasRequest, withRequest } from './requests';

/** Pairings of volunteers with elders (结对), and the volunteers' records they come from. */

export function pairId(elderId: string, openid: string): string {
  return `${elderId}__${openid}`;
}

export async function loadPairing(
  db: Database,
  elderId: string,
  openid: string,
): Promise<PairingDoc | null> {
  return getOrNull<PairingDoc>(db, COLLECTIONS.elderPairings, pairId(elderId, openid));
}

export async function isPaired(db: Database, elderId: string, openid: string): Promise<boolean> {
  return (await loadPairing(db, elderId, openid))?.active === true;
}

export async function loadVolunteer(db: Database, openid: string): Promise<VolunteerDoc | null> {
  return getOrNull<VolunteerDoc>(db, COLLECTIONS.volunteers, openid);
}

export async function loadClaim(db: Database, claimId: string): Promise<ClaimDoc | null> {
  return getOrNull<ClaimDoc>(db, COLLECTIONS.volunteerClaims, claimId);
}

/** The post a visit's pairing came from (its points are the visit's), if any. */
export async function pairingPost(
  db: Database,
  elderId: string,
  openid: string,
): Promise<PostDoc | null> {
  const pairing = await loadPairing(db, elderId, openid);
  return pairing?.postId
    ? getOrNull<PostDoc>(db, COLLECTIONS.volunteerPosts, pairing.postId)
    : null;
}

/** Approved volunteers, the claims held now, and the posts of those claims. */
export async function loadPairCandidates(db: Database) {
  const volunteers = await readAll(
    db
      .collection<VolunteerDoc>(COLLECTIONS.volunteers)
      .where({ status: 'approved' })
      .orderBy('_id', 'asc'),
    500,
  );
  const claims = await readAll(
    db
      .collection<ClaimDoc>(COLLECTIONS.volunteerClaims)
      .where({ status: 'claimed' })
      .orderBy('_id', 'asc'),
    1000,
  );
  const posts = await byIds<PostDoc>(
    db,
    COLLECTIONS.volunteerPosts,
    claims.map((c) => c.postId),
  );
  return { volunteers, claims, posts: [...posts.values()] };
}

/** A pairing request: the pair, and the key its request leaves on the pairing. */
export interface PairRequest {
  elderId: string;
  openid: string;
  key: string;
}

/** The pairing this request made or ended, if it did (a retry answers it as it is now). */
export async function recordedPairing(db: Database, r: PairRequest): Promise<PairingDoc | null> {
  const pairing = await loadPairing(db, r.elderId, r.openid);
  return pairing && hasRequest(pairing, r.key) ? pairing : null;
}

type Paired =
  | { kind: 'recorded' | 'paired'; doc: PairingDoc }
  | { kind: 'refused'; refusal: typeof ALREADY_PAIRED | typeof ELDER_NOT_FOUND };

/**
 * Pair in one transaction: the pairing, and the volunteer on the elder's paired list. A copy of
 * this request that lost the race finds its key on the pairing ('recorded').
 */
export async function pairVolunteer(
  db: Database,
  r: PairRequest & { claimId: string | null; postId: string | null; by: string; now: Date },
): Promise<Paired> {
  const id = pairId(r.elderId, r.openid);
  return transact(db, async (tx): Promise<Paired> => {
    const pairings = tx.collection<PairingDoc>(COLLECTIONS.elderPairings);
    const existing = (await pairings.doc(id).get()).data;
    if (existing && hasRequest(existing, r.key)) return { kind: 'recorded', doc: existing };
    const taken = alreadyPairedRefusal(existing);
    if (taken) return { kind: 'refused', refusal: taken };
    const elder = await getOrNull<ElderDoc>(tx, COLLECTIONS.elders, r.elderId);
    const gone = elderGoneRefusal(elder);
    if (gone || !elder) return { kind: 'refused', refusal: gone ?? ELDER_NOT_FOUND };
    const doc: Omit<PairingDoc, '_id'> = {
      ...{ _openid: r.openid, elderId: r.elderId, openid: r.openid, claimId: r.claimId },
      ...{ postId: r.postId, active: true, pairedAt: r.now, pairedBy: r.by },
      requests: withRequest(existing, r.key),
    };
    await pairings.doc(id).set({ data: doc });
    await tx
      .collection<ElderDoc>(COLLECTIONS.elders)
      .doc(r.elderId)
      .update({ data: { pairedOpenids: withPaired(elder.pairedOpenids, r.openid) } });
    return { kind: 'paired', doc: { _id: id, ...doc } };
  });
}

/**
 * End a pairing in one transaction, and take the volunteer off the elder's paired list. A retry,
 * or a copy that lost the race, answers the pairing its request ended ('recorded'); null when
 * there is no active pairing to end.
 */
export async function endPairing(
  db: Database,
  r: PairRequest & { now: Date },
): Promise<{ kind: 'recorded' | 'ended'; doc: PairingDoc } | null> {
  const id = pairId(r.elderId, r.openid);
  return transact(db, async (tx) => {
    const p = await getOrNull<PairingDoc>(tx, COLLECTIONS.elderPairings, id);
    if (p && hasRequest(p, r.key)) return { kind: 'recorded' as const, doc: p };
    if (unpairRefusal(p) || !p) return null;
    const e = await getOrNull<ElderDoc>(tx, COLLECTIONS.elders, r.elderId);
    await tx
      .collection<PairingDoc>(COLLECTIONS.elderPairings)
      .doc(id)
      .update({ data: { active: false, endedAt: r.now, requests: withRequest(p, r.key) } });
    if (e)
      await tx
        .collection<ElderDoc>(COLLECTIONS.elders)
        .doc(r.elderId)
        .update({ data: { pairedOpenids: withoutPaired(e.pairedOpenids, r.openid) } });
    return { kind: 'ended' as const, doc: { ...p, active: false, endedAt: r.now } };
  });
}
