import { applyProfileUpdate, profileChangeApplied } from '../../../src/domain/account/profile';
import type { accountContract } from '../../../src/domain/contract/account';
import { ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, accountFromDoc, requestDocId } from '../../_shared';
import { loadAccount, updateProfileOnce } from '../store';

/** The caller's own account: who they are, and their profile. */
export const selfHandlers = {
  async whoami(_input, ctx) {
    return ok({ ...ctx.account, configuredSecretary: ctx.configuredSecretary });
  },

  async updateProfile({ clientRequestId, ...update }, ctx) {
    const key = requestDocId('', ctx.openid, clientRequestId);
    const stored = await loadAccount(ctx.db, ctx.openid);
    // A retry of a change that was recorded answers the account as it is now.
    if (stored && profileChangeApplied(stored, key)) return ok(accountFromDoc(stored, ctx.role));
    await updateProfileOnce(ctx.db, ctx.openid, update, key);
    return ok({ ...ctx.account, profile: applyProfileUpdate(ctx.account.profile, update) });
  },
} satisfies HandlerGroup<typeof accountContract>;
