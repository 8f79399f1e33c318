import type {
  ClaimView,
  MyClaim,
  Redemption,
  Reward,
  ServiceRecord,
  VolunteerSettings,
} from '../../src/domain/contract/volunteer';
import type { LedgerEntry } from '../../src/domain/volunteer/ledger';
import type { ListDraft, OpportunityList, Post } from '../../src/domain/volunteer/opportunity';
import {
  PRIVACY_NOTICE_VERSION,
  type VolunteerListing,
  type VolunteerProfile,
  maskName,
  maskPhone,
} from '../../src/domain/volunteer/registration';
import { isoString } from '../_shared/json';
import type {
  ClaimDoc,
  LedgerDoc,
  ListDoc,
  PostDoc,
  RedemptionDoc,
  RewardDoc,
  ServiceDoc,
  SettingsDoc,
  VolunteerDoc,
} from './docs';

/** Stored documents → the JSON shapes of the contract. */

export const DEFAULT_ORGANISATION = '社区居民委员会';

export function settingsFromDoc(doc: SettingsDoc | null): VolunteerSettings {
  return {
    requireApproval: doc?.requireApproval ?? false,
    organisation: doc?.organisation ?? DEFAULT_ORGANISATION,
    privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
  };
}

export function profileFromDoc(doc: VolunteerDoc): VolunteerProfile {
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

export function listingFromDoc(doc: VolunteerDoc): VolunteerListing {
  return {
    openid: doc._id,
    maskedName: maskName(doc.name),
    maskedPhone: maskPhone(doc.phone),
    partyMember: doc.partyMember,
    status: doc.status,
    registeredAt: isoString(doc.createdAt),
  };
}

export function listFromDoc(doc: ListDoc): OpportunityList {
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

export function postFromDoc(doc: PostDoc): Post {
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

export function draftFromDocs(list: ListDoc, posts: PostDoc[]): ListDraft {
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

export function myClaimFromDocs(claim: ClaimDoc, post: PostDoc, openServiceId?: string): MyClaim {
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

export function serviceFromDoc(doc: ServiceDoc): ServiceRecord {
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

export function claimViewFromDocs(
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
    services: services.map(serviceFromDoc),
  };
}

export function entryFromDoc(doc: LedgerDoc): LedgerEntry {
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

export { summaryFromBalance } from '../_shared/ledger';

export function rewardFromDoc(doc: RewardDoc): Reward {
  return {
    id: doc._id,
    title: doc.title,
    description: doc.description,
    cost: doc.cost,
    stock: doc.stock,
    active: doc.active,
  };
}

export function redemptionFromDoc(doc: RedemptionDoc): Redemption {
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
