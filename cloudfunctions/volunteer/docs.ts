import type { RegistrationStatus } from '../../src/domain/volunteer/registration';
import type {
  Category,
  ListStatus,
  PostLocation,
  Requirements,
  Schedule,
} from '../../src/domain/volunteer/opportunity';
import type { ClaimStatus, HeldClaim } from '../../src/domain/volunteer/claims';
import type { LedgerType } from '../../src/domain/volunteer/ledger';
import type { ServiceStatus } from '../../src/domain/volunteer/service';

/**
 * The volunteer function's collections and what each stores. All are declared, with their
 * indexes, in cloudfunctions/database/indexes.json.
 */
export const VOLUNTEER_COLLECTIONS = {
  volunteers: 'volunteers',
  settings: 'volunteer_settings',
  lists: 'volunteer_lists',
  posts: 'volunteer_posts',
  claims: 'volunteer_claims',
  services: 'volunteer_services',
  /** Append-only. `_id` is the entry's request key; nothing is updated or removed. */
  ledger: 'ledger',
  /** A per-volunteer cache of the ledger summary, written only in the same transaction as an entry. */
  balances: 'volunteer_balances',
  rewards: 'rewards',
  redemptions: 'redemptions',
  feedback: 'volunteer_feedback',
} as const;

/** `_id` is the openid. Real-name data: shown masked in lists. */
export interface VolunteerDoc {
  _id: string;
  _openid: string;
  name: string;
  phone: string;
  workUnit: string;
  partyMember: boolean;
  partySince?: string;
  skills: string[];
  status: RegistrationStatus;
  consentVersion: string;
  consentAt: Date;
  honourOptOut: boolean;
  createdAt: Date;
  updatedAt?: Date;
  decidedBy?: string;
  /**
   * Claims this volunteer holds, written only inside claim and withdraw transactions; the
   * per-person active-claims limit is decided on it. Absent on records from before it existed
   * (then seeded from the volunteer's claims).
   */
  activeClaims?: HeldClaim[];
}

export interface SettingsDoc {
  _id: string;
  requireApproval: boolean;
  organisation: string;
  updatedAt?: Date;
  updatedBy?: string;
}

export interface ListDoc {
  _id: string;
  _openid: string;
  title: string;
  periodFrom: string;
  periodUntil: string;
  categories: Category[];
  status: ListStatus;
  postCount: number;
  createdAt: Date;
  publishedAt?: Date;
  closedAt?: Date;
  copiedFrom?: string;
  sample?: boolean;
}

export interface PostDoc {
  _id: string;
  listId: string;
  order: number;
  categoryId: string;
  title: string;
  description: string;
  schedule: Schedule;
  capacity: number;
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
  points: number;
  requirements: Requirements;
  location: PostLocation;
  sample?: boolean;
}

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

/** `_id` = claimId + '_' + YYYYMMDD: one service record per claim per day. */
export interface ServiceDoc {
  _id: string;
  _openid: string;
  openid: string;
  claimId: string;
  postId: string;
  listId: string;
  postTitle: string;
  date: string;
  status: ServiceStatus;
  checkInAt?: Date;
  /** Ledger-style key of the check-in request that opened it (absent on records made before it was kept). */
  checkInRequest?: string;
  checkOutAt?: Date;
  minutes: number;
  flagged: boolean;
  confirmedAt?: Date;
  confirmedBy?: string;
}

export interface LedgerDoc {
  _id: string;
  /** The subject volunteer, so the entry is theirs. */
  _openid: string;
  requestKey: string;
  type: LedgerType;
  actor: string;
  subject: string;
  listId?: string;
  postId?: string;
  postTitle?: string;
  serviceId?: string;
  serviceDate?: string;
  redemptionId?: string;
  minutes: number;
  points: number;
  reason?: string;
  at: Date;
}

export interface BalanceDoc {
  _id: string;
  _openid: string;
  points: number;
  earned: number;
  spent: number;
  confirmedMinutes: number;
  confirmedServices: number;
  updatedAt: Date;
}

export interface RewardDoc {
  _id: string;
  title: string;
  description: string;
  cost: number;
  stock: number | null;
  active: boolean;
  createdAt: Date;
  updatedAt?: Date;
  sample?: boolean;
}

export interface RedemptionDoc {
  _id: string;
  _openid: string;
  openid: string;
  rewardId: string;
  rewardTitle: string;
  cost: number;
  code: string;
  status: 'issued' | 'used';
  createdAt: Date;
  usedAt?: Date;
  usedBy?: string;
}

export interface FeedbackDoc {
  _id: string;
  _openid: string;
  serviceId: string;
  postId: string;
  postTitle: string;
  /** The volunteer whose service it is. */
  volunteer: string;
  fromRole: 'volunteer' | 'secretary';
  rating: number;
  text: string;
  at: Date;
}
