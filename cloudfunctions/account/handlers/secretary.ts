import {
  ACCOUNTS_PAGE_SIZE,
  ROLE_CHANGE_MESSAGES,
  USER_NOT_FOUND,
  roleChangeRefusal,
} from '../../../src/domain/account/administration';
import type { accountContract } from '../../../src/domain/contract/account';
import { pageWindow, takePage } from '../../../src/domain/shared/paging';
import { fail, ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, requestDocId, secretariesFromEnv } from '../../_shared';
import { accountView } from '../docs';
import { listAccountsPage, setRoleRecorded } from '../store';

/** Audit entries of role changes: this prefix + a hash of the secretary and the request id. */
const ROLE_CHANGE_PREFIX = 'role_';

/** The secretary's management of roles. */
export const secretaryHandlers = {
  async setRole({ openid: target, role, clientRequestId }, ctx) {
    const refusal = roleChangeRefusal(ctx, target);
    if (refusal) return fail(refusal, ROLE_CHANGE_MESSAGES[refusal]);
    const auditId = requestDocId(ROLE_CHANGE_PREFIX, ctx.openid, clientRequestId);
    const change = { actor: ctx.openid, target, role, auditId, invocationId: ctx.requestId };
    const changed = await setRoleRecorded(ctx.db, change);
    if (!changed) return fail(USER_NOT_FOUND.code, USER_NOT_FOUND.message);
    return ok(accountView(changed, secretariesFromEnv()));
  },

  async listAccounts({ role, page }, ctx) {
    const { skip, limit } = pageWindow(page, ACCOUNTS_PAGE_SIZE);
    const docs = await listAccountsPage(ctx.db, role, skip, limit);
    const { items, hasMore } = takePage(docs, ACCOUNTS_PAGE_SIZE);
    // Filtered on the stored role; configured secretaries are shown with their acting role.
    const secretaries = secretariesFromEnv();
    return ok({ accounts: items.map((doc) => accountView(doc, secretaries)), hasMore });
  },
} satisfies HandlerGroup<typeof accountContract>;
