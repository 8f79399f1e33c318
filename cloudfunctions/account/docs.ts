import type { Account } from '../../src/domain/account/profile';
import { effectiveRole } from '../../src/domain/account/roles';
import { type UserDoc, accountFromDoc } from '../_shared';

/**
 * The account function's documents. `UserDoc` and `AuditDoc` are shared (_shared/collections.ts:
 * every function resolves its caller from `users`); this function adds what only it writes.
 */

/** The stored account with the keys of the updateProfile requests that changed it (the latest PROFILE_REQUESTS_KEPT). */
export type AccountDoc = UserDoc & { profileRequests?: string[] };

/** The account as the contract speaks of it, with the role it acts with (configuration can make it secretary). */
export function accountView(doc: UserDoc, secretaries: ReadonlySet<string>): Account {
  return accountFromDoc(doc, effectiveRole(doc.role, doc._id, secretaries));
}
