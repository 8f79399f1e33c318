import { quotaRecount, slotRecount, withinGrace } from '../../../src/domain/booking/limits';
import { PLACE_STATES } from '../../../src/domain/booking/policy';
import { shanghaiDate } from '../../../src/domain/shared/time';
import type { Database, Query } from '../../_shared';
import { PAGE_MAX, readAllOrPart } from '../../_shared/data';
import { commandOf, quotaId } from '../store/quota';
import { COLLECTIONS } from '../../_shared/collections';
import {
  OPENING_REV,
  type BookingDoc,
  type PersonQuotaDoc,
  type SlotCounterDoc,
  asDate,
  heldOf,
  limitFacts,
} from '../docs';

/**
 * The repair of two-step changes. Creating a booking takes a place and the person's quota and then
 * inserts the booking; cancelling, expiring a hold, marking a no-show or checking in changes the
 * booking and then gives back (or passes on) what it held. A function killed between the two
 * steps leaves a place or a quota counted with nobody behind it. This job, run by the booking
 * function's one timer trigger, counts both again from the bookings that hold them:
 *
 *   slot counter:   capacity − left = bookings holding a place (held, confirmed, checked in)
 *   quota document: its content      = limitsHeld(the person's bookings of the service)
 *
 * Between the two steps of a change in flight the counted side can only be larger (takes come
 * first, give-backs last), so the recount only ever gives back, and it leaves alone anything a
 * request touched within the grace period (`touchedAt`) or whose bookings changed within it
 * (`updatedAt`): a booking being written, or a place about to be given back or passed on, is
 * never counted away. Each write is conditional on the document being exactly as read (and on
 * `touchedAt` not having moved), so a take or give-back that lands meanwhile makes it a no-op and
 * the next run looks again.
 */

/**
 * Counters / quota documents read per run, 100 per page: a space's bookable days hold far fewer.
 * Beyond it the run reports `truncated` and warns, and the documents past the bound (by `_id`) are
 * not looked at: a space that large needs a cursor kept between runs.
 */
const MAX_PAGES = 50;
/** Bookings read for one page of counters or quota documents. */
const MAX_BOOKING_PAGES = 30;
/** Quota documents are looked at until this long after the last booking they counted has ended. */
const QUOTA_LIVE_DAYS = 8;

export interface RecountReport {
  countersChecked: number;
  placesReturned: number;
  /** Counters older than `touchedAt`: stamped now, recounted from the next run on. */
  countersStamped: number;
  quotasChecked: number;
  quotasCorrected: number;
  /** More counters or quota documents than one run reads. */
  truncated: boolean;
}

/**
 * The bookings of a group of documents, read together; when that read does not fit, each
 * document's own (`one`), and a document whose bookings still do not fit is left out (null): a
 * recount from part of the bookings would give back what is held.
 */
async function bookingsFor<D>(
  docs: D[],
  all: () => Query<BookingDoc>,
  one: (doc: D) => Query<BookingDoc>,
  belongs: (doc: D, b: BookingDoc) => boolean,
): Promise<Map<D, BookingDoc[] | null>> {
  const out = new Map<D, BookingDoc[] | null>();
  const together = await readAllOrPart(all(), MAX_BOOKING_PAGES * PAGE_MAX);
  for (const doc of docs) {
    if (together.complete) {
      out.set(
        doc,
        together.items.filter((b) => belongs(doc, b)),
      );
      continue;
    }
    const own = await readAllOrPart(one(doc), MAX_BOOKING_PAGES * PAGE_MAX);
    out.set(doc, own.complete ? own.items.filter((b) => belongs(doc, b)) : null);
  }
  return out;
}

async function recountCounters(db: Database, now: Date, report: RecountReport): Promise<void> {
  const _ = db.command;
  const counters = db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);
  const bookings = db.collection<BookingDoc>(COLLECTIONS.bookings);
  // Today's and later slots: places that can still be booked, and today's utilisation.
  const { items: upcoming, complete } = await readAllOrPart(
    counters.where({ date: _.gte(shanghaiDate(now)) }).orderBy('_id', 'asc'),
    MAX_PAGES * PAGE_MAX,
  );
  if (!complete) report.truncated = true;
  for (let i = 0; i < upcoming.length; i += 100) {
    const page = upcoming.slice(i, i + 100).filter((c) => c.rev !== OPENING_REV);
    if (page.length === 0) continue;
    const ofSlots = await bookingsFor(
      page,
      () => bookings.where({ slotIds: _.in(page.map((c) => c._id)) }).orderBy('_id', 'asc'),
      (c) => bookings.where({ slotIds: c._id }).orderBy('_id', 'asc'),
      (c, b) => b.slotIds.includes(c._id),
    );
    for (const counter of page) {
      report.countersChecked++;
      if (!counter.touchedAt) {
        // Written before counters carried `touchedAt`: a request in flight would not have stamped
        // it, so stamp it now and recount once the grace period has passed.
        const stamped = await counters
          .where({ _id: counter._id, touchedAt: _.eq(null) })
          .update({ data: { touchedAt: now } });
        report.countersStamped += stamped.stats.updated;
        continue;
      }
      if (withinGrace(asDate(counter.touchedAt), now)) continue;
      const mine = ofSlots.get(counter);
      if (!mine) continue;
      if (mine.some((b) => withinGrace(asDate(b.updatedAt), now))) continue;
      const holders = mine.filter((b) => PLACE_STATES.includes(b.state)).length;
      if (holders > counter.capacity - counter.left) {
        console.warn(
          `[booking] slot ${counter._id}: ${holders} bookings hold places, counter says ${counter.capacity - counter.left}`,
        );
      }
      const left = slotRecount(counter, holders);
      if (left === null) continue;
      const written = await counters
        .where({
          _id: counter._id,
          capacity: counter.capacity,
          left: counter.left,
          touchedAt: counter.touchedAt,
        })
        .update({ data: { left } });
      if (written.stats.updated === 1) report.placesReturned += left - counter.left;
    }
  }
}

async function recountQuotas(db: Database, now: Date, report: RecountReport): Promise<void> {
  const _ = commandOf(db);
  const quotas = db.collection<PersonQuotaDoc>(COLLECTIONS.bookingQuotas);
  const bookings = db.collection<BookingDoc>(COLLECTIONS.bookings);
  const since = new Date(now.getTime() - QUOTA_LIVE_DAYS * 86_400_000);
  const { items: live, complete } = await readAllOrPart(
    quotas
      .where(
        _.or([{ liveUntil: _.gte(since) }, { active: _.gt(0) }]) as unknown as Record<
          string,
          unknown
        >,
      )
      .orderBy('_id', 'asc'),
    MAX_PAGES * PAGE_MAX,
  );
  if (!complete) report.truncated = true;
  for (let i = 0; i < live.length; i += 100) {
    const page = live.slice(i, i + 100);
    const openids = [...new Set(page.map((q) => q._openid))];
    // Every booking a quota can still count ends after `since`: active ones are moved on by the
    // sweep when their time comes, hours count from this week on, slots until they end.
    const theirs = await bookingsFor(
      page,
      () => bookings.where({ _openid: _.in(openids), end: _.gt(since) }).orderBy('_id', 'asc'),
      (q) =>
        bookings
          .where({ _openid: q._openid, serviceId: q.serviceId, end: _.gt(since) })
          .orderBy('_id', 'asc'),
      (q, b) => quotaId(b._openid, b.serviceId) === q._id,
    );
    for (const quota of page) {
      report.quotasChecked++;
      if (withinGrace(asDate(quota.touchedAt), now)) continue;
      const mine = theirs.get(quota);
      if (!mine) continue;
      if (mine.some((b) => withinGrace(asDate(b.updatedAt), now))) continue;
      const next = quotaRecount(heldOf(quota), mine.map(limitFacts), now);
      if (!next) continue;
      const written = await quotas.where({ _id: quota._id, touchedAt: quota.touchedAt }).update({
        data: {
          active: next.active,
          requests: _.set(next.requests),
          weeks: _.set(next.weeks),
          slots: _.set(next.slots),
        },
      });
      report.quotasCorrected += written.stats.updated;
    }
  }
}

/** The timer job: recount slot counters, then quota documents (see the module comment). */
export async function recount(ctx: { db: Database; now: Date }): Promise<RecountReport> {
  const report: RecountReport = {
    countersChecked: 0,
    placesReturned: 0,
    countersStamped: 0,
    quotasChecked: 0,
    quotasCorrected: 0,
    truncated: false,
  };
  await recountCounters(ctx.db, ctx.now, report);
  await recountQuotas(ctx.db, ctx.now, report);
  if (report.truncated)
    console.warn(
      '[booking] recount: more counters or quota documents than one run reads; the rest was not checked',
    );
  return report;
}
