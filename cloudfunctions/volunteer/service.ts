import type { volunteerContract } from '../../src/domain/contract/volunteer';
import { claimId as claimIdOf } from '../../src/domain/volunteer/claims';
import { ledgerKey } from '../../src/domain/volunteer/ledger';
import { occurrences } from '../../src/domain/volunteer/opportunity';
import {
  confirmableMinutes,
  serviceDateOf,
  serviceId as serviceIdOf,
  serviceMinutes,
} from '../../src/domain/volunteer/service';
import { parseEntranceScene } from '../../src/domain/space/entrance-scene';
import { fail, ok } from '../../src/domain/shared/result';
import { isoString, transact, type Handlers } from '../_shared';
import {
  type ClaimDoc,
  type FeedbackDoc,
  type LedgerDoc,
  type PostDoc,
  type ServiceDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { appendEntries, hasEntry } from './ledger-store';
import { serviceFromDoc } from './mappers';
import { col, getDoc, postById, claimsByIds, myOpenService } from './store';

/** Service records: check-in and check-out on the day, feedback, and the secretary confirming hours into the ledger. */
export const serviceHandlers = {
  async checkIn({ postId, scene, requestId }, ctx) {
    const { db, openid, now } = ctx;
    const post = await getDoc<PostDoc>(db, C.posts, postId);
    if (!post) return fail('POST_NOT_FOUND', '没有找到这个岗位');
    const cid = claimIdOf(postId, openid);
    const claim = await getDoc<ClaimDoc>(db, C.claims, cid);
    if (claim?.status !== 'claimed') return fail('NOT_CLAIMED', '请先认领这个岗位');
    if (post.location.spaceId) {
      const scanned = parseEntranceScene(scene);
      if (!scanned || scanned.spaceId !== post.location.spaceId)
        return fail('WRONG_PLACE', '请扫描服务地点入口处的二维码签到');
    }
    const date = serviceDateOf(now);
    if (!occurrences(post.schedule).some((o) => o.date === date))
      return fail('NOT_SERVICE_DAY', '今天不是这个岗位的服务日');
    const sid = serviceIdOf(cid, date);
    const key = ledgerKey('checkin', openid, requestId);
    const result = await transact(db, async (tx) => {
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
        checkInRequest: key,
        minutes: 0,
        flagged: false,
      };
      const { _id, ...data } = doc;
      await services.doc(_id).set({ data });
      return { created: true, doc };
    });
    if (!result.created) {
      // The same request retried (from any instance, at any later time) answers the record it
      // made, as it is now; anything else is a second check-in. Records from before the request
      // was kept fall back to "open and checked in within the last minute".
      const made = result.doc;
      const legacyRetry =
        made.checkInRequest === undefined &&
        made.status === 'open' &&
        made.checkInAt !== undefined &&
        made.checkInAt.getTime() > now.getTime() - 60_000;
      if (made.checkInRequest === key || legacyRetry) return ok(serviceFromDoc(made));
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
    /**
     * A retry answers the check-out its request recorded (the service as it is now), whichever
     * instance recorded it: looked up by the request's ledger key whenever no open service is
     * left to close, including when a copy of this request closed it while this one was reading.
     */
    const recorded = async () => {
      const entry = await getDoc<LedgerDoc>(db, C.ledger, key);
      const done = entry?.serviceId
        ? await getDoc<ServiceDoc>(db, C.services, entry.serviceId)
        : null;
      return done ? ok(serviceFromDoc(done)) : null;
    };
    const open = await myOpenService(db, cid);
    if (!open) return (await recorded()) ?? fail('NOT_CHECKED_IN', '您还没有签到');
    const result = await transact(db, async (tx) => {
      if (await hasEntry(tx, key)) return null;
      const services = tx.collection<ServiceDoc>(C.services);
      const s = (await services.doc(open._id).get()).data;
      if (!s || s.status !== 'open' || !s.checkInAt) return null;
      const minutes = serviceMinutes(s.checkInAt, now);
      await services.doc(s._id).update({ data: { status: 'closed', checkOutAt: now, minutes } });
      await appendEntries(tx, db, openid, [
        {
          key,
          entry: {
            type: 'service',
            actor: openid,
            subject: openid,
            listId: s.listId,
            postId,
            postTitle: s.postTitle,
            serviceId: s._id,
            serviceDate: s.date,
            minutes,
            points: 0,
          },
        },
      ]);
      return { ...s, status: 'closed' as const, checkOutAt: now, minutes };
    });
    if (!result) return (await recorded()) ?? fail('NOT_CHECKED_IN', '您还没有签到');
    return ok(serviceFromDoc(result));
  },

  async feedback({ serviceId, rating, text }, ctx) {
    const service = await getDoc<ServiceDoc>(ctx.db, C.services, serviceId);
    const mine = service?.openid === ctx.openid;
    if (!service || (!mine && ctx.role !== 'secretary'))
      return fail('SERVICE_NOT_FOUND', '没有找到这次服务');
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
    return ok({
      id,
      serviceId,
      postId: service.postId,
      postTitle: service.postTitle,
      fromRole,
      rating,
      text,
      at: ctx.now.toISOString(),
    });
  },

  async feedbackList({ postId }, ctx) {
    const base = col<FeedbackDoc>(ctx.db, C.feedback);
    const q =
      ctx.role === 'secretary'
        ? postId
          ? base.where({ postId })
          : base
        : base.where({ volunteer: ctx.openid, ...(postId ? { postId } : {}) });
    const { data } = await q.orderBy('at', 'desc').orderBy('_id', 'asc').limit(50).get();
    return ok(
      data.map((f) => ({
        id: f._id,
        serviceId: f.serviceId,
        postId: f.postId,
        postTitle: f.postTitle,
        fromRole: f.fromRole,
        rating: f.rating,
        text: f.text,
        at: isoString(f.at),
      })),
    );
  },

  async confirm({ requestId, items }, ctx) {
    const { db, openid: secretary, now } = ctx;
    let confirmed = 0;
    let replayed = 0;
    const skipped: Array<{ claimId: string; code: string }> = [];
    const claimsById = await claimsByIds(
      db,
      items.map((i) => i.claimId),
    );
    const posts = await postById(
      db,
      [...claimsById.values()].map((c) => c.postId),
    );
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
      const outcome = await transact(db, async (tx) => {
        if (await hasEntry(tx, confirmKey)) return 'replayed' as const;
        const services = tx.collection<ServiceDoc>(C.services);
        const service = (await services.doc(sid).get()).data;
        if (service?.status === 'confirmed') return 'ALREADY_CONFIRMED' as const;
        const confirmedFields = {
          status: 'confirmed' as const,
          minutes,
          flagged: service?.flagged ?? false,
          confirmedAt: now,
          confirmedBy: secretary,
        };
        if (service) {
          await services
            .doc(sid)
            .update({
              data: { ...confirmedFields, ...(service.checkOutAt ? {} : { checkOutAt: now }) },
            });
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
        const common = {
          actor: secretary,
          subject: claim.openid,
          listId: post.listId,
          postId: post._id,
          postTitle: post.title,
          serviceId: sid,
          serviceDate: item.date,
        };
        await appendEntries(tx, db, claim.openid, [
          { key: confirmKey, entry: { ...common, type: 'confirm', minutes, points: 0 } },
          ...(post.points > 0
            ? [
                {
                  key: pointsKey,
                  entry: { ...common, type: 'points' as const, minutes: 0, points: post.points },
                },
              ]
            : []),
        ]);
        return 'confirmed' as const;
      });
      if (outcome === 'confirmed') confirmed++;
      else if (outcome === 'replayed') replayed++;
      else skipped.push({ claimId: item.claimId, code: outcome });
    }
    return ok({ confirmed, skipped, replayed });
  },
} satisfies Partial<Handlers<typeof volunteerContract>>;
