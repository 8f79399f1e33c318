import { ELDER_NOT_FOUND } from './access';

/**
 * Pairing a volunteer with an elder (结对), and ending it. Only an elder on the active roster is
 * paired, only with an approved volunteer, and a claim named with the pairing must be the
 * volunteer's own claim, still held. A pair is made once: another request for a pair already
 * made is refused, as is ending a pair that is not active.
 */

export const ELDER_ARCHIVED = { code: 'ELDER_ARCHIVED', message: '这位老人已归档' } as const;
export const NOT_VOLUNTEER = {
  code: 'NOT_VOLUNTEER',
  message: '只能与已登记的志愿者结对',
} as const;
export const CLAIM_NOT_FOUND = {
  code: 'CLAIM_NOT_FOUND',
  message: '没有找到这位志愿者的认领记录',
} as const;
export const ALREADY_PAIRED = { code: 'ALREADY_PAIRED', message: '已经结对' } as const;
export const NOT_PAIRED = { code: 'NOT_PAIRED', message: '没有这个结对' } as const;

/** The elder side of a pairing: there is such an elder, and they are on the active roster. */
export function pairElderRefusal(
  elder: { status: 'active' | 'archived' } | null,
): typeof ELDER_NOT_FOUND | typeof ELDER_ARCHIVED | null {
  if (!elder) return ELDER_NOT_FOUND;
  return elder.status === 'archived' ? ELDER_ARCHIVED : null;
}

/** The volunteer side: a registered volunteer whose registration the secretary approved. */
export function pairVolunteerRefusal(
  volunteer: { status: string } | null,
): typeof NOT_VOLUNTEER | null {
  return volunteer?.status === 'approved' ? null : NOT_VOLUNTEER;
}

/** A claim a pairing comes from: the volunteer's own, and still claimed. */
export function pairClaimRefusal(
  claim: { openid: string; status: string } | null,
  openid: string,
): typeof CLAIM_NOT_FOUND | null {
  return claim && claim.openid === openid && claim.status === 'claimed' ? null : CLAIM_NOT_FOUND;
}

/** Inside the pairing's transaction, as the pairing is now: a pair active already is not made again. */
export function alreadyPairedRefusal(
  existing: { active: boolean } | null,
): typeof ALREADY_PAIRED | null {
  return existing?.active ? ALREADY_PAIRED : null;
}

/** Inside the pairing's transaction, as the elder is now: gone or archived meanwhile, not paired. */
export function elderGoneRefusal(
  elder: { status: 'active' | 'archived' } | null,
): typeof ELDER_NOT_FOUND | null {
  return elder?.status === 'active' ? null : ELDER_NOT_FOUND;
}

/** Only an active pairing is ended. */
export function unpairRefusal(pairing: { active: boolean } | null): typeof NOT_PAIRED | null {
  return pairing?.active ? null : NOT_PAIRED;
}

/** The ids of the volunteers paired with an elder, with `openid` added (once, last). */
export function withPaired(paired: readonly string[], openid: string): string[] {
  return [...paired.filter((o) => o !== openid), openid];
}

/** The ids of the volunteers paired with an elder, without `openid`. */
export function withoutPaired(paired: readonly string[], openid: string): string[] {
  return paired.filter((o) => o !== openid);
}
