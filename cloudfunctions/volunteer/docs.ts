import type { Category, ListStatus } from '../../src/domain/volunteer/opportunity';

export type { ClaimDoc, PostDoc, VolunteerDoc } from '../_shared/volunteering';
export type { BalanceDoc, LedgerDoc, ServiceRecordDoc as ServiceDoc } from '../_shared/ledger';

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
