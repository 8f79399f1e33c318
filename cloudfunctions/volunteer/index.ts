import crypto from 'node:crypto';
import { volunteerContract } from '../../src/domain/contract/volunteer';
import {
  CLAIM_REFUSAL_MESSAGES,
  WITHDRAW_REFUSAL_MESSAGES,
  claimId as claimIdOf,
  claimRefusal,
  overlappingClaims,
  placesRecount,
  withdrawRefusal,
} from '../../src/domain/volunteer/claims';
import { honourBoard, monthRange, monthlyTotals } from '../../src/domain/volunteer/honour-board';
import { adjustmentRefusal, ledgerKey, redemptionCode, redemptionRefusal } from '../../src/domain/volunteer/ledger';
import {
  claimDeadline,
  claimEndsAt,
  copyListDraft,
  occurrences,
  placesLeft,
  publishRefusal,
  withdrawDeadline,
  type ListDraft,
} from '../../src/domain/volunteer/opportunity';
import { initialRegistrationStatus, maskName } from '../../src/domain/volunteer/registration';
import { EXPORT_ROWS_MAX, mergeRows, volunteerRecordCsv } from '../../src/domain/volunteer/record-export';
import { autoCloseCheckOut, autoCloseCutoff, confirmableMinutes, serviceDateOf, serviceId as serviceIdOf, serviceMinutes } from '../../src/domain/volunteer/service';
import { parseEntranceScene } from '../../src/domain/space/entrance-scene';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { COMMON_ERROR_MESSAGES, fail, ok } from '../../src/domain/shared/result';
import { shanghaiDate } from '../../src/domain/shared/time';
import { COLLECTIONS, type Database, type DbOperator, type TimerContext, type UserDoc, createRouter, isoString, timerClock } from '../_shared';
import {
  type BalanceDoc,
  type ClaimDoc,
  type FeedbackDoc,
  type LedgerDoc,
  type ListDoc,
  type PostDoc,
  type RedemptionDoc,
  type RewardDoc,
  type ServiceDoc,
  type SettingsDoc,
  type VolunteerDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { appendEntries, hasEntry, readAll } from './ledger-store';
import {
  claimViewFromDocs,
  draftFromDocs,
  entryFromDoc,
  listFromDoc,
  listingFromDoc,
  myClaimFromDocs,
  postFromDoc,
  profileFromDoc,
  redemptionFromDoc,
  rewardFromDoc,
  serviceFromDoc,
  settingsFromDoc,
  summaryFromBalance,
} from './mappers';

/** Volunteering: registration, opportunity lists, claims, service records, the points ledger, rewards. */

const SETTINGS_ID = 'settings';
const LEDGER_PAGE_SIZE = 20;
const VOLUNTEERS_PAGE_SIZE = 20;
/** Published lists shown at once when none is named. */
const LISTS_SHOWN = 5;

const col = <T extends { _id: string }>(db: Database, name: string) => db.collection<T>(name);

async function getDoc<T extends { _id: string }>(db: Database, name: string, id: string): Promise<T | null> {
  return (await db.collection<T>(name).doc(id).get()).data;
}

async function loadSettings(db: Database) {
  return settingsFromDoc(await getDoc<SettingsDoc>(db, C.settings, SETTINGS_ID));
}

/** Give a resident the volunteer role once their registration is approved; never demote. */
async function grantVolunteerRole(db: Database, openid: string): Promise<void> {
  await db
    .collection<UserDoc>(COLLECTIONS.users)
    .where({ _id: openid, role: 'resident' })
    .update({ data: { role: 'volunteer', updatedAt: db.serverDate() } });
}

async function postsOf(db: Database, listIds: string[]): Promise<PostDoc[]> {
  if (listIds.length === 0) return [];
  const _ = db.command;
  return readAll(col<PostDoc>(db, C.posts).where({ listId: _.in(listIds) }).orderBy('listId', 'asc').orderBy('order', 'asc'), 2000);
}

async function volunteersByOpenid(db: Database, openids: string[]): Promise<Map<string, VolunteerDoc>> {
  const _ = db.command;
  const unique = [...new Set(openids)];
  const out = new Map<string, VolunteerDoc>();
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { data } = await col<VolunteerDoc>(db, C.volunteers).where({ _id: _.in(chunk) }).limit(100).get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

async function postById(db: Database, ids: string[]): Promise<Map<string, PostDoc>> {
  const _ = db.command;
  const out = new Map<string, PostDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const { data } = await col<PostDoc>(db, C.posts).where({ _id: _.in(unique.slice(i, i + 100)) }).limit(100).get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

/**
 * Active claims per post, read 100 posts at a time with every page of their claims (never cut
 * short: an undercount would give away places). Fewer requests than one count per post.
 */
async function activeClaimsPerPost(db: Database, postIds: string[]): Promise<Map<string, number>> {
  const _ = db.command;
  const out = new Map<string, number>();
  for (let i = 0; i < postIds.length; i += 100) {
    const chunk = postIds.slice(i, i + 100);
    const claims = await readAll(
      col<ClaimDoc>(db, C.claims).where({ postId: _.in(chunk), status: 'claimed' }).orderBy('_id', 'asc'),
      Number.MAX_SAFE_INTEGER,
    );
    for (const c of claims) out.set(c.postId, (out.get(c.postId) ?? 0) + 1);
  }
  return out;
}

async function claimsByIds(db: Database, ids: string[]): Promise<Map<string, ClaimDoc>> {
  const _ = db.command;
  const out = new Map<string, ClaimDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const { data } = await col<ClaimDoc>(db, C.claims).where({ _id: _.in(unique.slice(i, i + 100)) }).limit(100).get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

/** Replace a draft list's posts (drafts are not claimable, so nothing refers to them yet). */
async function writePosts(db: Database, listId: string, draft: ListDraft): Promise<void> {
  await col<PostDoc>(db, C.posts).where({ listId }).remove();
  for (const [order, p] of draft.posts.entries()) {
    await col<PostDoc>(db, C.posts).add({
      data: {
        _id: `${listId}-${String(order + 1).padStart(2, '0')}`,
        listId,
        order,
        categoryId: p.categoryId,
        title: p.title,
        description: p.description,
        schedule: p.schedule,
        capacity: p.capacity,
        claimed: 0,
        points: p.points,
        requirements: p.requirements,
        location: p.location,
      },
    });
  }
}

/** The list document's fields that come from the draft. */
function listFields(draft: ListDraft) {
  return { title: draft.title, periodFrom: draft.periodFrom, periodUntil: draft.periodUntil, categories: draft.categories, postCount: draft.posts.length };
}

/** Write a draft list's posts and read the list back as stored. */
async function storeDraftPosts(db: Database, listId: string, draft: ListDraft): Promise<ListDoc> {
  await writePosts(db, listId, draft);
  const saved = await getDoc<ListDoc>(db, C.lists, listId);
  if (!saved) throw new Error('list missing after save');
  return saved;
}

function newListId(): string {
  return `l${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
}

function isDuplicate(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown; errCode?: unknown }).code : undefined;
  const text = error instanceof Error ? error.message : String(error);
  return code === 'DATABASE_DUPLICATE_WRITE' || /DUPLICATE|duplicate/.test(text);
}

async function myOpenService(db: Database, claimId: string): Promise<ServiceDoc | null> {
  const { data } = await col<ServiceDoc>(db, C.services).where({ claimId, status: 'open' }).limit(1).get();
  return data[0] ?? null;
}

/** Both conditions on one field (`_.gte(a).and(_.lt(b))`). */
function between(low: DbOperator, high: DbOperator): DbOperator {
  return (low as DbOperator & { and(other: DbOperator): DbOperator }).and(high);
}

function forbidden() {
  return fail('FORBIDDEN' as const, COMMON_ERROR_MESSAGES.FORBIDDEN);
}

/** Close services left open for 24 hours, flag them, and record it in the ledger. */
export async function autoCloseServices(ctx: Pick<TimerContext, 'db' | 'now'>): Promise<{ closed: number }> {
  const { db, now } = ctx;
  const _ = db.command;
  const cutoff = autoCloseCutoff(now);
  let closed = 0;
  for (let round = 0; round < 50; round++) {
    const { data } = await col<ServiceDoc>(db, C.services)
      .where({ status: 'open', checkInAt: _.lte(cutoff) })
      .orderBy('checkInAt', 'asc')
      .limit(100)
      .get();
    if (data.length === 0) break;
    for (const s of data) {
      const done = await db.runTransaction(async (tx) => {
        const found = (await tx.collection<ServiceDoc>(C.services).doc(s._id).get()).data;
        if (!found || found.status !== 'open') return false;
        const checkInAt = found.checkInAt ?? now;
        await tx.collection<ServiceDoc>(C.services).doc(s._id).update({
          data: { status: 'auto-closed', flagged: true, checkOutAt: autoCloseCheckOut(checkInAt), minutes: 0 },
        });
        const key = `autoclose:${s._id}`;
        if (!(await hasEntry(tx, key))) {
          await appendEntries(tx, db, s.openid, [
            {
              key,
              entry: {
                type: 'service',
                actor: 'system',
                subject: s.openid,
                listId: s.listId,
                postId: s.postId,
                postTitle: s.postTitle,
                serviceId: s._id,
                serviceDate: s.date,
                minutes: 0,
                points: 0,
                reason: '签到后 24 小时未签退，已自动结束，待社区书记确认时长',
              },
            },
          ]);
        }
        return true;
      }, 10);
      if (done) closed++;
    }
    if (data.length < 100) break;
  }
  return { closed };
}

/**
 * Recount the places of posts in published lists whose counter disagrees with their active claims
 * (a claim run that died between taking a place and writing the claim leaves a place counted with
 * nobody in it). Posts taken within the grace period are skipped: their claim may still be being
 * written. The write is conditional on the counter and the last take being what was read, so a
 * claim or withdrawal that lands meanwhile makes it a no-op and the next run looks again.
 */
export async function recountPlaces(ctx: Pick<TimerContext, 'db' | 'now'>): Promise<{ checked: number; corrected: number; released: number }> {
  const { db, now } = ctx;
  const _ = db.command;
  const lists = await readAll(col<ListDoc>(db, C.lists).where({ status: 'published' }).orderBy('_id', 'asc'), 500);
  let checked = 0;
  let corrected = 0;
  let released = 0;
  for (let i = 0; i < lists.length; i += 100) {
    const listIds = lists.slice(i, i + 100).map((l) => l._id);
    const posts = await readAll(col<PostDoc>(db, C.posts).where({ listId: _.in(listIds), claimed: _.neq(0) }).orderBy('_id', 'asc'), 2000);
    const active = await activeClaimsPerPost(db, posts.map((p) => p._id));
    for (const post of posts) {
      checked++;
      const next = placesRecount(post, active.get(post._id) ?? 0, now);
      if (next === null) continue;
      const r = await col<PostDoc>(db, C.posts)
        .where({ _id: post._id, claimed: post.claimed, lastTakenAt: post.lastTakenAt ? _.lte(post.lastTakenAt) : _.eq(null) })
        .update({ data: { claimed: next } });
      if (r.stats.updated === 0) continue;
      corrected++;
      released += Math.max(0, post.claimed - next);
    }
  }
  return { checked, corrected, released };
}

export const main = createRouter(
  volunteerContract,
  {
    async settings(_input, ctx) {
      return ok(await loadSettings(ctx.db));
    },

    async updateSettings(input, ctx) {
      const current = await loadSettings(ctx.db);
      const next = {
        requireApproval: input.requireApproval ?? current.requireApproval,
        organisation: input.organisation ?? current.organisation,
      };
      await col<SettingsDoc>(ctx.db, C.settings)
        .doc(SETTINGS_ID)
        .set({ data: { ...next, updatedAt: ctx.now, updatedBy: ctx.openid } });
      return ok({ ...current, ...next });
    },

    async register(input, ctx) {
      const volunteers = col<VolunteerDoc>(ctx.db, C.volunteers);
      const existing = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
      if (existing?.status === 'rejected') {
        return fail('REGISTRATION_REJECTED', '您的志愿者登记未通过审核，如有疑问请联系社区书记');
      }
      const fields = {
        name: input.name,
        phone: input.phone,
        workUnit: input.workUnit,
        partyMember: input.partyMember,
        ...(input.partySince ? { partySince: input.partySince } : {}),
        skills: input.skills,
        consentVersion: input.consentVersion,
      };
      if (existing) {
        // Correcting one's own data keeps the status; consent is renewed with the new version.
        await volunteers.doc(ctx.openid).update({
          data: { ...fields, partySince: input.partySince ?? ctx.db.command.remove(), consentAt: ctx.db.serverDate(), updatedAt: ctx.db.serverDate() },
        });
      } else {
        const { requireApproval } = await loadSettings(ctx.db);
        try {
          await volunteers.add({
            data: {
              _id: ctx.openid,
              _openid: ctx.openid,
              ...fields,
              status: initialRegistrationStatus(requireApproval),
              consentAt: ctx.db.serverDate(),
              honourOptOut: false,
              createdAt: ctx.db.serverDate(),
            },
          });
        } catch (error) {
          if (!isDuplicate(error)) throw error;
        }
      }
      const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
      if (!saved) throw new Error('registration missing after write');
      if (saved.status === 'approved') await grantVolunteerRole(ctx.db, ctx.openid);
      return ok(profileFromDoc(saved));
    },

    async me(_input, ctx) {
      const volunteer = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
      const balance = await getDoc<BalanceDoc>(ctx.db, C.balances, ctx.openid);
      if (!volunteer) return ok({ volunteer: null, summary: summaryFromBalance(balance), claims: [], services: [] });
      const claims = await readAll(
        col<ClaimDoc>(ctx.db, C.claims).where({ openid: ctx.openid, status: 'claimed' }).orderBy('claimedAt', 'desc').orderBy('_id', 'asc'),
        200,
      );
      const posts = await postById(ctx.db, claims.map((c) => c.postId));
      const services = await readAll(
        col<ServiceDoc>(ctx.db, C.services).where({ openid: ctx.openid }).orderBy('date', 'desc').orderBy('_id', 'asc'),
        100,
      );
      const open = new Map(services.filter((s) => s.status === 'open').map((s) => [s.claimId, s._id]));
      return ok({
        volunteer: profileFromDoc(volunteer),
        summary: summaryFromBalance(balance),
        claims: claims.flatMap((c) => {
          const post = posts.get(c.postId);
          return post ? [myClaimFromDocs(c, post, open.get(c._id))] : [];
        }),
        services: services.map(serviceFromDoc),
      });
    },

    async setHonourOptOut({ optOut }, ctx) {
      const r = await col<VolunteerDoc>(ctx.db, C.volunteers).doc(ctx.openid).update({ data: { honourOptOut: optOut, updatedAt: ctx.db.serverDate() } });
      if (r.stats.updated === 0) {
        const exists = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
        if (!exists) return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
      }
      const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
      if (!saved) return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
      return ok(profileFromDoc(saved));
    },

    async volunteers({ status, page }, ctx) {
      const base = col<VolunteerDoc>(ctx.db, C.volunteers);
      const q = status ? base.where({ status }) : base;
      const { skip, limit } = pageWindow(page, VOLUNTEERS_PAGE_SIZE);
      const { data } = await q.orderBy('createdAt', 'desc').orderBy('_id', 'asc').skip(skip).limit(limit).get();
      const { items, hasMore } = takePage(data, VOLUNTEERS_PAGE_SIZE);
      return ok({ volunteers: items.map(listingFromDoc), hasMore });
    },

    async approve({ openid, approve }, ctx) {
      const status = approve ? 'approved' : 'rejected';
      const r = await col<VolunteerDoc>(ctx.db, C.volunteers)
        .doc(openid)
        .update({ data: { status, decidedBy: ctx.openid, updatedAt: ctx.db.serverDate() } });
      const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, openid);
      if (r.stats.updated === 0 && !saved) return fail('NOT_VOLUNTEER', '找不到这位志愿者的登记');
      if (!saved) return fail('NOT_VOLUNTEER', '找不到这位志愿者的登记');
      if (approve) await grantVolunteerRole(ctx.db, openid);
      return ok(listingFromDoc(saved));
    },

    async listPosts({ listId }, ctx) {
      let lists: ListDoc[];
      if (listId) {
        const found = await getDoc<ListDoc>(ctx.db, C.lists, listId);
        if (!found || (found.status === 'draft' && ctx.role !== 'secretary')) return fail('LIST_NOT_FOUND', '没有找到这个清单');
        lists = [found];
      } else {
        const { data } = await col<ListDoc>(ctx.db, C.lists)
          .where({ status: 'published' })
          .orderBy('publishedAt', 'desc')
          .orderBy('_id', 'asc')
          .limit(LISTS_SHOWN)
          .get();
        lists = data;
      }
      const posts = await postsOf(ctx.db, lists.map((l) => l._id));
      const _ = ctx.db.command;
      const mine = lists.length
        ? await readAll(col<ClaimDoc>(ctx.db, C.claims).where({ openid: ctx.openid, listId: _.in(lists.map((l) => l._id)) }).orderBy('_id', 'asc'), 500)
        : [];
      const myStatus = new Map(mine.map((c) => [c.postId, c.status]));
      return ok({
        lists: lists.map(listFromDoc),
        posts: posts.map((p) => ({
          ...postFromDoc(p),
          placesLeft: placesLeft(p),
          claimDeadline: claimDeadline(p.schedule).toISOString(),
          withdrawDeadline: withdrawDeadline(p.schedule).toISOString(),
          myClaim: myStatus.get(p._id) ?? null,
        })),
      });
    },

    async claim({ postId, requestId }, ctx) {
      const { db, openid, now } = ctx;
      const key = ledgerKey('claim', openid, requestId);
      const id = claimIdOf(postId, openid);
      const post = await getDoc<PostDoc>(db, C.posts, postId);
      if (!post) return fail('POST_NOT_FOUND', '没有找到这个岗位');

      const otherClaims = async () => {
        const active = await readAll(
          col<ClaimDoc>(db, C.claims).where({ openid, status: 'claimed', endsAt: db.command.gt(now) }).orderBy('_id', 'asc'),
          100,
        );
        const posts = await postById(db, active.map((c) => c.postId));
        return { active, posts };
      };
      const answer = async (claim: ClaimDoc, replayed: boolean) => {
        const { active, posts } = await otherClaims();
        const overlaps = overlappingClaims(
          post.schedule,
          active.flatMap((c) => {
            const p = posts.get(c.postId);
            return p ? [{ postId: p._id, title: p.title, schedule: p.schedule }] : [];
          }),
          postId,
        ).map((o) => ({ postId: o.postId, title: o.title }));
        return ok({ claim: myClaimFromDocs(claim, post), overlaps, replayed });
      };

      // A retried request answers as the first one did.
      const replay = async () => {
        if (!(await getDoc<LedgerDoc>(db, C.ledger, key))) return null;
        const claim = await getDoc<ClaimDoc>(db, C.claims, id);
        return claim ? answer(claim, true) : null;
      };
      const first = await replay();
      if (first) return first;

      const [volunteer, list, existing] = await Promise.all([
        getDoc<VolunteerDoc>(db, C.volunteers, openid),
        getDoc<ListDoc>(db, C.lists, post.listId),
        getDoc<ClaimDoc>(db, C.claims, id),
      ]);
      const { total: activeClaims } = await col<ClaimDoc>(db, C.claims).where({ openid, status: 'claimed', endsAt: db.command.gt(now) }).count();
      const refusal = claimRefusal({
        volunteer,
        listStatus: list?.status ?? 'closed',
        post,
        alreadyClaimed: existing?.status === 'claimed',
        activeClaims,
        now,
      });
      if (refusal) return fail(refusal, CLAIM_REFUSAL_MESSAGES[refusal]);

      // Take a place: an atomic conditional increment never goes past capacity.
      const taken = await col<PostDoc>(db, C.posts)
        .where({ _id: postId, claimed: db.command.lt(post.capacity) })
        .update({ data: { claimed: db.command.inc(1), lastTakenAt: now } });
      if (taken.stats.updated === 0) return fail('POST_FULL', CLAIM_REFUSAL_MESSAGES.POST_FULL);

      let outcome: 'created' | 'replayed' | 'duplicate';
      try {
        outcome = await db.runTransaction(async (tx) => {
          if (await hasEntry(tx, key)) return 'replayed' as const;
          const claims = tx.collection<ClaimDoc>(C.claims);
          const current = (await claims.doc(id).get()).data;
          if (current?.status === 'claimed') return 'duplicate' as const;
          await claims.doc(id).set({
            data: {
              _openid: openid,
              openid,
              postId,
              listId: post.listId,
              status: 'claimed',
              claimedAt: now,
              endsAt: claimEndsAt(post.schedule),
            },
          });
          await appendEntries(tx, db, openid, [
            { key, entry: { type: 'claim', actor: openid, subject: openid, listId: post.listId, postId, postTitle: post.title, minutes: 0, points: 0 } },
          ]);
          return 'created' as const;
        }, 10);
      } catch (error) {
        await col<PostDoc>(db, C.posts).doc(postId).update({ data: { claimed: db.command.inc(-1) } });
        const again = await replay();
        if (again) return again;
        const now2 = await getDoc<ClaimDoc>(db, C.claims, id);
        if (now2?.status === 'claimed') return fail('ALREADY_CLAIMED', CLAIM_REFUSAL_MESSAGES.ALREADY_CLAIMED);
        throw error;
      }
      if (outcome !== 'created') {
        // The place taken above is given back: this request did not create a claim.
        await col<PostDoc>(db, C.posts).doc(postId).update({ data: { claimed: db.command.inc(-1) } });
        if (outcome === 'duplicate') return fail('ALREADY_CLAIMED', CLAIM_REFUSAL_MESSAGES.ALREADY_CLAIMED);
        const again = await replay();
        if (again) return again;
      }
      const saved = await getDoc<ClaimDoc>(db, C.claims, id);
      if (!saved) throw new Error('claim missing after commit');
      return answer(saved, false);
    },

    async withdraw({ postId, requestId }, ctx) {
      const { db, openid, now } = ctx;
      const key = ledgerKey('withdraw', openid, requestId);
      const id = claimIdOf(postId, openid);
      const post = await getDoc<PostDoc>(db, C.posts, postId);
      if (!post) return fail('POST_NOT_FOUND', '没有找到这个岗位');
      const { total: serviceCount } = await col<ServiceDoc>(db, C.services).where({ claimId: id }).count();
      const result = await db.runTransaction(async (tx) => {
        const claims = tx.collection<ClaimDoc>(C.claims);
        const claim = (await claims.doc(id).get()).data;
        if (await hasEntry(tx, key)) return { kind: 'replayed' as const, claim };
        const refusal = withdrawRefusal({ claimStatus: claim?.status ?? null, schedule: post.schedule, serviceCount, now });
        if (refusal || !claim) return { kind: 'refused' as const, refusal: refusal ?? 'NOT_CLAIMED' };
        await claims.doc(id).update({ data: { status: 'withdrawn', withdrawnAt: now } });
        await tx.collection<PostDoc>(C.posts).doc(postId).update({ data: { claimed: db.command.inc(-1) } });
        await appendEntries(tx, db, openid, [
          { key, entry: { type: 'withdraw', actor: openid, subject: openid, listId: post.listId, postId, postTitle: post.title, minutes: 0, points: 0 } },
        ]);
        return { kind: 'done' as const, claim: { ...claim, status: 'withdrawn' as const, withdrawnAt: now } };
      }, 10);
      if (result.kind === 'refused') return fail(result.refusal, WITHDRAW_REFUSAL_MESSAGES[result.refusal]);
      if (!result.claim) return fail('NOT_CLAIMED', WITHDRAW_REFUSAL_MESSAGES.NOT_CLAIMED);
      return ok({ claim: myClaimFromDocs(result.claim, post), replayed: result.kind === 'replayed' });
    },

    async checkIn({ postId, scene, requestId }, ctx) {
      const { db, openid, now } = ctx;
      const post = await getDoc<PostDoc>(db, C.posts, postId);
      if (!post) return fail('POST_NOT_FOUND', '没有找到这个岗位');
      const cid = claimIdOf(postId, openid);
      const claim = await getDoc<ClaimDoc>(db, C.claims, cid);
      if (claim?.status !== 'claimed') return fail('NOT_CLAIMED', '请先认领这个岗位');
      if (post.location.spaceId) {
        const scanned = parseEntranceScene(scene);
        if (!scanned || scanned.spaceId !== post.location.spaceId) return fail('WRONG_PLACE', '请扫描服务地点入口处的二维码签到');
      }
      const date = serviceDateOf(now);
      if (!occurrences(post.schedule).some((o) => o.date === date)) return fail('NOT_SERVICE_DAY', '今天不是这个岗位的服务日');
      const sid = serviceIdOf(cid, date);
      const key = ledgerKey('checkin', openid, requestId);
      const result = await db.runTransaction(async (tx) => {
        const services = tx.collection<ServiceDoc>(C.services);
        const found = (await services.doc(sid).get()).data;
        if (found) return { created: false, doc: found };
        const doc: ServiceDoc = {
          _id: sid,
          _openid: openid,
          openid,
          claimId: cid,
          postId,
          listId: post.listId,
          postTitle: post.title,
          date,
          status: 'open',
          checkInAt: now,
          minutes: 0,
          flagged: false,
        };
        const { _id, ...data } = doc;
        await services.doc(_id).set({ data });
        return { created: true, doc };
      }, 10);
      if (!result.created) {
        // The same request retried answers with the record it made; anything else is a second check-in.
        if (result.doc.status === 'open' && result.doc.checkInAt && result.doc.checkInAt.getTime() > now.getTime() - 60_000 && key) {
          return ok(serviceFromDoc(result.doc));
        }
        return fail('ALREADY_CHECKED_IN', '今天已经签到过了');
      }
      return ok(serviceFromDoc(result.doc));
    },

    async checkOut({ postId, requestId }, ctx) {
      const { db, openid, now } = ctx;
      const post = await getDoc<PostDoc>(db, C.posts, postId);
      if (!post) return fail('POST_NOT_FOUND', '没有找到这个岗位');
      const cid = claimIdOf(postId, openid);
      const key = ledgerKey('checkout', openid, requestId);
      const open = await myOpenService(db, cid);
      if (!open) {
        const replayed = await getDoc<LedgerDoc>(db, C.ledger, key);
        const done = replayed?.serviceId ? await getDoc<ServiceDoc>(db, C.services, replayed.serviceId) : null;
        if (done) return ok(serviceFromDoc(done));
        return fail('NOT_CHECKED_IN', '您还没有签到');
      }
      const result = await db.runTransaction(async (tx) => {
        const services = tx.collection<ServiceDoc>(C.services);
        const s = (await services.doc(open._id).get()).data;
        if (!s || s.status !== 'open' || !s.checkInAt) return null;
        const minutes = serviceMinutes(s.checkInAt, now);
        await services.doc(s._id).update({ data: { status: 'closed', checkOutAt: now, minutes } });
        await appendEntries(tx, db, openid, [
          {
            key,
            entry: { type: 'service', actor: openid, subject: openid, listId: s.listId, postId, postTitle: s.postTitle, serviceId: s._id, serviceDate: s.date, minutes, points: 0 },
          },
        ]);
        return { ...s, status: 'closed' as const, checkOutAt: now, minutes };
      }, 10);
      if (!result) return fail('NOT_CHECKED_IN', '您还没有签到');
      return ok(serviceFromDoc(result));
    },

    async feedback({ serviceId, rating, text }, ctx) {
      const service = await getDoc<ServiceDoc>(ctx.db, C.services, serviceId);
      const mine = service?.openid === ctx.openid;
      if (!service || (!mine && ctx.role !== 'secretary')) return fail('SERVICE_NOT_FOUND', '没有找到这次服务');
      if (service.status === 'open') return fail('SERVICE_NOT_DONE', '服务结束后才能反馈');
      const fromRole = mine ? ('volunteer' as const) : ('secretary' as const);
      const id = `${serviceId}_${fromRole}`;
      await col<FeedbackDoc>(ctx.db, C.feedback)
        .doc(id)
        .set({
          data: {
            _openid: ctx.openid,
            serviceId,
            postId: service.postId,
            postTitle: service.postTitle,
            volunteer: service.openid,
            fromRole,
            rating,
            text,
            at: ctx.now,
          },
        });
      return ok({ id, serviceId, postId: service.postId, postTitle: service.postTitle, fromRole, rating, text, at: ctx.now.toISOString() });
    },

    async feedbackList({ postId }, ctx) {
      const base = col<FeedbackDoc>(ctx.db, C.feedback);
      const q = ctx.role === 'secretary' ? (postId ? base.where({ postId }) : base) : base.where({ volunteer: ctx.openid, ...(postId ? { postId } : {}) });
      const { data } = await q.orderBy('at', 'desc').orderBy('_id', 'asc').limit(50).get();
      return ok(
        data.map((f) => ({ id: f._id, serviceId: f.serviceId, postId: f.postId, postTitle: f.postTitle, fromRole: f.fromRole, rating: f.rating, text: f.text, at: isoString(f.at) })),
      );
    },

    async ledger({ openid, page }, ctx) {
      const subject = openid ?? ctx.openid;
      if (subject !== ctx.openid && ctx.role !== 'secretary') return forbidden();
      const { skip, limit } = pageWindow(page, LEDGER_PAGE_SIZE);
      const { data } = await col<LedgerDoc>(ctx.db, C.ledger).where({ subject }).orderBy('at', 'desc').orderBy('_id', 'desc').skip(skip).limit(limit).get();
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
      const fields = { title: input.title, description: input.description, cost: input.cost, stock: input.stock, active: input.active };
      if (input.id) {
        const r = await rewards.doc(input.id).update({ data: { ...fields, updatedAt: ctx.db.serverDate() } });
        if (r.stats.updated === 0 && !(await getDoc<RewardDoc>(ctx.db, C.rewards, input.id))) return fail('REWARD_NOT_FOUND', '没有找到这个奖励');
        const saved = await getDoc<RewardDoc>(ctx.db, C.rewards, input.id);
        if (!saved) return fail('REWARD_NOT_FOUND', '没有找到这个奖励');
        return ok(rewardFromDoc(saved));
      }
      const { _id } = await rewards.add({ data: { ...fields, createdAt: ctx.db.serverDate() } });
      return ok({ id: _id, ...fields });
    },

    async redeem({ rewardId, requestId }, ctx) {
      const { db, openid } = ctx;
      const key = ledgerKey('redeem', openid, requestId);
      const redemptionId = `${openid}_${requestId}`;
      const replay = async () => {
        const r = await getDoc<RedemptionDoc>(db, C.redemptions, redemptionId);
        if (!r || !(await getDoc<LedgerDoc>(db, C.ledger, key))) return null;
        const balance = await getDoc<BalanceDoc>(db, C.balances, openid);
        return ok({ redemption: redemptionFromDoc(r), summary: summaryFromBalance(balance), replayed: true });
      };
      const first = await replay();
      if (first) return first;
      const volunteer = await getDoc<VolunteerDoc>(db, C.volunteers, openid);
      if (volunteer?.status !== 'approved') return fail('NOT_VOLUNTEER', '请先登记成为志愿者');

      for (let attempt = 0; attempt < 3; attempt++) {
        const code = redemptionCode(crypto.randomBytes(8));
        try {
          const result = await db.runTransaction(async (tx) => {
            if (await hasEntry(tx, key)) return { kind: 'replayed' as const };
            const reward = (await tx.collection<RewardDoc>(C.rewards).doc(rewardId).get()).data;
            if (!reward || !reward.active) return { kind: 'refused' as const, code: 'REWARD_NOT_FOUND' as const };
            if (reward.stock !== null && reward.stock <= 0) return { kind: 'refused' as const, code: 'OUT_OF_STOCK' as const };
            const balance = summaryFromBalance((await tx.collection<BalanceDoc>(C.balances).doc(openid).get()).data);
            if (redemptionRefusal(balance.points, reward.cost)) return { kind: 'refused' as const, code: 'INSUFFICIENT_POINTS' as const, balance: balance.points, cost: reward.cost };
            if (reward.stock !== null) await tx.collection<RewardDoc>(C.rewards).doc(rewardId).update({ data: { stock: reward.stock - 1 } });
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
              { key, entry: { type: 'redeem', actor: openid, subject: openid, redemptionId, minutes: 0, points: -reward.cost, reason: reward.title } },
            ]);
            return { kind: 'done' as const, doc, summary };
          }, 10);
          if (result.kind === 'refused') {
            if (result.code === 'INSUFFICIENT_POINTS') return fail('INSUFFICIENT_POINTS', `积分不足：需要 ${result.cost}，当前 ${result.balance}`);
            if (result.code === 'OUT_OF_STOCK') return fail('OUT_OF_STOCK', '这个奖励已兑完');
            return fail('REWARD_NOT_FOUND', '没有找到这个奖励，或已下架');
          }
          if (result.kind === 'replayed') {
            const again = await replay();
            if (again) return again;
            throw new Error('redemption replay without its record');
          }
          return ok({ redemption: redemptionFromDoc(result.doc), summary: result.summary, replayed: false });
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
      const { data } = await col<RedemptionDoc>(ctx.db, C.redemptions).where({ openid: ctx.openid }).orderBy('createdAt', 'desc').orderBy('_id', 'asc').limit(50).get();
      return ok(data.map(redemptionFromDoc));
    },

    async verifyRedemption({ code }, ctx) {
      const redemptions = col<RedemptionDoc>(ctx.db, C.redemptions);
      // One conditional update: of two staff verifying at once, only one succeeds.
      const used = await redemptions.where({ code, status: 'issued' }).update({ data: { status: 'used', usedAt: ctx.now, usedBy: ctx.openid } });
      const { data } = await redemptions.where({ code }).limit(1).get();
      const found = data[0];
      if (!found) return fail('CODE_NOT_FOUND', '兑换码无效，请核对后重试');
      if (used.stats.updated === 0) return fail('CODE_ALREADY_USED', `这个兑换码已于 ${found.usedAt ? shanghaiDate(found.usedAt) : '此前'} 使用过`);
      const volunteer = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, found.openid);
      return ok({ ...redemptionFromDoc(found), maskedName: volunteer ? maskName(volunteer.name) : '志愿者' });
    },

    async honourBoard({ month }, ctx) {
      const m = month ?? shanghaiDate(ctx.now).slice(0, 7);
      const { from, before } = monthRange(m);
      const _ = ctx.db.command;
      const entries = await readAll(
        col<LedgerDoc>(ctx.db, C.ledger).where({ type: 'confirm', serviceDate: between(_.gte(from), _.lt(before)) }).orderBy('_id', 'asc'),
      );
      const totals = monthlyTotals(entries.map((e) => ({ subject: e.subject, minutes: e.minutes })));
      const people = await volunteersByOpenid(ctx.db, totals.map((t) => t.subject));
      const named = new Map([...people].map(([k, v]) => [k, { name: v.name, optOut: v.honourOptOut }]));
      return ok({ month: m, rows: honourBoard(totals, named, ctx.openid) });
    },

    async lists({ status }, ctx) {
      const base = col<ListDoc>(ctx.db, C.lists);
      const { data } = await (status ? base.where({ status }) : base).orderBy('createdAt', 'desc').orderBy('_id', 'asc').limit(50).get();
      return ok(data.map(listFromDoc));
    },

    async getList({ listId }, ctx) {
      const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
      const posts = await postsOf(ctx.db, [listId]);
      return ok({ list: listFromDoc(list), draft: draftFromDocs(list, posts), posts: posts.map(postFromDoc) });
    },

    async saveList({ listId, draft }, ctx) {
      const lists = col<ListDoc>(ctx.db, C.lists);
      const id = listId ?? newListId();
      if (listId) {
        const found = await getDoc<ListDoc>(ctx.db, C.lists, listId);
        if (!found) return fail('LIST_NOT_FOUND', '没有找到这个清单');
        if (found.status !== 'draft') return fail('LIST_NOT_DRAFT', '已发布的清单不能再修改，可以复制为新清单');
        // Only a draft is rewritten; the condition keeps a concurrent publish from being overwritten.
        const r = await lists.where({ _id: listId, status: 'draft' }).update({ data: listFields(draft) });
        if (r.stats.updated === 0) return fail('LIST_NOT_DRAFT', '已发布的清单不能再修改，可以复制为新清单');
      } else {
        await lists.add({ data: { _id: id, _openid: ctx.openid, ...listFields(draft), status: 'draft', createdAt: ctx.now } });
      }
      return ok(listFromDoc(await storeDraftPosts(ctx.db, id, draft)));
    },

    async publishList({ listId }, ctx) {
      const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
      const refusal = publishRefusal(list);
      if (refusal === 'LIST_NOT_DRAFT') return fail('LIST_NOT_DRAFT', '这个清单已经发布或结束');
      if (refusal === 'LIST_EMPTY') return fail('LIST_EMPTY', '清单里还没有岗位');
      const r = await col<ListDoc>(ctx.db, C.lists).where({ _id: listId, status: 'draft' }).update({ data: { status: 'published', publishedAt: ctx.now } });
      if (r.stats.updated === 0) return fail('LIST_NOT_DRAFT', '这个清单已经发布或结束');
      return ok(listFromDoc({ ...list, status: 'published', publishedAt: ctx.now }));
    },

    async closeList({ listId }, ctx) {
      const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
      const r = await col<ListDoc>(ctx.db, C.lists).where({ _id: listId, status: 'published' }).update({ data: { status: 'closed', closedAt: ctx.now } });
      if (r.stats.updated === 0) return fail('LIST_NOT_PUBLISHED', '只有已发布的清单可以结束');
      return ok(listFromDoc({ ...list, status: 'closed', closedAt: ctx.now }));
    },

    async copyList({ listId, periodFrom }, ctx) {
      const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
      const posts = await postsOf(ctx.db, [listId]);
      const draft = copyListDraft(draftFromDocs(list, posts), periodFrom);
      const id = newListId();
      await col<ListDoc>(ctx.db, C.lists).add({
        data: { _id: id, _openid: ctx.openid, ...listFields(draft), status: 'draft', createdAt: ctx.now, copiedFrom: listId },
      });
      return ok(listFromDoc(await storeDraftPosts(ctx.db, id, draft)));
    },

    async claims({ listId }, ctx) {
      const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
      const posts = new Map((await postsOf(ctx.db, [listId])).map((p) => [p._id, p]));
      const claims = await readAll(col<ClaimDoc>(ctx.db, C.claims).where({ listId }).orderBy('postId', 'asc').orderBy('_id', 'asc'), 2000);
      const services = await readAll(col<ServiceDoc>(ctx.db, C.services).where({ listId }).orderBy('_id', 'asc'), 2000);
      const people = await volunteersByOpenid(ctx.db, claims.map((c) => c.openid));
      const byClaim = new Map<string, ServiceDoc[]>();
      for (const s of services) byClaim.set(s.claimId, [...(byClaim.get(s.claimId) ?? []), s]);
      return ok(
        claims.flatMap((c) => {
          const post = posts.get(c.postId);
          return post ? [claimViewFromDocs(c, post, people.get(c.openid), byClaim.get(c._id) ?? [])] : [];
        }),
      );
    },

    async confirm({ requestId, items }, ctx) {
      const { db, openid: secretary, now } = ctx;
      let confirmed = 0;
      let replayed = 0;
      const skipped: Array<{ claimId: string; code: string }> = [];
      const claimsById = await claimsByIds(db, items.map((i) => i.claimId));
      const posts = await postById(db, [...claimsById.values()].map((c) => c.postId));
      for (const item of items) {
        const claim = claimsById.get(item.claimId);
        const post = claim ? posts.get(claim.postId) : undefined;
        if (!claim || !post || claim.status !== 'claimed') {
          skipped.push({ claimId: item.claimId, code: 'NOT_CLAIMED' });
          continue;
        }
        const minutes = confirmableMinutes(item.hours);
        if (minutes === null) {
          skipped.push({ claimId: item.claimId, code: 'INVALID_HOURS' });
          continue;
        }
        const part = `${item.claimId}:${item.date}`;
        const confirmKey = ledgerKey('confirm', secretary, requestId, part);
        const pointsKey = ledgerKey('points', secretary, requestId, part);
        const sid = serviceIdOf(item.claimId, item.date);
        const outcome = await db.runTransaction(async (tx) => {
          if (await hasEntry(tx, confirmKey)) return 'replayed' as const;
          const services = tx.collection<ServiceDoc>(C.services);
          const service = (await services.doc(sid).get()).data;
          if (service?.status === 'confirmed') return 'ALREADY_CONFIRMED' as const;
          const confirmedFields = { status: 'confirmed' as const, minutes, flagged: service?.flagged ?? false, confirmedAt: now, confirmedBy: secretary };
          if (service) {
            await services.doc(sid).update({ data: { ...confirmedFields, ...(service.checkOutAt ? {} : { checkOutAt: now }) } });
          } else {
            await services.doc(sid).set({
              data: {
                _openid: claim.openid,
                openid: claim.openid,
                claimId: claim._id,
                postId: post._id,
                listId: post.listId,
                postTitle: post.title,
                date: item.date,
                ...confirmedFields,
              },
            });
          }
          const common = { actor: secretary, subject: claim.openid, listId: post.listId, postId: post._id, postTitle: post.title, serviceId: sid, serviceDate: item.date };
          await appendEntries(tx, db, claim.openid, [
            { key: confirmKey, entry: { ...common, type: 'confirm', minutes, points: 0 } },
            ...(post.points > 0 ? [{ key: pointsKey, entry: { ...common, type: 'points' as const, minutes: 0, points: post.points } }] : []),
          ]);
          return 'confirmed' as const;
        }, 10);
        if (outcome === 'confirmed') confirmed++;
        else if (outcome === 'replayed') replayed++;
        else skipped.push({ claimId: item.claimId, code: outcome });
      }
      return ok({ confirmed, skipped, replayed });
    },

    async adjust({ openid, points, reason, requestId }, ctx) {
      const { db } = ctx;
      const volunteer = await getDoc<VolunteerDoc>(db, C.volunteers, openid);
      if (!volunteer) return fail('NOT_VOLUNTEER', '找不到这位志愿者');
      const key = ledgerKey('adjust', ctx.openid, requestId);
      const result = await db.runTransaction(async (tx) => {
        if (await hasEntry(tx, key)) return { kind: 'replayed' as const };
        const balance = summaryFromBalance((await tx.collection<BalanceDoc>(C.balances).doc(openid).get()).data);
        if (adjustmentRefusal(balance.points, points)) return { kind: 'refused' as const, balance: balance.points };
        const summary = await appendEntries(tx, db, openid, [
          { key, entry: { type: 'adjust', actor: ctx.openid, subject: openid, minutes: 0, points, reason } },
        ]);
        return { kind: 'done' as const, summary };
      }, 10);
      if (result.kind === 'refused') return fail('NEGATIVE_BALANCE', `调整后积分不能为负（当前 ${result.balance}）`);
      if (result.kind === 'replayed') {
        const balance = await getDoc<BalanceDoc>(db, C.balances, openid);
        return ok({ summary: summaryFromBalance(balance), replayed: true });
      }
      return ok({ summary: result.summary, replayed: false });
    },

    async export({ from, until }, ctx) {
      const _ = ctx.db.command;
      const entries = await readAll(
        col<LedgerDoc>(ctx.db, C.ledger).where({ type: 'confirm', serviceDate: between(_.gte(from), _.lte(until)) }).orderBy('_id', 'asc'),
        EXPORT_ROWS_MAX + 1,
      );
      const truncated = entries.length > EXPORT_ROWS_MAX;
      const used = entries.slice(0, EXPORT_ROWS_MAX);
      const people = await volunteersByOpenid(ctx.db, used.map((e) => e.subject));
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
      return ok({ csv: volunteerRecordCsv(rows), rows: rows.length, filename: `志愿服务记录_${from}_${until}.csv`, truncated });
    },
  },
  {
    name: 'volunteer',
    roles: {
      updateSettings: ['secretary'],
      volunteers: ['secretary'],
      approve: ['secretary'],
      saveReward: ['secretary'],
      verifyRedemption: ['secretary'],
      lists: ['secretary'],
      getList: ['secretary'],
      saveList: ['secretary'],
      publishList: ['secretary'],
      closeList: ['secretary'],
      copyList: ['secretary'],
      claims: ['secretary'],
      confirm: ['secretary'],
      adjust: ['secretary'],
      export: ['secretary'],
    },
    // The run's clock is the instant WeChat fired the trigger, when it says so.
    timers: {
      autoCloseServices: async (ctx) => autoCloseServices({ db: ctx.db, now: timerClock(ctx) }),
      recountPlaces: async (ctx) => recountPlaces({ db: ctx.db, now: timerClock(ctx) }),
    },
  },
);
