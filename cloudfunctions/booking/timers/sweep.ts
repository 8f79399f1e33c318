import { isNoShow } from '../../../src/domain/booking/policy';
import { defaultRules, withDefaults } from '../../../src/domain/booking/rules';
import type { Database } from '../../_shared';
import { COLLECTIONS } from '../../_shared/collections';
import { holdExpiry } from '../../../src/domain/booking/policy';
import { type BookingDoc, type SlotCounterDoc, asDate } from '../docs';
import { notifyHold } from '../store/bookings';
import { moveBooking, passPlaceOn } from '../store/moves';
import { rulesOf, servicesById } from '../store/services';

/** Largest batch one timer run handles per step; the next run continues. */
const BATCH = 100;

export interface SweepReport {
  holdsExpired: number;
  noShows: number;
  waitlistExpired: number;
  promoted: number;
}

/**
 * The booking timer (config.json trigger "sweep", every 5 minutes):
 * 1. holds not claimed in time expire and pass their place on;
 * 2. confirmed bookings whose check-in window has closed become no-shows;
 * 3. waitlist places of slots that have started expire;
 * 4. people waiting for a slot that has a free place (a place freed with nobody in line at that
 *    moment, or capacity raised) get a hold.
 * `now` is the trigger's firing time. Each step changes a booking only from the state it was read
 * in (`moveBooking`), and only the run that made the change gives back what the booking held of
 * its person's limits, so two overlapping runs do not double-count.
 */
export async function sweep(ctx: { db: Database; now: Date }): Promise<SweepReport> {
  const { db, now } = ctx;
  const _ = db.command;
  const bookings = db.collection<BookingDoc>(COLLECTIONS.bookings);
  const services = await servicesById(db);
  const report: SweepReport = { holdsExpired: 0, noShows: 0, waitlistExpired: 0, promoted: 0 };

  const { data: lapsed } = await bookings
    .where({ state: 'held', holdUntil: _.lte(now) })
    .limit(BATCH)
    .get();
  for (const b of lapsed) {
    if (!(await moveBooking(db, b, 'expired', {}, now))) continue;
    report.holdsExpired++;
    const rules = rulesOf(services, b.serviceId, defaultRules(b.kind));
    for (const slotId of b.slotIds) await passPlaceOn(db, slotId, rules, now);
  }

  const { data: started } = await bookings
    .where({ state: 'confirmed', start: _.lte(now) })
    .orderBy('start', 'asc')
    .limit(BATCH)
    .get();
  for (const b of started) {
    const rules = rulesOf(services, b.serviceId, defaultRules(b.kind));
    if (!isNoShow({ state: b.state, start: asDate(b.start) }, rules, now)) continue;
    if (await moveBooking(db, b, 'no-show', { noShowAt: now }, now)) report.noShows++;
  }

  // One by one (not one multi-document update): each gives back its own share of the limits.
  const { data: lateWaiting } = await bookings
    .where({ state: 'waiting', start: _.lte(now) })
    .limit(BATCH)
    .get();
  for (const b of lateWaiting)
    if (await moveBooking(db, b, 'expired', {}, now)) report.waitlistExpired++;

  report.promoted = await promoteIntoFreePlaces(db, now, services);
  return report;
}

async function promoteIntoFreePlaces(
  db: Database,
  now: Date,
  services: Awaited<ReturnType<typeof servicesById>>,
): Promise<number> {
  const _ = db.command;
  const bookings = db.collection<BookingDoc>(COLLECTIONS.bookings);
  const counters = db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);
  const { data: waiting } = await bookings
    .where({ state: 'waiting', start: _.gt(now) })
    .orderBy('queuedAt', 'asc')
    .limit(BATCH)
    .get();
  let promoted = 0;
  const full = new Set<string>();
  for (const b of waiting) {
    const slotId = b.slotIds[0];
    if (full.has(slotId)) continue;
    const taken = await counters
      .where({ _id: slotId, left: _.gt(0) })
      .update({ data: { left: _.inc(-1), touchedAt: now } });
    if (taken.stats.updated !== 1) {
      full.add(slotId);
      continue;
    }
    const rules = withDefaults(b.kind, services.get(b.serviceId)?.bookingRules);
    const holdUntil = holdExpiry(now, rules, asDate(b.start));
    // waiting → held takes nothing more of the person's limits (limits.ts).
    if (await moveBooking(db, b, 'held', { holdUntil }, now)) {
      promoted++;
      await notifyHold(b, holdUntil);
    } else {
      await counters.doc(slotId).update({ data: { left: _.inc(1), touchedAt: now } });
    }
  }
  return promoted;
}
