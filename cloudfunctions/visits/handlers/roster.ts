import type { ParsedInputOf } from '../../../src/domain/contract/define';
import type { visitsContract } from '../../../src/domain/contract/visits';
import { elderAccess, managesVisits } from '../../../src/domain/visits/access';
import { compareByDue } from '../../../src/domain/visits/cadence';
import {
  ELDER_ARCHIVED_CHANGE,
  changeRefusal,
  changedFields,
  compareRoster,
  elderChangeDetail,
  elderCreateDetail,
} from '../../../src/domain/visits/roster';
import { pageWindow, takePage } from '../../../src/domain/shared/paging';
import { type Fail, fail, ok } from '../../../src/domain/shared/result';
import { type HandlerContext, type HandlerGroup, requestDocId } from '../../_shared';
import { type ElderDoc, elderStatus, listItem } from '../docs';
import { NO_ELDER, notFound, recordAccess, refuseAction, refuseElder } from '../store/access';
import {
  activeElders,
  addElder,
  archiveElder,
  loadElder,
  loadElderRecord,
  pairedElders,
  pairedNames,
  updateElder,
} from '../store/elders';
import { maskedNames } from '../store/names';
import { isPaired } from '../store/pairings';
import { changeRequestKey, hasRequest } from '../store/requests';
import { loadCadence } from '../store/settings';

const ROSTER_PAGE_SIZE = 50;

type SaveElder = ParsedInputOf<(typeof visitsContract)['saveElder']>;
type Ctx = HandlerContext;

/**
 * A change to an elder: a retry of a change that was recorded answers the record as it is now
 * (archived since, or changed again since), without writing its own change again.
 */
async function changeElder(
  elderId: string,
  { draft, flaggedChange, clientRequestId }: SaveElder,
  ctx: Ctx,
): Promise<ElderDoc | null | Fail<'ELDER_NOT_FOUND' | 'ELDER_ARCHIVED'>> {
  const { consent, ...fields } = draft;
  const existing = await loadElder(ctx.db, elderId);
  if (!existing) return notFound();
  const key = changeRequestKey(ctx.openid, clientRequestId);
  if (hasRequest(existing, key)) return existing;
  const refusal = changeRefusal(existing);
  if (refusal) return fail(refusal.code, refusal.message);
  const change = { key, fields, consent, flaggedChange, openid: ctx.openid, now: ctx.now };
  const outcome = await updateElder(ctx.db, existing, change);
  if (outcome === 'archived')
    return fail(ELDER_ARCHIVED_CHANGE.code, ELDER_ARCHIVED_CHANGE.message);
  const detail = elderChangeDetail(changedFields(existing, fields).map(String), flaggedChange);
  if (outcome === 'updated')
    await recordAccess(ctx, 'update', { id: elderId, name: fields.name }, detail);
  return loadElder(ctx.db, elderId);
}

/**
 * A new elder: the id follows from the secretary and the request, so every copy of one
 * submission, on any instance, inserts the same document, and only the first insert succeeds.
 */
async function addNewElder({ draft, flaggedChange, clientRequestId }: SaveElder, ctx: Ctx) {
  const { consent, ...fields } = draft;
  const id = requestDocId('elder_', ctx.openid, clientRequestId);
  const elder = { fields, consent, flaggedChange, openid: ctx.openid, now: ctx.now };
  if (await addElder(ctx.db, id, elder))
    await recordAccess(ctx, 'create', { id, name: fields.name }, elderCreateDetail(consent));
  return loadElder(ctx.db, id);
}

/** The roster: the secretary lists, changes and archives elders; a volunteer sees their paired ones. */
export const rosterHandlers = {
  async roster({ includeArchived, page }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看老人名册');
    const cadence = await loadCadence(ctx.db);
    const docs = await activeElders(ctx.db, includeArchived);
    const names = await maskedNames(
      ctx.db,
      docs.flatMap((d) => d.pairedOpenids),
    );
    const rows = docs
      .map((d) => ({ doc: d, name: d.name, archived: d.status === 'archived' }))
      .map((r) => ({ ...r, status: elderStatus(r.doc, ctx.now, cadence) }))
      .sort(compareRoster);
    const { skip, limit } = pageWindow(page, ROSTER_PAGE_SIZE);
    const { items, hasMore } = takePage(rows.slice(skip, skip + limit), ROSTER_PAGE_SIZE);
    const detail = `老人名册第 ${page + 1} 页（${items.length} 人）`;
    await recordAccess(ctx, 'list', NO_ELDER, detail);
    const elders = items.map((r) => listItem(r.doc, r.status, pairedNames(r.doc, names)));
    return ok({ elders, hasMore });
  },

  async elder({ elderId }, ctx) {
    const doc = await loadElder(ctx.db, elderId);
    const access = elderAccess(ctx.role, doc);
    const allowed =
      access === 'granted' ||
      (access === 'ifPaired' && (await isPaired(ctx.db, elderId, ctx.openid)));
    if (!doc || !allowed) return refuseElder(ctx, elderId, '查看老人详情');
    const record = await loadElderRecord(ctx, doc, await loadCadence(ctx.db));
    await recordAccess(ctx, 'view', { id: doc._id, name: doc.name }, '查看完整信息');
    return ok(record);
  },

  async saveElder(input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '修改老人名册');
    const saved = input.elderId
      ? await changeElder(input.elderId, input, ctx)
      : await addNewElder(input, ctx);
    if (saved && 'ok' in saved) return saved;
    if (!saved) return notFound();
    return ok(await loadElderRecord(ctx, saved, await loadCadence(ctx.db)));
  },

  async archiveElder({ elderId, reason }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '归档老人');
    const doc = await loadElder(ctx.db, elderId);
    if (!doc) return notFound();
    // Archiving an archived elder changes nothing: a retry, or a copy that lost the race,
    // answers the archive as recorded, and only the one that archived logs it.
    const archive = { reason, openid: ctx.openid, now: ctx.now };
    if (doc.status !== 'archived' && (await archiveElder(ctx.db, elderId, archive)))
      await recordAccess(ctx, 'archive', { id: elderId, name: doc.name }, reason);
    return ok({ elderId, archived: true as const });
  },

  async myElders(_input, ctx) {
    const cadence = await loadCadence(ctx.db);
    const docs = await pairedElders(ctx.db, ctx.openid);
    const rows = docs
      .map((d) => ({ doc: d, name: d.name, status: elderStatus(d, ctx.now, cadence) }))
      .sort(compareByDue);
    if (rows.length > 0) await recordAccess(ctx, 'list', NO_ELDER, `我的结对（${rows.length} 人）`);
    return ok({ elders: rows.map((r) => listItem(r.doc, r.status, [])) });
  },
} satisfies HandlerGroup<typeof visitsContract>;
