import type { BookableServiceView, BookingView, SlotView } from '../../src/domain/contract/booking';
import type { LimitFacts, LimitsHeld } from '../../src/domain/booking/limits';
import {
  STATE_LABELS,
  cancelRefusal,
  checkInWindow,
  describeWhen,
  type BookingFacts,
} from '../../src/domain/booking/policy';
import { slotPlaces } from '../../src/domain/booking/requests';
import { withDefaults, type BookingRules } from '../../src/domain/booking/rules';
import { slotState, type BookableService, type Slot } from '../../src/domain/booking/slots';
import { describeOpeningRules } from '../../src/domain/space/opening-hours';
import type { Space, SpaceService } from '../../src/domain/space/space';
import { type ServiceDoc, type SpaceDoc, type Stored, isoString } from '../_shared';

/**
 * The booking function's stored documents, each derived from its domain or contract type
 * (`Stored<T>`), and one view mapper per document. The space and its services are declared in
 * the registry (`_shared/collections.ts`); booking adds its rules to the service document.
 */

/** A service document with its booking rules (absent until the secretary or seed sets them). */
export type BookableServiceDoc = ServiceDoc & {
  bookingRules?: Partial<BookingRules>;
  /**
   * Bumped by every secretary edit (a compare-and-set guard, so two edits never overwrite each
   * other); slot counters remember the revision whose capacity they carry. Absent = 0.
   */
  bookingRev?: number;
};

/**
 * One booking or waitlist place: the stored side of BookingView. `requestKey` =
 * `<openid>:<clientRequestId>` has a unique index, so a retried request can never insert a
 * second booking.
 */
export type BookingDoc = Stored<
  Pick<
    BookingView,
    | 'id'
    | 'serviceId'
    | 'serviceName'
    | 'place'
    | 'kind'
    | 'state'
    | 'slotIds'
    | 'date'
    | 'start'
    | 'end'
    | 'attendee'
    | 'holdUntil'
    | 'cancelReason'
    | 'cancelledBy'
    | 'createdAt'
  >,
  'start' | 'end' | 'holdUntil' | 'createdAt'
> & {
  _openid: string;
  requestKey: string;
  spaceId: string;
  /** Nickname at booking time, for the secretary's schedule. */
  name: string;
  /** Waitlist order. */
  queuedAt: Date;
  checkedInAt?: Date;
  checkedInBy?: 'resident' | 'secretary';
  noShowAt?: Date;
  updatedAt: Date;
};

/**
 * Places of one slot: the stored side of SlotView (`_id` = the slot id). The counter carries its
 * own `capacity`; `capacity - left` is the number of places taken (confirmed, held, checked in).
 * Every change keeps `left >= 0`:
 * - a booking takes a place with `where({_id, left: _.gt(0)}).update({left: _.inc(-1)})`;
 * - a freed place comes back with `left: _.inc(1)`;
 * - every take and give-back by a request stamps `touchedAt`, so the timer's recount
 *   (timers/recount.ts) leaves a counter alone while a booking may still be in flight;
 * - a capacity change moves `capacity` and `left` by the same amount in ONE conditional update
 *   that requires `left >= shrink` and the exact `capacity`/`rev` it was computed from
 *   (`adjustCounter`), so places taken meanwhile are never lost or oversold.
 * Hence places taken never exceed the counter's capacity, whatever runs concurrently.
 */
export type SlotCounterDoc = Stored<
  Pick<SlotView, 'id' | 'date' | 'start' | 'capacity' | 'left'>,
  'start'
> & {
  spaceId: string;
  serviceId: string;
  /** The service's `bookingRev` whose capacity this counter carries; OPENING_REV while opening. Absent = 0. */
  rev?: number;
  /** Last take, give-back or capacity change by a request (absent on counters older than it). */
  touchedAt?: Date;
};

/**
 * A counter just created by the slot's first booking: capacity 1, its creator's place taken, no
 * place free. It gets its real capacity from a read of the service made AFTER it exists
 * (`openCounter`), so a capacity change that the creator's earlier read missed can never leave a
 * counter built from the old capacity.
 */
export const OPENING_REV = -1;

/**
 * One person's hold on the per-person limits of one service (`_id` = `<openid>:<serviceId>`):
 * `limitsHeld` of their bookings of it at rest (store/quota.ts explains the conditional take).
 */
export type PersonQuotaDoc = Stored<LimitsHeld> & {
  _openid: string;
  serviceId: string;
  /** Latest end of the bookings it has counted: the recount looks at documents still live. */
  liveUntil: Date;
  /** Last take or give-back by a request (the recount's grace period runs from it). */
  touchedAt: Date;
};

/** Dates stored by the SDK come back as Date; be lenient with what old rows hold. */
export function asDate(value: unknown): Date {
  return new Date(isoString(value));
}

/** A space document as the app shows it. */
export function spaceView(doc: SpaceDoc): Space {
  return {
    id: doc._id,
    name: doc.name,
    address: doc.address,
    intro: doc.intro,
    location: { latitude: doc.location.latitude, longitude: doc.location.longitude },
    sample: doc.sample === true,
  };
}

/** A service document as the space page lists it (its booking rules are not part of it). */
export function spaceServiceView(doc: ServiceDoc): SpaceService {
  return {
    id: doc._id,
    spaceId: doc.spaceId,
    name: doc.name,
    category: doc.category,
    summary: doc.summary,
    place: doc.place,
    hours: doc.hours,
    bookingKind: doc.bookingKind,
    order: doc.order,
  };
}

/** A service document as the booking rules see it. */
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

/** A bookable service document as the booking pages show it. */
export function serviceView(
  doc: BookableServiceDoc,
  days: BookableServiceView['days'] = [],
): BookableServiceView {
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
    rules: toBookable(doc).rules,
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

/**
 * A slot as a resident sees it: its counter's places (none yet: the whole capacity; an opening
 * counter is left out by the caller), its state at `now` and the caller's own booking of it.
 */
export function slotView(
  slot: Slot,
  counter: SlotCounterDoc | undefined,
  rules: BookingRules,
  dates: readonly string[],
  own: BookingDoc | undefined,
  now: Date,
): SlotView {
  const places = slotPlaces(counter, rules.capacity);
  return {
    id: slot.id,
    date: slot.date,
    startMinute: slot.startMinute,
    minutes: slot.minutes,
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    label: slot.label,
    capacity: places.capacity,
    left: places.left,
    state: slotState(slot, places.left, rules, dates, now),
    ...(own ? { mine: { bookingId: own._id, state: own.state } } : {}),
  };
}

/** A quota document as the limits see it (lists absent on old documents are empty). */
export function heldOf(doc: PersonQuotaDoc): LimitsHeld {
  return {
    active: doc.active,
    requests: doc.requests ?? [],
    weeks: doc.weeks ?? {},
    slots: doc.slots ?? [],
  };
}

/** What the limits need to know of a booking document. */
export function limitFacts(b: BookingDoc): LimitFacts {
  return {
    state: b.state,
    requestKey: b.requestKey,
    slotIds: b.slotIds,
    start: asDate(b.start),
    end: asDate(b.end),
  };
}

/** What the booking rules need to know of a booking document (the person's history). */
export function bookingFacts(b: BookingDoc): BookingFacts {
  return {
    state: b.state,
    start: asDate(b.start),
    end: asDate(b.end),
    slotIds: b.slotIds,
    requestKey: b.requestKey,
    ...(b.noShowAt ? { noShowAt: asDate(b.noShowAt) } : {}),
  };
}
