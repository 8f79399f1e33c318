import { maskName } from '../../../src/domain/volunteer/registration';
import { COLLECTIONS, type Database, type UserDoc, byIds } from '../../_shared';
import type { VolunteerDoc } from '../../_shared/volunteering';
import type { ElderDoc } from '../docs';

/** Names as lists show them, read in batches of 100 (byIds): volunteers masked, elders by id. */

export const UNREGISTERED = '（未登记）';

/** The name read for `openid`, or `fallback` when there is none. */
export function nameOr(
  names: ReadonlyMap<string, string>,
  openid: string,
  fallback = UNREGISTERED,
): string {
  return names.get(openid) ?? fallback;
}

/** A nickname as a masked name (a sample account's "（示例）" dropped); none: unregistered. */
function maskedNickname(user: UserDoc): string {
  const nickname = user.profile?.nickname;
  return nickname ? maskName(nickname.replace(/（示例）$/, '')) : UNREGISTERED;
}

/** Masked real names of volunteers (their registration), or the masked nickname, by openid. */
export async function maskedNames(
  db: Database,
  openids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const volunteers = await byIds<VolunteerDoc>(db, COLLECTIONS.volunteers, openids);
  for (const v of volunteers.values()) out.set(v._id, maskName(v.name));
  const missing = openids.filter((o) => !out.has(o));
  const users = await byIds<UserDoc>(db, COLLECTIONS.users, missing);
  for (const u of users.values()) out.set(u._id, maskedNickname(u));
  return out;
}

/** One volunteer's masked name (unregistered when there is none). */
export async function maskedName(db: Database, openid: string): Promise<string> {
  return nameOr(await maskedNames(db, [openid]), openid);
}

/** Elders' names by id. */
export async function elderNames(
  db: Database,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const elders = await byIds<ElderDoc>(db, COLLECTIONS.elders, ids);
  return new Map([...elders.values()].map((e) => [e._id, e.name]));
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
