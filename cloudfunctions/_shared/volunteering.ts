import type { ClaimStatus, HeldClaim } from '../../src/domain/volunteer/claims';
import type { Post } from '../../src/domain/volunteer/opportunity';
import type { VolunteerProfile } from '../../src/domain/volunteer/registration';
import type { Stored } from './stored';

/**
 * Documents of the volunteer scheme that more than one function reads: the volunteer function
 * writes them; visits reads volunteers (names, pairing candidates), posts and claims (the
 * elder-visit posts a volunteer holds). Collections: COLLECTIONS.volunteers, .volunteerPosts,
 * .volunteerClaims.
 */

/**
 * `_id` is the openid. Real-name data: shown masked in lists. The volunteer's own profile as
 * stored: `openid` is the `_id`, `registeredAt` is `createdAt`.
 */
export type VolunteerDoc = Stored<
  Omit<VolunteerProfile, 'openid' | 'registeredAt'> & { id: string },
  'consentAt'
> & {
  _openid: string;
  createdAt: Date;
  updatedAt?: Date;
  decidedBy?: string;
  /**
   * Claims this volunteer holds, written only inside claim and withdraw transactions; the
   * per-person active-claims limit is decided on it. Absent on records from before it existed
   * (then seeded from the volunteer's claims).
   */
  activeClaims?: HeldClaim[];
};

/** A post as stored: the domain's post with what only the store keeps. */
export type PostDoc = Stored<Post> & {
  /** Places taken; only ever changed by a conditional increment below capacity or a withdrawal. */
  claimed: number;
  /** When a place was last taken; the places recount leaves recently taken posts alone. */
  lastTakenAt?: Date;
  /**
   * Openids holding a place (claimed, or a claim being written). Taking a place requires the
   * taker to be absent, in the same conditional update, so one person never holds two places of a
   * post — not even for a moment while two of their requests race.
   */
  takers?: string[];
  sample?: boolean;
};

/** `_id` = postId + '_' + openid: one claim per volunteer per post. */
export interface ClaimDoc {
  _id: string;
  _openid: string;
  openid: string;
  postId: string;
  listId: string;
  status: ClaimStatus;
  claimedAt: Date;
  /** End of the post's last occurrence: after it the claim no longer counts as active. */
  endsAt: Date;
  withdrawnAt?: Date;
}
