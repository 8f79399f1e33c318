import type { Role } from '../../src/domain/account/roles';
import type { Profile } from '../../src/domain/account/profile';
import type { Space, SpaceService } from '../../src/domain/space/space';
import type { Stored } from './stored';

/**
 * The one registry of collection names: every collection any function reads or writes, by the
 * name the code uses. Each is declared, with its indexes, in cloudfunctions/database/indexes.json
 * (a test holds the two together). Functions name collections only through this table.
 */
export const COLLECTIONS = {
  // accounts and spaces (every function)
  users: 'users',
  audit: 'audit',
  spaces: 'spaces',
  services: 'services',
  timerRuns: 'timer_runs',
  // booking
  bookings: 'bookings',
  slotCounters: 'slotCounters',
  /** One per person and service: the per-person booking limits. */
  bookingQuotas: 'bookingQuotas',
  // circle
  /** Places (POIs); `location` has a 2dsphere index. */
  circlePlaces: 'circle_places',
  /** Residents' requests for a missing service; unique per (openid, category). */
  circleRequests: 'circle_requests',
  // volunteering
  volunteers: 'volunteers',
  volunteerSettings: 'volunteer_settings',
  volunteerLists: 'volunteer_lists',
  volunteerPosts: 'volunteer_posts',
  volunteerClaims: 'volunteer_claims',
  /** Service records: one per claim per day, and one per confirmed elder visit. */
  serviceRecords: 'volunteer_services',
  /** Append-only. `_id` is the entry's request key; nothing is updated or removed. */
  ledger: 'ledger',
  /** A per-volunteer cache of the ledger summary, written only in the same transaction as an entry. */
  balances: 'volunteer_balances',
  rewards: 'rewards',
  redemptions: 'redemptions',
  volunteerFeedback: 'volunteer_feedback',
  // elder visits
  elders: 'elders',
  /** `_id` = elderId + '__' + openid: one pairing per volunteer per elder. */
  elderPairings: 'elder_pairings',
  /** `_id` = the client's visit id: a visit is stored once. */
  elderVisits: 'elder_visits',
  /** `_id` = 'flag_' + visit id. */
  elderFlags: 'elder_flags',
  /** Who saw or changed what, and every refused access. Append-only. */
  elderAccessLog: 'elder_access_log',
  visitSettings: 'visit_settings',
  /**
   * `_id` = openid + '.' + template id: subscribe messages a person allowed and the app has not
   * yet used (WeChat keeps the real count and does not tell; this is the app's own tally).
   */
  subscribeGrants: 'subscribe_grants',
  /** `_id` = elderId + '_' + YYYY-MM-DD: one due reminder per elder per day. */
  visitReminders: 'visit_reminders',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** One person. `_id` is the openid, so a second insert for the same person is refused. */
export interface UserDoc {
  _id: string;
  /** Same as `_id`; written explicitly because function writes get no automatic `_openid`. */
  _openid: string;
  /** The stored role; a configured secretary acts as secretary whatever is stored here. */
  role: Role;
  profile: Profile;
  createdAt: Date;
  updatedAt?: Date;
}

/** Something a secretary did that must be traceable: who, what, when. */
export interface AuditDoc {
  _id: string;
  /** The actor. */
  _openid: string;
  kind: 'role-changed';
  actorOpenid: string;
  targetOpenid: string;
  from: Role;
  to: Role;
  at: Date;
  /** The function invocation that did it, when WeChat reports one. */
  requestId?: string;
}

/** A community life space. `_id` is the space id used in entrance QR codes (e.g. "r29"). */
export type SpaceDoc = Stored<Space>;

/** One service offered in a space (booking adds its rules to the same document). */
export type ServiceDoc = Stored<SpaceService>;
