import { accountContract } from '../../src/domain/contract/account';
import {
  ACCOUNTS_PAGE_SIZE,
  isRoleChange,
  roleChangeRefusal,
} from '../../src/domain/account/administration';
import { applyProfileUpdate, type ProfileUpdate } from '../../src/domain/account/profile';
import { effectiveRole } from '../../src/domain/account/roles';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { COMMON_ERROR_MESSAGES, fail, ok } from '../../src/domain/shared/result';
import {
  COLLECTIONS,
  type AuditDoc,
  type Query,
  type UserDoc,
  type WritePatch,
  accountFromDoc,
  createRouter,
  requestDocId,
  secretariesFromEnv,
  transact,
} from '../_shared';

/** The stored account with the keys of the updateProfile requests that changed it (the latest PROFILE_REQUESTS_KEPT). */
type ProfileRequestsDoc = UserDoc & { profileRequests?: string[] };
const PROFILE_REQUESTS_KEPT = 20;

/** Audit entries of role changes: this prefix + a hash of the secretary and the request id. */
const ROLE_CHANGE_PREFIX = 'role_';

/** Who the caller is, their profile, and the secretary's management of roles. */

/** Only the fields the person changed, so concurrent edits of different fields both survive. */
function profilePatch(update: ProfileUpdate): WritePatch<UserDoc['profile']> {
  const patch: WritePatch<UserDoc['profile']> = {};
  if (update.nickname !== undefined) patch.nickname = update.nickname;
  if (update.avatarUrl !== undefined) patch.avatarUrl = update.avatarUrl;
  if (update.elderMode !== undefined) patch.elderMode = update.elderMode;
  return patch;
}

export const main = createRouter(
  accountContract,
  {
    async whoami(_input, ctx) {
      return ok({ ...ctx.account, configuredSecretary: ctx.configuredSecretary });
    },

    async updateProfile({ requestId, ...update }, ctx) {
      const users = ctx.db.collection<ProfileRequestsDoc>(COLLECTIONS.users);
      const key = requestDocId('', ctx.openid, requestId);
      const stored = (await users.doc(ctx.openid).get()).data;
      // A retry of a change that was recorded answers the account as it is now.
      if (stored?.profileRequests?.includes(key)) return ok(accountFromDoc(stored, ctx.role));
      const _ = ctx.db.command;
      // Only where this request is not yet recorded; the key is pushed, so concurrent edits of
      // different fields keep both their fields and their keys.
      await users.where({ _id: ctx.openid, profileRequests: _.neq(key) }).update({
        data: {
          profile: profilePatch(update),
          profileRequests: _.push({ each: [key], slice: -PROFILE_REQUESTS_KEPT }),
          updatedAt: ctx.db.serverDate(),
        },
      });
      return ok({ ...ctx.account, profile: applyProfileUpdate(ctx.account.profile, update) });
    },

    async setRole({ openid: target, role, requestId }, ctx) {
      const refusal = roleChangeRefusal(ctx, target);
      if (refusal === 'FORBIDDEN') return fail('FORBIDDEN', COMMON_ERROR_MESSAGES.FORBIDDEN);
      if (refusal === 'CANNOT_CHANGE_OWN_ROLE') {
        return fail('CANNOT_CHANGE_OWN_ROLE', '不能修改自己的角色，请让另一位社区书记操作');
      }
      // The role and its audit entry are written together or not at all. The entry's id follows
      // from the secretary and the request: a retry (or a copy that lost the race) finds it and
      // answers the account as it is now, without setting its role over a later change.
      const auditId = requestDocId(ROLE_CHANGE_PREFIX, ctx.openid, requestId);
      const changed = await transact(ctx.db, async (tx) => {
        const users = tx.collection<UserDoc>(COLLECTIONS.users);
        const found = await users.doc(target).get();
        if (!found.data) return null;
        const audit = tx.collection<AuditDoc>(COLLECTIONS.audit);
        const recorded = (await audit.doc(auditId).get()).data;
        if (recorded?.targetOpenid === target) return found.data;
        const from = found.data.role;
        if (isRoleChange(from, role)) {
          await users.doc(target).update({ data: { role, updatedAt: ctx.db.serverDate() } });
          await audit.doc(auditId).set({
            data: {
              _openid: ctx.openid,
              kind: 'role-changed',
              actorOpenid: ctx.openid,
              targetOpenid: target,
              from,
              to: role,
              at: ctx.db.serverDate(),
              ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
            },
          });
        }
        return { ...found.data, role };
      });
      if (!changed) return fail('USER_NOT_FOUND', '找不到这位用户，请确认对方已打开过小程序');
      return ok(
        accountFromDoc(changed, effectiveRole(changed.role, changed._id, secretariesFromEnv())),
      );
    },

    async listAccounts({ role, page }, ctx) {
      const users = ctx.db.collection<UserDoc>(COLLECTIONS.users);
      // Filters on the stored role; configured secretaries are shown with their acting role.
      const filtered: Query<UserDoc> = role ? users.where({ role }) : users;
      const { skip, limit } = pageWindow(page, ACCOUNTS_PAGE_SIZE);
      const { data } = await filtered
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'asc')
        .skip(skip)
        .limit(limit)
        .get();
      const { items, hasMore } = takePage(data, ACCOUNTS_PAGE_SIZE);
      const secretaries = secretariesFromEnv();
      return ok({
        accounts: items.map((doc) =>
          accountFromDoc(doc, effectiveRole(doc.role, doc._id, secretaries)),
        ),
        hasMore,
      });
    },
  },
  {
    name: 'account',
    roles: { setRole: ['secretary'], listAccounts: ['secretary'] },
  },
);
