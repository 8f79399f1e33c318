import * as v from 'valibot';
import { openidList } from '../shared/config-list';

/** Who a caller is to Linli. Every new openid starts as a resident. */
export const ROLES = ['resident', 'volunteer', 'secretary'] as const;
export type Role = (typeof ROLES)[number];
export const DEFAULT_ROLE: Role = 'resident';

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  secretary: '社区书记',
};

export const roleSchema = v.picklist(ROLES, '角色只能是居民、志愿者或社区书记');

/**
 * The first secretaries come from configuration: a comma-separated list of openids in the
 * function's environment variable LINLI_SECRETARY_OPENIDS. Configuration only ever grants the
 * secretary role; it never takes a role away.
 */
export function configuredSecretaries(raw: string | undefined): ReadonlySet<string> {
  return openidList(raw);
}

/** The role a caller acts with: a configured secretary is a secretary whatever is stored. */
export function effectiveRole(
  stored: Role | undefined,
  openid: string,
  secretaries: ReadonlySet<string>,
): Role {
  if (secretaries.has(openid)) return 'secretary';
  return stored ?? DEFAULT_ROLE;
}

/** May `actor` give `target` the role `next`? Only secretaries assign roles, never to themselves. */
export function canAssignRole(
  actor: { openid: string; role: Role },
  targetOpenid: string,
): boolean {
  return actor.role === 'secretary' && actor.openid !== targetOpenid;
}
