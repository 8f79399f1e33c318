import { COMMON_ERROR_MESSAGES } from '../shared/result';
import type { Role } from './roles';

/** The secretary's list of people shows this many accounts a page. */
export const ACCOUNTS_PAGE_SIZE = 20;

/** Why a role change is refused, named after the rule it breaks. */
export type RoleChangeRefusal = 'FORBIDDEN' | 'CANNOT_CHANGE_OWN_ROLE';

/**
 * Only a secretary gives roles, and never to themselves (a secretary cannot lock themselves out
 * or promote themselves; another secretary has to do it).
 */
export function roleChangeRefusal(
  actor: { openid: string; role: Role },
  targetOpenid: string,
): RoleChangeRefusal | null {
  if (actor.role !== 'secretary') return 'FORBIDDEN';
  if (actor.openid === targetOpenid) return 'CANNOT_CHANGE_OWN_ROLE';
  return null;
}

/** A role change that changes nothing is not recorded. */
export function isRoleChange(from: Role, to: Role): boolean {
  return from !== to;
}

/** What a refused role change tells the secretary. */
export const ROLE_CHANGE_MESSAGES: Record<RoleChangeRefusal, string> = {
  FORBIDDEN: COMMON_ERROR_MESSAGES.FORBIDDEN,
  CANNOT_CHANGE_OWN_ROLE: '不能修改自己的角色，请让另一位社区书记操作',
};

/** The person a role was to be given to has never opened the mini-program. */
export const USER_NOT_FOUND = {
  code: 'USER_NOT_FOUND',
  message: '找不到这位用户，请确认对方已打开过小程序',
} as const;
