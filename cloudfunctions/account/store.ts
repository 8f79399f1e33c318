import { isRoleChange } from '../../src/domain/account/administration';
import { type ProfileUpdate, profileChanges } from '../../src/domain/account/profile';
import type { Role } from '../../src/domain/account/roles';
import {
  type AuditDoc,
  COLLECTIONS,
  type Database,
  type Query,
  type UserDoc,
  getOrNull,
  transact,
} from '../_shared';
import type { AccountDoc } from './docs';

/** Reads and writes of accounts (COLLECTIONS.users) and their role changes (COLLECTIONS.audit). */

const PROFILE_REQUESTS_KEPT = 20;

export async function loadAccount(db: Database, openid: string): Promise<AccountDoc | null> {
  return getOrNull<AccountDoc>(db, COLLECTIONS.users, openid);
}

/**
 * Write the changed profile fields only where this request is not yet recorded; the key is
 * pushed, so concurrent edits of different fields keep both their fields and their keys.
 */
export async function updateProfileOnce(
  db: Database,
  openid: string,
  update: ProfileUpdate,
  requestKey: string,
): Promise<void> {
  const _ = db.command;
  await db
    .collection<AccountDoc>(COLLECTIONS.users)
    .where({ _id: openid, profileRequests: _.neq(requestKey) })
    .update({
      data: {
        profile: profileChanges(update),
        profileRequests: _.push({ each: [requestKey], slice: -PROFILE_REQUESTS_KEPT }),
        updatedAt: db.serverDate(),
      },
    });
}

export interface RoleChange {
  actor: string;
  target: string;
  role: Role;
  /** Follows from the secretary and the request, so a retry finds the entry it wrote. */
  auditId: string;
  /** WeChat's id of this invocation, kept on the audit entry when reported. */
  invocationId?: string;
}

/**
 * The role and its audit entry, written together or not at all. A retry (or a copy that lost the
 * race) finds the entry and answers the account as it is now, without setting its role over a
 * later change. Null: no such account.
 */
export async function setRoleRecorded(db: Database, change: RoleChange): Promise<UserDoc | null> {
  const { actor, target, role, auditId, invocationId } = change;
  return transact(db, async (tx) => {
    const users = tx.collection<UserDoc>(COLLECTIONS.users);
    const found = await users.doc(target).get();
    if (!found.data) return null;
    const audit = tx.collection<AuditDoc>(COLLECTIONS.audit);
    const recorded = (await audit.doc(auditId).get()).data;
    if (recorded?.targetOpenid === target) return found.data;
    const from = found.data.role;
    if (isRoleChange(from, role)) {
      await users.doc(target).update({ data: { role, updatedAt: db.serverDate() } });
      await audit.doc(auditId).set({
        data: {
          _openid: actor,
          kind: 'role-changed',
          actorOpenid: actor,
          targetOpenid: target,
          from,
          to: role,
          at: db.serverDate(),
          ...(invocationId ? { requestId: invocationId } : {}),
        },
      });
    }
    return { ...found.data, role };
  });
}

/** One page of accounts, newest first, filtered on the stored role. */
export async function listAccountsPage(
  db: Database,
  role: Role | undefined,
  skip: number,
  limit: number,
): Promise<UserDoc[]> {
  const users = db.collection<UserDoc>(COLLECTIONS.users);
  const filtered: Query<UserDoc> = role ? users.where({ role }) : users;
  const { data } = await filtered
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .skip(skip)
    .limit(limit)
    .get();
  return data;
}
