import type {
  AccessAction,
  ElderListItem,
  Flag,
  PairingView,
  VisitStatusView,
  VisitView,
} from '../../src/domain/contract/visits';
import {
  type CadenceConfig,
  DEFAULT_CADENCE,
  type VisitStatus,
  visitStatus,
} from '../../src/domain/visits/cadence';
import { maskAddress, maskPhone } from '../../src/domain/visits/elder';
import { maskName } from '../../src/domain/volunteer/registration';
import {
  COLLECTIONS,
  type Database,
  type HandlerContext,
  type UserDoc,
  isoString,
  requestDocId,
} from '../_shared';
import { sdk } from '../_shared/sdk';
import { readAll } from '../_shared/data';
import type { VolunteerDoc } from '../_shared/volunteering';
import {
  type AccessLogDoc,
  type ElderDoc,
  type FlagDoc,
  type PairingDoc,
  type VisitDoc,
  type VisitSettingsDoc,
} from './docs';

export { readAll };

export const SETTINGS_ID = 'settings';

export async function getDoc<T extends { _id: string }>(
  db: Database,
  name: string,
  id: string,
): Promise<T | null> {
  return (await db.collection<T>(name).doc(id).get()).data;
}

export function pairId(elderId: string, openid: string): string {
  return `${elderId}__${openid}`;
}

/**
 * How many request keys a document keeps (each change by a request adds one): far more than the
 * retries of one request ever span.
 */
export const REQUESTS_KEPT = 20;

/**
 * The key a change request leaves on the document it changed (a pairing, an elder, the settings):
 * the secretary and the request id, hashed. A retry finds it there and answers what was recorded.
 */
export function changeRequestKey(openid: string, requestId: string): string {
  return requestDocId('', openid, requestId);
}

/** The document's request keys with `key` added (oldest dropped first). */
export function withRequest(doc: { requests?: string[] } | null, key: string): string[] {
  return [...(doc?.requests ?? []), key].slice(-REQUESTS_KEPT);
}

export async function loadCadence(db: Database): Promise<CadenceConfig> {
  const doc = await getDoc<VisitSettingsDoc>(db, COLLECTIONS.visitSettings, SETTINGS_ID);
  return doc?.cadence ?? DEFAULT_CADENCE;
}

/** Append one line to the access log: who, what, when. Never throws into the caller's answer path. */
export async function recordAccess(
  ctx: Pick<HandlerContext, 'db' | 'openid' | 'role' | 'requestId'>,
  action: AccessAction,
  elder: { id: string | null; name: string | null },
  detail = '',
): Promise<void> {
  const doc: Omit<AccessLogDoc, '_id' | 'at'> & { at: ReturnType<Database['serverDate']> } = {
    _openid: ctx.openid,
    actorRole: ctx.role,
    action,
    elderId: elder.id,
    elderName: elder.name,
    detail: detail.slice(0, 200),
    at: ctx.db.serverDate(),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
  await ctx.db.collection<AccessLogDoc>(COLLECTIONS.elderAccessLog).add({ data: doc });
}

export function statusView(s: VisitStatus): VisitStatusView {
  return {
    state: s.state,
    dueAt: s.dueAt.toISOString(),
    dueDate: s.dueDate,
    reason: s.reason,
    daysLeft: s.daysLeft,
  };
}

export function elderStatus(doc: ElderDoc, now: Date, cadence: CadenceConfig): VisitStatus {
  return visitStatus(
    {
      riskLevel: doc.riskLevel,
      addedAt: doc.addedAt,
      lastContactAt: doc.lastContactAt,
      notAtHomeAt: doc.notAtHomeAt,
      flaggedChangeAt: doc.flaggedChangeAt,
    },
    now,
    cadence,
  );
}

export function listItem(
  doc: ElderDoc,
  status: VisitStatus,
  volunteerNames: string[],
): ElderListItem {
  return {
    id: doc._id,
    name: doc.name,
    age: doc.age,
    maskedAddress: maskAddress(doc),
    maskedPhone: maskPhone(doc.phone),
    livingSituation: doc.livingSituation,
    riskLevel: doc.riskLevel,
    archived: doc.status === 'archived',
    pairedCount: doc.pairedOpenids.length,
    volunteers: volunteerNames,
    lastVisitAt: doc.lastVisitAt ? isoString(doc.lastVisitAt) : null,
    lastOutcome: doc.lastOutcome,
    openFlags: doc.openFlags,
    status: statusView(status),
    sample: doc.sample === true,
  };
}

export function visitView(doc: VisitDoc, volunteer: string): VisitView {
  return {
    id: doc._id,
    elderId: doc.elderId,
    volunteer,
    startAt: isoString(doc.startAt),
    endAt: isoString(doc.endAt),
    minutes: doc.minutes,
    outcome: doc.outcome,
    checklist: doc.checklist,
    notes: doc.notes,
    photo: doc.photo,
    urgent: doc.urgent,
    urgentNote: doc.urgentNote,
    serviceStatus: doc.serviceStatus,
    receivedAt: isoString(doc.receivedAt),
  };
}

export function pairingView(doc: PairingDoc, maskedName: string): PairingView {
  return {
    elderId: doc.elderId,
    openid: doc.openid,
    maskedName,
    claimId: doc.claimId,
    active: doc.active,
    pairedAt: isoString(doc.pairedAt),
  };
}

export function flagView(doc: FlagDoc, raisedBy: string, acknowledgedBy: string | null): Flag {
  return {
    id: doc._id,
    elderId: doc.elderId,
    elderName: doc.elderName,
    visitId: doc.visitId,
    note: doc.note,
    raisedBy,
    raisedAt: isoString(doc.raisedAt),
    lastRaisedAt: isoString(doc.lastRaisedAt),
    raiseCount: doc.raiseCount,
    status: doc.status,
    acknowledgedAt: doc.acknowledgedAt ? isoString(doc.acknowledgedAt) : null,
    acknowledgedBy,
    acknowledgeNote: doc.acknowledgeNote ?? '',
  };
}

/** Masked real names of volunteers (their registration), or the nickname, by openid. */
export async function maskedNames(
  db: Database,
  openids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(openids)].filter((o) => o.length > 0);
  const out = new Map<string, string>();
  const _ = db.command;
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { data } = await db
      .collection<VolunteerDoc>(COLLECTIONS.volunteers)
      .where({ _id: _.in(chunk) })
      .limit(100)
      .get();
    for (const v of data) out.set(v._id, maskName(v.name));
    const missing = chunk.filter((o) => !out.has(o));
    if (missing.length > 0) {
      const users = await db
        .collection<UserDoc>(COLLECTIONS.users)
        .where({ _id: _.in(missing) })
        .limit(100)
        .get();
      for (const u of users.data)
        out.set(
          u._id,
          u.profile?.nickname
            ? maskName(u.profile.nickname.replace(/（示例）$/, ''))
            : '（未登记）',
        );
    }
  }
  return out;
}

/** Every secretary: stored role, and those named in LINLI_SECRETARY_OPENIDS. */
export async function secretaryOpenids(
  db: Database,
  configured: ReadonlySet<string>,
): Promise<string[]> {
  const stored = await db
    .collection<UserDoc>(COLLECTIONS.users)
    .where({ role: 'secretary' })
    .limit(100)
    .get();
  return [...new Set([...configured, ...stored.data.map((u) => u._id)])];
}

/** Best effort: one subscribe message; consent may be used up (43101). True when sent. */
export async function sendSubscribeMessage(
  touser: string,
  templateId: string,
  page: string,
  data: Record<string, { value: string }>,
): Promise<boolean> {
  try {
    await sdk().openapi.subscribeMessage.send({ touser, templateId, page, data });
    return true;
  } catch (error) {
    console.warn(
      '[visits] subscribe message not sent',
      (error as { errCode?: number }).errCode ?? error,
    );
    return false;
  }
}
