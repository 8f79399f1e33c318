import * as v from 'valibot';
import { defineAction } from '../../../../src/domain/contract/define';
import type { Role } from '../../../../src/domain/account/roles';
import { ok } from '../../../../src/domain/shared/result';
import { createRouter } from '../../../_shared';

/** A function only the router tests deploy: shows what a handler receives, and fails on demand. */
export const probeContract = {
  echo: defineAction<{
    text: string;
    openid: string;
    role: Role;
    now: string;
    requestId: string | null;
  }>()(
    v.strictObject({
      text: v.pipe(v.string('内容必须是文字'), v.trim(), v.maxLength(5, '内容最多 5 个字')),
      count: v.optional(v.number()),
    }),
  ),
  secretaryOnly: defineAction<{ done: true }>()(v.strictObject({})),
  explode: defineAction<{ never: true }>()(v.strictObject({})),
};

export const SECRET_DETAIL = 'db password is hunter2 at /srv/secret/path';

export const main = createRouter(
  probeContract,
  {
    async echo({ text }, ctx) {
      return ok({
        text,
        openid: ctx.openid,
        role: ctx.role,
        now: ctx.now.toISOString(),
        requestId: ctx.requestId ?? null,
      });
    },
    async secretaryOnly() {
      return ok({ done: true });
    },
    async explode() {
      throw new Error(SECRET_DETAIL);
    },
  },
  {
    name: 'router-probe',
    roles: { secretaryOnly: ['secretary'] },
    timers: {
      async nightly(ctx) {
        await ctx.db.collection('audit').count();
        return {
          trigger: ctx.triggerName,
          firedAt: ctx.firedAt ?? null,
          now: ctx.now.toISOString(),
        };
      },
    },
  },
);
