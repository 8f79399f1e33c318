import { withDefaults } from '../../../src/domain/booking/rules';
import type { BookableService, Slot } from '../../../src/domain/booking/slots';
import {
  type Database,
  COLLECTIONS,
  PAGE_MAX,
  getOrNull,
  isDuplicateKey,
  readAll,
} from '../../_shared';
import { type BookableServiceDoc, type SlotCounterDoc, OPENING_REV } from '../docs';

/**
 * Reads and writes of the slot counters (docs.ts `SlotCounterDoc` states their invariant): the
 * conditional take of a place, its give-back, a capacity change, and the reads of the pages.
 */

const counters = (db: Database) => db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);

/**
 * Move a counter to `target` places at service revision `rev`, keeping the places taken. One
 * conditional update guarded by the capacity and revision it was computed from and by
 * `left >= shrink`; when someone else changed the counter first, it is read again and retried.
 * 'adjusted' also when a later revision already reached it; 'blocked' when more places are taken
 * than `target` allows.
 */
export async function adjustCounter(
  db: Database,
  counter: SlotCounterDoc,
  target: number,
  rev: number,
  now: Date,
): Promise<'adjusted' | 'blocked'> {
  const _ = db.command;
  let current: SlotCounterDoc | null = counter;
  for (let attempt = 0; attempt < 20 && current; attempt++) {
    const currentRev = current.rev ?? 0;
    if (currentRev !== OPENING_REV && currentRev >= rev) return 'adjusted';
    const shrink = current.capacity - target;
    if (current.capacity - current.left > target) return 'blocked';
    const moved = await counters(db)
      .where({
        _id: current._id,
        capacity: current.capacity,
        rev: current.rev === undefined ? _.eq(null) : current.rev,
        left: _.gte(Math.max(0, shrink)),
      })
      .update({ data: { capacity: target, left: _.inc(-shrink), rev, touchedAt: now } });
    if (moved.stats.updated === 1) return 'adjusted';
    current = (await counters(db).doc(current._id).get()).data;
  }
  if (!current) return 'adjusted';
  throw new Error(`slot counter ${counter._id} kept changing; capacity not applied`);
}

/** Give an opening counter the capacity the service has now (read after the counter exists). */
async function openCounter(db: Database, counter: SlotCounterDoc, now: Date): Promise<void> {
  const service = await getOrNull<BookableServiceDoc>(db, COLLECTIONS.services, counter.serviceId);
  const capacity = service ? withDefaults(service.bookingKind, service.bookingRules).capacity : 1;
  await adjustCounter(db, counter, Math.max(1, capacity), service?.bookingRev ?? 0, now);
}

/**
 * Take one place in `slot`: one conditional update in the common case. The first booking of a
 * slot also reads (absent), creates the counter already holding its place, reads the service and
 * opens the counter to the service's current capacity. Whoever finds a counter still opening helps
 * open it and tries again. False when the slot is full.
 */
export async function takePlace(
  db: Database,
  service: BookableService,
  slot: Slot,
  now: Date,
): Promise<boolean> {
  const _ = db.command;
  if (service.rules.capacity < 1) return false;
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await counters(db)
      .where({ _id: slot.id, left: _.gt(0) })
      .update({ data: { left: _.inc(-1), touchedAt: now } });
    if (taken.stats.updated === 1) return true;
    const existing = (await counters(db).doc(slot.id).get()).data;
    // Opened (or given a place back) between the update and the read: take it again.
    if (existing && existing.rev !== OPENING_REV && existing.left > 0) continue;
    if (existing && existing.rev !== OPENING_REV) return false;
    if (existing) {
      await openCounter(db, existing, now);
      continue;
    }
    const opening: SlotCounterDoc = {
      _id: slot.id,
      spaceId: service.spaceId,
      serviceId: service.id,
      date: slot.date,
      start: slot.start,
      capacity: 1,
      left: 0,
      rev: OPENING_REV,
      touchedAt: now,
    };
    try {
      await counters(db).add({ data: opening });
    } catch (error) {
      // Someone created it a moment ago: go back to the conditional update.
      if (!isDuplicateKey(error)) throw error;
      continue;
    }
    await openCounter(db, opening, now);
    return true;
  }
  return false;
}

/** Give back a place taken by this request (compensation on a failed multi-step booking). */
export async function releasePlace(db: Database, slotId: string, now: Date): Promise<void> {
  const _ = db.command;
  await counters(db)
    .doc(slotId)
    .update({ data: { left: _.inc(1), touchedAt: now } });
}

/**
 * Take one place in each slot of `run`, or none: a full slot gives back what was taken. True
 * when every place was taken.
 */
export async function takePlaces(
  db: Database,
  service: BookableService,
  run: readonly Slot[],
  now: Date,
): Promise<boolean> {
  const taken: string[] = [];
  for (const slot of run) {
    if (!(await takePlace(db, service, slot, now))) {
      for (const id of taken) await releasePlace(db, id, now);
      return false;
    }
    taken.push(slot.id);
  }
  return true;
}

/** Ids of the full (opened) slots of a space on `dates`: one small query, not every counter. */
export async function fullSlotIds(
  db: Database,
  spaceId: string,
  dates: readonly string[],
): Promise<Set<string>> {
  const _ = db.command;
  const full = await readAll(
    counters(db)
      .where({ spaceId, date: _.in([...dates]), left: 0, rev: _.neq(OPENING_REV) })
      .orderBy('_id', 'asc'),
    5 * PAGE_MAX,
  );
  return new Set(full.map((c) => c._id));
}

/** A service's counters of one date by slot id (one page: a day has far fewer slots). */
export async function countersOn(
  db: Database,
  serviceId: string,
  date: string,
  opening: 'with opening' | 'without opening',
): Promise<Map<string, SlotCounterDoc>> {
  const { data } = await counters(db).where({ serviceId, date }).limit(100).get();
  const shown = opening === 'with opening' ? data : data.filter((c) => c.rev !== OPENING_REV);
  return new Map(shown.map((c) => [c._id, c]));
}

/** Places left in a slot; null when nobody has booked it yet or its counter is still opening. */
export async function placesLeftIn(db: Database, slotId: string): Promise<number | null> {
  const counter = (await counters(db).doc(slotId).get()).data;
  return counter && counter.rev !== OPENING_REV ? counter.left : null;
}

/** Upcoming counters of a service, in a stable order (capacity changes apply to these). */
export async function upcomingCounters(
  db: Database,
  serviceId: string,
  now: Date,
): Promise<SlotCounterDoc[]> {
  const _ = db.command;
  return readAll<SlotCounterDoc>(
    counters(db)
      .where({ serviceId, start: _.gte(now) })
      .orderBy('_id', 'asc'),
    20 * PAGE_MAX,
  );
}

/** Bring every upcoming counter to `capacity` at revision `rev`; the ids of counters holding more. */
export async function applyCapacity(
  db: Database,
  serviceId: string,
  capacity: number,
  rev: number,
  now: Date,
): Promise<string[]> {
  const blocked: string[] = [];
  for (const counter of await upcomingCounters(db, serviceId, now)) {
    if ((await adjustCounter(db, counter, capacity, rev, now)) === 'blocked')
      blocked.push(counter._id);
  }
  return blocked;
}

/** A service's counters on `dates` (a week: well within 10 pages). */
export async function countersOnDates(
  db: Database,
  serviceId: string,
  dates: readonly string[],
): Promise<SlotCounterDoc[]> {
  const _ = db.command;
  return readAll<SlotCounterDoc>(
    counters(db)
      .where({ serviceId, date: _.in([...dates]) })
      .orderBy('_id', 'asc'),
    10 * PAGE_MAX,
  );
}
