import type { Role } from '../../src/domain/account/roles';
import type { Profile } from '../../src/domain/account/profile';
import type { Space, SpaceService } from '../../src/domain/space/space';

/**
 * Collection names and the shape each stores. Every collection used here is declared, with its
 * indexes, in cloudfunctions/database/indexes.json.
 */
export const COLLECTIONS = {
  users: 'users',
  audit: 'audit',
  spaces: 'spaces',
  services: 'services',
} as const;

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

/** A stored document: the domain shape with its `id` kept as the document's `_id`. */
export type StoredAs<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

/** A community life space. `_id` is the space id used in entrance QR codes (e.g. "r29"). */
export type SpaceDoc = StoredAs<Space>;

/** One service offered in a space (booking adds its rules to the same document). */
export type ServiceDoc = StoredAs<SpaceService>;
