import crypto from 'node:crypto';
import type { volunteerContract } from '../../src/domain/contract/volunteer';
import { honourBoard, monthRange, monthlyTotals } from '../../src/domain/volunteer/honour-board';
import {
  adjustmentRefusal,
  ledgerKey,
  redemptionCode,
  redemptionRefusal,
} from '../../src/domain/volunteer/ledger';
import { maskName } from '../../src/domain/volunteer/registration';
import {
  EXPORT_ROWS_MAX,
  mergeRows,
  volunteerRecordCsv,
} from '../../src/domain/volunteer/record-export';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { fail, ok } from '../../src/domain/shared/result';
import { shanghaiDate } from '../../src/domain/shared/time';
import { isDuplicateWrite, requestDocId, transact, type Handlers } from '../_shared';
import {
  type BalanceDoc,
  type LedgerDoc,
  type RedemptionDoc,
  type RewardDoc,
  type VolunteerDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { appendEntries, hasEntry, readAll } from './ledger-store';
import { entryFromDoc, redemptionFromDoc, rewardFromDoc, summaryFromBalance } from './mappers';
import {
  LEDGER_PAGE_SIZE,
  col,
  getDoc,
  loadSettings,
  volunteersByOpenid,
  isDuplicate,
  between,
  forbidden,
} from './store';

/** The points ledger and rewards: balances, redemptions and their verification, adjustments, the honour board and the national record export. */
export const pointsHandlers = {
  async ledger({ openid, page }, ctx) {
    const subject = openid ?? ctx.openid;
    if (subject !== ctx.openid && ctx.role !== 'secretary') return forbidden();
    const { skip, limit } = pageWindow(page, LEDGER_PAGE_SIZE);
    const { data } = await col<LedgerDoc>(ctx.db, C.ledger)
      .where({ subject })
      .orderBy('at', 'desc')
      .orderBy('_id', 'desc')
      .skip(skip)
      .limit(limit)
      .get();
    const { items, hasMore } = takePage(data, LEDGER_PAGE_SIZE);
    const balance = await getDoc<BalanceDoc>(ctx.db, C.balances, subject);
    return ok({ entries: items.map(entryFromDoc), summary: summaryFromBalance(balance), hasMore });
  },

  async rewards({ includeInactive }, ctx) {
    const base = col<RewardDoc>(ctx.db, C.rewards);
    const q = includeInactive && ctx.role === 'secretary' ? base : base.where({ active: true });
    const { data } = await q.orderBy('cost', 'asc').orderBy('_id', 'asc').limit(100).get();
    return ok(data.map(rewardFromDoc));
  },

  async saveReward(input, ctx) {
    const rewards = col<RewardDoc>(ctx.db, C.rewards);
    const fields = {
      title: input.title,
      description: input.description,
      cost: input.cost,
      stock: input.stock,
      active: input.active,
    };
    if (input.id) {
      const r = await rewards
        .doc(input.id)
        .update({ data: { ...fields, updatedAt: ctx.db.serverDate() } });
      if (r.stats.updated === 0 && !(await getDoc<RewardDoc>(ctx.db, C.rewards, input.id)))
        return fail('REWARD_NOT_FOUND', '没有找到这个奖励');
      const saved = await getDoc<RewardDoc>(ctx.db, C.rewards, input.id);
      if (!saved) return fail('REWARD_NOT_FOUND', '没有找到这个奖励');
      return ok(rewardFromDoc(saved));
    }
    // A new reward: its id follows from the secretary and the request, so a retried or repeated
    // submission inserts the same document once and answers it.
    const id = requestDocId('rw_', ctx.openid, input.requestId);
    try {
      await rewards.add({ data: { _id: id, ...fields, createdAt: ctx.db.serverDate() } });
    } catch (error) {
      if (!isDuplicateWrite(error)) throw error;
      const made = await getDoc<RewardDoc>(ctx.db, C.rewards, id);
      if (!made) throw error;
      return ok(rewardFromDoc(made));
    }
    return ok({ id, ...fields });
  },

  async redeem({ rewardId, requestId }, ctx) {
    const { db, openid } = ctx;
    const key = ledgerKey('redeem', openid, requestId);
    const redemptionId = `${openid}_${requestId}`;
    const replay = async () => {
      const r = await getDoc<RedemptionDoc>(db, C.redemptions, redemptionId);
      if (!r || !(await getDoc<LedgerDoc>(db, C.ledger, key))) return null;
      const balance = await getDoc<BalanceDoc>(db, C.balances, openid);
      return ok({
        redemption: redemptionFromDoc(r),
        summary: summaryFromBalance(balance),
        replayed: true,
      });
    };
    const first = await replay();
    if (first) return first;
    const volunteer = await getDoc<VolunteerDoc>(db, C.volunteers, openid);
    if (volunteer?.status !== 'approved') return fail('NOT_VOLUNTEER', '请先登记成为志愿者');

    for (let attempt = 0; attempt < 3; attempt++) {
      const code = redemptionCode(crypto.randomBytes(8));
      try {
        const result = await transact(db, async (tx) => {
          if (await hasEntry(tx, key)) return { kind: 'replayed' as const };
          const reward = (await tx.collection<RewardDoc>(C.rewards).doc(rewardId).get()).data;
          if (!reward || !reward.active)
            return { kind: 'refused' as const, code: 'REWARD_NOT_FOUND' as const };
          if (reward.stock !== null && reward.stock <= 0)
            return { kind: 'refused' as const, code: 'OUT_OF_STOCK' as const };
          const balance = summaryFromBalance(
            (await tx.collection<BalanceDoc>(C.balances).doc(openid).get()).data,
          );
          if (redemptionRefusal(balance.points, reward.cost))
            return {
              kind: 'refused' as const,
              code: 'INSUFFICIENT_POINTS' as const,
              balance: balance.points,
              cost: reward.cost,
            };
          if (reward.stock !== null)
            await tx
              .collection<RewardDoc>(C.rewards)
              .doc(rewardId)
              .update({ data: { stock: reward.stock - 1 } });
          const doc: RedemptionDoc = {
            _id: redemptionId,
            _openid: openid,
            openid,
            rewardId,
            rewardTitle: reward.title,
            cost: reward.cost,
            code,
            status: 'issued',
            createdAt: ctx.now,
          };
          const { _id, ...data } = doc;
          await tx.collection<RedemptionDoc>(C.redemptions).doc(_id).set({ data });
          const summary = await appendEntries(tx, db, openid, [
            {
              key,
              entry: {
                type: 'redeem',
                actor: openid,
                subject: openid,
                redemptionId,
                minutes: 0,
                points: -reward.cost,
                reason: reward.title,
              },
            },
          ]);
          return { kind: 'done' as const, doc, summary };
        });
        if (result.kind === 'refused') {
          if (result.code === 'INSUFFICIENT_POINTS')
            return fail(
              'INSUFFICIENT_POINTS',
              `积分不足：需要 ${result.cost}，当前 ${result.balance}`,
            );
          if (result.code === 'OUT_OF_STOCK') return fail('OUT_OF_STOCK', '这个奖励已兑完');
          return fail('REWARD_NOT_FOUND', '没有找到这个奖励，或已下架');
        }
        if (result.kind === 'replayed') {
          const again = await replay();
          if (again) return again;
          throw new Error('redemption replay without its record');
        }
        return ok({
          redemption: redemptionFromDoc(result.doc),
          summary: result.summary,
          replayed: false,
        });
      } catch (error) {
        const again = await replay();
        if (again) return again;
        // A code collision (unique index) gets a fresh code; anything else surfaces.
        if (!isDuplicate(error) || attempt === 2) throw error;
      }
    }
    throw new Error('unreachable');
  },

  async myRedemptions(_input, ctx) {
    const { data } = await col<RedemptionDoc>(ctx.db, C.redemptions)
      .where({ openid: ctx.openid })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'asc')
      .limit(50)
      .get();
    return ok(data.map(redemptionFromDoc));
  },

  async verifyRedemption({ code }, ctx) {
    const redemptions = col<RedemptionDoc>(ctx.db, C.redemptions);
    // One conditional update: of two staff verifying at once, only one succeeds.
    const used = await redemptions
      .where({ code, status: 'issued' })
      .update({ data: { status: 'used', usedAt: ctx.now, usedBy: ctx.openid } });
    const { data } = await redemptions.where({ code }).limit(1).get();
    const found = data[0];
    if (!found) return fail('CODE_NOT_FOUND', '兑换码无效，请核对后重试');
    if (used.stats.updated === 0)
      return fail(
        'CODE_ALREADY_USED',
        `这个兑换码已于 ${found.usedAt ? shanghaiDate(found.usedAt) : '此前'} 使用过`,
      );
    const volunteer = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, found.openid);
    return ok({
      ...redemptionFromDoc(found),
      maskedName: volunteer ? maskName(volunteer.name) : '志愿者',
    });
  },

  async honourBoard({ month }, ctx) {
    const m = month ?? shanghaiDate(ctx.now).slice(0, 7);
    const { from, before } = monthRange(m);
    const _ = ctx.db.command;
    const entries = await readAll(
      col<LedgerDoc>(ctx.db, C.ledger)
        .where({ type: 'confirm', serviceDate: between(_.gte(from), _.lt(before)) })
        .orderBy('_id', 'asc'),
    );
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

  async adjust({ openid, points, reason, requestId }, ctx) {
    const { db } = ctx;
    const volunteer = await getDoc<VolunteerDoc>(db, C.volunteers, openid);
    if (!volunteer) return fail('NOT_VOLUNTEER', '找不到这位志愿者');
    const key = ledgerKey('adjust', ctx.openid, requestId);
    const result = await transact(db, async (tx) => {
      if (await hasEntry(tx, key)) return { kind: 'replayed' as const };
      const balance = summaryFromBalance(
        (await tx.collection<BalanceDoc>(C.balances).doc(openid).get()).data,
      );
      if (adjustmentRefusal(balance.points, points))
        return { kind: 'refused' as const, balance: balance.points };
      const summary = await appendEntries(tx, db, openid, [
        {
          key,
          entry: { type: 'adjust', actor: ctx.openid, subject: openid, minutes: 0, points, reason },
        },
      ]);
      return { kind: 'done' as const, summary };
    });
    if (result.kind === 'refused')
      return fail('NEGATIVE_BALANCE', `调整后积分不能为负（当前 ${result.balance}）`);
    if (result.kind === 'replayed') {
      const balance = await getDoc<BalanceDoc>(db, C.balances, openid);
      return ok({ summary: summaryFromBalance(balance), replayed: true });
    }
    return ok({ summary: result.summary, replayed: false });
  },

  async export({ from, until }, ctx) {
    const _ = ctx.db.command;
    const entries = await readAll(
      col<LedgerDoc>(ctx.db, C.ledger)
        .where({ type: 'confirm', serviceDate: between(_.gte(from), _.lte(until)) })
        .orderBy('_id', 'asc'),
      EXPORT_ROWS_MAX + 1,
    );
    const truncated = entries.length > EXPORT_ROWS_MAX;
    const used = entries.slice(0, EXPORT_ROWS_MAX);
    const people = await volunteersByOpenid(
      ctx.db,
      used.map((e) => e.subject),
    );
    const { organisation } = await loadSettings(ctx.db);
    const rows = mergeRows(
      used.map((e) => {
        const person = people.get(e.subject);
        return {
          name: person?.name ?? '（未登记）',
          phone: person?.phone ?? '',
          project: e.postTitle ?? '',
          date: e.serviceDate ?? shanghaiDate(e.at),
          minutes: e.minutes,
          organisation,
          confirmedAt: shanghaiDate(e.at),
        };
      }),
    );
    return ok({
      csv: volunteerRecordCsv(rows),
      rows: rows.length,
      filename: `志愿服务记录_${from}_${until}.csv`,
      truncated,
    });
  },
} satisfies Partial<Handlers<typeof volunteerContract>>;
