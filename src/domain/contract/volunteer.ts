import * as v from 'valibot';
import { defineAction } from './define';
import { openidSchema } from './account';
import { type ClaimStatus } from '../volunteer/claims';
import { type LedgerEntry, type LedgerSummary, CODE_PATTERN } from '../volunteer/ledger';
import { calendarDateSchema } from '../shared/dates';
import { requestIdSchema } from '../shared/request-id';
import { safeText } from '../shared/text';
import {
  type Category,
  type ListDraft,
  type OpportunityList,
  type Post,
  listDraftSchema,
} from '../volunteer/opportunity';
import {
  type RegistrationStatus,
  type VolunteerListing,
  type VolunteerProfile,
  REGISTRATION_STATUSES,
  registrationSchema,
} from '../volunteer/registration';
import type { HonourRow } from '../volunteer/honour-board';
import type { ServiceStatus } from '../volunteer/service';

/** Volunteering: registration, opportunity lists and claims, service, the points ledger, rewards. */

export { requestIdSchema };
const docIdSchema = (label: string) =>
  v.pipe(v.string(`${label}必须是文字`), v.regex(/^[A-Za-z0-9_-]{1,160}$/, `${label}格式不正确`));
export const postIdSchema = docIdSchema('岗位编号');
export const listIdSchema = docIdSchema('清单编号');
const dateSchema = calendarDateSchema();
const pageSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(500)), 0);

export interface VolunteerSettings {
  requireApproval: boolean;
  /** The organisation that confirms service, as printed in exports. */
  organisation: string;
  privacyNoticeVersion: string;
}

/** A claim as its volunteer sees it. */
export interface MyClaim {
  id: string;
  postId: string;
  listId: string;
  postTitle: string;
  schedule: Post['schedule'];
  location: Post['location'];
  points: number;
  status: ClaimStatus;
  claimedAt: string;
  /** The open service, when checked in. */
  openServiceId?: string;
}

/** A post with what the caller needs to decide. */
export interface PostView extends Post {
  placesLeft: number;
  claimDeadline: string;
  withdrawDeadline: string;
  myClaim: ClaimStatus | null;
}

export interface ServiceRecord {
  id: string;
  claimId: string;
  postId: string;
  postTitle: string;
  openid: string;
  date: string;
  status: ServiceStatus;
  checkInAt?: string;
  checkOutAt?: string;
  minutes: number;
  /** Set by the 24 h auto-close: the secretary should look at it. */
  flagged: boolean;
}

/** A claim as the secretary sees it: personal data masked. */
export interface ClaimView {
  id: string;
  postId: string;
  postTitle: string;
  openid: string;
  maskedName: string;
  maskedPhone: string;
  status: ClaimStatus;
  claimedAt: string;
  services: ServiceRecord[];
}

export interface Reward {
  id: string;
  title: string;
  description: string;
  cost: number;
  /** Left to redeem; null means unlimited. */
  stock: number | null;
  active: boolean;
}

export interface Redemption {
  id: string;
  rewardId: string;
  rewardTitle: string;
  cost: number;
  code: string;
  status: 'issued' | 'used';
  createdAt: string;
  usedAt?: string;
}

export interface Feedback {
  id: string;
  serviceId: string;
  postId: string;
  postTitle: string;
  fromRole: 'volunteer' | 'secretary';
  rating: number;
  text: string;
  at: string;
}

export interface MyVolunteering {
  volunteer: VolunteerProfile | null;
  summary: LedgerSummary;
  claims: MyClaim[];
  services: ServiceRecord[];
}

const rewardInput = v.strictObject({
  id: v.optional(docIdSchema('奖励编号')),
  /** A new reward is created once per clientRequestId, however often it is sent. */
  clientRequestId: requestIdSchema,
  title: safeText('奖励名称', 30, { min: 2 }),
  description: v.optional(safeText('奖励说明', 200, { multiline: true }), ''),
  cost: v.pipe(
    v.number('所需积分必须是数字'),
    v.integer('所需积分必须是整数'),
    v.minValue(1, '所需积分至少 1'),
    v.maxValue(100000, '所需积分过大'),
  ),
  stock: v.nullable(
    v.pipe(
      v.number('库存必须是数字'),
      v.integer('库存必须是整数'),
      v.minValue(0, '库存不能为负'),
      v.maxValue(100000, '库存过大'),
    ),
  ),
  active: v.boolean('请选择是否上架'),
});

export const CONFIRM_BATCH_MAX = 50;

export const volunteerContract = {
  /** Everyone: the approval setting, the confirming organisation, the current notice version. */
  settings: defineAction<VolunteerSettings>()(v.strictObject({})),
  /** Secretary: change settings. */
  updateSettings: defineAction<VolunteerSettings>()(
    v.strictObject({
      requireApproval: v.optional(v.boolean('请选择是否需要审核')),
      organisation: v.optional(safeText('确认组织', 40, { min: 2 })),
    }),
  ),
  /** Register (or correct one's registration) as a volunteer, with consent to the privacy notice. */
  register: defineAction<VolunteerProfile>()(registrationSchema, [
    'REGISTRATION_REJECTED',
  ] as const),
  /** The caller's registration, balance, claims and services. */
  me: defineAction<MyVolunteering>()(v.strictObject({})),
  /** Be named on the honour board or not. */
  setHonourOptOut: defineAction<VolunteerProfile>()(v.strictObject({ optOut: v.boolean() }), [
    'NOT_VOLUNTEER',
  ] as const),
  /** Secretary: registrations, masked, newest first. */
  volunteers: defineAction<{ volunteers: VolunteerListing[]; hasMore: boolean }>()(
    v.strictObject({ status: v.optional(v.picklist(REGISTRATION_STATUSES)), page: pageSchema }),
  ),
  /** Secretary: approve or reject a pending registration. */
  approve: defineAction<VolunteerListing>()(
    v.strictObject({ openid: openidSchema, approve: v.boolean() }),
    ['NOT_VOLUNTEER'] as const,
  ),

  /** Published lists and their posts (one list, or the newest published ones). */
  listPosts: defineAction<{ lists: OpportunityList[]; posts: PostView[] }>()(
    v.strictObject({ listId: v.optional(listIdSchema) }),
    ['LIST_NOT_FOUND'] as const,
  ),
  /** Claim a post; answers with other claims of the caller that overlap it in time. */
  claim: defineAction<{
    claim: MyClaim;
    overlaps: Array<{ postId: string; title: string }>;
    replayed: boolean;
  }>()(v.strictObject({ postId: postIdSchema, clientRequestId: requestIdSchema }), [
    'POST_NOT_FOUND',
    'NOT_VOLUNTEER',
    'REGISTRATION_PENDING',
    'LIST_NOT_OPEN',
    'CLAIM_CLOSED',
    'REQUIREMENT_NOT_MET',
    'ALREADY_CLAIMED',
    'TOO_MANY_CLAIMS',
    'POST_FULL',
  ] as const),
  withdraw: defineAction<{ claim: MyClaim; replayed: boolean }>()(
    v.strictObject({ postId: postIdSchema, clientRequestId: requestIdSchema }),
    ['POST_NOT_FOUND', 'NOT_CLAIMED', 'WITHDRAW_CLOSED', 'HAS_SERVICE'] as const,
  ),
  /** Start service: by the space's entrance QR code when the post is in a space. */
  checkIn: defineAction<ServiceRecord>()(
    v.strictObject({
      postId: postIdSchema,
      scene: v.optional(v.pipe(v.string(), v.maxLength(128))),
      clientRequestId: requestIdSchema,
    }),
    [
      'POST_NOT_FOUND',
      'NOT_CLAIMED',
      'WRONG_PLACE',
      'ALREADY_CHECKED_IN',
      'NOT_SERVICE_DAY',
    ] as const,
  ),
  checkOut: defineAction<ServiceRecord>()(
    v.strictObject({ postId: postIdSchema, clientRequestId: requestIdSchema }),
    ['POST_NOT_FOUND', 'NOT_CHECKED_IN'] as const,
  ),
  /** Feedback after service, by the volunteer or the secretary. */
  feedback: defineAction<Feedback>()(
    v.strictObject({
      serviceId: docIdSchema('服务编号'),
      rating: v.pipe(
        v.number('评分必须是数字'),
        v.integer(),
        v.minValue(1, '评分为 1–5'),
        v.maxValue(5, '评分为 1–5'),
      ),
      text: safeText('反馈', 300, { multiline: true }),
    }),
    ['SERVICE_NOT_FOUND', 'SERVICE_NOT_DONE'] as const,
  ),
  /** Feedback on the caller's services (secretary: on a post). */
  feedbackList: defineAction<Feedback[]>()(v.strictObject({ postId: v.optional(postIdSchema) })),
  /** A volunteer's ledger (secretary: anyone's), newest first, 20 a page, with the derived summary. */
  ledger: defineAction<{ entries: LedgerEntry[]; summary: LedgerSummary; hasMore: boolean }>()(
    v.strictObject({ openid: v.optional(openidSchema), page: pageSchema }),
  ),
  rewards: defineAction<Reward[]>()(
    v.strictObject({ includeInactive: v.optional(v.boolean(), false) }),
  ),
  /** Secretary: add or edit a reward. */
  saveReward: defineAction<Reward>()(rewardInput, ['REWARD_NOT_FOUND'] as const),
  redeem: defineAction<{ redemption: Redemption; summary: LedgerSummary; replayed: boolean }>()(
    v.strictObject({ rewardId: docIdSchema('奖励编号'), clientRequestId: requestIdSchema }),
    ['NOT_VOLUNTEER', 'REWARD_NOT_FOUND', 'OUT_OF_STOCK', 'INSUFFICIENT_POINTS'] as const,
  ),
  myRedemptions: defineAction<Redemption[]>()(v.strictObject({})),
  /** Secretary (staff): use a redemption code, once. */
  verifyRedemption: defineAction<Redemption & { maskedName: string }>()(
    v.strictObject({
      code: v.pipe(
        v.string('兑换码必须是文字'),
        v.transform((s) => s.replace(/[\s-]/g, '').toUpperCase()),
        v.regex(CODE_PATTERN, '兑换码为 8 位字母数字'),
      ),
    }),
    ['CODE_NOT_FOUND', 'CODE_ALREADY_USED'] as const,
  ),
  honourBoard: defineAction<{ month: string; rows: HonourRow[] }>()(
    v.strictObject({
      month: v.optional(
        v.pipe(v.string(), v.regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 2025-03')),
      ),
    }),
  ),

  /** Secretary: every list, newest first. */
  lists: defineAction<OpportunityList[]>()(
    v.strictObject({ status: v.optional(v.picklist(['draft', 'published', 'closed'] as const)) }),
  ),
  /** Secretary: a list with its posts as a draft to edit or copy. */
  getList: defineAction<{ list: OpportunityList; draft: ListDraft; posts: Post[] }>()(
    v.strictObject({ listId: listIdSchema }),
    ['LIST_NOT_FOUND'] as const,
  ),
  /** Secretary: create a draft (once per clientRequestId, however often it is sent) or replace a draft's content. */
  saveList: defineAction<OpportunityList>()(
    v.strictObject({
      listId: v.optional(listIdSchema),
      draft: listDraftSchema,
      clientRequestId: requestIdSchema,
    }),
    ['LIST_NOT_FOUND', 'LIST_NOT_DRAFT'] as const,
  ),
  publishList: defineAction<OpportunityList>()(v.strictObject({ listId: listIdSchema }), [
    'LIST_NOT_FOUND',
    'LIST_NOT_DRAFT',
    'LIST_EMPTY',
  ] as const),
  closeList: defineAction<OpportunityList>()(v.strictObject({ listId: listIdSchema }), [
    'LIST_NOT_FOUND',
    'LIST_NOT_PUBLISHED',
  ] as const),
  /** Secretary: a new draft from an earlier list, dates moved to start on `periodFrom`; once per clientRequestId. */
  copyList: defineAction<OpportunityList>()(
    v.strictObject({
      listId: listIdSchema,
      periodFrom: dateSchema,
      clientRequestId: requestIdSchema,
    }),
    ['LIST_NOT_FOUND'] as const,
  ),
  /** Secretary: who claimed what in a list, with their services. */
  claims: defineAction<ClaimView[]>()(v.strictObject({ listId: listIdSchema }), [
    'LIST_NOT_FOUND',
  ] as const),
  /** Secretary: confirm service hours, in bulk; each item once. */
  confirm: defineAction<{
    confirmed: number;
    skipped: Array<{ claimId: string; code: string }>;
    replayed: number;
  }>()(
    v.strictObject({
      clientRequestId: requestIdSchema,
      items: v.pipe(
        v.array(
          v.strictObject({
            claimId: docIdSchema('认领编号'),
            date: dateSchema,
            hours: v.pipe(
              v.number('时长必须是数字'),
              v.minValue(0.5, '时长至少 0.5 小时'),
              v.maxValue(12, '一天最多确认 12 小时'),
              v.check((h) => Number.isInteger(h * 2), '时长以 0.5 小时为单位'),
            ),
          }),
        ),
        v.minLength(1, '请选择要确认的服务'),
        v.maxLength(CONFIRM_BATCH_MAX, `一次最多确认 ${CONFIRM_BATCH_MAX} 条`),
        v.check(
          (items) => new Set(items.map((i) => `${i.claimId}|${i.date}`)).size === items.length,
          '同一服务不能重复确认',
        ),
      ),
    }),
  ),
  /** Secretary: add or take points with a reason. */
  adjust: defineAction<{ summary: LedgerSummary; replayed: boolean }>()(
    v.strictObject({
      openid: openidSchema,
      points: v.pipe(
        v.number('积分必须是数字'),
        v.integer('积分必须是整数'),
        v.minValue(-10000),
        v.maxValue(10000),
        v.check((p) => p !== 0, '调整积分不能为 0'),
      ),
      reason: safeText('原因', 100, { min: 2, minMessage: '请填写调整原因', multiline: true }),
      clientRequestId: requestIdSchema,
    }),
    ['NOT_VOLUNTEER', 'NEGATIVE_BALANCE'] as const,
  ),
  /** Secretary: confirmed hours as CSV for the national volunteer record system. */
  export: defineAction<{ csv: string; rows: number; filename: string; truncated: boolean }>()(
    v.pipe(
      v.strictObject({ from: dateSchema, until: dateSchema }),
      v.check((r) => r.from <= r.until, '结束日期不能早于开始日期'),
    ),
  ),
};

export type { Category, RegistrationStatus };
