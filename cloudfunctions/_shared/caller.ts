import type { Account } from '../../src/domain/account/profile';
import { EMPTY_PROFILE } from '../../src/domain/account/profile';
import type { Role } from '../../src/domain/account/roles';
import { DEFAULT_ROLE, configuredSecretaries, effectiveRole } from '../../src/domain/account/roles';
import { COLLECTIONS, type UserDoc } from './collections';
import type { Database } from './db';
import { isoString } from './json';

/** Who is calling, as established by the router before any handler runs. */
export interface Caller {
  openid: string;
  /** The role the caller acts with (configuration can make it secretary). */
  role: Role;
  /** The caller's account as stored, with `role` being the effective one. */
  account: Account;
  /** True when the secretary role comes from LINLI_SECRETARY_OPENIDS. */
  configuredSecretary: boolean;
}

/** The stored document as the JSON account the contract speaks of. */
export function accountFromDoc(doc: UserDoc, role: Role = doc.role): Account {
  return {
    openid: doc._id,
    role,
    profile: { ...EMPTY_PROFILE, ...doc.profile },
    createdAt: isoString(doc.createdAt),
  };
}

/** The secretaries named in the function's environment (comma-separated openids). */
export function secretariesFromEnv(): ReadonlySet<string> {
  return configuredSecretaries(process.env.LINLI_SECRETARY_OPENIDS);
}

/**
 * The caller's account, created as a resident the first time an openid is seen. The document id
 * is the openid, so when two first calls race, the second insert is refused by the store and that
 * call reads the document the first one wrote.
 */
export async function loadOrCreateUser(db: Database, openid: string): Promise<UserDoc> {
  const users = db.collection<UserDoc>(COLLECTIONS.users);
  const existing = await users.doc(openid).get();
  if (existing.data) return existing.data;
  try {
    await users.add({
      data: {
        _id: openid,
        _openid: openid,
        role: DEFAULT_ROLE,
        profile: { ...EMPTY_PROFILE },
        createdAt: db.serverDate(),
      },
    });
  } catch (insertError) {
    // Most likely a concurrent first call created it; anything else surfaces below.
    const raced = await users.doc(openid).get();
    if (raced.data) return raced.data;
    throw insertError;
  }
  // Read back for the server-assigned createdAt.
  const created = await users.doc(openid).get();
  if (!created.data) throw new Error(`user ${openid} missing right after insert`);
  return created.data;
}

export async function resolveCaller(
  db: Database,
  openid: string,
  secretaries: ReadonlySet<string>,
): Promise<Caller> {
  const doc = await loadOrCreateUser(db, openid);
  const role = effectiveRole(doc.role, openid, secretaries);
  return {
    openid,
    role,
    account: accountFromDoc(doc, role),
    configuredSecretary: secretaries.has(openid),
  };
}
