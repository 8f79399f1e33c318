import * as v from 'valibot';
import { defineAction } from './define';
import { openidSchema } from './account';
import {
  type CadenceChangePreview,
  type CadenceConfig,
  type DueReason,
  type RiskLevel,
  type VisitState,
  cadenceConfigSchema,
} from '../visits/cadence';
import type { CoverageSummary } from '../visits/coverage';
import {
  type ConsentBy,
  type EmergencyContact,
  type LivingSituation,
  elderDraftSchema,
} from '../visits/elder';
import type { FlagStatus } from '../visits/flags';
import type { PairCandidate } from '../visits/roster';
import {
  type CheckItem,
  type CheckValue,
  type VisitOutcome,
  elderIdSchema,
  visitIdSchema,
  visitLogSchema,
} from '../visits/visit-log';
import { clientRequestIdSchema } from '../shared/request-id';
import { safeText } from '../shared/text';

/** Elder home visits: the roster, pairing, cadence, visit logs, coverage and urgent flags. */

export interface VisitStatusView {
  state: VisitState;
  /** ISO instant: at or after it the elder is overdue. */
  dueAt: string;
  /** Last on-time calendar day, Asia/Shanghai. */
  dueDate: string;
  reason: DueReason;
  daysLeft: number;
}

/** An elder as lists show them: phone and address masked. */
export interface ElderListItem {
  id: string;
  name: string;
  age: number;
  maskedAddress: string;
  maskedPhone: string;
  livingSituation: LivingSituation;
  riskLevel: RiskLevel;
  archived: boolean;
  pairedCount: number;
  /** Masked names of the paired volunteers (secretary lists only; empty for volunteers). */
  volunteers: string[];
  lastVisitAt: string | null;
  lastOutcome: VisitOutcome | null;
  openFlags: number;
  status: VisitStatusView;
  sample: boolean;
}

export interface VisitView {
  id: string;
  elderId: string;
  /** The volunteer who visited, masked ("李*"); the caller's own visits say "我". */
  volunteer: string;
  startAt: string;
  endAt: string;
  minutes: number;
  outcome: VisitOutcome;
  checklist: Record<CheckItem, CheckValue>;
  notes: string;
  photo: string;
  urgent: boolean;
  urgentNote: string;
  /** The volunteer service record this visit became: closed until the secretary confirms it. */
  serviceStatus: 'closed' | 'confirmed' | 'none';
  receivedAt: string;
}

export interface PairingView {
  elderId: string;
  openid: string;
  maskedName: string;
  claimId: string | null;
  active: boolean;
  pairedAt: string;
}

/** The whole record: only for the secretary and volunteers paired with the elder. Every read is logged. */
export interface ElderRecord extends ElderListItem {
  building: string;
  unit: string;
  room: string;
  address: string;
  phone: string;
  emergencyContacts: EmergencyContact[];
  notes: string;
  consent: { version: string; by: ConsentBy; at: string };
  addedAt: string;
  updatedAt: string | null;
  pairings: PairingView[];
  recentVisits: VisitView[];
}

export interface Flag {
  id: string;
  elderId: string;
  elderName: string;
  visitId: string;
  note: string;
  raisedBy: string;
  raisedAt: string;
  lastRaisedAt: string;
  raiseCount: number;
  status: FlagStatus;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string;
  /** At the last raise: secretaries who have it in their in-app inbox, and how many got a WeChat message. */
  notifiedSecretaries: number;
  messagedSecretaries: number;
}

/**
 * Who an urgent flag reached, as the volunteer who raised it is told: every secretary of the
 * community has it in the app's inbox (with a badge), and those who gave a grant also got a
 * WeChat message. Names are masked.
 */
export interface FlagNotice {
  secretaries: string[];
  messaged: string[];
}

/** A secretary's badge: open urgent flags, and WeChat messages they can still be sent. */
export interface UrgentSummary {
  open: number;
  /** Urgent-flag messages the app may still send this secretary (one per "允许" recorded). */
  grants: number;
}

export const ACCESS_ACTIONS = [
  'list',
  'view',
  'create',
  'update',
  'archive',
  'pair',
  'unpair',
  'log',
  'acknowledge-flag',
  'confirm',
  'refused',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];
export const ACCESS_ACTION_LABELS: Record<AccessAction, string> = {
  list: '查看列表',
  view: '查看详情',
  create: '新增老人',
  update: '修改信息',
  archive: '归档',
  pair: '结对',
  unpair: '解除结对',
  log: '记录探访',
  'acknowledge-flag': '确认紧急情况',
  confirm: '确认服务时长',
  refused: '被拒绝的访问',
};

export interface AccessEntry {
  id: string;
  actor: string;
  actorName: string;
  actorRole: string;
  action: AccessAction;
  elderId: string | null;
  elderName: string | null;
  detail: string;
  at: string;
}

export type { PairCandidate };

export interface VisitSettings {
  cadence: CadenceConfig;
  purpose: { version: string; title: string; statement: string[] };
}

export interface PendingService {
  visitId: string;
  elderName: string;
  volunteer: string;
  openid: string;
  date: string;
  minutes: number;
  outcome: VisitOutcome;
}

const pageSchema = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(500)), 0);

export const CONFIRM_VISITS_MAX = 50;

export const visitsContract = {
  /** The cadence in force and the purpose statement shown before collecting an elder's data. */
  settings: defineAction<VisitSettings>()(v.strictObject({})),
  /** Secretary: how many elders' due dates a new cadence would move (nothing is saved). */
  previewSettings: defineAction<CadenceChangePreview>()(
    v.strictObject({ cadence: cadenceConfigSchema }),
  ),
  /** Secretary: change the cadence. A retry of the same request answers the cadence in force, without saving its own again. */
  saveSettings: defineAction<VisitSettings>()(
    v.strictObject({ cadence: cadenceConfigSchema, clientRequestId: clientRequestIdSchema }),
  ),
  /** Secretary: the roster, most due first; phone and address masked. */
  roster: defineAction<{ elders: ElderListItem[]; hasMore: boolean }>()(
    v.strictObject({ includeArchived: v.optional(v.boolean(), false), page: pageSchema }),
  ),
  /** One elder's full record: the secretary, or a volunteer paired with the elder. Every view is logged. */
  elder: defineAction<ElderRecord>()(v.strictObject({ elderId: elderIdSchema }), [
    'ELDER_NOT_FOUND',
  ] as const),
  /**
   * Secretary: add an elder, or change one (`flaggedChange`: a major change, a visit due within 24 h).
   * An add with the same clientRequestId (a retry, or the same submission sent twice) answers the elder it added;
   * a change with the same clientRequestId is made once and its retries answer the record as it is now.
   */
  saveElder: defineAction<ElderRecord>()(
    v.strictObject({
      elderId: v.optional(elderIdSchema),
      draft: elderDraftSchema,
      flaggedChange: v.optional(v.boolean(), false),
      clientRequestId: clientRequestIdSchema,
    }),
    ['ELDER_NOT_FOUND', 'ELDER_ARCHIVED'] as const,
  ),
  /** Secretary: take an elder off the roster (pairings end; history kept). */
  archiveElder: defineAction<{ elderId: string; archived: true }>()(
    v.strictObject({
      elderId: elderIdSchema,
      reason: safeText('原因', 100, { min: 2, minMessage: '请填写归档原因', multiline: true }),
    }),
    ['ELDER_NOT_FOUND'] as const,
  ),
  /** Secretary: volunteers who may be paired, those who claimed a visiting post first. */
  pairCandidates: defineAction<PairCandidate[]>()(v.strictObject({})),
  /**
   * Secretary: pair a volunteer with an elder (结对), optionally from their claim on a visiting post.
   * A retry of the same request (same `clientRequestId`) answers the pairing it made, as it is now; another
   * request for a pair already made is ALREADY_PAIRED.
   */
  pair: defineAction<PairingView>()(
    v.strictObject({
      elderId: elderIdSchema,
      openid: openidSchema,
      claimId: v.optional(
        v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,160}$/, '认领编号格式不正确')),
      ),
      clientRequestId: clientRequestIdSchema,
    }),
    [
      'ELDER_NOT_FOUND',
      'ELDER_ARCHIVED',
      'NOT_VOLUNTEER',
      'CLAIM_NOT_FOUND',
      'ALREADY_PAIRED',
    ] as const,
  ),
  /** Secretary: end a pairing. A retry of the same request answers the pairing it ended; another request for an ended one is NOT_PAIRED. */
  unpair: defineAction<PairingView>()(
    v.strictObject({
      elderId: elderIdSchema,
      openid: openidSchema,
      clientRequestId: clientRequestIdSchema,
    }),
    ['ELDER_NOT_FOUND', 'NOT_PAIRED'] as const,
  ),
  /** The caller's paired elders, most due first. */
  myElders: defineAction<{ elders: ElderListItem[] }>()(v.strictObject({})),
  /** Log a visit; stored once per visit id however often it is sent. */
  log: defineAction<{
    visit: VisitView;
    status: VisitStatusView;
    replayed: boolean;
    /** For an urgent visit: who the flag reached (also answered again on a retry). */
    notice: FlagNotice | null;
  }>()(visitLogSchema, [
    'ELDER_NOT_FOUND',
    'VISIT_IN_FUTURE',
    'VISIT_TOO_OLD',
    'VISIT_ID_TAKEN',
  ] as const),
  /** Secretary: every active elder's state, overdue first, and the share on time this month. */
  coverage: defineAction<{ summary: CoverageSummary; elders: ElderListItem[] }>()(
    v.strictObject({}),
  ),
  /** Secretary: the badge on 首页, 我的 and the tab (open urgent flags, messages left). */
  urgentSummary: defineAction<UrgentSummary>()(v.strictObject({})),
  /** Secretary: the person allowed one more urgent-flag message (WeChat's prompt answered 允许). */
  recordGrant: defineAction<UrgentSummary>()(v.strictObject({})),
  /** Secretary: urgent flags, open ones first. */
  flags: defineAction<Flag[]>()(
    v.strictObject({ status: v.optional(v.picklist(['open', 'acknowledged'] as const)) }),
  ),
  acknowledgeFlag: defineAction<Flag>()(
    v.strictObject({
      flagId: v.pipe(
        v.string('编号必须是文字'),
        v.regex(/^[A-Za-z0-9_-]{1,80}$/, '编号格式不正确'),
      ),
      note: v.optional(safeText('处理说明', 200, { multiline: true }), ''),
    }),
    ['FLAG_NOT_FOUND'] as const,
  ),
  /** Secretary: who saw or changed what, newest first (optionally for one elder). */
  accessLog: defineAction<{ entries: AccessEntry[]; hasMore: boolean }>()(
    v.strictObject({ elderId: v.optional(elderIdSchema), page: pageSchema }),
  ),
  /** Secretary: visits whose service time is not yet confirmed. */
  pendingServices: defineAction<PendingService[]>()(v.strictObject({})),
  /** Secretary: confirm visits' service time into the volunteer ledger, each once. */
  confirmVisits: defineAction<{
    confirmed: number;
    replayed: number;
    skipped: Array<{ visitId: string; code: string }>;
  }>()(
    v.strictObject({
      clientRequestId: clientRequestIdSchema,
      visitIds: v.pipe(
        v.array(visitIdSchema),
        v.minLength(1, '请选择要确认的探访'),
        v.maxLength(CONFIRM_VISITS_MAX, `一次最多确认 ${CONFIRM_VISITS_MAX} 条`),
        v.check((ids) => new Set(ids).size === ids.length, '同一探访不能重复确认'),
      ),
    }),
  ),
};

export type { VisitOutcome };
