import type { BookingState } from '../../src/domain/booking/policy';
import { holdExpiry } from '../../src/domain/booking/policy';
import type { BookingRules } from '../../src/domain/booking/rules';
import type { Database } from '../_shared';
import { applyLimitChange } from './quota';
import { COLLECTIONS } from '../_shared/collections';
import { type BookingDoc, asDate, notifyHold, releasePlace } from './store';

/**
 * Move a booking to `to` only from the state it was read in (a concurrent change wins), then
 * apply what the move gives back to (or takes from) the person's limits. Only the winner of the
 * state change applies it, hence exactly once; a crash between the two is repaired by the recount.
 * False when the state had changed.
 */
export async function moveBooking(
  db: Database,
  doc: BookingDoc,
  to: BookingState,
  patch: Partial<Omit<BookingDoc, '_id' | 'state'>>,
  now: Date,
): Promise<boolean> {
  const changed = await db
    .collection<BookingDoc>(COLLECTIONS.bookings)
    .where({ _id: doc._id, state: doc.state })
    .update({ data: { ...patch, state: to, updatedAt: now } });
  if (changed.stats.updated !== 1) return false;
  await applyLimitChange(db, doc, doc.state, to, now);
  return true;
}

/**
 * A place in `slotId` has been freed by a booking that held it. The first person waiting gets it
 * as a hold (the place passes on without ever returning to the counter, so a stranger cannot take
 * it in between; a waitlist place already counts against its person's limits, so the hold takes
 * nothing more); with nobody waiting, the place goes back to the counter.
 */
export async function passPlaceOn(
  db: Database,
  slotId: string,
  rules: BookingRules,
  now: Date,
): Promise<'held' | 'released'> {
  const _ = db.command;
  const bookings = db.collection<BookingDoc>(COLLECTIONS.bookings);
  const { data: waiting } = await bookings
    .where({ slotIds: slotId, state: 'waiting', start: _.gt(now) })
    .orderBy('queuedAt', 'asc')
    .limit(5)
    .get();
  for (const next of waiting) {
    const holdUntil = holdExpiry(now, rules, asDate(next.start));
    if (await moveBooking(db, next, 'held', { holdUntil }, now)) {
      await notifyHold(next, holdUntil);
      return 'held';
    }
  }
  await releasePlace(db, slotId, now);
  return 'released';
}
