import crypto from 'node:crypto';
import type { Registration } from '../../src/domain/volunteer/registration';
import { initialRegistrationStatus } from '../../src/domain/volunteer/registration';
import {
  type HeldClaim,
  activeHeldClaims,
  atClaimLimit,
  claimId as claimIdOf,
  withdrawRefusal,
  type WithdrawRefusal,
} from '../../src/domain/volunteer/claims';
import {
  type LedgerSummary,
  type RewardRefusal,
  adjustmentRefusal,
  redemptionCode,
  redemptionRefusal,
  rewardRefusal,
} from '../../src/domain/volunteer/ledger';
import {
  type ListDraft,
  type ListStatus,
  type Schedule,
  claimEndsAt,
} from '../../src/domain/volunteer/opportunity';
import {
  serviceDateOf,
  serviceId as serviceIdOf,
  serviceMinutes,
} from '../../src/domain/volunteer/service';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import type { Reward } from '../../src/domain/contract/volunteer';
import {
  COLLECTIONS,
  type Database,
  type DbOperator,
  type UserDoc,
  byIds,
  getOrNull,
  isDuplicateKey,
  readAll,
  requestDocId,
  transact,
  whereIn,
} from '../_shared';
import {
  appendConfirmation,
  appendEntries,
  confirmationKeys,
  hasEntry,
  summaryFromBalance,
} from '../_shared/ledger';
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
  settingsView,
} from './docs';

/**
 * The volunteer function's reads and writes, built on the data toolkit (_shared/data.ts) and the
 * service ledger (_shared/ledger.ts). Every write that may be retried is keyed by the request's
 * ledger key (or an id that follows from it), so a retry from any instance writes nothing twice.
 */

export const SETTINGS_ID = 'settings';
export const LEDGER_PAGE_SIZE = 20;
export const VOLUNTEERS_PAGE_SIZE = 20;
/** Published lists shown at once when none is named. */
export const LISTS_SHOWN = 5;

const {
  volunteers: VOLUNTEERS,
  volunteerSettings: SETTINGS,
  volunteerLists: LISTS,
  volunteerPosts: POSTS,
  volunteerClaims: CLAIMS,
  serviceRecords: SERVICES,
  ledger: LEDGER,
  balances: BALANCES,
  rewards: REWARDS,
  redemptions: REDEMPTIONS,
  volunteerFeedback: FEEDBACK,
} = COLLECTIONS;

export const loadPost = (db: Database, id: string) => getOrNull<PostDoc>(db, POSTS, id);
export const loadList = (db: Database, id: string) => getOrNull<ListDoc>(db, LISTS, id);
export const loadClaim = (db: Database, id: string) => getOrNull<ClaimDoc>(db, CLAIMS, id);
export const loadVolunteer = (db: Database, openid: string) =>
  getOrNull<VolunteerDoc>(db, VOLUNTEERS, openid);
export const loadService = (db: Database, id: string) => getOrNull<ServiceDoc>(db, SERVICES, id);
export const loadBalance = (db: Database, openid: string) =>
  getOrNull<BalanceDoc>(db, BALANCES, openid);
export const volunteersByOpenid = (db: Database, openids: string[]) =>
  byIds<VolunteerDoc>(db, VOLUNTEERS, openids);
export const postsByIds = (db: Database, ids: string[]) => byIds<PostDoc>(db, POSTS, ids);

/** Both conditions on one field (`_.gte(a).and(_.lt(b))`). */
export function between(low: DbOperator, high: DbOperator): DbOperator {
  return (low as DbOperator & { and(other: DbOperator): DbOperator }).and(high);
}

// ---- registration and settings ----

export async function loadSettings(db: Database) {
  return settingsView(await getOrNull<SettingsDoc>(db, SETTINGS, SETTINGS_ID));
}

export async function saveSettings(
  db: Database,
  next: Pick<SettingsDoc, 'requireApproval' | 'organisation'>,
  by: string,
  now: Date,
): Promise<void> {
  await db
    .collection<SettingsDoc>(SETTINGS)
    .doc(SETTINGS_ID)
    .set({ data: { ...next, updatedAt: now, updatedBy: by } });
}

/** Give a resident the volunteer role once their registration is approved; never demote. */
export async function grantVolunteerRole(db: Database, openid: string): Promise<void> {
  await db
    .collection<UserDoc>(COLLECTIONS.users)
    .where({ _id: openid, role: 'resident' })
    .update({ data: { role: 'volunteer', updatedAt: db.serverDate() } });
}

/**
 * Write a registration: a correction of one's own keeps its status and renews consent with the
 * new version; a new one starts pending or approved by the settings (a second insert racing the
 * first is refused by the `_id`). An approved volunteer gets the volunteer role.
 */
export async function saveRegistration(
  db: Database,
  openid: string,
  input: Registration,
  exists: boolean,
): Promise<VolunteerDoc> {
  const volunteers = db.collection<VolunteerDoc>(VOLUNTEERS);
  const fields = {
    name: input.name,
    phone: input.phone,
    workUnit: input.workUnit,
    partyMember: input.partyMember,
    ...(input.partySince ? { partySince: input.partySince } : {}),
    skills: input.skills,
    consentVersion: input.consentVersion,
  };
  if (exists) {
    await volunteers.doc(openid).update({
      data: {
        ...fields,
        partySince: input.partySince ?? db.command.remove(),
        consentAt: db.serverDate(),
        updatedAt: db.serverDate(),
      },
    });
  } else {
    const { requireApproval } = await loadSettings(db);
    try {
      await volunteers.add({
        data: {
          _id: openid,
          _openid: openid,
          ...fields,
          status: initialRegistrationStatus(requireApproval),
          consentAt: db.serverDate(),
          honourOptOut: false,
          createdAt: db.serverDate(),
        },
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  const saved = await loadVolunteer(db, openid);
  if (!saved) throw new Error('registration missing after write');
  if (saved.status === 'approved') await grantVolunteerRole(db, openid);
  return saved;
}

/** A volunteer's own record: registration, balance, the claims they hold (with posts), services. */
export async function loadMine(db: Database, openid: string) {
  const volunteer = await loadVolunteer(db, openid);
  const balance = await loadBalance(db, openid);
  if (!volunteer) return { volunteer, balance, claims: [], services: [] };
  const claims = await readAll(
    db
      .collection<ClaimDoc>(CLAIMS)
      .where({ openid, status: 'claimed' })
      .orderBy('claimedAt', 'desc')
      .orderBy('_id', 'asc'),
    200,
  );
  const posts = await postsByIds(
    db,
    claims.map((c) => c.postId),
  );
  const services = await readAll(
    db
      .collection<ServiceDoc>(SERVICES)
      .where({ openid })
      .orderBy('date', 'desc')
      .orderBy('_id', 'asc'),
    100,
  );
  const held = claims.flatMap((claim) => {
    const post = posts.get(claim.postId);
    return post ? [{ claim, post }] : [];
  });
  return { volunteer, balance, claims: held, services };
}

/** Set the honour-board opt-out; null when the caller has no registration. */
export async function setHonourOptOut(
  db: Database,
  openid: string,
  optOut: boolean,
): Promise<VolunteerDoc | null> {
  const r = await db
    .collection<VolunteerDoc>(VOLUNTEERS)
    .doc(openid)
    .update({ data: { honourOptOut: optOut, updatedAt: db.serverDate() } });
  if (r.stats.updated === 0 && !(await loadVolunteer(db, openid))) return null;
  return loadVolunteer(db, openid);
}

export async function volunteersPage(
  db: Database,
  status: VolunteerDoc['status'] | undefined,
  page: number,
) {
  const base = db.collection<VolunteerDoc>(VOLUNTEERS);
  const { skip, limit } = pageWindow(page, VOLUNTEERS_PAGE_SIZE);
  const { data } = await (status ? base.where({ status }) : base)
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .skip(skip)
    .limit(limit)
    .get();
  return takePage(data, VOLUNTEERS_PAGE_SIZE);
}

/** The secretary's decision on a registration; null when there is none. */
export async function decideRegistration(
  db: Database,
  openid: string,
  approve: boolean,
  by: string,
): Promise<VolunteerDoc | null> {
  const status = approve ? 'approved' : 'rejected';
  await db
    .collection<VolunteerDoc>(VOLUNTEERS)
    .doc(openid)
    .update({ data: { status, decidedBy: by, updatedAt: db.serverDate() } });
  const saved = await loadVolunteer(db, openid);
  if (saved && approve) await grantVolunteerRole(db, openid);
  return saved;
}

// ---- lists and posts ----

export async function publishedLists(db: Database): Promise<ListDoc[]> {
  const { data } = await db
    .collection<ListDoc>(LISTS)
    .where({ status: 'published' })
    .orderBy('publishedAt', 'desc')
    .orderBy('_id', 'asc')
    .limit(LISTS_SHOWN)
    .get();
  return data;
}

export async function listsByStatus(db: Database, status?: ListStatus): Promise<ListDoc[]> {
  const base = db.collection<ListDoc>(LISTS);
  const { data } = await (status ? base.where({ status }) : base)
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .limit(50)
    .get();
  return data;
}

export async function postsOf(db: Database, listIds: string[]): Promise<PostDoc[]> {
  if (listIds.length === 0) return [];
  const _ = db.command;
  return readAll(
    db
      .collection<PostDoc>(POSTS)
      .where({ listId: _.in(listIds) })
      .orderBy('listId', 'asc')
      .orderBy('order', 'asc'),
    2000,
  );
}

/** The status of the caller's claim on each post of these lists. */
export async function myClaimStatus(db: Database, openid: string, listIds: string[]) {
  const mine = listIds.length
    ? await readAll(
        db
          .collection<ClaimDoc>(CLAIMS)
          .where({ openid, listId: db.command.in(listIds) })
          .orderBy('_id', 'asc'),
        500,
      )
    : [];
  return new Map(mine.map((c) => [c.postId, c.status]));
}

/**
 * Replace a draft list's posts (drafts are not claimable, so nothing refers to them yet). Each
 * post is written with set() under an id that follows from the list and its order, so two copies
 * writing the same draft at once end with the same posts (the last to remove writes them all).
 */
export async function writePosts(db: Database, listId: string, draft: ListDraft): Promise<void> {
  await db.collection<PostDoc>(POSTS).where({ listId }).remove();
  for (const [order, p] of draft.posts.entries()) {
    await db
      .collection<PostDoc>(POSTS)
      .doc(`${listId}-${String(order + 1).padStart(2, '0')}`)
      .set({
        data: {
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
export function listFields(draft: ListDraft) {
  return {
    title: draft.title,
    periodFrom: draft.periodFrom,
    periodUntil: draft.periodUntil,
    categories: draft.categories,
    postCount: draft.posts.length,
  };
}

/** Write a draft list's posts and read the list back as stored. */
export async function storeDraftPosts(
  db: Database,
  listId: string,
  draft: ListDraft,
): Promise<ListDoc> {
  await writePosts(db, listId, draft);
  const saved = await loadList(db, listId);
  if (!saved) throw new Error('list missing after save');
  return saved;
}

/**
 * Replace a draft's content; null when the list is no longer a draft. Only a draft is rewritten:
 * the condition keeps a concurrent publish from being overwritten.
 */
export async function replaceDraft(
  db: Database,
  listId: string,
  draft: ListDraft,
): Promise<ListDoc | null> {
  const r = await db
    .collection<ListDoc>(LISTS)
    .where({ _id: listId, status: 'draft' })
    .update({ data: listFields(draft) });
  return r.stats.updated === 0 ? null : storeDraftPosts(db, listId, draft);
}

/** Id prefixes of lists made by a request: a new draft, and a copy of an earlier list. */
export const LIST_ID_PREFIX = { saved: 'l', copied: 'lc' } as const;

/**
 * Create a draft list and its posts once per client request. The list's id follows from the
 * secretary and the request id, so every copy of one submission (a retry, or the same request
 * arriving twice on two instances) inserts the same document and only the first insert succeeds.
 * A copy that finds the list already made answers it; it writes the posts again only while some
 * are missing (the first copy is still writing them, or stopped between the two steps), which
 * writePosts makes safe to do concurrently.
 */
export async function createDraftList(
  db: Database,
  request: { openid: string; clientRequestId: string; prefix: string; now: Date },
  draft: ListDraft,
  extra: Pick<ListDoc, 'copiedFrom'> = {},
): Promise<ListDoc> {
  const id = requestDocId(request.prefix, request.openid, request.clientRequestId);
  const data = { _id: id, _openid: request.openid, ...listFields(draft), ...extra };
  try {
    await db
      .collection<ListDoc>(LISTS)
      .add({ data: { ...data, status: 'draft', createdAt: request.now } });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const made = await loadList(db, id);
    if (!made) throw error;
    const { total } = await db.collection<PostDoc>(POSTS).where({ listId: id }).count();
    if (made.status !== 'draft' || total >= made.postCount) return made;
  }
  return storeDraftPosts(db, id, draft);
}

/**
 * Move a list from `from` to `to` (publish: draft → published; close: published → closed) by one
 * conditional update. Idempotent: a list already in `to` (a retry, or another copy of this
 * request that won the update) is answered as it is; null when the list is in neither state.
 */
export async function moveList(
  db: Database,
  list: ListDoc,
  move: { from: ListStatus; to: ListStatus; stamp: 'publishedAt' | 'closedAt' },
  now: Date,
): Promise<ListDoc | null> {
  if (list.status === move.to) return list;
  const r = await db
    .collection<ListDoc>(LISTS)
    .where({ _id: list._id, status: move.from })
    .update({ data: { status: move.to, [move.stamp]: now } });
  if (r.stats.updated > 0) return { ...list, status: move.to, [move.stamp]: now };
  const current = await loadList(db, list._id);
  return current?.status === move.to ? current : null;
}

/** A list's claims with their posts, volunteers and service records, for the secretary. */
export async function loadListClaims(db: Database, listId: string) {
  const posts = new Map((await postsOf(db, [listId])).map((p) => [p._id, p]));
  const claims = await readAll(
    db
      .collection<ClaimDoc>(CLAIMS)
      .where({ listId })
      .orderBy('postId', 'asc')
      .orderBy('_id', 'asc'),
    2000,
  );
  const services = await readAll(
    db.collection<ServiceDoc>(SERVICES).where({ listId }).orderBy('_id', 'asc'),
    2000,
  );
  const people = await volunteersByOpenid(
    db,
    claims.map((c) => c.openid),
  );
  const byClaim = new Map<string, ServiceDoc[]>();
  for (const s of services) byClaim.set(s.claimId, [...(byClaim.get(s.claimId) ?? []), s]);
  return claims.flatMap((claim) => {
    const post = posts.get(claim.postId);
    const volunteer = people.get(claim.openid);
    return post ? [{ claim, post, volunteer, services: byClaim.get(claim._id) ?? [] }] : [];
  });
}

// ---- claims ----

/** One claim request: who claims which post, under which ledger key, when. */
export interface ClaimRequest {
  db: Database;
  openid: string;
  post: PostDoc;
  key: string;
  now: Date;
}

/** How long a claim waits for a racing copy of itself to record (REPLAY_WAITS × REPLAY_WAIT_MS). */
const REPLAY_WAITS = 20;
const REPLAY_WAIT_MS = 50;

async function activeClaimsOf(db: Database, openid: string, now: Date): Promise<ClaimDoc[]> {
  return readAll(
    db
      .collection<ClaimDoc>(CLAIMS)
      .where({ openid, status: 'claimed', endsAt: db.command.gt(now) })
      .orderBy('_id', 'asc'),
    100,
  );
}

/** The posts of the caller's active claims, for the overlap warning. */
export async function activeClaimPosts(
  db: Database,
  openid: string,
  now: Date,
): Promise<Array<{ postId: string; title: string; schedule: Schedule }>> {
  const active = await activeClaimsOf(db, openid, now);
  const posts = await postsByIds(
    db,
    active.map((c) => c.postId),
  );
  return active.flatMap((c) => {
    const p = posts.get(c.postId);
    return p ? [{ postId: p._id, title: p.title, schedule: p.schedule }] : [];
  });
}

/** The claim this request recorded (its ledger entry exists), or null. */
export async function recordedClaim(c: ClaimRequest): Promise<ClaimDoc | null> {
  if (!(await getOrNull<LedgerDoc>(c.db, LEDGER, c.key))) return null;
  return loadClaim(c.db, claimIdOf(c.post._id, c.openid));
}

/** What a claim decision needs: the volunteer, the list, the claim so far, the claims they hold. */
export async function loadClaimContext(c: ClaimRequest) {
  const id = claimIdOf(c.post._id, c.openid);
  const [volunteer, list, existing] = await Promise.all([
    loadVolunteer(c.db, c.openid),
    loadList(c.db, c.post.listId),
    loadClaim(c.db, id),
  ]);
  // Instant refusal from what is stored now; the limit itself is decided in the transaction.
  const held: HeldClaim[] = volunteer?.activeClaims
    ? activeHeldClaims(volunteer.activeClaims, c.now, id)
    : (await activeClaimsOf(c.db, c.openid, c.now))
        .filter((claim) => claim._id !== id)
        .map((claim) => ({ claimId: claim._id, endsAt: claim.endsAt }));
  return { volunteer, list, existing, held };
}

export type ClaimTaken =
  | { claim: ClaimDoc; replayed: boolean }
  | { refusal: 'ALREADY_CLAIMED' | 'POST_FULL' | 'TOO_MANY_CLAIMS' };

/**
 * A copy of this very request (a retry racing the first send, on any instance) may hold the place
 * and not yet have recorded the claim: before answering ALREADY_CLAIMED, wait briefly for what
 * that copy records and answer it instead.
 */
export async function waitForRecordedClaim(c: ClaimRequest): Promise<ClaimTaken> {
  for (let i = 0; i < REPLAY_WAITS; i++) {
    const again = await recordedClaim(c);
    if (again) return { claim: again, replayed: true };
    await new Promise((resolve) => setTimeout(resolve, REPLAY_WAIT_MS));
  }
  const last = await recordedClaim(c);
  return last ? { claim: last, replayed: true } : { refusal: 'ALREADY_CLAIMED' };
}

async function replayedOr(c: ClaimRequest, otherwise: () => Promise<ClaimTaken>) {
  const again = await recordedClaim(c);
  return again ? { claim: again, replayed: true } : otherwise();
}

/** The claim document, the held-claims list and the ledger entry, in one transaction. */
async function recordClaim(c: ClaimRequest, held: HeldClaim[]) {
  const { db, openid, post, key, now } = c;
  const id = claimIdOf(post._id, openid);
  return transact(db, async (tx) => {
    if (await hasEntry(tx, key)) return 'replayed' as const;
    const claims = tx.collection<ClaimDoc>(CLAIMS);
    const current = (await claims.doc(id).get()).data;
    if (current?.status === 'claimed') return 'duplicate' as const;
    // The per-person limit, atomically: racing claims of this volunteer all write their record,
    // so only one commits per snapshot and the others re-read the list it left.
    const volunteers = tx.collection<VolunteerDoc>(VOLUNTEERS);
    const me = (await volunteers.doc(openid).get()).data;
    const active = me?.activeClaims ? activeHeldClaims(me.activeClaims, now, id) : held;
    if (atClaimLimit(active.length)) return 'tooMany' as const;
    const endsAt = claimEndsAt(post.schedule);
    await volunteers
      .doc(openid)
      .update({ data: { activeClaims: [...active, { claimId: id, endsAt }] } });
    await claims.doc(id).set({
      data: {
        _openid: openid,
        openid,
        postId: post._id,
        listId: post.listId,
        status: 'claimed',
        claimedAt: now,
        endsAt,
      },
    });
    await appendEntries(tx, db, openid, [
      {
        key,
        entry: {
          type: 'claim',
          actor: openid,
          subject: openid,
          listId: post.listId,
          postId: post._id,
          postTitle: post.title,
          minutes: 0,
          points: 0,
        },
      },
    ]);
    return 'created' as const;
  });
}

/**
 * Take a place and record the claim. Taking a place is one atomic conditional update that never
 * goes past capacity and never gives one person two places (their other request, racing this
 * one, already holds a place); a place taken by a request that then records no claim is given
 * back.
 */
export async function takePlace(c: ClaimRequest, held: HeldClaim[]): Promise<ClaimTaken> {
  const { db, openid, post } = c;
  const _ = db.command;
  const posts = db.collection<PostDoc>(POSTS);
  const taken = await posts
    .where({ _id: post._id, claimed: _.lt(post.capacity), takers: _.neq(openid) })
    .update({ data: { claimed: _.inc(1), takers: _.push(openid), lastTakenAt: c.now } });
  if (taken.stats.updated === 0)
    return replayedOr(c, async () => {
      const current = await loadPost(db, post._id);
      return current?.takers?.includes(openid) ? waitForRecordedClaim(c) : { refusal: 'POST_FULL' };
    });
  const giveBack = () =>
    posts.doc(post._id).update({ data: { claimed: _.inc(-1), takers: _.pull(openid) } });
  let outcome: Awaited<ReturnType<typeof recordClaim>>;
  try {
    outcome = await recordClaim(c, held);
  } catch (error) {
    await giveBack();
    return replayedOr(c, async () => {
      const now = await loadClaim(db, claimIdOf(post._id, openid));
      if (now?.status === 'claimed') return waitForRecordedClaim(c);
      throw error;
    });
  }
  if (outcome !== 'created') {
    // The place taken above is given back: this request did not create a claim.
    await giveBack();
    if (outcome === 'duplicate') return waitForRecordedClaim(c);
    if (outcome === 'tooMany') return { refusal: 'TOO_MANY_CLAIMS' };
    const again = await recordedClaim(c);
    if (again) return { claim: again, replayed: true };
  }
  const saved = await loadClaim(db, claimIdOf(post._id, openid));
  if (!saved) throw new Error('claim missing after commit');
  return { claim: saved, replayed: false };
}

export type Withdrawn = { claim: ClaimDoc; replayed: boolean } | { refusal: WithdrawRefusal };

/**
 * Withdraw a claim: the claim, the held-claims list, the post's places and the ledger entry in
 * one transaction, refused by the domain's rule on what the transaction reads.
 */
export async function withdrawClaim(c: ClaimRequest): Promise<Withdrawn> {
  const { db, openid, post, key, now } = c;
  const id = claimIdOf(post._id, openid);
  const { total: serviceCount } = await db
    .collection<ServiceDoc>(SERVICES)
    .where({ claimId: id })
    .count();
  return transact(db, async (tx): Promise<Withdrawn> => {
    const claims = tx.collection<ClaimDoc>(CLAIMS);
    const claim = (await claims.doc(id).get()).data;
    if (await hasEntry(tx, key))
      return claim ? { claim, replayed: true } : { refusal: 'NOT_CLAIMED' };
    const refusal = withdrawRefusal({
      claimStatus: claim?.status ?? null,
      schedule: post.schedule,
      serviceCount,
      now,
    });
    if (refusal || !claim) return { refusal: refusal ?? 'NOT_CLAIMED' };
    await claims.doc(id).update({ data: { status: 'withdrawn', withdrawnAt: now } });
    const volunteers = tx.collection<VolunteerDoc>(VOLUNTEERS);
    const me = (await volunteers.doc(openid).get()).data;
    if (me?.activeClaims)
      await volunteers
        .doc(openid)
        .update({ data: { activeClaims: activeHeldClaims(me.activeClaims, now, id) } });
    await tx
      .collection<PostDoc>(POSTS)
      .doc(post._id)
      .update({ data: { claimed: db.command.inc(-1), takers: db.command.pull(openid) } });
    await appendEntries(tx, db, openid, [
      {
        key,
        entry: {
          type: 'withdraw',
          actor: openid,
          subject: openid,
          listId: post.listId,
          postId: post._id,
          postTitle: post.title,
          minutes: 0,
          points: 0,
        },
      },
    ]);
    return { claim: { ...claim, status: 'withdrawn', withdrawnAt: now }, replayed: false };
  });
}

// ---- service records ----

/**
 * Open today's service record of a claim (one per claim per day), keeping the request's key on
 * it. `created: false` answers the record already there, as it is now.
 */
export async function openService(
  db: Database,
  c: { openid: string; post: PostDoc; key: string; now: Date },
): Promise<{ created: boolean; doc: ServiceDoc }> {
  const { openid, post, key, now } = c;
  const claimId = claimIdOf(post._id, openid);
  const date = serviceDateOf(now);
  const doc: ServiceDoc = {
    _id: serviceIdOf(claimId, date),
    _openid: openid,
    openid,
    claimId,
    postId: post._id,
    listId: post.listId,
    postTitle: post.title,
    date,
    status: 'open',
    checkInAt: now,
    checkInRequest: key,
    minutes: 0,
    flagged: false,
  };
  return transact(db, async (tx) => {
    const services = tx.collection<ServiceDoc>(SERVICES);
    const found = (await services.doc(doc._id).get()).data;
    if (found) return { created: false, doc: found };
    const { _id, ...data } = doc;
    await services.doc(_id).set({ data });
    return { created: true, doc };
  });
}

export async function myOpenService(db: Database, claimId: string): Promise<ServiceDoc | null> {
  const { data } = await db
    .collection<ServiceDoc>(SERVICES)
    .where({ claimId, status: 'open' })
    .limit(1)
    .get();
  return data[0] ?? null;
}

/**
 * Close an open service with its minutes and the volunteer's service entry, in one transaction;
 * null when it is no longer open or this request's entry exists (a copy closed it).
 */
export async function closeService(
  db: Database,
  open: ServiceDoc,
  c: { openid: string; key: string; now: Date },
): Promise<ServiceDoc | null> {
  const { openid, key, now } = c;
  return transact(db, async (tx) => {
    if (await hasEntry(tx, key)) return null;
    const services = tx.collection<ServiceDoc>(SERVICES);
    const s = (await services.doc(open._id).get()).data;
    if (!s || s.status !== 'open' || !s.checkInAt) return null;
    const minutes = serviceMinutes(s.checkInAt, now);
    await services.doc(s._id).update({ data: { status: 'closed', checkOutAt: now, minutes } });
    const { listId, postId, postTitle, _id: serviceId, date: serviceDate } = s;
    await appendEntries(tx, db, openid, [
      {
        key,
        entry: {
          ...{ type: 'service', actor: openid, subject: openid, listId, postId, postTitle },
          ...{ serviceId, serviceDate, minutes, points: 0 },
        },
      },
    ]);
    return { ...s, status: 'closed' as const, checkOutAt: now, minutes };
  });
}

/**
 * The service a check-out request recorded (whichever instance recorded it), found by the
 * request's ledger key; null when it recorded none.
 */
export async function recordedCheckOut(db: Database, key: string): Promise<ServiceDoc | null> {
  const entry = await getOrNull<LedgerDoc>(db, LEDGER, key);
  return entry?.serviceId ? loadService(db, entry.serviceId) : null;
}

export async function saveFeedback(db: Database, doc: FeedbackDoc): Promise<void> {
  const { _id, ...data } = doc;
  await db.collection<FeedbackDoc>(FEEDBACK).doc(_id).set({ data });
}

/** The secretary reads all feedback (of a post); a volunteer reads the feedback on their service. */
export async function feedbackFor(
  db: Database,
  caller: { openid: string; role: string },
  postId: string | undefined,
): Promise<FeedbackDoc[]> {
  const base = db.collection<FeedbackDoc>(FEEDBACK);
  const q =
    caller.role === 'secretary'
      ? postId
        ? base.where({ postId })
        : base
      : base.where({ volunteer: caller.openid, ...(postId ? { postId } : {}) });
  const { data } = await q.orderBy('at', 'desc').orderBy('_id', 'asc').limit(50).get();
  return data;
}

/** The claims a confirmation names, and their posts. */
export async function loadConfirmation(db: Database, claimIds: string[]) {
  const claims = await byIds<ClaimDoc>(db, CLAIMS, claimIds);
  const posts = await postsByIds(
    db,
    [...claims.values()].map((c) => c.postId),
  );
  return { claims, posts };
}

/**
 * Confirm one claim's service on one day: the service record (made when the volunteer never
 * checked in) is marked confirmed with the minutes, and the ledger gets the confirm entry and the
 * post's points, in one transaction (_shared/ledger: appendConfirmation). A retry of the same
 * request answers 'replayed'; a service confirmed by another request is ALREADY_CONFIRMED.
 */
export async function confirmService(
  db: Database,
  c: {
    secretary: string;
    clientRequestId: string;
    claim: ClaimDoc;
    post: PostDoc;
    minutes: number;
  },
  date: string,
  now: Date,
): Promise<'confirmed' | 'replayed' | 'ALREADY_CONFIRMED'> {
  const { secretary, clientRequestId, claim, post } = c;
  const item = { date, minutes: c.minutes };
  const part = `${claim._id}:${item.date}`;
  const sid = serviceIdOf(claim._id, item.date);
  return transact(db, async (tx) => {
    if (await hasEntry(tx, confirmationKeys({ secretary, clientRequestId, part }).confirm))
      return 'replayed' as const;
    const services = tx.collection<ServiceDoc>(SERVICES);
    const service = (await services.doc(sid).get()).data;
    if (service?.status === 'confirmed') return 'ALREADY_CONFIRMED' as const;
    const confirmed = {
      status: 'confirmed' as const,
      minutes: item.minutes,
      flagged: service?.flagged ?? false,
      confirmedAt: now,
      confirmedBy: secretary,
    };
    if (service)
      await services
        .doc(sid)
        .update({ data: { ...confirmed, ...(service.checkOutAt ? {} : { checkOutAt: now }) } });
    else
      await services.doc(sid).set({
        data: {
          ...{ _openid: claim.openid, openid: claim.openid, claimId: claim._id },
          ...{ postId: post._id, listId: post.listId, postTitle: post.title, date: item.date },
          ...confirmed,
        },
      });
    await appendConfirmation(tx, db, {
      ...{ secretary, clientRequestId, part, subject: claim.openid, serviceId: sid },
      ...{ serviceDate: item.date, minutes: item.minutes, points: post.points },
      ...{ postTitle: post.title, postId: post._id, listId: post.listId },
    });
    return 'confirmed' as const;
  });
}

// ---- points, rewards, redemptions ----

export async function ledgerPage(db: Database, subject: string, page: number) {
  const { skip, limit } = pageWindow(page, LEDGER_PAGE_SIZE);
  const { data } = await db
    .collection<LedgerDoc>(LEDGER)
    .where({ subject })
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .skip(skip)
    .limit(limit)
    .get();
  const { items, hasMore } = takePage(data, LEDGER_PAGE_SIZE);
  return { items, hasMore, balance: await loadBalance(db, subject) };
}

/** Confirm entries whose service day is in [from, before) or [from, until] (`inclusive`). */
export async function confirmEntries(
  db: Database,
  range: { from: string; to: string; inclusive: boolean },
  max?: number,
): Promise<LedgerDoc[]> {
  const _ = db.command;
  const high = range.inclusive ? _.lte(range.to) : _.lt(range.to);
  return readAll(
    db
      .collection<LedgerDoc>(LEDGER)
      .where({ type: 'confirm', serviceDate: between(_.gte(range.from), high) })
      .orderBy('_id', 'asc'),
    max,
  );
}

export async function rewardsShown(db: Database, includeInactive: boolean): Promise<RewardDoc[]> {
  const base = db.collection<RewardDoc>(REWARDS);
  const q = includeInactive ? base : base.where({ active: true });
  const { data } = await q.orderBy('cost', 'asc').orderBy('_id', 'asc').limit(100).get();
  return data;
}

type RewardFields = Omit<Reward, 'id'>;

/** Change a reward; null when there is none. */
export async function updateReward(
  db: Database,
  id: string,
  fields: RewardFields,
): Promise<RewardDoc | null> {
  await db
    .collection<RewardDoc>(REWARDS)
    .doc(id)
    .update({ data: { ...fields, updatedAt: db.serverDate() } });
  return getOrNull<RewardDoc>(db, REWARDS, id);
}

/**
 * A new reward: its id follows from the secretary and the request, so a retried or repeated
 * submission inserts the same document once and answers it.
 */
export async function createReward(
  db: Database,
  request: { openid: string; clientRequestId: string },
  fields: RewardFields,
): Promise<Reward> {
  const id = requestDocId('rw_', request.openid, request.clientRequestId);
  try {
    await db
      .collection<RewardDoc>(REWARDS)
      .add({ data: { _id: id, ...fields, createdAt: db.serverDate() } });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const made = await getOrNull<RewardDoc>(db, REWARDS, id);
    if (!made) throw error;
    const { _id, ...rest } = made;
    return { id: _id, ...pickReward(rest) };
  }
  return { id, ...fields };
}

function pickReward(doc: Omit<RewardDoc, '_id'>): RewardFields {
  const { title, description, cost, stock, active } = doc;
  return { title, description, cost, stock, active };
}

/** One redemption request: its ledger key and the redemption's id, both from the request. */
export interface RedeemRequest {
  openid: string;
  key: string;
  redemptionId: string;
}

/** The redemption this request recorded (with the balance now), or null. */
export async function recordedRedemption(db: Database, r: RedeemRequest) {
  const redemption = await getOrNull<RedemptionDoc>(db, REDEMPTIONS, r.redemptionId);
  if (!redemption || !(await getOrNull<LedgerDoc>(db, LEDGER, r.key))) return null;
  return { redemption, summary: summaryFromBalance(await loadBalance(db, r.openid)) };
}

export type Redeemed =
  | { redemption: RedemptionDoc; summary: LedgerSummary; replayed: boolean }
  | { refusal: RewardRefusal }
  | { refusal: 'INSUFFICIENT_POINTS'; balance: number; cost: number };

type RedeemStep = Redeemed | { kind: 'replayed' };

/** Stock, redemption and the points entry in one transaction, refused by the domain's rules. */
function redeemOnce(db: Database, r: RedeemRequest, rewardId: string, code: string, now: Date) {
  return transact(db, async (tx): Promise<RedeemStep> => {
    if (await hasEntry(tx, r.key)) return { kind: 'replayed' };
    const reward = (await tx.collection<RewardDoc>(REWARDS).doc(rewardId).get()).data;
    const refusal = rewardRefusal(reward);
    if (refusal || !reward) return { refusal: refusal ?? 'REWARD_NOT_FOUND' };
    const balance = summaryFromBalance(
      (await tx.collection<BalanceDoc>(BALANCES).doc(r.openid).get()).data,
    );
    if (redemptionRefusal(balance.points, reward.cost))
      return { refusal: 'INSUFFICIENT_POINTS', balance: balance.points, cost: reward.cost };
    if (reward.stock !== null)
      await tx
        .collection<RewardDoc>(REWARDS)
        .doc(rewardId)
        .update({ data: { stock: reward.stock - 1 } });
    const doc: RedemptionDoc = {
      ...{ _id: r.redemptionId, _openid: r.openid, openid: r.openid, rewardId },
      ...{ rewardTitle: reward.title, cost: reward.cost, code, status: 'issued', createdAt: now },
    };
    const { _id, ...data } = doc;
    await tx.collection<RedemptionDoc>(REDEMPTIONS).doc(_id).set({ data });
    const summary = await appendEntries(tx, db, r.openid, [
      {
        key: r.key,
        entry: {
          ...{ type: 'redeem', actor: r.openid, subject: r.openid, redemptionId: r.redemptionId },
          ...{ minutes: 0, points: -reward.cost, reason: reward.title },
        },
      },
    ]);
    return { redemption: doc, summary, replayed: false };
  });
}

/** Redeem a reward with a fresh code; a code collision (unique index) gets another code. */
export async function redeemReward(
  db: Database,
  r: RedeemRequest,
  rewardId: string,
  now: Date,
): Promise<Redeemed> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const step = await redeemOnce(db, r, rewardId, redemptionCode(crypto.randomBytes(8)), now);
      if (!('kind' in step)) return step;
      const again = await recordedRedemption(db, r);
      if (again) return { ...again, replayed: true };
      throw new Error('redemption replay without its record');
    } catch (error) {
      const again = await recordedRedemption(db, r);
      if (again) return { ...again, replayed: true };
      if (!isDuplicateKey(error) || attempt === 2) throw error;
    }
  }
  throw new Error('unreachable');
}

export async function myRedemptions(db: Database, openid: string): Promise<RedemptionDoc[]> {
  const { data } = await db
    .collection<RedemptionDoc>(REDEMPTIONS)
    .where({ openid })
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .limit(50)
    .get();
  return data;
}

/**
 * Mark a redemption code used by one conditional update: of two staff verifying at once, only
 * one succeeds. Answers the redemption (null for an unknown code) and whether this call used it.
 */
export async function markRedemptionUsed(
  db: Database,
  code: string,
  by: string,
  now: Date,
): Promise<{ found: RedemptionDoc | null; used: boolean }> {
  const redemptions = db.collection<RedemptionDoc>(REDEMPTIONS);
  const used = await redemptions
    .where({ code, status: 'issued' })
    .update({ data: { status: 'used', usedAt: now, usedBy: by } });
  const { data } = await redemptions.where({ code }).limit(1).get();
  return { found: data[0] ?? null, used: used.stats.updated > 0 };
}

export type Adjusted =
  { summary: LedgerSummary; replayed: boolean } | { refusal: 'NEGATIVE_BALANCE'; balance: number };

/** A secretary's points adjustment, never below zero, once per request. */
export async function adjustPoints(
  db: Database,
  a: { secretary: string; openid: string; points: number; reason: string; key: string },
): Promise<Adjusted> {
  const result = await transact(db, async (tx): Promise<Adjusted | null> => {
    if (await hasEntry(tx, a.key)) return null;
    const balance = summaryFromBalance(
      (await tx.collection<BalanceDoc>(BALANCES).doc(a.openid).get()).data,
    );
    if (adjustmentRefusal(balance.points, a.points))
      return { refusal: 'NEGATIVE_BALANCE', balance: balance.points };
    const { secretary: actor, openid: subject, points, reason } = a;
    const entry = { type: 'adjust' as const, actor, subject, minutes: 0, points, reason };
    return {
      summary: await appendEntries(tx, db, a.openid, [{ key: a.key, entry }]),
      replayed: false,
    };
  });
  return result ?? { summary: summaryFromBalance(await loadBalance(db, a.openid)), replayed: true };
}

// The whereIn toolkit read is what active claims per post use (timers.ts).
export async function activeClaimantsPerPost(
  db: Database,
  postIds: string[],
): Promise<Map<string, string[]>> {
  const claims = await whereIn<ClaimDoc>(db, CLAIMS, 'postId', postIds, { status: 'claimed' });
  const out = new Map<string, string[]>();
  for (const c of claims) out.set(c.postId, [...(out.get(c.postId) ?? []), c.openid]);
  return out;
}
