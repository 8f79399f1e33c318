import {
  type ElderRecord,
  type PendingService,
  visitsContract,
} from '../../src/domain/contract/visits';
import {
  type CadenceConfig,
  DEFAULT_CADENCE,
  compareByDue,
  describeDue,
  previewCadenceChange,
} from '../../src/domain/visits/cadence';
import { coverageSummary } from '../../src/domain/visits/coverage';
import { elderAccess, managesVisits, mayLogVisit } from '../../src/domain/visits/access';
import { compareRoster, pairCandidates } from '../../src/domain/visits/roster';
import {
  PURPOSE_STATEMENT,
  PURPOSE_TITLE,
  PURPOSE_VERSION,
  fullAddress,
} from '../../src/domain/visits/elder';
import {
  URGENT_FLAG_TEMPLATE_ID,
  VISIT_DUE_TEMPLATE_ID,
  flagNeedsReraise,
  reraiseCutoff,
  urgentFlagMessage,
  visitDueMessage,
} from '../../src/domain/visits/flags';
import {
  VISIT_ID_TAKEN_MESSAGE,
  VISIT_SERVICE_TITLE,
  applyVisit,
  isResentVisit,
  visitLogRefusal,
  visitMinutes,
} from '../../src/domain/visits/visit-log';
import { ledgerKey } from '../../src/domain/volunteer/ledger';
import { maskName, maskPhone } from '../../src/domain/volunteer/registration';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { fail, ok } from '../../src/domain/shared/result';
import { inShanghai, shanghaiDate } from '../../src/domain/shared/time';
import {
  type Database,
  type HandlerContext,
  type TimerContext,
  createRouter,
  isoString,
  transact,
  secretariesFromEnv,
  defineTimerSchedule,
  timerJobsHandler,
  isDuplicateKey,
  requestDocId,
} from '../_shared';
import { appendEntries, hasEntry } from '../_shared/ledger';
import type { ClaimDoc, PostDoc, VolunteerDoc } from '../_shared/volunteering';
import { COLLECTIONS } from '../_shared/collections';
import type { ServiceRecordDoc as ServiceDoc } from '../_shared/ledger';
import {
  type AccessLogDoc,
  type ElderDoc,
  type FlagDoc,
  type PairingDoc,
  type ReminderDoc,
  type VisitDoc,
  type VisitSettingsDoc,
} from './docs';
import {
  SETTINGS_ID,
  elderStatus,
  flagView,
  getDoc,
  listItem,
  loadCadence,
  maskedNames,
  changeRequestKey,
  pairId,
  pairingView,
  readAll,
  recordAccess,
  secretaryOpenids,
  sendSubscribeMessage,
  statusView,
  visitView,
  withRequest,
  REQUESTS_KEPT,
} from './store';

/** Elder home visits: roster, pairing, cadence, visit logs, coverage, urgent flags. */

const ROSTER_PAGE_SIZE = 50;
const ACCESS_PAGE_SIZE = 30;
const RECENT_VISITS = 10;
const FLAGS_PAGE = 100;

type Ctx = HandlerContext;

const notFound = () => fail('ELDER_NOT_FOUND' as const, '没有找到这位老人，或您没有查看权限');

/** The refusal is recorded; the answer is the same whether the elder exists or not. */
async function refuseElder(ctx: Ctx, elderId: string | null, what: string) {
  await recordAccess(ctx, 'refused', { id: elderId, name: null }, what);
  return notFound();
}

async function refuseAction(ctx: Ctx, what: string) {
  await recordAccess(ctx, 'refused', { id: null, name: null }, what);
  return fail('FORBIDDEN' as const, '没有权限进行此操作');
}

async function isPaired(db: Database, elderId: string, openid: string): Promise<boolean> {
  const pairing = await getDoc<PairingDoc>(db, COLLECTIONS.elderPairings, pairId(elderId, openid));
  return pairing?.active === true;
}

async function activeElders(db: Database, includeArchived = false): Promise<ElderDoc[]> {
  const query = includeArchived
    ? db.collection<ElderDoc>(COLLECTIONS.elders)
    : db.collection<ElderDoc>(COLLECTIONS.elders).where({ status: 'active' });
  return readAll(query.orderBy('_id', 'asc'));
}

async function elderRecord(ctx: Ctx, doc: ElderDoc, cadence: CadenceConfig): Promise<ElderRecord> {
  const { db } = ctx;
  const isSecretary = ctx.role === 'secretary';
  const pairingQuery = isSecretary
    ? { elderId: doc._id }
    : { elderId: doc._id, openid: ctx.openid };
  const pairings = (
    await db
      .collection<PairingDoc>(COLLECTIONS.elderPairings)
      .where(pairingQuery)
      .orderBy('pairedAt', 'desc')
      .limit(20)
      .get()
  ).data;
  const visitsQuery = isSecretary
    ? { elderId: doc._id }
    : { elderId: doc._id, _openid: ctx.openid };
  const visits = (
    await db
      .collection<VisitDoc>(COLLECTIONS.elderVisits)
      .where(visitsQuery)
      .orderBy('endAt', 'desc')
      .limit(RECENT_VISITS)
      .get()
  ).data;
  const names = await maskedNames(db, [
    ...pairings.map((p) => p.openid),
    ...visits.map((v) => v._openid),
    ...doc.pairedOpenids,
  ]);
  const base = listItem(
    doc,
    elderStatus(doc, ctx.now, cadence),
    isSecretary ? doc.pairedOpenids.map((o) => names.get(o) ?? '（未登记）') : [],
  );
  return {
    ...base,
    building: doc.building,
    unit: doc.unit,
    room: doc.room,
    address: fullAddress(doc),
    phone: doc.phone,
    emergencyContacts: doc.emergencyContacts,
    notes: doc.notes,
    consent: { version: doc.consentVersion, by: doc.consentBy, at: isoString(doc.consentAt) },
    addedAt: isoString(doc.addedAt),
    updatedAt: doc.updatedAt ? isoString(doc.updatedAt) : null,
    pairings: pairings.map((p) => pairingView(p, names.get(p.openid) ?? '（未登记）')),
    recentVisits: visits.map((v) =>
      visitView(v, v._openid === ctx.openid ? '我' : (names.get(v._openid) ?? '（未登记）')),
    ),
  };
}

/** Elders' names by id, one query per 100 elders. */
async function elderNames(db: Database, ids: readonly string[]): Promise<Map<string, string>> {
  const _ = db.command;
  const unique = [...new Set(ids)];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 100) {
    const { data } = await db
      .collection<ElderDoc>(COLLECTIONS.elders)
      .where({ _id: _.in(unique.slice(i, i + 100)) })
      .limit(100)
      .get();
    for (const e of data) out.set(e._id, e.name);
  }
  return out;
}

/** Notify every secretary of an urgent flag (best effort); the flag stays open in the inbox regardless. */
async function raiseFlag(
  db: Database,
  flag: Pick<FlagDoc, 'elderName' | 'note' | 'lastRaisedAt' | 'raiseCount'>,
): Promise<number> {
  const when = inShanghai(flag.lastRaisedAt).format('YYYY年M月D日 HH:mm');
  let sent = 0;
  for (const secretary of await secretaryOpenids(db, secretariesFromEnv())) {
    const done = await sendSubscribeMessage(
      secretary,
      URGENT_FLAG_TEMPLATE_ID,
      'packages/visits/flags/index',
      urgentFlagMessage(flag.elderName, flag.note, when, flag.raiseCount),
    );
    if (done) sent++;
  }
  return sent;
}

export async function reraiseFlags(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ reraised: number; notified: number }> {
  const { db, now } = ctx;
  const _ = db.command;
  const cadence = await loadCadence(db);
  const due = await readAll(
    db
      .collection<FlagDoc>(COLLECTIONS.elderFlags)
      .where({ status: 'open', lastRaisedAt: _.lte(reraiseCutoff(now, cadence)) })
      .orderBy('_id', 'asc'),
    FLAGS_PAGE * 5,
  );
  let reraised = 0;
  let notified = 0;
  for (const flag of due) {
    if (!flagNeedsReraise(flag, now, cadence)) continue;
    // Conditional on the value read: two timer runs at once raise a flag once.
    const moved = await db
      .collection<FlagDoc>(COLLECTIONS.elderFlags)
      .where({ _id: flag._id, status: 'open', raiseCount: flag.raiseCount })
      .update({ data: { lastRaisedAt: now, raiseCount: _.inc(1) } });
    if (moved.stats.updated !== 1) continue;
    reraised++;
    notified += await raiseFlag(db, {
      ...flag,
      lastRaisedAt: now,
      raiseCount: flag.raiseCount + 1,
    });
  }
  return { reraised, notified };
}

/** Daily: remind paired volunteers of elders due within a day or overdue, once per elder per day. */
export async function remindDue(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ checked: number; due: number; overdue: number; reminded: number }> {
  const { db, now } = ctx;
  const cadence = await loadCadence(db);
  const elders = await activeElders(db);
  const date = shanghaiDate(now);
  let due = 0;
  let overdue = 0;
  let reminded = 0;
  for (const elder of elders) {
    const status = elderStatus(elder, now, cadence);
    if (status.state === 'overdue') overdue++;
    else if (status.state === 'due' && status.daysLeft <= 1) due++;
    else continue;
    if (elder.pairedOpenids.length === 0) continue;
    const reminder: Omit<ReminderDoc, '_id'> & { _id: string } = {
      _id: `${elder._id}_${date}`,
      elderId: elder._id,
      date,
      sentTo: elder.pairedOpenids,
      at: now,
    };
    try {
      await db.collection<ReminderDoc>(COLLECTIONS.visitReminders).add({ data: reminder });
    } catch {
      continue; // already reminded today (another run, or a retry of this one)
    }
    for (const openid of elder.pairedOpenids) {
      if (
        await sendSubscribeMessage(
          openid,
          VISIT_DUE_TEMPLATE_ID,
          'packages/visits/mine/index',
          visitDueMessage(elder.name, describeDue(status)),
        )
      )
        reminded++;
    }
  }
  return { checked: elders.length, due, overdue, reminded };
}

/**
 * The function's one timer trigger (every 30 minutes): urgent flags are raised again on every
 * tick; due reminders go out once a day, on the first tick at or after 01:00 Asia/Shanghai
 * (idempotent by date: one reminder per elder per day).
 */
export const visitsTimers = defineTimerSchedule({
  functionName: 'visits',
  trigger: { name: 'jobs', everyMinutes: 30 },
  jobs: {
    reraiseFlags: { cadence: { every: 30 }, run: reraiseFlags },
    remindDue: { cadence: { dailyAt: '01:00' }, run: remindDue },
  },
});

export const main = createRouter(
  visitsContract,
  {
    async settings(_input, ctx) {
      return ok({
        cadence: await loadCadence(ctx.db),
        purpose: { version: PURPOSE_VERSION, title: PURPOSE_TITLE, statement: PURPOSE_STATEMENT },
      });
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
      const settings = db.collection<VisitSettingsDoc>(COLLECTIONS.visitSettings);
      const key = changeRequestKey(ctx.openid, clientRequestId);
      const answer = async () =>
        ok({
          cadence: await loadCadence(db),
          purpose: { version: PURPOSE_VERSION, title: PURPOSE_TITLE, statement: PURPOSE_STATEMENT },
        });
      const current = await getDoc<VisitSettingsDoc>(db, COLLECTIONS.visitSettings, SETTINGS_ID);
      // A retry answers the cadence in force (its own, or a later one), never saving its own again.
      if (current?.requests?.includes(key)) return answer();
      const fields = { cadence, updatedAt: ctx.now, updatedBy: ctx.openid };
      // Only where this request is not yet recorded, its key pushed with the change: of racing
      // copies one saves and logs, and racing requests keep each other's keys.
      const _ = db.command;
      const update = async () =>
        (
          await settings.where({ _id: SETTINGS_ID, requests: _.neq(key) }).update({
            data: { ...fields, requests: _.push({ each: [key], slice: -REQUESTS_KEPT }) },
          })
        ).stats.updated === 1;
      let saved: boolean;
      if (current) saved = await update();
      else {
        try {
          await settings.add({ data: { _id: SETTINGS_ID, ...fields, requests: [key] } });
          saved = true;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          saved = await update();
        }
      }
      if (saved) await recordAccess(ctx, 'update', { id: null, name: null }, '修改探访周期');
      return answer();
    },

    async roster({ includeArchived, page }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看老人名册');
      const cadence = await loadCadence(ctx.db);
      const docs = await activeElders(ctx.db, includeArchived);
      const names = await maskedNames(
        ctx.db,
        docs.flatMap((d) => d.pairedOpenids),
      );
      const rows = docs
        .map((d) => ({
          doc: d,
          name: d.name,
          archived: d.status === 'archived',
          status: elderStatus(d, ctx.now, cadence),
        }))
        .sort(compareRoster);
      const { skip, limit } = pageWindow(page, ROSTER_PAGE_SIZE);
      const { items, hasMore } = takePage(rows.slice(skip, skip + limit), ROSTER_PAGE_SIZE);
      await recordAccess(
        ctx,
        'list',
        { id: null, name: null },
        `老人名册第 ${page + 1} 页（${items.length} 人）`,
      );
      return ok({
        elders: items.map((r) =>
          listItem(
            r.doc,
            r.status,
            r.doc.pairedOpenids.map((o) => names.get(o) ?? '（未登记）'),
          ),
        ),
        hasMore,
      });
    },

    async elder({ elderId }, ctx) {
      const doc = await getDoc<ElderDoc>(ctx.db, COLLECTIONS.elders, elderId);
      const access = elderAccess(ctx.role, doc);
      const allowed =
        access === 'granted' ||
        (access === 'ifPaired' && (await isPaired(ctx.db, elderId, ctx.openid)));
      if (!doc || !allowed) return refuseElder(ctx, elderId, '查看老人详情');
      const record = await elderRecord(ctx, doc, await loadCadence(ctx.db));
      await recordAccess(ctx, 'view', { id: doc._id, name: doc.name }, '查看完整信息');
      return ok(record);
    },

    async saveElder({ elderId, draft, flaggedChange, clientRequestId }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '修改老人名册');
      const { db, now } = ctx;
      const { consent, ...fields } = draft;
      const elders = db.collection<ElderDoc>(COLLECTIONS.elders);
      let id = elderId;
      if (id) {
        const existing = await getDoc<ElderDoc>(db, COLLECTIONS.elders, id);
        if (!existing) return notFound();
        const key = changeRequestKey(ctx.openid, clientRequestId);
        // A retry of a change that was recorded answers the record as it is now (archived since,
        // or changed again since), without writing its own change again.
        if (existing.requests?.includes(key))
          return ok(await elderRecord(ctx, existing, await loadCadence(db)));
        if (existing.status === 'archived')
          return fail('ELDER_ARCHIVED', '这位老人已归档，不能修改');
        // Only an active elder, and only where this request is not yet recorded: of racing
        // copies one changes and logs, and an archive that came in between is not written over.
        const _ = db.command;
        const { stats } = await elders
          .where({ _id: id, status: 'active', requests: _.neq(key) })
          .update({
            data: {
              requests: _.push({ each: [key], slice: -REQUESTS_KEPT }),
              ...fields,
              consentVersion: consent.version,
              consentBy: consent.by,
              ...(existing.consentVersion !== consent.version || existing.consentBy !== consent.by
                ? { consentAt: now }
                : {}),
              ...(flaggedChange ? { flaggedChangeAt: now } : {}),
              updatedAt: now,
              updatedBy: ctx.openid,
            },
          });
        const changed = (Object.keys(fields) as Array<keyof typeof fields>).filter(
          (k) => JSON.stringify(existing[k]) !== JSON.stringify(fields[k]),
        );
        if (stats.updated === 0) {
          const latest = await getDoc<ElderDoc>(db, COLLECTIONS.elders, id);
          if (!latest?.requests?.includes(key))
            return fail('ELDER_ARCHIVED', '这位老人已归档，不能修改');
        }
        if (stats.updated === 1)
          await recordAccess(
            ctx,
            'update',
            { id, name: fields.name },
            `${changed.length > 0 ? `修改：${changed.join('、')}` : '保存（无改动）'}${flaggedChange ? '；标记重大变化' : ''}`,
          );
      } else {
        // The id follows from the secretary and the request: every copy of one submission, on any
        // instance, inserts the same document, and only the first insert succeeds.
        id = requestDocId('elder_', ctx.openid, clientRequestId);
        const doc: Omit<ElderDoc, '_id'> = {
          _openid: ctx.openid,
          ...fields,
          consentVersion: consent.version,
          consentBy: consent.by,
          consentAt: now,
          status: 'active',
          pairedOpenids: [],
          addedAt: now,
          lastContactAt: null,
          notAtHomeAt: null,
          flaggedChangeAt: flaggedChange ? now : null,
          lastVisitAt: null,
          lastOutcome: null,
          openFlags: 0,
        };
        let created = true;
        try {
          await elders.add({ data: { _id: id, ...doc } });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          created = false; // the same submission again: answer the elder it added
        }
        if (created)
          await recordAccess(
            ctx,
            'create',
            { id, name: fields.name },
            `新增（${consent.by === 'elder' ? '本人' : '监护人'}同意收集目的 ${consent.version}）`,
          );
      }
      const saved = await getDoc<ElderDoc>(db, COLLECTIONS.elders, id);
      if (!saved) return notFound();
      return ok(await elderRecord(ctx, saved, await loadCadence(db)));
    },

    async archiveElder({ elderId, reason }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '归档老人');
      const { db, now } = ctx;
      const doc = await getDoc<ElderDoc>(db, COLLECTIONS.elders, elderId);
      if (!doc) return notFound();
      if (doc.status !== 'archived') {
        // Archiving an archived elder changes nothing: a retry, or a copy that lost the race,
        // answers the archive as recorded, and only the one that archived logs it.
        const archived = await transact(db, async (tx) => {
          const elder = (await tx.collection<ElderDoc>(COLLECTIONS.elders).doc(elderId).get()).data;
          if (!elder || elder.status === 'archived') return false;
          for (const openid of elder.pairedOpenids) {
            await tx
              .collection<PairingDoc>(COLLECTIONS.elderPairings)
              .doc(pairId(elderId, openid))
              .update({ data: { active: false, endedAt: now } });
          }
          await tx
            .collection<ElderDoc>(COLLECTIONS.elders)
            .doc(elderId)
            .update({
              data: {
                status: 'archived',
                archivedReason: reason,
                pairedOpenids: [],
                updatedAt: now,
                updatedBy: ctx.openid,
              },
            });
          return true;
        });
        if (archived) await recordAccess(ctx, 'archive', { id: elderId, name: doc.name }, reason);
      }
      return ok({ elderId, archived: true as const });
    },

    async pairCandidates(_input, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看可结对志愿者');
      const { db } = ctx;
      const volunteers = await readAll(
        db
          .collection<VolunteerDoc>(COLLECTIONS.volunteers)
          .where({ status: 'approved' })
          .orderBy('_id', 'asc'),
        500,
      );
      const claims = await readAll(
        db
          .collection<ClaimDoc>(COLLECTIONS.volunteerClaims)
          .where({ status: 'claimed' })
          .orderBy('_id', 'asc'),
        1000,
      );
      const _ = db.command;
      const postIds = [...new Set(claims.map((c) => c.postId))];
      const posts: PostDoc[] = [];
      for (let i = 0; i < postIds.length; i += 100) {
        const { data } = await db
          .collection<PostDoc>(COLLECTIONS.volunteerPosts)
          .where({ _id: _.in(postIds.slice(i, i + 100)) })
          .limit(100)
          .get();
        posts.push(...data);
      }
      const rows = pairCandidates(
        volunteers.map((v) => ({
          openid: v._id,
          maskedName: maskName(v.name),
          maskedPhone: maskPhone(v.phone),
        })),
        claims.map((c) => ({ id: c._id, openid: c.openid, postId: c.postId })),
        posts.map((p) => ({ id: p._id, title: p.title })),
      );
      return ok(rows);
    },

    async pair({ elderId, openid, claimId, clientRequestId }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '结对');
      const { db, now } = ctx;
      const id = pairId(elderId, openid);
      const key = changeRequestKey(ctx.openid, clientRequestId);
      // A retry answers the pairing its request made, as it is now (ended since, or the elder
      // archived since), before anything that may have changed is checked again.
      const recorded = await getDoc<PairingDoc>(db, COLLECTIONS.elderPairings, id);
      if (recorded?.requests?.includes(key))
        return ok(
          pairingView(recorded, (await maskedNames(db, [openid])).get(openid) ?? '（未登记）'),
        );
      const elder = await getDoc<ElderDoc>(db, COLLECTIONS.elders, elderId);
      if (!elder) return notFound();
      if (elder.status === 'archived') return fail('ELDER_ARCHIVED', '这位老人已归档');
      const volunteer = await getDoc<VolunteerDoc>(db, COLLECTIONS.volunteers, openid);
      if (!volunteer || volunteer.status !== 'approved')
        return fail('NOT_VOLUNTEER', '只能与已登记的志愿者结对');
      let postId: string | null = null;
      if (claimId) {
        const claim = await getDoc<ClaimDoc>(db, COLLECTIONS.volunteerClaims, claimId);
        if (!claim || claim.openid !== openid || claim.status !== 'claimed')
          return fail('CLAIM_NOT_FOUND', '没有找到这位志愿者的认领记录');
        postId = claim.postId;
      }
      const result = await transact(db, async (tx) => {
        const pairings = tx.collection<PairingDoc>(COLLECTIONS.elderPairings);
        const existing = (await pairings.doc(id).get()).data;
        // A copy of this request that lost the race to the pairing finds its key on it.
        if (existing?.requests?.includes(key)) return { kind: 'recorded' as const, doc: existing };
        if (existing?.active) return { kind: 'already' as const };
        const e = (await tx.collection<ElderDoc>(COLLECTIONS.elders).doc(elderId).get()).data;
        if (!e || e.status !== 'active') return { kind: 'gone' as const };
        const doc: Omit<PairingDoc, '_id'> = {
          _openid: openid,
          elderId,
          openid,
          claimId: claimId ?? null,
          postId,
          active: true,
          pairedAt: now,
          pairedBy: ctx.openid,
          requests: withRequest(existing, key),
        };
        await pairings.doc(id).set({ data: doc });
        await tx
          .collection<ElderDoc>(COLLECTIONS.elders)
          .doc(elderId)
          .update({
            data: { pairedOpenids: [...e.pairedOpenids.filter((o) => o !== openid), openid] },
          });
        return { kind: 'paired' as const, doc: { _id: id, ...doc } };
      });
      if (result.kind === 'already') return fail('ALREADY_PAIRED', '已经结对');
      if (result.kind === 'gone') return notFound();
      if (result.kind === 'recorded') return ok(pairingView(result.doc, maskName(volunteer.name)));
      await recordAccess(
        ctx,
        'pair',
        { id: elderId, name: elder.name },
        `与志愿者 ${maskName(volunteer.name)} 结对${claimId ? '（来自岗位认领）' : ''}`,
      );
      return ok(pairingView(result.doc, maskName(volunteer.name)));
    },

    async unpair({ elderId, openid, clientRequestId }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '解除结对');
      const { db, now } = ctx;
      const elder = await getDoc<ElderDoc>(db, COLLECTIONS.elders, elderId);
      if (!elder) return notFound();
      const id = pairId(elderId, openid);
      const key = changeRequestKey(ctx.openid, clientRequestId);
      const ended = await transact(db, async (tx) => {
        const p = (await tx.collection<PairingDoc>(COLLECTIONS.elderPairings).doc(id).get()).data;
        // A retry, or a copy that lost the race, answers the pairing its request ended (as it is now).
        if (p?.requests?.includes(key)) return { kind: 'recorded' as const, doc: p };
        if (!p?.active) return null;
        const e = (await tx.collection<ElderDoc>(COLLECTIONS.elders).doc(elderId).get()).data;
        await tx
          .collection<PairingDoc>(COLLECTIONS.elderPairings)
          .doc(id)
          .update({ data: { active: false, endedAt: now, requests: withRequest(p, key) } });
        if (e)
          await tx
            .collection<ElderDoc>(COLLECTIONS.elders)
            .doc(elderId)
            .update({ data: { pairedOpenids: e.pairedOpenids.filter((o) => o !== openid) } });
        return { kind: 'ended' as const, doc: { ...p, active: false, endedAt: now } };
      });
      if (!ended) return fail('NOT_PAIRED', '没有这个结对');
      const names = await maskedNames(db, [openid]);
      if (ended.kind === 'ended')
        await recordAccess(
          ctx,
          'unpair',
          { id: elderId, name: elder.name },
          `解除与 ${names.get(openid) ?? '志愿者'} 的结对`,
        );
      return ok(pairingView(ended.doc, names.get(openid) ?? '（未登记）'));
    },

    async myElders(_input, ctx) {
      const { db } = ctx;
      const cadence = await loadCadence(db);
      const docs = await readAll(
        db
          .collection<ElderDoc>(COLLECTIONS.elders)
          .where({ pairedOpenids: ctx.openid, status: 'active' })
          .orderBy('_id', 'asc'),
        200,
      );
      const rows = docs
        .map((d) => ({ doc: d, name: d.name, status: elderStatus(d, ctx.now, cadence) }))
        .sort(compareByDue);
      if (rows.length > 0)
        await recordAccess(ctx, 'list', { id: null, name: null }, `我的结对（${rows.length} 人）`);
      return ok({ elders: rows.map((r) => listItem(r.doc, r.status, [])) });
    },

    async log(input, ctx) {
      const { db, now, openid } = ctx;
      const stored = await getDoc<VisitDoc>(db, COLLECTIONS.elderVisits, input.visitId);
      const cadence = await loadCadence(db);
      const answer = async (visit: VisitDoc, replayed: boolean) => {
        const elder = await getDoc<ElderDoc>(db, COLLECTIONS.elders, visit.elderId);
        const status = elder
          ? elderStatus(elder, now, cadence)
          : elderStatus(
              {
                riskLevel: 'high',
                addedAt: now,
                lastContactAt: null,
                notAtHomeAt: null,
                flaggedChangeAt: null,
              } as ElderDoc,
              now,
              DEFAULT_CADENCE,
            );
        return ok({ visit: visitView(visit, '我'), status: statusView(status), replayed });
      };
      // The same visit sent again answers with what was stored, even if the pairing has since ended.
      const resent =
        stored &&
        isResentVisit({ volunteer: stored._openid, elderId: stored.elderId }, input, openid);
      if (stored && resent) return answer(stored, true);
      const elder = await getDoc<ElderDoc>(db, COLLECTIONS.elders, input.elderId);
      const paired =
        elder?.status === 'active'
          ? await getDoc<PairingDoc>(db, COLLECTIONS.elderPairings, pairId(input.elderId, openid))
          : null;
      if (!mayLogVisit(elder, paired)) return refuseElder(ctx, input.elderId, '记录探访');
      const refusal = visitLogRefusal(input, stored !== null, now);
      if (refusal) return fail(refusal.code, refusal.message);

      const pairing = paired;
      const minutes = visitMinutes(input);
      const startAt = new Date(input.startAt);
      const endAt = new Date(input.endAt);
      const serviceId = minutes > 0 ? `visit_${input.visitId}` : '';
      const visitDoc: VisitDoc = {
        _id: input.visitId,
        _openid: openid,
        elderId: input.elderId,
        startAt,
        endAt,
        minutes,
        outcome: input.outcome,
        checklist: input.checklist,
        notes: input.notes,
        photo: input.photo,
        urgent: input.urgent,
        urgentNote: input.urgent ? input.urgentNote : '',
        serviceId,
        serviceStatus: minutes > 0 ? 'closed' : 'none',
        receivedAt: now,
      };
      const flagDoc: FlagDoc | null = input.urgent
        ? {
            _id: `flag_${input.visitId}`,
            _openid: openid,
            elderId: input.elderId,
            elderName: elder.name,
            visitId: input.visitId,
            note: input.urgentNote,
            raisedAt: now,
            lastRaisedAt: now,
            raiseCount: 1,
            status: 'open',
          }
        : null;

      const run = () =>
        transact(db, async (tx) => {
          const visits = tx.collection<VisitDoc>(COLLECTIONS.elderVisits);
          const again = (await visits.doc(input.visitId).get()).data;
          if (again) return { kind: 'replayed' as const, doc: again };
          const e = (await tx.collection<ElderDoc>(COLLECTIONS.elders).doc(input.elderId).get())
            .data;
          if (!e || e.status !== 'active') return { kind: 'gone' as const };
          const facts = applyVisit(
            {
              lastContactAt: e.lastContactAt,
              notAtHomeAt: e.notAtHomeAt,
              flaggedChangeAt: e.flaggedChangeAt,
              lastVisitAt: e.lastVisitAt,
              lastOutcome: e.lastOutcome,
            },
            { endAt, outcome: input.outcome, urgent: input.urgent },
          );
          await tx
            .collection<ElderDoc>(COLLECTIONS.elders)
            .doc(input.elderId)
            .update({ data: { ...facts, openFlags: e.openFlags + (flagDoc ? 1 : 0) } });
          const { _id, ...visitData } = visitDoc;
          await visits.doc(_id).set({ data: visitData });
          if (flagDoc) {
            const { _id: flagId, ...flagData } = flagDoc;
            await tx
              .collection<FlagDoc>(COLLECTIONS.elderFlags)
              .doc(flagId)
              .set({ data: flagData });
          }
          if (minutes > 0) {
            const date = shanghaiDate(startAt);
            const service: Omit<ServiceDoc, '_id'> = {
              _openid: openid,
              openid,
              // A visit is its own service record: one per visit, not one per claim and day.
              claimId: serviceId,
              postId: pairing?.postId ?? 'visits',
              listId: '',
              postTitle: VISIT_SERVICE_TITLE,
              date,
              status: 'closed',
              checkInAt: startAt,
              checkOutAt: endAt,
              minutes,
              flagged: input.urgent,
            };
            await tx
              .collection<ServiceDoc>(COLLECTIONS.serviceRecords)
              .doc(serviceId)
              .set({ data: service });
            await appendEntries(tx, db, openid, [
              {
                key: ledgerKey('visit', openid, input.visitId),
                entry: {
                  type: 'service',
                  actor: openid,
                  subject: openid,
                  postId: service.postId,
                  postTitle: VISIT_SERVICE_TITLE,
                  serviceId,
                  serviceDate: date,
                  minutes,
                  points: 0,
                },
              },
            ]);
          }
          return { kind: 'stored' as const, doc: visitDoc };
        });

      let result: Awaited<ReturnType<typeof run>>;
      try {
        result = await run();
      } catch (error) {
        // A concurrent send of the same visit may have won the race to the same document ids.
        const raced = await getDoc<VisitDoc>(db, COLLECTIONS.elderVisits, input.visitId);
        if (raced && raced._openid === openid) return answer(raced, true);
        throw error;
      }
      if (result.kind === 'gone') return refuseElder(ctx, input.elderId, '记录探访');
      if (result.kind === 'replayed')
        return result.doc._openid === openid
          ? answer(result.doc, true)
          : fail('VISIT_ID_TAKEN', VISIT_ID_TAKEN_MESSAGE);
      await recordAccess(
        ctx,
        'log',
        { id: elder._id, name: elder.name },
        `探访 ${minutes} 分钟${input.urgent ? '，标记紧急' : ''}`,
      );
      if (flagDoc) await raiseFlag(db, flagDoc);
      return answer(result.doc, false);
    },

    async coverage(_input, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看探访覆盖');
      const cadence = await loadCadence(ctx.db);
      const docs = await activeElders(ctx.db);
      const summary = coverageSummary(
        docs.map((d) => ({ ...d, lastContactAt: d.lastContactAt, addedAt: d.addedAt })),
        ctx.now,
        cadence,
      );
      const names = await maskedNames(
        ctx.db,
        docs.flatMap((d) => d.pairedOpenids),
      );
      const rows = docs
        .map((d) => ({ doc: d, name: d.name, status: elderStatus(d, ctx.now, cadence) }))
        .sort(compareByDue);
      await recordAccess(ctx, 'list', { id: null, name: null }, `探访覆盖（${rows.length} 人）`);
      return ok({
        summary,
        elders: rows.map((r) =>
          listItem(
            r.doc,
            r.status,
            r.doc.pairedOpenids.map((o) => names.get(o) ?? '（未登记）'),
          ),
        ),
      });
    },

    async flags({ status }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看紧急情况');
      const query = status
        ? ctx.db.collection<FlagDoc>(COLLECTIONS.elderFlags).where({ status })
        : ctx.db.collection<FlagDoc>(COLLECTIONS.elderFlags);
      const docs = (await query.orderBy('raisedAt', 'desc').limit(FLAGS_PAGE).get()).data;
      docs.sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
      const names = await maskedNames(
        ctx.db,
        docs.flatMap((d) => [d._openid, d.acknowledgedBy ?? '']),
      );
      return ok(
        docs.map((d) =>
          flagView(
            d,
            names.get(d._openid) ?? '（未登记）',
            d.acknowledgedBy ? (names.get(d.acknowledgedBy) ?? '社区书记') : null,
          ),
        ),
      );
    },

    async acknowledgeFlag({ flagId, note }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '确认紧急情况');
      const { db, now } = ctx;
      const result = await transact(db, async (tx) => {
        const flag = (await tx.collection<FlagDoc>(COLLECTIONS.elderFlags).doc(flagId).get()).data;
        if (!flag) return null;
        // Acknowledged already (a retry, a copy that lost the race, or another secretary first):
        // the acknowledgement as recorded, changed and logged once.
        if (flag.status === 'acknowledged') return { flag, changed: false };
        const elder = (await tx.collection<ElderDoc>(COLLECTIONS.elders).doc(flag.elderId).get())
          .data;
        const done = {
          status: 'acknowledged' as const,
          acknowledgedAt: now,
          acknowledgedBy: ctx.openid,
          acknowledgeNote: note,
        };
        await tx.collection<FlagDoc>(COLLECTIONS.elderFlags).doc(flagId).update({ data: done });
        if (elder)
          await tx
            .collection<ElderDoc>(COLLECTIONS.elders)
            .doc(flag.elderId)
            .update({ data: { openFlags: Math.max(0, elder.openFlags - 1) } });
        return { flag: { ...flag, ...done }, changed: true };
      });
      if (!result) return fail('FLAG_NOT_FOUND', '没有找到这条紧急情况');
      const { flag, changed } = result;
      if (changed)
        await recordAccess(
          ctx,
          'acknowledge-flag',
          { id: flag.elderId, name: flag.elderName },
          note || '已确认',
        );
      const by = flag.acknowledgedBy ?? ctx.openid;
      const names = await maskedNames(db, [flag._openid, by]);
      return ok(
        flagView(
          flag,
          names.get(flag._openid) ?? '（未登记）',
          by === ctx.openid ? '我' : (names.get(by) ?? '社区书记'),
        ),
      );
    },

    async accessLog({ elderId, page }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看访问记录');
      const base = elderId
        ? ctx.db.collection<AccessLogDoc>(COLLECTIONS.elderAccessLog).where({ elderId })
        : ctx.db.collection<AccessLogDoc>(COLLECTIONS.elderAccessLog);
      const { skip, limit } = pageWindow(page, ACCESS_PAGE_SIZE);
      const { data } = await base
        .orderBy('at', 'desc')
        .orderBy('_id', 'desc')
        .skip(skip)
        .limit(limit)
        .get();
      const { items, hasMore } = takePage(data, ACCESS_PAGE_SIZE);
      const names = await maskedNames(
        ctx.db,
        items.map((d) => d._openid),
      );
      return ok({
        entries: items.map((d) => ({
          id: d._id,
          actor: d._openid,
          actorName: names.get(d._openid) ?? '（未登记）',
          actorRole: d.actorRole,
          action: d.action,
          elderId: d.elderId,
          elderName: d.elderName,
          detail: d.detail,
          at: isoString(d.at),
        })),
        hasMore,
      });
    },

    async pendingServices(_input, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '查看待确认探访');
      const { db } = ctx;
      const visits = (
        await db
          .collection<VisitDoc>(COLLECTIONS.elderVisits)
          .where({ serviceStatus: 'closed' })
          .orderBy('endAt', 'desc')
          .limit(100)
          .get()
      ).data;
      const [elders, names] = await Promise.all([
        elderNames(
          db,
          visits.map((v) => v.elderId),
        ),
        maskedNames(
          db,
          visits.map((v) => v._openid),
        ),
      ]);
      const rows: PendingService[] = visits.map((v) => ({
        visitId: v._id,
        elderName: elders.get(v.elderId) ?? '（已删除）',
        volunteer: names.get(v._openid) ?? '（未登记）',
        openid: v._openid,
        date: shanghaiDate(v.startAt),
        minutes: v.minutes,
        outcome: v.outcome,
      }));
      return ok(rows);
    },

    async confirmVisits({ clientRequestId, visitIds }, ctx) {
      if (!managesVisits(ctx.role)) return refuseAction(ctx, '确认探访时长');
      const { db, now, openid: secretary } = ctx;
      let confirmed = 0;
      let replayed = 0;
      const skipped: Array<{ visitId: string; code: string }> = [];
      for (const visitId of visitIds) {
        const visit = await getDoc<VisitDoc>(db, COLLECTIONS.elderVisits, visitId);
        if (!visit || !visit.serviceId) {
          skipped.push({ visitId, code: 'VISIT_NOT_FOUND' });
          continue;
        }
        const pairing = await getDoc<PairingDoc>(
          db,
          COLLECTIONS.elderPairings,
          pairId(visit.elderId, visit._openid),
        );
        const post = pairing?.postId
          ? await getDoc<PostDoc>(db, COLLECTIONS.volunteerPosts, pairing.postId)
          : null;
        const confirmKey = ledgerKey('confirm', secretary, clientRequestId, visitId);
        const pointsKey = ledgerKey('points', secretary, clientRequestId, visitId);
        const outcome = await transact(db, async (tx) => {
          if (await hasEntry(tx, confirmKey)) return 'replayed' as const;
          const service = (
            await tx.collection<ServiceDoc>(COLLECTIONS.serviceRecords).doc(visit.serviceId).get()
          ).data;
          if (!service) return 'SERVICE_NOT_FOUND' as const;
          if (service.status === 'confirmed') return 'ALREADY_CONFIRMED' as const;
          await tx
            .collection<ServiceDoc>(COLLECTIONS.serviceRecords)
            .doc(visit.serviceId)
            .update({ data: { status: 'confirmed', confirmedAt: now, confirmedBy: secretary } });
          await tx
            .collection<VisitDoc>(COLLECTIONS.elderVisits)
            .doc(visitId)
            .update({ data: { serviceStatus: 'confirmed' } });
          const common = {
            actor: secretary,
            subject: visit._openid,
            postId: service.postId,
            postTitle: VISIT_SERVICE_TITLE,
            serviceId: service._id,
            serviceDate: service.date,
          };
          const points = post?.points ?? 0;
          await appendEntries(tx, db, visit._openid, [
            {
              key: confirmKey,
              entry: { ...common, type: 'confirm', minutes: service.minutes, points: 0 },
            },
            ...(points > 0
              ? [
                  {
                    key: pointsKey,
                    entry: { ...common, type: 'points' as const, minutes: 0, points },
                  },
                ]
              : []),
          ]);
          return 'confirmed' as const;
        });
        if (outcome === 'confirmed') {
          confirmed++;
          await recordAccess(
            ctx,
            'confirm',
            { id: visit.elderId, name: null },
            `确认探访时长 ${visit.minutes} 分钟`,
          );
        } else if (outcome === 'replayed') replayed++;
        else skipped.push({ visitId, code: outcome });
      }
      return ok({ confirmed, replayed, skipped });
    },
  },
  {
    name: 'visits',
    // Every secretary-only action checks the role itself, so that each refusal is written to the
    // access log (the router's role table would refuse before anything could be recorded).
    timers: timerJobsHandler(visitsTimers),
  },
);
