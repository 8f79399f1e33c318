import * as v from 'valibot';
import { defineAction } from './define';
import type { Account } from '../account/profile';
import { profileUpdateSchema } from '../account/profile';
import { roleSchema } from '../account/roles';
import { clientRequestIdSchema } from '../shared/request-id';

export const OPENID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;
export const openidSchema = v.pipe(
  v.string('用户标识必须是文字'),
  v.regex(OPENID_PATTERN, '用户标识格式不正确'),
);

export interface WhoAmI extends Account {
  /** True when the secretary role comes from configuration (LINLI_SECRETARY_OPENIDS). */
  configuredSecretary: boolean;
}

export const accountContract = {
  /** The caller's account, created as a resident on first call. */
  whoami: defineAction<WhoAmI>()(v.strictObject({})),
  /**
   * Change one's own nickname, avatar or elder mode. A retry of the same request (same `clientRequestId`)
   * answers the account as it is now, without writing its fields over a later change.
   */
  updateProfile: defineAction<Account>()(
    v.strictObject(
      { ...profileUpdateSchema.entries, clientRequestId: clientRequestIdSchema },
      '资料格式不正确',
    ),
  ),
  /**
   * Secretary only: give another person a role. A retry of the same request (same `clientRequestId`)
   * answers the account as it is now, never undoing a later change.
   */
  setRole: defineAction<Account>()(
    v.strictObject({
      openid: openidSchema,
      role: roleSchema,
      clientRequestId: clientRequestIdSchema,
    }),
    ['USER_NOT_FOUND', 'CANNOT_CHANGE_OWN_ROLE'] as const,
  ),
  /** Secretary only: people by role, newest first, 20 a page. */
  listAccounts: defineAction<{ accounts: Account[]; hasMore: boolean }>()(
    v.strictObject({
      role: v.optional(roleSchema),
      page: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(500)), 0),
    }),
  ),
};
