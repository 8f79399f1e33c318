import type { volunteerContract } from '../../../src/domain/contract/volunteer';
import {
  CLAIM_REFUSAL_MESSAGES,
  WITHDRAW_REFUSAL_MESSAGES,
  claimRefusal,
  overlappingClaims,
} from '../../../src/domain/volunteer/claims';
import { ledgerKey } from '../../../src/domain/volunteer/ledger';
import {
  LIST_NOT_DRAFT_MESSAGE,
  copyListDraft,
  editRefusal,
  listVisible,
  publishRefusal,
} from '../../../src/domain/volunteer/opportunity';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import {
  type ClaimDoc,
  type PostDoc,
  claimView,
  draftOf,
  listView,
  myClaimView,
  postOnListView,
  postView,
} from '../docs';
import {
  type ClaimRequest,
  LIST_ID_PREFIX,
  activeClaimPosts,
  createDraftList,
  listsByStatus,
  loadClaimContext,
  loadList,
  loadListClaims,
  loadPost,
  moveList,
  myClaimStatus,
  postsOf,
  publishedLists,
  recordedClaim,
  replaceDraft,
  takePlace,
  withdrawClaim,
} from '../store';

const LIST_NOT_FOUND = ['LIST_NOT_FOUND', '没有找到这个清单'] as const;
const POST_NOT_FOUND = ['POST_NOT_FOUND', '没有找到这个岗位'] as const;

/** A claim as answered: with the caller's other active claims that overlap it in time. */
async function claimAnswer(c: ClaimRequest, claim: ClaimDoc, replayed: boolean) {
  const others = await activeClaimPosts(c.db, c.openid, c.now);
  const overlaps = overlappingClaims(c.post.schedule, others, c.post._id);
  return ok({
    claim: myClaimView(claim, c.post),
    overlaps: overlaps.map(({ postId, title }) => ({ postId, title })),
    replayed,
  });
}

/** Opportunity lists and claims: the secretary drafts, publishes, copies and closes lists; volunteers claim and withdraw places. */
export const opportunitiesHandlers = {
  async listPosts({ listId }, ctx) {
    const named = listId ? await loadList(ctx.db, listId) : null;
    if (listId && (!named || !listVisible(named, ctx.role))) return fail(...LIST_NOT_FOUND);
    const lists = named ? [named] : await publishedLists(ctx.db);
    const ids = lists.map((l) => l._id);
    const posts = await postsOf(ctx.db, ids);
    const mine = await myClaimStatus(ctx.db, ctx.openid, ids);
    return ok({
      lists: lists.map(listView),
      posts: posts.map((p) => postOnListView(p, mine.get(p._id) ?? null)),
    });
  },

  async claim({ postId, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    const post: PostDoc | null = await loadPost(db, postId);
    if (!post) return fail(...POST_NOT_FOUND);
    const c = { db, openid, post, key: ledgerKey('claim', openid, clientRequestId), now };
    // A retried request answers as the first one did.
    const recorded = await recordedClaim(c);
    if (recorded) return claimAnswer(c, recorded, true);
    const { volunteer, list, existing, held } = await loadClaimContext(c);
    const refusal = claimRefusal({
      ...{ volunteer, post, now, activeClaims: held.length },
      ...{ listStatus: list?.status ?? 'closed', alreadyClaimed: existing?.status === 'claimed' },
    });
    const replayed = refusal === 'ALREADY_CLAIMED' ? await recordedClaim(c) : null;
    if (replayed) return claimAnswer(c, replayed, true);
    if (refusal) return fail(refusal, CLAIM_REFUSAL_MESSAGES[refusal]);
    const taken = await takePlace(c, held);
    if ('refusal' in taken) return fail(taken.refusal, CLAIM_REFUSAL_MESSAGES[taken.refusal]);
    return claimAnswer(c, taken.claim, taken.replayed);
  },

  async withdraw({ postId, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    const post = await loadPost(db, postId);
    if (!post) return fail(...POST_NOT_FOUND);
    const key = ledgerKey('withdraw', openid, clientRequestId);
    const result = await withdrawClaim({ db, openid, post, key, now });
    if ('refusal' in result) return fail(result.refusal, WITHDRAW_REFUSAL_MESSAGES[result.refusal]);
    return ok({ claim: myClaimView(result.claim, post), replayed: result.replayed });
  },

  async lists({ status }, ctx) {
    return ok((await listsByStatus(ctx.db, status)).map(listView));
  },

  async getList({ listId }, ctx) {
    const list = await loadList(ctx.db, listId);
    if (!list) return fail(...LIST_NOT_FOUND);
    const posts = await postsOf(ctx.db, [listId]);
    return ok({ list: listView(list), draft: draftOf(list, posts), posts: posts.map(postView) });
  },

  async saveList({ listId, draft, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    if (!listId) {
      // A new draft: once per request id, however often the submission arrives.
      const request = { openid, clientRequestId, prefix: LIST_ID_PREFIX.saved, now };
      return ok(listView(await createDraftList(db, request, draft)));
    }
    const found = await loadList(db, listId);
    if (!found) return fail(...LIST_NOT_FOUND);
    const refusal = editRefusal(found);
    const saved = refusal ? null : await replaceDraft(db, listId, draft);
    if (!saved) return fail('LIST_NOT_DRAFT', LIST_NOT_DRAFT_MESSAGE);
    return ok(listView(saved));
  },

  async publishList({ listId }, ctx) {
    const list = await loadList(ctx.db, listId);
    if (!list) return fail(...LIST_NOT_FOUND);
    // Publishing is idempotent: a retry (or a second tap) answers the list as published.
    const refusal = list.status === 'published' ? null : publishRefusal(list);
    if (refusal === 'LIST_EMPTY') return fail('LIST_EMPTY', '清单里还没有岗位');
    const move = { from: 'draft', to: 'published', stamp: 'publishedAt' } as const;
    const published = refusal ? null : await moveList(ctx.db, list, move, ctx.now);
    if (!published) return fail('LIST_NOT_DRAFT', '这个清单已经发布或结束');
    return ok(listView(published));
  },

  async closeList({ listId }, ctx) {
    const list = await loadList(ctx.db, listId);
    if (!list) return fail(...LIST_NOT_FOUND);
    // Closing is idempotent: a retry answers the list as closed.
    const move = { from: 'published', to: 'closed', stamp: 'closedAt' } as const;
    const closed = await moveList(ctx.db, list, move, ctx.now);
    if (!closed) return fail('LIST_NOT_PUBLISHED', '只有已发布的清单可以结束');
    return ok(listView(closed));
  },

  async copyList({ listId, periodFrom, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    const list = await loadList(db, listId);
    if (!list) return fail(...LIST_NOT_FOUND);
    const draft = copyListDraft(draftOf(list, await postsOf(db, [listId])), periodFrom);
    const request = { openid, clientRequestId, prefix: LIST_ID_PREFIX.copied, now };
    return ok(listView(await createDraftList(db, request, draft, { copiedFrom: listId })));
  },

  async claims({ listId }, ctx) {
    const list = await loadList(ctx.db, listId);
    if (!list) return fail(...LIST_NOT_FOUND);
    const rows = await loadListClaims(ctx.db, listId);
    return ok(rows.map((r) => claimView(r.claim, r.post, r.volunteer, r.services)));
  },
} satisfies HandlerGroup<typeof volunteerContract>;
