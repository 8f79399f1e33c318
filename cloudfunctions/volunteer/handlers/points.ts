import type { volunteerContract } from '../../../src/domain/contract/volunteer';
import { honourBoard, monthRange, monthlyTotals } from '../../../src/domain/volunteer/honour-board';
import {
  REWARD_REFUSAL_MESSAGES,
  insufficientPointsMessage,
  ledgerKey,
  mayReadLedger,
  negativeBalanceMessage,
} from '../../../src/domain/volunteer/ledger';
import { maskName } from '../../../src/domain/volunteer/registration';
import {
  EXPORT_ROWS_MAX,
  mergeRows,
  volunteerRecordCsv,
} from '../../../src/domain/volunteer/record-export';
import { COMMON_ERROR_MESSAGES, fail, ok } from '../../../src/domain/shared/result';
import { shanghaiDate } from '../../../src/domain/shared/time';
import type { HandlerGroup } from '../../_shared';
import { entryView, recordRowView, redemptionView, rewardView, summaryFromBalance } from '../docs';
import {
  adjustPoints,
  confirmEntries,
  createReward,
  ledgerPage,
  loadSettings,
  loadVolunteer,
  myRedemptions,
  recordedRedemption,
  redeemReward,
  rewardsShown,
  updateReward,
  markRedemptionUsed,
  volunteersByOpenid,
} from '../store';

const REWARD_NOT_FOUND = ['REWARD_NOT_FOUND', '没有找到这个奖励'] as const;

/** The points ledger and rewards: balances, redemptions and their verification, adjustments, the honour board and the national record export. */
export const pointsHandlers = {
  async ledger({ openid, page }, ctx) {
    const subject = openid ?? ctx.openid;
    if (!mayReadLedger(subject, ctx)) return fail('FORBIDDEN', COMMON_ERROR_MESSAGES.FORBIDDEN);
    const { items, hasMore, balance } = await ledgerPage(ctx.db, subject, page);
    return ok({ entries: items.map(entryView), summary: summaryFromBalance(balance), hasMore });
  },

  async rewards({ includeInactive }, ctx) {
    const shown = await rewardsShown(ctx.db, Boolean(includeInactive) && ctx.role === 'secretary');
    return ok(shown.map(rewardView));
  },

  async saveReward({ id, clientRequestId, ...input }, ctx) {
    const { title, description, cost, stock, active } = input;
    const fields = { title, description, cost, stock, active };
    if (!id) return ok(await createReward(ctx.db, { openid: ctx.openid, clientRequestId }, fields));
    const saved = await updateReward(ctx.db, id, fields);
    return saved ? ok(rewardView(saved)) : fail(...REWARD_NOT_FOUND);
  },

  async redeem({ rewardId, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    const key = ledgerKey('redeem', openid, clientRequestId);
    const request = { openid, key, redemptionId: `${openid}_${clientRequestId}` };
    const recorded = await recordedRedemption(db, request);
    if (recorded)
      return ok({ ...recorded, redemption: redemptionView(recorded.redemption), replayed: true });
    const volunteer = await loadVolunteer(db, openid);
    if (volunteer?.status !== 'approved') return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
    const r = await redeemReward(db, request, rewardId, now);
    if ('balance' in r) return fail(r.refusal, insufficientPointsMessage(r.cost, r.balance));
    if ('refusal' in r) return fail(r.refusal, REWARD_REFUSAL_MESSAGES[r.refusal]);
    return ok({
      redemption: redemptionView(r.redemption),
      summary: r.summary,
      replayed: r.replayed,
    });
  },

  async myRedemptions(_input, ctx) {
    return ok((await myRedemptions(ctx.db, ctx.openid)).map(redemptionView));
  },

  async verifyRedemption({ code }, ctx) {
    const { found, used } = await markRedemptionUsed(ctx.db, code, ctx.openid, ctx.now);
    if (!found) return fail('CODE_NOT_FOUND', '兑换码无效，请核对后重试');
    const usedOn = found.usedAt ? shanghaiDate(found.usedAt) : '此前';
    if (!used) return fail('CODE_ALREADY_USED', `这个兑换码已于 ${usedOn} 使用过`);
    const volunteer = await loadVolunteer(ctx.db, found.openid);
    const maskedName = volunteer ? maskName(volunteer.name) : '志愿者';
    return ok({ ...redemptionView(found), maskedName });
  },

  async honourBoard({ month }, ctx) {
    const m = month ?? shanghaiDate(ctx.now).slice(0, 7);
    const { from, before } = monthRange(m);
    const entries = await confirmEntries(ctx.db, { from, to: before, inclusive: false });
    const totals = monthlyTotals(entries.map((e) => ({ subject: e.subject, minutes: e.minutes })));
    const people = await volunteersByOpenid(
      ctx.db,
      totals.map((t) => t.subject),
    );
    const named = new Map(
      [...people].map(([k, v]) => [k, { name: v.name, optOut: v.honourOptOut }]),
    );
    return ok({ month: m, rows: honourBoard(totals, named, ctx.openid) });
  },

  async adjust({ openid, points, reason, clientRequestId }, ctx) {
    if (!(await loadVolunteer(ctx.db, openid))) return fail('NOT_VOLUNTEER', '找不到这位志愿者');
    const key = ledgerKey('adjust', ctx.openid, clientRequestId);
    const r = await adjustPoints(ctx.db, { secretary: ctx.openid, openid, points, reason, key });
    if ('refusal' in r) return fail(r.refusal, negativeBalanceMessage(r.balance));
    return ok(r);
  },

  async export({ from, until }, ctx) {
    const range = { from, to: until, inclusive: true };
    const entries = await confirmEntries(ctx.db, range, EXPORT_ROWS_MAX + 1);
    const used = entries.slice(0, EXPORT_ROWS_MAX);
    const people = await volunteersByOpenid(
      ctx.db,
      used.map((e) => e.subject),
    );
    const { organisation } = await loadSettings(ctx.db);
    const rows = mergeRows(used.map((e) => recordRowView(e, people.get(e.subject), organisation)));
    return ok({
      csv: volunteerRecordCsv(rows),
      rows: rows.length,
      filename: `志愿服务记录_${from}_${until}.csv`,
      truncated: entries.length > EXPORT_ROWS_MAX,
    });
  },
} satisfies HandlerGroup<typeof volunteerContract>;
