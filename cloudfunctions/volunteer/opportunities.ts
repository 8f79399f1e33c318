import type { volunteerContract } from '../../src/domain/contract/volunteer';
import {
  CLAIM_REFUSAL_MESSAGES,
  WITHDRAW_REFUSAL_MESSAGES,
  activeHeldClaims,
  atClaimLimit,
  claimId as claimIdOf,
  claimRefusal,
  overlappingClaims,
  withdrawRefusal,
} from '../../src/domain/volunteer/claims';
import { ledgerKey } from '../../src/domain/volunteer/ledger';
import {
  claimDeadline,
  claimEndsAt,
  copyListDraft,
  placesLeft,
  publishRefusal,
  withdrawDeadline,
} from '../../src/domain/volunteer/opportunity';
import { fail, ok } from '../../src/domain/shared/result';
import { transact, type Handlers } from '../_shared';
import {
  type ClaimDoc,
  type LedgerDoc,
  type ListDoc,
  type PostDoc,
  type ServiceDoc,
  type VolunteerDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { appendEntries, hasEntry, readAll } from './ledger-store';
import {
  claimViewFromDocs,
  draftFromDocs,
  listFromDoc,
  myClaimFromDocs,
  postFromDoc,
} from './mappers';
import {
  LISTS_SHOWN,
  LIST_ID_PREFIX,
  col,
  createDraftList,
  getDoc,
  postsOf,
  volunteersByOpenid,
  postById,
  listFields,
  storeDraftPosts,
} from './store';

/** How long a claim waits for a racing copy of itself to record (REPLAY_WAITS × REPLAY_WAIT_MS). */
const REPLAY_WAITS = 20;
const REPLAY_WAIT_MS = 50;

/** Opportunity lists and claims: the secretary drafts, publishes, copies and closes lists; volunteers claim and withdraw places. */
export const opportunitiesHandlers = {
  async listPosts({ listId }, ctx) {
    let lists: ListDoc[];
    if (listId) {
      const found = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (!found || (found.status === 'draft' && ctx.role !== 'secretary'))
        return fail('LIST_NOT_FOUND', '没有找到这个清单');
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
    const posts = await postsOf(
      ctx.db,
      lists.map((l) => l._id),
    );
    const _ = ctx.db.command;
    const mine = lists.length
      ? await readAll(
          col<ClaimDoc>(ctx.db, C.claims)
            .where({ openid: ctx.openid, listId: _.in(lists.map((l) => l._id)) })
            .orderBy('_id', 'asc'),
          500,
        )
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
        col<ClaimDoc>(db, C.claims)
          .where({ openid, status: 'claimed', endsAt: db.command.gt(now) })
          .orderBy('_id', 'asc'),
        100,
      );
      const posts = await postById(
        db,
        active.map((c) => c.postId),
      );
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
    // A copy of this very request (a retry racing the first send, on any instance) may hold the
    // place and not yet have recorded the claim: before answering ALREADY_CLAIMED, wait briefly
    // for what that copy records and answer it instead.
    const alreadyClaimed = async () => {
      for (let i = 0; i < REPLAY_WAITS; i++) {
        const again = await replay();
        if (again) return again;
        await new Promise((resolve) => setTimeout(resolve, REPLAY_WAIT_MS));
      }
      return (
        (await replay()) ?? fail('ALREADY_CLAIMED' as const, CLAIM_REFUSAL_MESSAGES.ALREADY_CLAIMED)
      );
    };

    const [volunteer, list, existing] = await Promise.all([
      getDoc<VolunteerDoc>(db, C.volunteers, openid),
      getDoc<ListDoc>(db, C.lists, post.listId),
      getDoc<ClaimDoc>(db, C.claims, id),
    ]);
    // Instant refusal from what is stored now; the limit itself is decided in the transaction below.
    const held = volunteer?.activeClaims
      ? activeHeldClaims(volunteer.activeClaims, now, id)
      : (
          await readAll(
            col<ClaimDoc>(db, C.claims)
              .where({ openid, status: 'claimed', endsAt: db.command.gt(now) })
              .orderBy('_id', 'asc'),
            100,
          )
        )
          .filter((c) => c._id !== id)
          .map((c) => ({ claimId: c._id, endsAt: c.endsAt }));
    const refusal = claimRefusal({
      volunteer,
      listStatus: list?.status ?? 'closed',
      post,
      alreadyClaimed: existing?.status === 'claimed',
      activeClaims: held.length,
      now,
    });
    if (refusal === 'ALREADY_CLAIMED')
      return (await replay()) ?? fail(refusal, CLAIM_REFUSAL_MESSAGES[refusal]);
    if (refusal) return fail(refusal, CLAIM_REFUSAL_MESSAGES[refusal]);

    // Take a place: one atomic conditional update never goes past capacity and never gives one
    // person two places (their other request, racing this one, already holds a place).
    const _ = db.command;
    const taken = await col<PostDoc>(db, C.posts)
      .where({ _id: postId, claimed: _.lt(post.capacity), takers: _.neq(openid) })
      .update({ data: { claimed: _.inc(1), takers: _.push(openid), lastTakenAt: now } });
    if (taken.stats.updated === 0) {
      const again = await replay();
      if (again) return again;
      const current = await getDoc<PostDoc>(db, C.posts, postId);
      if (current?.takers?.includes(openid)) return alreadyClaimed();
      return fail('POST_FULL', CLAIM_REFUSAL_MESSAGES.POST_FULL);
    }
    const giveBack = () =>
      col<PostDoc>(db, C.posts)
        .doc(postId)
        .update({ data: { claimed: _.inc(-1), takers: _.pull(openid) } });

    let outcome: 'created' | 'replayed' | 'duplicate' | 'tooMany';
    try {
      outcome = await transact(db, async (tx) => {
        if (await hasEntry(tx, key)) return 'replayed' as const;
        const claims = tx.collection<ClaimDoc>(C.claims);
        const current = (await claims.doc(id).get()).data;
        if (current?.status === 'claimed') return 'duplicate' as const;
        // The per-person limit, atomically: racing claims of this volunteer all write their record,
        // so only one commits per snapshot and the others re-read the list it left.
        const volunteers = tx.collection<VolunteerDoc>(C.volunteers);
        const me = (await volunteers.doc(openid).get()).data;
        const active = me?.activeClaims ? activeHeldClaims(me.activeClaims, now, id) : held;
        if (atClaimLimit(active.length)) return 'tooMany' as const;
        await volunteers
          .doc(openid)
          .update({
            data: {
              activeClaims: [...active, { claimId: id, endsAt: claimEndsAt(post.schedule) }],
            },
          });
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
          {
            key,
            entry: {
              type: 'claim',
              actor: openid,
              subject: openid,
              listId: post.listId,
              postId,
              postTitle: post.title,
              minutes: 0,
              points: 0,
            },
          },
        ]);
        return 'created' as const;
      });
    } catch (error) {
      await giveBack();
      const again = await replay();
      if (again) return again;
      const now2 = await getDoc<ClaimDoc>(db, C.claims, id);
      if (now2?.status === 'claimed') return alreadyClaimed();
      throw error;
    }
    if (outcome !== 'created') {
      // The place taken above is given back: this request did not create a claim.
      await giveBack();
      if (outcome === 'duplicate') return alreadyClaimed();
      if (outcome === 'tooMany')
        return fail('TOO_MANY_CLAIMS', CLAIM_REFUSAL_MESSAGES.TOO_MANY_CLAIMS);
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
    const { total: serviceCount } = await col<ServiceDoc>(db, C.services)
      .where({ claimId: id })
      .count();
    const result = await transact(db, async (tx) => {
      const claims = tx.collection<ClaimDoc>(C.claims);
      const claim = (await claims.doc(id).get()).data;
      if (await hasEntry(tx, key)) return { kind: 'replayed' as const, claim };
      const refusal = withdrawRefusal({
        claimStatus: claim?.status ?? null,
        schedule: post.schedule,
        serviceCount,
        now,
      });
      if (refusal || !claim) return { kind: 'refused' as const, refusal: refusal ?? 'NOT_CLAIMED' };
      await claims.doc(id).update({ data: { status: 'withdrawn', withdrawnAt: now } });
      const volunteers = tx.collection<VolunteerDoc>(C.volunteers);
      const me = (await volunteers.doc(openid).get()).data;
      if (me?.activeClaims)
        await volunteers
          .doc(openid)
          .update({ data: { activeClaims: activeHeldClaims(me.activeClaims, now, id) } });
      await tx
        .collection<PostDoc>(C.posts)
        .doc(postId)
        .update({ data: { claimed: db.command.inc(-1), takers: db.command.pull(openid) } });
      await appendEntries(tx, db, openid, [
        {
          key,
          entry: {
            type: 'withdraw',
            actor: openid,
            subject: openid,
            listId: post.listId,
            postId,
            postTitle: post.title,
            minutes: 0,
            points: 0,
          },
        },
      ]);
      return {
        kind: 'done' as const,
        claim: { ...claim, status: 'withdrawn' as const, withdrawnAt: now },
      };
    });
    if (result.kind === 'refused')
      return fail(result.refusal, WITHDRAW_REFUSAL_MESSAGES[result.refusal]);
    if (!result.claim) return fail('NOT_CLAIMED', WITHDRAW_REFUSAL_MESSAGES.NOT_CLAIMED);
    return ok({ claim: myClaimFromDocs(result.claim, post), replayed: result.kind === 'replayed' });
  },

  async lists({ status }, ctx) {
    const base = col<ListDoc>(ctx.db, C.lists);
    const { data } = await (status ? base.where({ status }) : base)
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'asc')
      .limit(50)
      .get();
    return ok(data.map(listFromDoc));
  },

  async getList({ listId }, ctx) {
    const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    const posts = await postsOf(ctx.db, [listId]);
    return ok({
      list: listFromDoc(list),
      draft: draftFromDocs(list, posts),
      posts: posts.map(postFromDoc),
    });
  },

  async saveList({ listId, draft, requestId }, ctx) {
    if (!listId) {
      // A new draft: once per request id, however often the submission arrives.
      return ok(
        listFromDoc(
          await createDraftList(
            ctx.db,
            { openid: ctx.openid, requestId, prefix: LIST_ID_PREFIX.saved, now: ctx.now },
            draft,
          ),
        ),
      );
    }
    const found = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!found) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    if (found.status !== 'draft')
      return fail('LIST_NOT_DRAFT', '已发布的清单不能再修改，可以复制为新清单');
    // Only a draft is rewritten; the condition keeps a concurrent publish from being overwritten.
    const r = await col<ListDoc>(ctx.db, C.lists)
      .where({ _id: listId, status: 'draft' })
      .update({ data: listFields(draft) });
    if (r.stats.updated === 0)
      return fail('LIST_NOT_DRAFT', '已发布的清单不能再修改，可以复制为新清单');
    return ok(listFromDoc(await storeDraftPosts(ctx.db, listId, draft)));
  },

  async publishList({ listId }, ctx) {
    const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    // Publishing is idempotent: a retry (or a second tap) answers the list as published.
    if (list.status === 'published') return ok(listFromDoc(list));
    const refusal = publishRefusal(list);
    if (refusal === 'LIST_NOT_DRAFT') return fail('LIST_NOT_DRAFT', '这个清单已经发布或结束');
    if (refusal === 'LIST_EMPTY') return fail('LIST_EMPTY', '清单里还没有岗位');
    const r = await col<ListDoc>(ctx.db, C.lists)
      .where({ _id: listId, status: 'draft' })
      .update({ data: { status: 'published', publishedAt: ctx.now } });
    if (r.stats.updated === 0) {
      // Another copy of this publish won the conditional update: answer what it recorded.
      const now = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (now?.status === 'published') return ok(listFromDoc(now));
      return fail('LIST_NOT_DRAFT', '这个清单已经发布或结束');
    }
    return ok(listFromDoc({ ...list, status: 'published', publishedAt: ctx.now }));
  },

  async closeList({ listId }, ctx) {
    const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    // Closing is idempotent: a retry answers the list as closed.
    if (list.status === 'closed') return ok(listFromDoc(list));
    const r = await col<ListDoc>(ctx.db, C.lists)
      .where({ _id: listId, status: 'published' })
      .update({ data: { status: 'closed', closedAt: ctx.now } });
    if (r.stats.updated === 0) {
      const now = await getDoc<ListDoc>(ctx.db, C.lists, listId);
      if (now?.status === 'closed') return ok(listFromDoc(now));
      return fail('LIST_NOT_PUBLISHED', '只有已发布的清单可以结束');
    }
    return ok(listFromDoc({ ...list, status: 'closed', closedAt: ctx.now }));
  },

  async copyList({ listId, periodFrom, requestId }, ctx) {
    const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    const posts = await postsOf(ctx.db, [listId]);
    const draft = copyListDraft(draftFromDocs(list, posts), periodFrom);
    const made = await createDraftList(
      ctx.db,
      { openid: ctx.openid, requestId, prefix: LIST_ID_PREFIX.copied, now: ctx.now },
      draft,
      { copiedFrom: listId },
    );
    return ok(listFromDoc(made));
  },

  async claims({ listId }, ctx) {
    const list = await getDoc<ListDoc>(ctx.db, C.lists, listId);
    if (!list) return fail('LIST_NOT_FOUND', '没有找到这个清单');
    const posts = new Map((await postsOf(ctx.db, [listId])).map((p) => [p._id, p]));
    const claims = await readAll(
      col<ClaimDoc>(ctx.db, C.claims)
        .where({ listId })
        .orderBy('postId', 'asc')
        .orderBy('_id', 'asc'),
      2000,
    );
    const services = await readAll(
      col<ServiceDoc>(ctx.db, C.services).where({ listId }).orderBy('_id', 'asc'),
      2000,
    );
    const people = await volunteersByOpenid(
      ctx.db,
      claims.map((c) => c.openid),
    );
    const byClaim = new Map<string, ServiceDoc[]>();
    for (const s of services) byClaim.set(s.claimId, [...(byClaim.get(s.claimId) ?? []), s]);
    return ok(
      claims.flatMap((c) => {
        const post = posts.get(c.postId);
        return post
          ? [claimViewFromDocs(c, post, people.get(c.openid), byClaim.get(c._id) ?? [])]
          : [];
      }),
    );
  },
} satisfies Partial<Handlers<typeof volunteerContract>>;
