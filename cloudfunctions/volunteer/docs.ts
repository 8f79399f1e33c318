import type {
  ClaimView,
  Feedback,
  MyClaim,
  PostView,
  Redemption,
  Reward,
  ServiceRecord,
  VolunteerSettings,
} from '../../src/domain/contract/volunteer';
import type { LedgerEntry } from '../../src/domain/volunteer/ledger';
import type { ClaimStatus } from '../../src/domain/volunteer/claims';
import {
  type ListDraft,
  type OpportunityList,
  type Post,
  claimDeadline,
  placesLeft,
  withdrawDeadline,
} from '../../src/domain/volunteer/opportunity';
import {
  PRIVACY_NOTICE_VERSION,
  type VolunteerListing,
  type VolunteerProfile,
  maskName,
  maskPhone,
} from '../../src/domain/volunteer/registration';
import type { ServiceRecordRow } from '../../src/domain/volunteer/record-export';
import { shanghaiDate } from '../../src/domain/shared/time';
import { isoString } from '../_shared/json';
import type { LedgerDoc, ServiceRecordDoc } from '../_shared/ledger';
import type { Stored } from '../_shared/stored';
import type { ClaimDoc, PostDoc, VolunteerDoc } from '../_shared/volunteering';

export type { ClaimDoc, PostDoc, VolunteerDoc } from '../_shared/volunteering';
export type { BalanceDoc, LedgerDoc, ServiceRecordDoc as ServiceDoc } from '../_shared/ledger';
export { summaryFromBalance } from '../_shared/ledger';
type ServiceDoc = ServiceRecordDoc;

/**
 * The volunteer function's own stored documents (the ones visits reads too are in
 * _shared/volunteering.ts, the ledger's in _shared/ledger.ts), each with the one view mapper that
 * turns it into the contract's JSON shape. Collections: COLLECTIONS in _shared/collections.ts.
 */

/** `_id` = SETTINGS_ID: the one settings document. */
export interface SettingsDoc {
  _id: string;
  requireApproval: boolean;
  organisation: string;
  updatedAt?: Date;
  updatedBy?: string;
}

export const DEFAULT_ORGANISATION = '社区居民委员会';

export function settingsView(doc: SettingsDoc | null): VolunteerSettings {
  return {
    requireApproval: doc?.requireApproval ?? false,
    organisation: doc?.organisation ?? DEFAULT_ORGANISATION,
    privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
  };
}

export type ListDoc = Stored<OpportunityList, 'createdAt' | 'publishedAt' | 'closedAt'> & {
  _openid: string;
  sample?: boolean;
};

export function listView(doc: ListDoc): OpportunityList {
  return {
    id: doc._id,
    title: doc.title,
    periodFrom: doc.periodFrom,
    periodUntil: doc.periodUntil,
    categories: doc.categories,
    status: doc.status,
    postCount: doc.postCount,
    createdAt: isoString(doc.createdAt),
    ...(doc.publishedAt ? { publishedAt: isoString(doc.publishedAt) } : {}),
    ...(doc.closedAt ? { closedAt: isoString(doc.closedAt) } : {}),
    ...(doc.copiedFrom ? { copiedFrom: doc.copiedFrom } : {}),
  };
}

/** A list and its posts as the draft they were saved from (for editing and copying). */
export function draftOf(list: ListDoc, posts: PostDoc[]): ListDraft {
  return {
    title: list.title,
    periodFrom: list.periodFrom,
    periodUntil: list.periodUntil,
    categories: list.categories,
    posts: posts.map((p) => ({
      categoryId: p.categoryId,
      title: p.title,
      description: p.description,
      schedule: p.schedule,
      capacity: p.capacity,
      points: p.points,
      requirements: {
        partyMemberOnly: p.requirements.partyMemberOnly,
        note: p.requirements.note ?? '',
      },
      location: p.location,
    })),
  };
}

export type RewardDoc = Stored<Reward> & {
  createdAt: Date;
  updatedAt?: Date;
  sample?: boolean;
};

export function rewardView(doc: RewardDoc): Reward {
  return {
    id: doc._id,
    title: doc.title,
    description: doc.description,
    cost: doc.cost,
    stock: doc.stock,
    active: doc.active,
  };
}

export type RedemptionDoc = Stored<Redemption, 'createdAt' | 'usedAt'> & {
  _openid: string;
  openid: string;
  usedBy?: string;
};

export function redemptionView(doc: RedemptionDoc): Redemption {
  return {
    id: doc._id,
    rewardId: doc.rewardId,
    rewardTitle: doc.rewardTitle,
    cost: doc.cost,
    code: doc.code,
    status: doc.status,
    createdAt: isoString(doc.createdAt),
    ...(doc.usedAt ? { usedAt: isoString(doc.usedAt) } : {}),
  };
}

/** `_id` = serviceId + '_' + fromRole: one feedback per side per service. */
export type FeedbackDoc = Stored<Feedback, 'at'> & {
  _openid: string;
  /** The volunteer whose service it is. */
  volunteer: string;
};

export function feedbackView(doc: FeedbackDoc): Feedback {
  return {
    id: doc._id,
    serviceId: doc.serviceId,
    postId: doc.postId,
    postTitle: doc.postTitle,
    fromRole: doc.fromRole,
    rating: doc.rating,
    text: doc.text,
    at: isoString(doc.at),
  };
}

export function profileView(doc: VolunteerDoc): VolunteerProfile {
  return {
    openid: doc._id,
    name: doc.name,
    phone: doc.phone,
    workUnit: doc.workUnit,
    partyMember: doc.partyMember,
    ...(doc.partySince ? { partySince: doc.partySince } : {}),
    skills: doc.skills,
    status: doc.status,
    consentVersion: doc.consentVersion,
    consentAt: isoString(doc.consentAt),
    honourOptOut: doc.honourOptOut,
    registeredAt: isoString(doc.createdAt),
  };
}

/** A volunteer in a list: personal data masked. */
export function listingView(doc: VolunteerDoc): VolunteerListing {
  return {
    openid: doc._id,
    maskedName: maskName(doc.name),
    maskedPhone: maskPhone(doc.phone),
    partyMember: doc.partyMember,
    status: doc.status,
    registeredAt: isoString(doc.createdAt),
  };
}

export function postView(doc: PostDoc): Post {
  return {
    id: doc._id,
    listId: doc.listId,
    order: doc.order,
    categoryId: doc.categoryId,
    title: doc.title,
    description: doc.description,
    schedule: doc.schedule,
    capacity: doc.capacity,
    claimed: doc.claimed,
    points: doc.points,
    requirements: {
      partyMemberOnly: doc.requirements.partyMemberOnly,
      note: doc.requirements.note ?? '',
    },
    location: doc.location,
  };
}

/** A post in a published list, with its deadlines and the caller's claim on it. */
export function postOnListView(doc: PostDoc, myClaim: ClaimStatus | null): PostView {
  return {
    ...postView(doc),
    placesLeft: placesLeft(doc),
    claimDeadline: claimDeadline(doc.schedule).toISOString(),
    withdrawDeadline: withdrawDeadline(doc.schedule).toISOString(),
    myClaim,
  };
}

/** A claim as its volunteer sees it, with its post (and the service open today, if any). */
export function myClaimView(claim: ClaimDoc, post: PostDoc, openServiceId?: string): MyClaim {
  return {
    id: claim._id,
    postId: post._id,
    listId: post.listId,
    postTitle: post.title,
    schedule: post.schedule,
    location: post.location,
    points: post.points,
    status: claim.status,
    claimedAt: isoString(claim.claimedAt),
    ...(openServiceId ? { openServiceId } : {}),
  };
}

/** A claim as the secretary sees it: the volunteer masked, with the claim's service records. */
export function claimView(
  claim: ClaimDoc,
  post: PostDoc,
  volunteer: VolunteerDoc | undefined,
  services: ServiceDoc[],
): ClaimView {
  return {
    id: claim._id,
    postId: claim.postId,
    postTitle: post.title,
    openid: claim.openid,
    maskedName: volunteer ? maskName(volunteer.name) : '未登记',
    maskedPhone: volunteer ? maskPhone(volunteer.phone) : '',
    status: claim.status,
    claimedAt: isoString(claim.claimedAt),
    services: services.map(serviceView),
  };
}

export function serviceView(doc: ServiceDoc): ServiceRecord {
  return {
    id: doc._id,
    claimId: doc.claimId,
    postId: doc.postId,
    postTitle: doc.postTitle,
    openid: doc.openid,
    date: doc.date,
    status: doc.status,
    ...(doc.checkInAt ? { checkInAt: isoString(doc.checkInAt) } : {}),
    ...(doc.checkOutAt ? { checkOutAt: isoString(doc.checkOutAt) } : {}),
    minutes: doc.minutes,
    flagged: doc.flagged,
  };
}

export function entryView(doc: LedgerDoc): LedgerEntry {
  return {
    id: doc._id,
    type: doc.type,
    actor: doc.actor,
    subject: doc.subject,
    ...(doc.listId ? { listId: doc.listId } : {}),
    ...(doc.postId ? { postId: doc.postId } : {}),
    ...(doc.postTitle ? { postTitle: doc.postTitle } : {}),
    ...(doc.serviceId ? { serviceId: doc.serviceId } : {}),
    ...(doc.serviceDate ? { serviceDate: doc.serviceDate } : {}),
    minutes: doc.minutes,
    points: doc.points,
    ...(doc.reason ? { reason: doc.reason } : {}),
    at: isoString(doc.at),
  };
}

/** A confirm entry as a row of the national record export (its volunteer unregistered: named so). */
export function recordRowView(
  entry: LedgerDoc,
  person: VolunteerDoc | undefined,
  organisation: string,
): ServiceRecordRow {
  return {
    name: person?.name ?? '（未登记）',
    phone: person?.phone ?? '',
    project: entry.postTitle ?? '',
    date: entry.serviceDate ?? shanghaiDate(entry.at),
    minutes: entry.minutes,
    organisation,
    confirmedAt: shanghaiDate(entry.at),
  };
}
