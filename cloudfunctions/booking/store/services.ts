import {
  settingsToRestore,
  slotsOverCapacity,
  type ServiceEdit,
  type ServiceSettings,
} from '../../../src/domain/booking/requests';
import { withDefaults, type BookingRules } from '../../../src/domain/booking/rules';
import type { BookingKind } from '../../../src/domain/space/space';
import { type Database, type SpaceDoc, COLLECTIONS, getOrNull } from '../../_shared';
import { type BookableServiceDoc, toBookable } from '../docs';
import { applyCapacity, upcomingCounters } from './counters';

/** Reads and writes of the service documents as booking uses them (their rules and revision). */

const services = (db: Database) => db.collection<BookableServiceDoc>(COLLECTIONS.services);

/** A space has at most a few dozen services; one page of 100 holds them all. */
const SERVICES_PER_SPACE_MAX = 100;

export async function loadService(
  db: Database,
  serviceId: string,
): Promise<BookableServiceDoc | null> {
  return getOrNull<BookableServiceDoc>(db, COLLECTIONS.services, serviceId);
}

export async function loadSpace(db: Database, spaceId: string): Promise<SpaceDoc | null> {
  return getOrNull<SpaceDoc>(db, COLLECTIONS.spaces, spaceId);
}

/** A space's services in their display order. */
export async function servicesOfSpace(
  db: Database,
  spaceId: string,
): Promise<BookableServiceDoc[]> {
  const { data } = await services(db)
    .where({ spaceId })
    .orderBy('order', 'asc')
    .limit(SERVICES_PER_SPACE_MAX)
    .get();
  return data;
}

/** Services keyed by id, for lists and timer runs across services (a space has far fewer than 100). */
export async function servicesById(db: Database): Promise<Map<string, BookableServiceDoc>> {
  const { data } = await services(db).limit(100).get();
  return new Map(data.map((d) => [d._id, d]));
}

/**
 * The rules a booking is judged by: its service's rules, or the defaults of the booking's kind when
 * the service has since been removed.
 */
export function rulesForBooking(
  service: BookableServiceDoc | null | undefined,
  kind: BookingKind,
): BookingRules {
  return service
    ? withDefaults(service.bookingKind, service.bookingRules)
    : withDefaults(kind, undefined);
}

/** A service's rules from `services`, or `fallback` when it has been removed. */
export function rulesOf(
  services: Map<string, BookableServiceDoc>,
  serviceId: string,
  fallback: BookingRules,
): BookingRules {
  const doc = services.get(serviceId);
  return doc ? toBookable(doc).rules : fallback;
}

/** A service document's settings as the secretary edits them. */
export function settingsOf(doc: BookableServiceDoc) {
  return { kind: doc.bookingKind, hours: doc.hours, rules: doc.bookingRules };
}

/**
 * Store a service's kind, hours and rules as the next revision, only if nobody else stored one
 * since `from` was read (compare-and-set on `bookingRev`). False when someone did.
 */
async function storeRevision(
  db: Database,
  from: BookableServiceDoc,
  next: ServiceSettings,
): Promise<boolean> {
  const _ = db.command;
  const written = await services(db)
    .where({
      _id: from._id,
      bookingRev: from.bookingRev === undefined ? _.eq(null) : from.bookingRev,
    })
    .update({
      data: {
        bookingKind: next.kind,
        hours: _.set(next.hours),
        bookingRules: _.set(next.rules),
        bookingRev: (from.bookingRev ?? 0) + 1,
      },
    });
  return written.stats.updated === 1;
}

export type Revision =
  | { kind: 'stored'; doc: BookableServiceDoc }
  /** `slots` upcoming slots hold more than the new capacity: nothing changed. */
  | { kind: 'over'; slots: number }
  /** Someone stored another revision since `doc` was read: read again. */
  | { kind: 'changed' };

/**
 * Store a secretary's edit of the service read as `doc`. Race-free against bookings landing at
 * the same moment:
 * 1. refuse (writing nothing) when an upcoming slot already holds more than a lower capacity;
 * 2. store the service as a new revision (compare-and-set, so concurrent edits never mix);
 * 3. move every upcoming counter to the new capacity with `adjustCounter` (one conditional update
 *    per counter that keeps the places taken). A counter created meanwhile by a first booking reads
 *    the service after it exists, so it opens with the new capacity (or is adjusted here);
 * 4. when a booking slipped in between 1 and 3 and a slot now holds too many for a lower capacity,
 *    the previous settings are stored again as a further revision and applied back, and the
 *    secretary is told, exactly as in 1.
 * An edit that leaves the capacity as it is makes no pass: counters may then carry an older
 * revision with the same capacity. Places taken never exceed a counter's capacity at any moment.
 */
export async function reviseService(
  db: Database,
  doc: BookableServiceDoc,
  edit: ServiceEdit,
  now: Date,
): Promise<Revision> {
  const { next } = edit;
  if (edit.lowersCapacity) {
    const over = slotsOverCapacity(await upcomingCounters(db, doc._id, now), next.rules.capacity);
    if (over > 0) return { kind: 'over', slots: over };
  }
  if (!(await storeRevision(db, doc, next))) return { kind: 'changed' };
  const rev = (doc.bookingRev ?? 0) + 1;
  const stored: BookableServiceDoc = {
    ...doc,
    bookingKind: next.kind,
    hours: next.hours,
    bookingRules: next.rules,
    bookingRev: rev,
  };
  if (!edit.capacityChanges) return { kind: 'stored', doc: stored };
  const blocked = await applyCapacity(db, doc._id, next.rules.capacity, rev, now);
  if (blocked.length === 0) return { kind: 'stored', doc: stored };
  await restoreSettings(db, doc._id, edit, rev, now);
  return { kind: 'over', slots: blocked.length };
}

/** Step 4 of `reviseService`: store what `settingsToRestore` says and apply its capacity. */
async function restoreSettings(
  db: Database,
  serviceId: string,
  edit: ServiceEdit,
  rev: number,
  now: Date,
): Promise<void> {
  for (let back = 0; back < 5; back++) {
    const fresh = await loadService(db, serviceId);
    if (!fresh) return;
    const previous = settingsToRestore(settingsOf(fresh), fresh.bookingRev, edit, rev);
    if (!previous) return;
    if (await storeRevision(db, fresh, previous)) {
      await applyCapacity(
        db,
        serviceId,
        edit.previous.rules.capacity,
        (fresh.bookingRev ?? 0) + 1,
        now,
      );
      return;
    }
  }
}
