import { PLACE_STATES, holdExpiry, type BookingState } from '../../../src/domain/booking/policy';
import type { BookingRules } from '../../../src/domain/booking/rules';
import { type Database, COLLECTIONS } from '../../_shared';
import { type BookingDoc, asDate } from '../docs';
import { notifyHold, waitingFor } from './bookings';
import { releasePlace } from './counters';
import { applyLimitChange } from './quota';

/** The state changes of a booking, each with what it gives back or passes on. */

const bookings = (db: Database) => db.collection<BookingDoc>(COLLECTIONS.bookings);

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
  const changed = await bookings(db)
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
  for (const next of await waitingFor(db, slotId, now)) {
    const holdUntil = holdExpiry(now, rules, asDate(next.start));
    if (await moveBooking(db, next, 'held', { holdUntil }, now)) {
      await notifyHold(next, holdUntil);
      return 'held';
    }
  }
  await releasePlace(db, slotId, now);
  return 'released';
}

/**
 * Move a booking to cancelled only from the state it was read in (a concurrent change wins), give
 * back what it held of its person's limits, and pass each place it held to the waitlist. Null
 * when the state had changed.
 */
export async function cancelBooking(
  db: Database,
  doc: BookingDoc,
  rules: BookingRules,
  how: { cancelledBy: 'resident' | 'secretary'; cancelReason?: string },
  now: Date,
): Promise<BookingDoc | null> {
  const patch = { state: 'cancelled' as const, updatedAt: now, ...how };
  if (!(await moveBooking(db, doc, 'cancelled', how, now))) return null;
  if (PLACE_STATES.includes(doc.state)) {
    for (const slotId of doc.slotIds) await passPlaceOn(db, slotId, rules, now);
  }
  return { ...doc, ...patch };
}

/**
 * Claim a held place before its hold lapses: held → confirmed leaves the person's limits as they
 * are (limits.ts), so no quota write. Null when the hold had lapsed or moved on.
 */
export async function claimHeld(
  db: Database,
  doc: BookingDoc,
  now: Date,
): Promise<BookingDoc | null> {
  const _ = db.command;
  const claimed = await bookings(db)
    .where({ _id: doc._id, state: 'held', holdUntil: _.gt(now) })
    .update({ data: { state: 'confirmed', updatedAt: now } });
  return claimed.stats.updated === 1 ? { ...doc, state: 'confirmed', updatedAt: now } : null;
}

/** A resident checks in a confirmed booking. Null when it was no longer confirmed. */
export async function checkInBooking(
  db: Database,
  doc: BookingDoc,
  now: Date,
): Promise<BookingDoc | null> {
  const patch = {
    state: 'checked-in' as const,
    checkedInAt: now,
    checkedInBy: 'resident' as const,
    updatedAt: now,
  };
  const moved = await moveBooking(db, { ...doc, state: 'confirmed' }, 'checked-in', patch, now);
  return moved ? { ...doc, ...patch } : null;
}

/**
 * The secretary marks a booking attended (checked in) or absent (a no-show) from the state it was
 * read in. Null when it had changed.
 */
export async function markBooking(
  db: Database,
  doc: BookingDoc,
  attended: boolean,
  now: Date,
): Promise<BookingDoc | null> {
  const patch = attended
    ? {
        state: 'checked-in' as const,
        checkedInAt: now,
        checkedInBy: 'secretary' as const,
        updatedAt: now,
      }
    : { state: 'no-show' as const, noShowAt: now, updatedAt: now };
  return (await moveBooking(db, doc, patch.state, patch, now)) ? { ...doc, ...patch } : null;
}
