import type { visitsContract } from '../../../src/domain/contract/visits';
import { managesVisits, personLabel } from '../../../src/domain/visits/access';
import { compareByDue } from '../../../src/domain/visits/cadence';
import { coverageSummary } from '../../../src/domain/visits/coverage';
import { FLAG_NOT_FOUND, openFirst } from '../../../src/domain/visits/flags';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { elderStatus, flagView, listItem } from '../docs';
import { NO_ELDER, accessLogPage, recordAccess, refuseAction } from '../store/access';
import { activeElders, pairedNames } from '../store/elders';
import { acknowledgeFlag, latestFlags, openFlagCount } from '../store/flags';
import { addGrant, grantsLeft } from '../store/grants';
import { maskedNames, nameOr } from '../store/names';
import { loadCadence } from '../store/settings';

const SECRETARY = '社区书记';

/** The secretary's oversight: coverage of the roster, the urgent-flag inbox, the access log. */
export const oversightHandlers = {
  async coverage(_input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看探访覆盖');
    const cadence = await loadCadence(ctx.db);
    const docs = await activeElders(ctx.db);
    const summary = coverageSummary(docs, ctx.now, cadence);
    const names = await maskedNames(
      ctx.db,
      docs.flatMap((d) => d.pairedOpenids),
    );
    const rows = docs
      .map((d) => ({ doc: d, name: d.name, status: elderStatus(d, ctx.now, cadence) }))
      .sort(compareByDue);
    await recordAccess(ctx, 'list', NO_ELDER, `探访覆盖（${rows.length} 人）`);
    const elders = rows.map((r) => listItem(r.doc, r.status, pairedNames(r.doc, names)));
    return ok({ summary, elders });
  },

  async flags({ status }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看紧急情况');
    const docs = (await latestFlags(ctx.db, status)).sort(openFirst);
    const names = await maskedNames(
      ctx.db,
      docs.flatMap((d) => [d._openid, d.acknowledgedBy ?? '']),
    );
    const by = (openid: string | undefined) => (openid ? nameOr(names, openid, SECRETARY) : null);
    return ok(docs.map((d) => flagView(d, nameOr(names, d._openid), by(d.acknowledgedBy))));
  },

  async urgentSummary(_input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看紧急情况');
    const [open, grants] = await Promise.all([
      openFlagCount(ctx.db),
      grantsLeft(ctx.db, ctx.openid),
    ]);
    return ok({ open, grants });
  },

  async recordGrant(_input, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '开启紧急情况提醒');
    const grants = await addGrant(ctx.db, ctx.openid, ctx.now);
    return ok({ open: await openFlagCount(ctx.db), grants });
  },

  async acknowledgeFlag({ flagId, note }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '确认紧急情况');
    const acknowledgement = { openid: ctx.openid, note, now: ctx.now };
    const result = await acknowledgeFlag(ctx.db, flagId, acknowledgement);
    if (!result) return fail(FLAG_NOT_FOUND.code, FLAG_NOT_FOUND.message);
    const { flag, changed } = result;
    const elder = { id: flag.elderId, name: flag.elderName };
    if (changed) await recordAccess(ctx, 'acknowledge-flag', elder, note || '已确认');
    const by = flag.acknowledgedBy ?? ctx.openid;
    const names = await maskedNames(ctx.db, [flag._openid, by]);
    const acknowledgedBy = personLabel(by, ctx.openid, nameOr(names, by, SECRETARY));
    return ok(flagView(flag, nameOr(names, flag._openid), acknowledgedBy));
  },

  async accessLog({ elderId, page }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看访问记录');
    return ok(await accessLogPage(ctx.db, elderId, page));
  },
} satisfies HandlerGroup<typeof visitsContract>;
