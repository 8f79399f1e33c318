import { type ListDraft } from '../../src/domain/volunteer/opportunity';
import { COMMON_ERROR_MESSAGES, fail } from '../../src/domain/shared/result';
import {
  COLLECTIONS,
  type Database,
  type DbOperator,
  type UserDoc,
  isDuplicateWrite,
  requestDocId,
} from '../_shared';
import {
  type ClaimDoc,
  type ListDoc,
  type PostDoc,
  type ServiceDoc,
  type SettingsDoc,
  type VolunteerDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { readAll } from './ledger-store';
import { settingsFromDoc } from './mappers';

/** The volunteer function's database helpers: reads by id and by set (_.in, 100 at a time), list drafts. */

export const SETTINGS_ID = 'settings';
export const LEDGER_PAGE_SIZE = 20;
export const VOLUNTEERS_PAGE_SIZE = 20;
/** Published lists shown at once when none is named. */
export const LISTS_SHOWN = 5;

export const col = <T extends { _id: string }>(db: Database, name: string) =>
  db.collection<T>(name);

export async function getDoc<T extends { _id: string }>(
  db: Database,
  name: string,
  id: string,
): Promise<T | null> {
  return (await db.collection<T>(name).doc(id).get()).data;
}

export async function loadSettings(db: Database) {
  return settingsFromDoc(await getDoc<SettingsDoc>(db, C.settings, SETTINGS_ID));
}

/** Give a resident the volunteer role once their registration is approved; never demote. */
export async function grantVolunteerRole(db: Database, openid: string): Promise<void> {
  await db
    .collection<UserDoc>(COLLECTIONS.users)
    .where({ _id: openid, role: 'resident' })
    .update({ data: { role: 'volunteer', updatedAt: db.serverDate() } });
}

export async function postsOf(db: Database, listIds: string[]): Promise<PostDoc[]> {
  if (listIds.length === 0) return [];
  const _ = db.command;
  return readAll(
    col<PostDoc>(db, C.posts)
      .where({ listId: _.in(listIds) })
      .orderBy('listId', 'asc')
      .orderBy('order', 'asc'),
    2000,
  );
}

export async function volunteersByOpenid(
  db: Database,
  openids: string[],
): Promise<Map<string, VolunteerDoc>> {
  const _ = db.command;
  const unique = [...new Set(openids)];
  const out = new Map<string, VolunteerDoc>();
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const { data } = await col<VolunteerDoc>(db, C.volunteers)
      .where({ _id: _.in(chunk) })
      .limit(100)
      .get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

export async function postById(db: Database, ids: string[]): Promise<Map<string, PostDoc>> {
  const _ = db.command;
  const out = new Map<string, PostDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const { data } = await col<PostDoc>(db, C.posts)
      .where({ _id: _.in(unique.slice(i, i + 100)) })
      .limit(100)
      .get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

/**
 * Active claims per post, read 100 posts at a time with every page of their claims (never cut
 * short: an undercount would give away places). Fewer requests than one count per post.
 */
/** Openids of the active claims of each post (posts without one are absent). */
export async function activeClaimantsPerPost(
  db: Database,
  postIds: string[],
): Promise<Map<string, string[]>> {
  const _ = db.command;
  const out = new Map<string, string[]>();
  for (let i = 0; i < postIds.length; i += 100) {
    const chunk = postIds.slice(i, i + 100);
    const claims = await readAll(
      col<ClaimDoc>(db, C.claims)
        .where({ postId: _.in(chunk), status: 'claimed' })
        .orderBy('_id', 'asc'),
      Number.MAX_SAFE_INTEGER,
    );
    for (const c of claims) out.set(c.postId, [...(out.get(c.postId) ?? []), c.openid]);
  }
  return out;
}

export async function claimsByIds(db: Database, ids: string[]): Promise<Map<string, ClaimDoc>> {
  const _ = db.command;
  const out = new Map<string, ClaimDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    const { data } = await col<ClaimDoc>(db, C.claims)
      .where({ _id: _.in(unique.slice(i, i + 100)) })
      .limit(100)
      .get();
    for (const d of data) out.set(d._id, d);
  }
  return out;
}

/**
 * Replace a draft list's posts (drafts are not claimable, so nothing refers to them yet). Each
 * post is written with set() under an id that follows from the list and its order, so two copies
 * writing the same draft at once end with the same posts (the last to remove writes them all).
 */
export async function writePosts(db: Database, listId: string, draft: ListDraft): Promise<void> {
  await col<PostDoc>(db, C.posts).where({ listId }).remove();
  for (const [order, p] of draft.posts.entries()) {
    await col<PostDoc>(db, C.posts)
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
  const saved = await getDoc<ListDoc>(db, C.lists, listId);
  if (!saved) throw new Error('list missing after save');
  return saved;
}

/** The shared duplicate-insert test (cloudfunctions/_shared/request-id.ts). */
export const isDuplicate = isDuplicateWrite;

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
  request: { openid: string; requestId: string; prefix: string; now: Date },
  draft: ListDraft,
  extra: Pick<ListDoc, 'copiedFrom'> = {},
): Promise<ListDoc> {
  const id = requestDocId(request.prefix, request.openid, request.requestId);
  try {
    await col<ListDoc>(db, C.lists).add({
      data: {
        _id: id,
        _openid: request.openid,
        ...listFields(draft),
        status: 'draft',
        createdAt: request.now,
        ...extra,
      },
    });
  } catch (error) {
    if (!isDuplicateWrite(error)) throw error;
    const made = await getDoc<ListDoc>(db, C.lists, id);
    if (!made) throw error;
    const { total } = await col<PostDoc>(db, C.posts).where({ listId: id }).count();
    if (made.status !== 'draft' || total >= made.postCount) return made;
  }
  return storeDraftPosts(db, id, draft);
}

export async function myOpenService(db: Database, claimId: string): Promise<ServiceDoc | null> {
  const { data } = await col<ServiceDoc>(db, C.services)
    .where({ claimId, status: 'open' })
    .limit(1)
    .get();
  return data[0] ?? null;
}

/** Both conditions on one field (`_.gte(a).and(_.lt(b))`). */
export function between(low: DbOperator, high: DbOperator): DbOperator {
  return (low as DbOperator & { and(other: DbOperator): DbOperator }).and(high);
}

export function forbidden() {
  return fail('FORBIDDEN' as const, COMMON_ERROR_MESSAGES.FORBIDDEN);
}
