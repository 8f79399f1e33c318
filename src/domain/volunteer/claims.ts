import type { RegistrationStatus } from './registration';
import {
  type ListStatus,
  type Requirements,
  type Schedule,
  claimDeadline,
  schedulesOverlap,
  withdrawDeadline,
} from './opportunity';

/** Claims (认领): one per volunteer per post; capacity never exceeded. */

export const CLAIM_STATUSES = ['claimed', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** A volunteer holds at most this many active claims at once. */
export const ACTIVE_CLAIMS_MAX = 10;

/**
 * A claim a volunteer holds, as kept on their volunteer record: the per-person limit is decided
 * there, inside the claim's transaction, so racing claims of one person (on any number of
 * instances) conflict on that one document and the loser re-reads the list.
 */
export interface HeldClaim {
  claimId: string;
  /** End of the post's last occurrence: after it the claim no longer counts. */
  endsAt: Date;
}

/** The held claims that still count at `now`, without `except` (the claim being made again). */
export function activeHeldClaims(
  held: readonly HeldClaim[],
  now: Date,
  except?: string,
): HeldClaim[] {
  return held.filter((h) => h.claimId !== except && new Date(h.endsAt).getTime() > now.getTime());
}

/** True when a volunteer holding `active` claims may not take another. */
export function atClaimLimit(active: number): boolean {
  return active >= ACTIVE_CLAIMS_MAX;
}

export type ClaimRefusal =
  | 'NOT_VOLUNTEER'
  | 'REGISTRATION_PENDING'
  | 'LIST_NOT_OPEN'
  | 'CLAIM_CLOSED'
  | 'REQUIREMENT_NOT_MET'
  | 'ALREADY_CLAIMED'
  | 'TOO_MANY_CLAIMS'
  | 'POST_FULL';

export const CLAIM_REFUSAL_MESSAGES: Record<ClaimRefusal, string> = {
  NOT_VOLUNTEER: '请先登记成为志愿者再认领岗位',
  REGISTRATION_PENDING: '您的志愿者登记正在等待社区审核，通过后即可认领',
  LIST_NOT_OPEN: '这个清单目前不在认领期',
  CLAIM_CLOSED: '这个岗位已过认领时间',
  REQUIREMENT_NOT_MET: '这个岗位仅限党员认领',
  ALREADY_CLAIMED: '您已认领过这个岗位',
  TOO_MANY_CLAIMS: `同时最多认领 ${ACTIVE_CLAIMS_MAX} 个岗位，请先完成或退出一些`,
  POST_FULL: '这个岗位的名额已满',
};

export interface ClaimContext {
  volunteer: { status: RegistrationStatus; partyMember: boolean } | null;
  listStatus: ListStatus;
  post: { schedule: Schedule; requirements: Requirements; capacity: number; claimed: number };
  /** True when the volunteer already holds an active claim on this post. */
  alreadyClaimed: boolean;
  activeClaims: number;
  now: Date;
}

/** The first rule a claim breaks, or null when it may go ahead (capacity is re-checked atomically). */
export function claimRefusal(ctx: ClaimContext): ClaimRefusal | null {
  if (!ctx.volunteer || ctx.volunteer.status === 'rejected') return 'NOT_VOLUNTEER';
  if (ctx.volunteer.status === 'pending') return 'REGISTRATION_PENDING';
  if (ctx.listStatus !== 'published') return 'LIST_NOT_OPEN';
  if (ctx.now.getTime() >= claimDeadline(ctx.post.schedule).getTime()) return 'CLAIM_CLOSED';
  if (ctx.post.requirements.partyMemberOnly && !ctx.volunteer.partyMember)
    return 'REQUIREMENT_NOT_MET';
  if (ctx.alreadyClaimed) return 'ALREADY_CLAIMED';
  if (atClaimLimit(ctx.activeClaims)) return 'TOO_MANY_CLAIMS';
  if (ctx.post.claimed >= ctx.post.capacity) return 'POST_FULL';
  return null;
}

export type WithdrawRefusal = 'NOT_CLAIMED' | 'WITHDRAW_CLOSED' | 'HAS_SERVICE';

export const WITHDRAW_REFUSAL_MESSAGES: Record<WithdrawRefusal, string> = {
  NOT_CLAIMED: '您没有认领这个岗位',
  WITHDRAW_CLOSED: '已过退出时间（开始前 2 小时），如有困难请联系社区书记',
  HAS_SERVICE: '这个岗位已有服务记录，不能退出',
};

export function withdrawRefusal(ctx: {
  claimStatus: ClaimStatus | null;
  schedule: Schedule;
  serviceCount: number;
  now: Date;
}): WithdrawRefusal | null {
  if (ctx.claimStatus !== 'claimed') return 'NOT_CLAIMED';
  if (ctx.serviceCount > 0) return 'HAS_SERVICE';
  if (ctx.now.getTime() >= withdrawDeadline(ctx.schedule).getTime()) return 'WITHDRAW_CLOSED';
  return null;
}

/** The claim document id: one per volunteer per post, so a second insert is refused by the store. */
export function claimId(postId: string, openid: string): string {
  return `${postId}_${openid}`;
}

/** The volunteer's other claimed posts whose schedule overlaps `schedule` (a warning, not a refusal). */
export function overlappingClaims<P extends { postId: string; schedule: Schedule }>(
  schedule: Schedule,
  others: readonly P[],
  exceptPostId?: string,
): P[] {
  return others.filter((o) => o.postId !== exceptPostId && schedulesOverlap(schedule, o.schedule));
}

/**
 * Places are taken by an atomic increment before the claim itself is written, so a crash between
 * the two leaves a place counted with no claim behind it. A timer recounts such posts; a post taken
 * from within this many minutes may have a claim still being written and is left alone (a function
 * run lasts at most 20 seconds).
 */
export const PLACES_RECOUNT_GRACE_MINUTES = 5;

/**
 * The places counter a post should hold, from its active claims, or null when it already agrees
 * or a claim may still be in flight.
 */
export function placesRecount(
  post: { claimed: number; lastTakenAt?: Date },
  activeClaims: number,
  now: Date,
): number | null {
  if (post.claimed === activeClaims) return null;
  if (
    post.lastTakenAt &&
    now.getTime() - post.lastTakenAt.getTime() < PLACES_RECOUNT_GRACE_MINUTES * 60_000
  )
    return null;
  return activeClaims;
}
