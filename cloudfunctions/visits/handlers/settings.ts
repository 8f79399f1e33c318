import type { visitsContract } from '../../../src/domain/contract/visits';
import { managesVisits } from '../../../src/domain/visits/access';
import { previewCadenceChange } from '../../../src/domain/visits/cadence';
import { ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { settingsView } from '../docs';
import { NO_ELDER, recordAccess, refuseAction } from '../store/access';
import { activeElders } from '../store/elders';
import { changeRequestKey, hasRequest } from '../store/requests';
import { loadCadence, loadSettingsDoc, saveCadence } from '../store/settings';

/** The visit cadence: read by everyone, previewed and changed by the secretary. */
export const settingsHandlers = {
  async settings(_input, ctx) {
    return ok(settingsView(await loadCadence(ctx.db)));
  },

  async previewSettings({ cadence }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '预览探访周期');
    const current = await loadCadence(ctx.db);
    const docs = await activeElders(ctx.db);
    return ok(previewCadenceChange(docs, ctx.now, current, cadence));
  },

  async saveSettings({ cadence, clientRequestId }, ctx) {
    if (!managesVisits(ctx.role)) return refuseAction(ctx, '修改探访周期');
    const { db } = ctx;
    const key = changeRequestKey(ctx.openid, clientRequestId);
    const current = await loadSettingsDoc(db);
    // A retry answers the cadence in force (its own, or a later one), never saving its own again.
    if (hasRequest(current, key)) return ok(settingsView(await loadCadence(db)));
    const saved = await saveCadence(db, current, {
      key,
      cadence,
      openid: ctx.openid,
      now: ctx.now,
    });
    if (saved) await recordAccess(ctx, 'update', NO_ELDER, '修改探访周期');
    return ok(settingsView(await loadCadence(db)));
  },
} satisfies HandlerGroup<typeof visitsContract>;
