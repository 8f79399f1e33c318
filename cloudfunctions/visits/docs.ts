import type {
  AccessEntry,
  ElderListItem,
  ElderRecord,
  Flag,
  PairingView,
  PendingService,
  VisitSettings,
  VisitStatusView,
  VisitView,
} from '../../src/domain/contract/visits';
import { type CadenceConfig, type VisitStatus, visitStatus } from '../../src/domain/visits/cadence';
import {
  PURPOSE_STATEMENT,
  PURPOSE_TITLE,
  PURPOSE_VERSION,
  type ConsentBy,
  type ElderDraft,
  fullAddress,
  maskAddress,
  maskPhone,
} from '../../src/domain/visits/elder';
import type { VisitOutcome } from '../../src/domain/visits/visit-log';
import { shanghaiDate } from '../../src/domain/shared/time';
import { isoString } from '../_shared/json';
import type { Stored } from '../_shared/stored';

/**
 * The visits function's own stored documents, each derived from its domain or contract type
 * (Stored<T>), with the one view mapper that turns it into the contract's JSON shape.
 * Collections: COLLECTIONS in _shared/collections.ts.
 */

export type ElderDoc = Stored<Omit<ElderDraft, 'consent'>> & {
  /** The secretary who added the elder. */
  _openid: string;
  consentVersion: string;
  consentBy: ConsentBy;
  consentAt: Date;
  status: 'active' | 'archived';
  archivedReason?: string;
  /** Openids of the volunteers paired now; kept with the pairing documents in one transaction. */
  pairedOpenids: string[];
  addedAt: Date;
  updatedAt?: Date;
  updatedBy?: string;
  lastContactAt: Date | null;
  notAtHomeAt: Date | null;
  flaggedChangeAt: Date | null;
  lastVisitAt: Date | null;
  lastOutcome: VisitOutcome | null;
  openFlags: number;
  /** Keys of the saveElder requests that changed this record (`changeRequestKey`), the latest REQUESTS_KEPT. */
  requests?: string[];
  sample?: boolean;
};

/** `_id` = pairId(elderId, openid): one pairing per volunteer and elder. */
export type PairingDoc = Stored<Omit<PairingView, 'maskedName'>, 'pairedAt'> & {
  _openid: string;
  postId: string | null;
  pairedBy: string;
  endedAt?: Date;
  /**
   * Keys of the requests (secretary + request id, `changeRequestKey`) that paired or unpaired this
   * volunteer and elder, the latest REQUESTS_KEPT: a retry of one answers what it recorded.
   */
  requests?: string[];
  sample?: boolean;
};

/** `_id` = the client's visit id. */
export type VisitDoc = Stored<Omit<VisitView, 'volunteer'>, 'startAt' | 'endAt' | 'receivedAt'> & {
  /** The volunteer. */
  _openid: string;
  /** Id of the volunteer service record this visit became ('' when it lasted under a minute). */
  serviceId: string;
  sample?: boolean;
};

/** `_id` = 'flag_' + visit id: one flag per urgent visit. */
export type FlagDoc = Stored<
  Omit<
    Flag,
    | 'raisedBy'
    | 'acknowledgedAt'
    | 'acknowledgedBy'
    | 'acknowledgeNote'
    | 'notifiedSecretaries'
    | 'messagedSecretaries'
  >,
  'raisedAt' | 'lastRaisedAt'
> & {
  _openid: string;
  /** Who the last raise reached (see store/notify.ts); absent before the first raise completes. */
  notifiedOpenids?: string[];
  messagedOpenids?: string[];
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  acknowledgeNote?: string;
};

export type AccessLogDoc = Stored<Omit<AccessEntry, 'actor' | 'actorName'>, 'at'> & {
  /** The actor. */
  _openid: string;
  requestId?: string;
};

/** `_id` = SETTINGS_ID: the one settings document. */
export type VisitSettingsDoc = Stored<Pick<VisitSettings, 'cadence'> & { id: string }> & {
  updatedAt?: Date;
  updatedBy?: string;
  /** Keys of the saveSettings requests that changed it (`changeRequestKey`), the latest REQUESTS_KEPT. */
  requests?: string[];
};

/** `_id` = elderId + '_' + date: one due reminder per elder per day. */
export interface ReminderDoc {
  _id: string;
  elderId: string;
  date: string;
  sentTo: string[];
  at: Date;
}

export function settingsView(cadence: CadenceConfig): VisitSettings {
  return {
    cadence,
    purpose: { version: PURPOSE_VERSION, title: PURPOSE_TITLE, statement: PURPOSE_STATEMENT },
  };
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

/** An elder's visit status by the one cadence rule. */
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

/** An elder in a list: phone and address masked. */
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

/** The whole record, with the pairings and recent visits the caller may see. */
export function elderRecordView(
  doc: ElderDoc,
  list: ElderListItem,
  pairings: PairingView[],
  recentVisits: VisitView[],
): ElderRecord {
  return {
    ...list,
    building: doc.building,
    unit: doc.unit,
    room: doc.room,
    address: fullAddress(doc),
    phone: doc.phone,
    emergencyContacts: doc.emergencyContacts,
    notes: doc.notes,
    consent: { version: doc.consentVersion, by: doc.consentBy, at: isoString(doc.consentAt) },
    addedAt: isoString(doc.addedAt),
    updatedAt: doc.updatedAt ? isoString(doc.updatedAt) : null,
    pairings,
    recentVisits,
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

/** A visit whose service time waits for the secretary's confirmation. */
export function pendingServiceView(
  doc: VisitDoc,
  elderName: string,
  volunteer: string,
): PendingService {
  return {
    visitId: doc._id,
    elderName,
    volunteer,
    openid: doc._openid,
    date: shanghaiDate(doc.startAt),
    minutes: doc.minutes,
    outcome: doc.outcome,
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
    notifiedSecretaries: doc.notifiedOpenids?.length ?? 0,
    messagedSecretaries: doc.messagedOpenids?.length ?? 0,
  };
}

export function accessEntryView(doc: AccessLogDoc, actorName: string): AccessEntry {
  return {
    id: doc._id,
    actor: doc._openid,
    actorName,
    actorRole: doc.actorRole,
    action: doc.action,
    elderId: doc.elderId,
    elderName: doc.elderName,
    detail: doc.detail,
    at: isoString(doc.at),
  };
}
