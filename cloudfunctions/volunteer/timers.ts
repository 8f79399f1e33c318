import { placesRecount } from '../../src/domain/volunteer/claims';
import { autoCloseCheckOut, autoCloseCutoff } from '../../src/domain/volunteer/service';
import { COLLECTIONS, readAll, transact, type TimerContext } from '../_shared';
import { appendEntries, hasEntry } from '../_shared/ledger';
import type { ListDoc, PostDoc, ServiceDoc } from './docs';
import { activeClaimantsPerPost } from './store';

/** Close services left open for 24 hours, flag them, and record it in the ledger. */
export async function autoCloseServices(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ closed: number }> {
  const { db, now } = ctx;
  const _ = db.command;
  const cutoff = autoCloseCutoff(now);
  let closed = 0;
  for (let round = 0; round < 50; round++) {
    const { data } = await db
      .collection<ServiceDoc>(COLLECTIONS.serviceRecords)
      .where({ status: 'open', checkInAt: _.lte(cutoff) })
      .orderBy('checkInAt', 'asc')
      .limit(100)
      .get();
    if (data.length === 0) break;
    for (const s of data) {
      const done = await transact(db, async (tx) => {
        const found = (await tx.collection<ServiceDoc>(COLLECTIONS.serviceRecords).doc(s._id).get())
          .data;
        if (!found || found.status !== 'open') return false;
        const checkInAt = found.checkInAt ?? now;
        await tx
          .collection<ServiceDoc>(COLLECTIONS.serviceRecords)
          .doc(s._id)
          .update({
            data: {
              status: 'auto-closed',
              flagged: true,
              checkOutAt: autoCloseCheckOut(checkInAt),
              minutes: 0,
            },
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
      });
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
export async function recountPlaces(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ checked: number; corrected: number; released: number }> {
  const { db, now } = ctx;
  const _ = db.command;
  const lists = await readAll(
    db
      .collection<ListDoc>(COLLECTIONS.volunteerLists)
      .where({ status: 'published' })
      .orderBy('_id', 'asc'),
    500,
  );
  let checked = 0;
  let corrected = 0;
  let released = 0;
  for (let i = 0; i < lists.length; i += 100) {
    const listIds = lists.slice(i, i + 100).map((l) => l._id);
    const posts = await readAll(
      db
        .collection<PostDoc>(COLLECTIONS.volunteerPosts)
        .where({ listId: _.in(listIds), claimed: _.neq(0) })
        .orderBy('_id', 'asc'),
      2000,
    );
    const active = await activeClaimantsPerPost(
      db,
      posts.map((p) => p._id),
    );
    for (const post of posts) {
      checked++;
      const claimants = active.get(post._id) ?? [];
      const next = placesRecount(post, claimants.length, now);
      if (next === null) continue;
      const r = await db
        .collection<PostDoc>(COLLECTIONS.volunteerPosts)
        .where({
          _id: post._id,
          claimed: post.claimed,
          lastTakenAt: post.lastTakenAt ? _.lte(post.lastTakenAt) : _.eq(null),
        })
        .update({ data: { claimed: next, takers: _.set(claimants) } });
      if (r.stats.updated === 0) continue;
      corrected++;
      released += Math.max(0, post.claimed - next);
    }
  }
  return { checked, corrected, released };
}
