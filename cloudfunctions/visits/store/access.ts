import type { AccessAction, AccessEntry } from '../../../src/domain/contract/visits';
import { ELDER_NOT_FOUND, NOT_SECRETARY } from '../../../src/domain/visits/access';
import { pageWindow, takePage } from '../../../src/domain/shared/paging';
import { fail } from '../../../src/domain/shared/result';
import { COLLECTIONS, type Database, type HandlerContext } from '../../_shared';
import { type AccessLogDoc, accessEntryView } from '../docs';
import { maskedNames, nameOr } from './names';

/** The access log: who saw or changed what of the roster, and when; refusals included. */

const ACCESS_PAGE_SIZE = 30;

type Actor = Pick<HandlerContext, 'db' | 'openid' | 'role' | 'requestId'>;

/** Append one line to the access log: who, what, when. */
export async function recordAccess(
  ctx: Actor,
  action: AccessAction,
  elder: { readonly id: string | null; readonly name: string | null },
  detail = '',
): Promise<void> {
  const doc: Omit<AccessLogDoc, '_id' | 'at'> & { at: ReturnType<Database['serverDate']> } = {
    _openid: ctx.openid,
    actorRole: ctx.role,
    action,
    elderId: elder.id,
    elderName: elder.name,
    detail: detail.slice(0, 200),
    at: ctx.db.serverDate(),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
  await ctx.db.collection<AccessLogDoc>(COLLECTIONS.elderAccessLog).add({ data: doc });
}

/** The answer for an elder the caller may not see: the same whether the elder exists or not. */
export const notFound = () => fail(ELDER_NOT_FOUND.code, ELDER_NOT_FOUND.message);

/** The refusal is recorded; the answer is the same whether the elder exists or not. */
export async function refuseElder(ctx: Actor, elderId: string | null, what: string) {
  await recordAccess(ctx, 'refused', { id: elderId, name: null }, what);
  return notFound();
}

/** A secretary-only action asked by someone else: recorded, then refused. */
export async function refuseAction(ctx: Actor, what: string) {
  await recordAccess(ctx, 'refused', NO_ELDER, what);
  return fail(NOT_SECRETARY.code, NOT_SECRETARY.message);
}

/** One page of the access log, newest first (optionally for one elder), actors' names masked. */
export async function accessLogPage(
  db: Database,
  elderId: string | undefined,
  page: number,
): Promise<{ entries: AccessEntry[]; hasMore: boolean }> {
  const log = db.collection<AccessLogDoc>(COLLECTIONS.elderAccessLog);
  const base = elderId ? log.where({ elderId }) : log;
  const { skip, limit } = pageWindow(page, ACCESS_PAGE_SIZE);
  const { data } = await base
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .skip(skip)
    .limit(limit)
    .get();
  const { items, hasMore } = takePage(data, ACCESS_PAGE_SIZE);
  const names = await maskedNames(
    db,
    items.map((d) => d._openid),
  );
  return { entries: items.map((d) => accessEntryView(d, nameOr(names, d._openid))), hasMore };
}

/** An access-log line about no one elder (a list, the settings). */
export const NO_ELDER = { id: null, name: null } as const;
