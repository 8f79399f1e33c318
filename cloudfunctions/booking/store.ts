import type { BookableServiceView, BookingView } from '../../src/domain/contract/booking';
import { describeOpeningRules } from '../../src/domain/space/opening-hours';
import {
  STATE_LABELS,
  cancelRefusal,
  checkInWindow,
  describeWhen,
  type BookingState,
} from '../../src/domain/booking/policy';
import { isBookable, withDefaults, type BookingRules } from '../../src/domain/booking/rules';
import { addDays, slotsOn, type BookableService, type Slot } from '../../src/domain/booking/slots';
import { WAITLIST_HOLD_TEMPLATE_ID, waitlistHoldMessage } from '../../src/domain/booking/notify';
import { shanghaiDate } from '../../src/domain/shared/time';
import { type Database, type ServiceDoc, isoString } from '../_shared';
import { COLLECTIONS } from '../_shared/collections';
import { isDuplicateKey, sendSubscribeMessage } from '../_shared/data';

/** A service document with its booking rules (absent until the secretary or seed sets them). */
export interface BookableServiceDoc extends ServiceDoc {
  bookingRules?: Partial<BookingRules>;
  /**
   * Bumped by every secretary edit (a compare-and-set guard, so two edits never overwrite each
   * other); slot counters remember the revision whose capacity they carry. Absent = 0.
   */
  bookingRev?: number;
}

/**
 * One booking or waitlist place. `requestKey` = `<openid>:<clientRequestId>` has a unique index,
 * so a retried request can never insert a second booking.
 */
export interface BookingDoc {
  _id: string;
  _openid: string;
  requestKey: string;
  spaceId: string;
  serviceId: string;
  serviceName: string;
  place: string;
  kind: ServiceDoc['bookingKind'];
  slotIds: string[];
  date: string;
  start: Date;
  end: Date;
  state: BookingState;
  /** Nickname at booking time, for the secretary's schedule. */
  name: string;
  attendee?: string;
  /** Waitlist order. */
  queuedAt: Date;
  holdUntil?: Date;
  cancelReason?: string;
  cancelledBy?: 'resident' | 'secretary';
  checkedInAt?: Date;
  checkedInBy?: 'resident' | 'secretary';
  noShowAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Places of one slot. The counter carries its own `capacity`; `capacity - left` is the number of
 * places taken (confirmed, held, checked in). Every change keeps `left >= 0`:
 * - a booking takes a place with `where({_id, left: _.gt(0)}).update({left: _.inc(-1)})`;
 * - a freed place comes back with `left: _.inc(1)`;
 * - every take and give-back by a request stamps `touchedAt`, so the timer's recount (recount.ts)
 *   leaves a counter alone while a booking may still be in flight;
 * - a capacity change moves `capacity` and `left` by the same amount in ONE conditional update
 *   that requires `left >= shrink` and the exact `capacity`/`rev` it was computed from
 *   (`adjustCounter`), so places taken meanwhile are never lost or oversold.
 * Hence places taken never exceed the counter's capacity, whatever runs concurrently.
 */
export interface SlotCounterDoc {
  _id: string;
  spaceId: string;
  serviceId: string;
  date: string;
  start: Date;
  capacity: number;
  left: number;
  /** The service's `bookingRev` whose capacity this counter carries; OPENING_REV while opening. Absent = 0. */
  rev?: number;
  /** Last take, give-back or capacity change by a request (absent on counters older than it). */
  touchedAt?: Date;
}

/**
 * A counter just created by the slot's first booking: capacity 1, its creator's place taken, no
 * place free. It gets its real capacity from a read of the service made AFTER it exists
 * (`openCounter`), so a capacity change that the creator's earlier read missed can never leave a
 * counter built from the old capacity.
 */
export const OPENING_REV = -1;
export function toBookable(doc: BookableServiceDoc): BookableService {
  return {
    id: doc._id,
    spaceId: doc.spaceId,
    name: doc.name,
    place: doc.place,
    kind: doc.bookingKind,
    hours: doc.hours,
    rules: withDefaults(doc.bookingKind, doc.bookingRules),
  };
}

/**
 * The rules a booking is judged by: its service's rules, or the defaults of the booking's kind when
 * the service has since been removed.
 */
export function rulesForBooking(
  service: BookableServiceDoc | null | undefined,
  kind: BookableServiceDoc['bookingKind'],
): BookingRules {
  return service
    ? withDefaults(service.bookingKind, service.bookingRules)
    : withDefaults(kind, undefined);
}

export function serviceView(
  doc: BookableServiceDoc,
  days: BookableServiceView['days'] = [],
): BookableServiceView {
  const s = toBookable(doc);
  return {
    id: doc._id,
    spaceId: doc.spaceId,
    name: doc.name,
    category: doc.category,
    summary: doc.summary,
    place: doc.place,
    kind: doc.bookingKind,
    hours: doc.hours,
    hoursText: describeOpeningRules(doc.hours),
    rules: s.rules,
    days,
  };
}

export function bookingView(doc: BookingDoc, rules: BookingRules, now: Date): BookingView {
  const start = new Date(isoString(doc.start));
  const end = new Date(isoString(doc.end));
  const window = checkInWindow(start, rules);
  return {
    id: doc._id,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    place: doc.place,
    kind: doc.kind,
    state: doc.state,
    stateLabel: STATE_LABELS[doc.state],
    slotIds: doc.slotIds,
    date: doc.date,
    start: start.toISOString(),
    end: end.toISOString(),
    when: describeWhen(start, end),
    ...(doc.attendee ? { attendee: doc.attendee } : {}),
    ...(doc.holdUntil ? { holdUntil: isoString(doc.holdUntil) } : {}),
    ...(doc.cancelReason ? { cancelReason: doc.cancelReason } : {}),
    ...(doc.cancelledBy ? { cancelledBy: doc.cancelledBy } : {}),
    checkInOpens: window.opens.toISOString(),
    checkInCloses: window.closes.toISOString(),
    canCancel: cancelRefusal({ state: doc.state, start }, rules, now) === null,
    createdAt: isoString(doc.createdAt),
  };
}

/** Dates stored by the SDK come back as Date; be lenient with what old rows hold. */
export function asDate(value: unknown): Date {
  return new Date(isoString(value));
}

export async function loadService(
  db: Database,
  serviceId: string,
): Promise<BookableServiceDoc | null> {
  const found = await db.collection<BookableServiceDoc>(COLLECTIONS.services).doc(serviceId).get();
  return found.data;
}

/** Services keyed by id, for timer runs across services (a space has far fewer than 100). */
export async function servicesById(db: Database): Promise<Map<string, BookableServiceDoc>> {
  const { data } = await db.collection<BookableServiceDoc>(COLLECTIONS.services).limit(100).get();
  return new Map(data.map((d) => [d._id, d]));
}

export function rulesOf(
  services: Map<string, BookableServiceDoc>,
  serviceId: string,
  fallback: BookingRules,
): BookingRules {
  const doc = services.get(serviceId);
  return doc ? toBookable(doc).rules : fallback;
}

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
  const counters = db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);
  let current: SlotCounterDoc | null = counter;
  for (let attempt = 0; attempt < 20 && current; attempt++) {
    const currentRev = current.rev ?? 0;
    if (currentRev !== OPENING_REV && currentRev >= rev) return 'adjusted';
    const shrink = current.capacity - target;
    if (current.capacity - current.left > target) return 'blocked';
    const moved = await counters
      .where({
        _id: current._id,
        capacity: current.capacity,
        rev: current.rev === undefined ? _.eq(null) : current.rev,
        left: _.gte(Math.max(0, shrink)),
      })
      .update({ data: { capacity: target, left: _.inc(-shrink), rev, touchedAt: now } });
    if (moved.stats.updated === 1) return 'adjusted';
    current = (await counters.doc(current._id).get()).data;
  }
  if (!current) return 'adjusted';
  throw new Error(`slot counter ${counter._id} kept changing; capacity not applied`);
}

/** Give an opening counter the capacity the service has now (read after the counter exists). */
async function openCounter(db: Database, counter: SlotCounterDoc, now: Date): Promise<void> {
  const service = await loadService(db, counter.serviceId);
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
  const counters = db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);
  if (service.rules.capacity < 1) return false;
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await counters
      .where({ _id: slot.id, left: _.gt(0) })
      .update({ data: { left: _.inc(-1), touchedAt: now } });
    if (taken.stats.updated === 1) return true;
    const existing = (await counters.doc(slot.id).get()).data;
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
      await counters.add({ data: opening });
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
  await db
    .collection<SlotCounterDoc>(COLLECTIONS.slotCounters)
    .doc(slotId)
    .update({ data: { left: _.inc(1), touchedAt: now } });
}

/** Best effort: a subscribe message to the person now holding a place. Consent may be used up. */
export async function notifyHold(doc: BookingDoc, holdUntil: Date): Promise<boolean> {
  return sendSubscribeMessage(
    {
      touser: doc._openid,
      templateId: WAITLIST_HOLD_TEMPLATE_ID,
      page: 'packages/booking/mine/index',
      data: waitlistHoldMessage(
        doc.serviceName,
        describeWhen(asDate(doc.start), asDate(doc.end)),
        holdUntil,
      ),
    },
    'booking',
  );
}

/** Dates from today on which listServices reports fullness. */
export const SUMMARY_DAYS = 3;

export function summaryDates(now: Date): string[] {
  const today = shanghaiDate(now);
  return Array.from({ length: SUMMARY_DAYS }, (_, i) => addDays(today, i));
}

export function daySummary(
  service: BookableService,
  dates: string[],
  fullSlots: Set<string>,
): BookableServiceView['days'] {
  return dates.map((date) => {
    const slots = slotsOn(service, date);
    return { date, slots: slots.length, full: slots.filter((s) => fullSlots.has(s.id)).length };
  });
}

export { isBookable };
