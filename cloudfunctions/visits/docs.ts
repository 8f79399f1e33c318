import type { CadenceConfig, RiskLevel } from '../../src/domain/visits/cadence';
import type { ConsentBy, EmergencyContact, LivingSituation } from '../../src/domain/visits/elder';
import type { FlagStatus } from '../../src/domain/visits/flags';
import type { CheckItem, CheckValue, VisitOutcome } from '../../src/domain/visits/visit-log';
import type { AccessAction } from '../../src/domain/contract/visits';

export interface ElderDoc {
  _id: string;
  /** The secretary who added the elder. */
  _openid: string;
  name: string;
  age: number;
  building: string;
  unit: string;
  room: string;
  livingSituation: LivingSituation;
  riskLevel: RiskLevel;
  phone: string;
  emergencyContacts: EmergencyContact[];
  notes: string;
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
}

export interface PairingDoc {
  _id: string;
  _openid: string;
  elderId: string;
  openid: string;
  claimId: string | null;
  postId: string | null;
  active: boolean;
  pairedAt: Date;
  pairedBy: string;
  endedAt?: Date;
  /**
   * Keys of the requests (secretary + request id, `changeRequestKey`) that paired or unpaired this
   * volunteer and elder, the latest REQUESTS_KEPT: a retry of one answers what it recorded.
   */
  requests?: string[];
  sample?: boolean;
}

export interface VisitDoc {
  _id: string;
  /** The volunteer. */
  _openid: string;
  elderId: string;
  startAt: Date;
  endAt: Date;
  minutes: number;
  outcome: VisitOutcome;
  checklist: Record<CheckItem, CheckValue>;
  notes: string;
  photo: string;
  urgent: boolean;
  urgentNote: string;
  /** Id of the volunteer service record this visit became ('' when it lasted under a minute). */
  serviceId: string;
  serviceStatus: 'closed' | 'confirmed' | 'none';
  receivedAt: Date;
  sample?: boolean;
}

export interface FlagDoc {
  _id: string;
  _openid: string;
  elderId: string;
  elderName: string;
  visitId: string;
  note: string;
  raisedAt: Date;
  lastRaisedAt: Date;
  raiseCount: number;
  status: FlagStatus;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  acknowledgeNote?: string;
}

export interface AccessLogDoc {
  _id: string;
  /** The actor. */
  _openid: string;
  actorRole: string;
  action: AccessAction;
  elderId: string | null;
  elderName: string | null;
  detail: string;
  at: Date;
  requestId?: string;
}

export interface VisitSettingsDoc {
  _id: string;
  cadence: CadenceConfig;
  updatedAt?: Date;
  updatedBy?: string;
  /** Keys of the saveSettings requests that changed it (`changeRequestKey`), the latest REQUESTS_KEPT. */
  requests?: string[];
}

export interface ReminderDoc {
  _id: string;
  elderId: string;
  date: string;
  sentTo: string[];
  at: Date;
}
