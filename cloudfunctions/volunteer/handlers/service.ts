import type { volunteerContract } from '../../../src/domain/contract/volunteer';
import { claimId as claimIdOf } from '../../../src/domain/volunteer/claims';
import {
  FEEDBACK_REFUSAL_MESSAGES,
  feedbackId,
  feedbackSide,
} from '../../../src/domain/volunteer/feedback';
import { ledgerKey } from '../../../src/domain/volunteer/ledger';
import {
  CHECK_IN_REFUSAL_MESSAGES,
  checkInRefusal,
  confirmItem,
  isSameCheckIn,
} from '../../../src/domain/volunteer/service';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { type FeedbackDoc, feedbackView, serviceView } from '../docs';
import {
  closeService,
  confirmService,
  feedbackFor,
  loadClaim,
  loadConfirmation,
  loadPost,
  loadService,
  myOpenService,
  openService,
  recordedCheckOut,
  saveFeedback,
} from '../store';

type ConfirmSkip = { claimId: string; code: string };

const POST_NOT_FOUND = ['POST_NOT_FOUND', '没有找到这个岗位'] as const;

/** Service records: check-in and check-out on the day, feedback, and the secretary confirming hours into the ledger. */
export const serviceHandlers = {
  async checkIn({ postId, scene, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    const post = await loadPost(db, postId);
    if (!post) return fail(...POST_NOT_FOUND);
    const claim = await loadClaim(db, claimIdOf(postId, openid));
    const refusal = checkInRefusal({ claimStatus: claim?.status ?? null, post, scene, now });
    if (refusal) return fail(refusal, CHECK_IN_REFUSAL_MESSAGES[refusal]);
    const key = ledgerKey('checkin', openid, clientRequestId);
    const { created, doc } = await openService(db, { openid, post, key, now });
    // The same request retried answers the record it made, as it is now; else a second check-in.
    if (!created && !isSameCheckIn(doc, key, now))
      return fail('ALREADY_CHECKED_IN', '今天已经签到过了');
    return ok(serviceView(doc));
  },

  async checkOut({ postId, clientRequestId }, ctx) {
    const { db, openid, now } = ctx;
    if (!(await loadPost(db, postId))) return fail(...POST_NOT_FOUND);
    const key = ledgerKey('checkout', openid, clientRequestId);
    const open = await myOpenService(db, claimIdOf(postId, openid));
    const closed = open ? await closeService(db, open, { openid, key, now }) : null;
    // No open service left to close (a copy of this request may have closed it meanwhile): a
    // retry answers the check-out its request recorded, looked up by the request's ledger key.
    const done = closed ?? (await recordedCheckOut(db, key));
    return done ? ok(serviceView(done)) : fail('NOT_CHECKED_IN', '您还没有签到');
  },

  async feedback({ serviceId, rating, text }, ctx) {
    const decided = feedbackSide(await loadService(ctx.db, serviceId), ctx);
    if ('refusal' in decided)
      return fail(decided.refusal, FEEDBACK_REFUSAL_MESSAGES[decided.refusal]);
    const { service, side } = decided;
    const doc: FeedbackDoc = {
      ...{ _id: feedbackId(serviceId, side), _openid: ctx.openid, serviceId },
      ...{ postId: service.postId, postTitle: service.postTitle, volunteer: service.openid },
      ...{ fromRole: side, rating, text, at: ctx.now },
    };
    await saveFeedback(ctx.db, doc);
    return ok(feedbackView(doc));
  },

  async feedbackList({ postId }, ctx) {
    return ok((await feedbackFor(ctx.db, ctx, postId)).map(feedbackView));
  },

  async confirm({ clientRequestId, items }, ctx) {
    const { db, openid: secretary, now } = ctx;
    const ids = items.map((i) => i.claimId);
    const { claims, posts } = await loadConfirmation(db, ids);
    const tally = { confirmed: 0, replayed: 0, skipped: [] as ConfirmSkip[] };
    for (const item of items) {
      const claim = claims.get(item.claimId);
      const decided = confirmItem(claim, claim && posts.get(claim.postId), item.hours);
      const request = { secretary, clientRequestId };
      const outcome =
        'refusal' in decided
          ? decided.refusal
          : await confirmService(db, { ...request, ...decided }, item.date, now);
      if (outcome === 'confirmed' || outcome === 'replayed') tally[outcome]++;
      else tally.skipped.push({ claimId: item.claimId, code: outcome });
    }
    return ok(tally);
  },
} satisfies HandlerGroup<typeof volunteerContract>;
