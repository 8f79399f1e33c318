import { displayName } from '../../../src/domain/account/profile';
import { LIMIT_STATES } from '../../../src/domain/booking/limits';
import { WAITLIST_HOLD_TEMPLATE_ID, waitlistHoldMessage } from '../../../src/domain/booking/notify';
import {
  SCHEDULE_STATES,
  describeWhen,
  historySince,
  type BookingState,
} from '../../../src/domain/booking/policy';
import type { BookableService, Slot } from '../../../src/domain/booking/slots';
import { pageWindow, takePage } from '../../../src/domain/shared/paging';
import { shanghaiDate } from '../../../src/domain/shared/time';
import {
  type Database,
  type HandlerContext,
  COLLECTIONS,
  PAGE_MAX,
  readAll,
  sendSubscribeMessage,
} from '../../_shared';
import { type BookingDoc, asDate } from '../docs';
import { commandOf } from './quota';

/** Reads of the booking documents, and the new booking's document. (Its moves: moves.ts.) */

const bookings = (db: Database) => db.collection<BookingDoc>(COLLECTIONS.bookings);

const MINE_PAGE_SIZE = 20;

/** The key with the unique index that stores a request's booking once. */
export const requestKeyOf = (openid: string, clientRequestId: string) =>
  `${openid}:${clientRequestId}`;

export async function loadBooking(db: Database, bookingId: string): Promise<BookingDoc | null> {
  return (await bookings(db).doc(bookingId).get()).data;
}

/** A person's own booking; someone else's is "not found", never "forbidden", so ids leak nothing. */
export async function ownBooking(
  db: Database,
  openid: string,
  bookingId: string,
): Promise<BookingDoc | null> {
  const found = await loadBooking(db, bookingId);
  return found && found._openid === openid ? found : null;
}

/**
 * The caller's bookings of the service reaching back as far as the rules look (`historySince`),
 * latest first; a retry of an earlier request is found among them.
 */
export async function historyOf(
  db: Database,
  openid: string,
  service: BookableService,
  run: readonly Slot[],
  now: Date,
): Promise<BookingDoc[]> {
  const _ = db.command;
  const { data } = await bookings(db)
    .where({
      _openid: openid,
      serviceId: service.id,
      end: _.gt(historySince(service.rules, now, run[0].start)),
    })
    .orderBy('start', 'desc')
    .limit(100)
    .get();
  return data;
}

/** The booking a request stored (a concurrent retry's, inserted first). */
export async function byRequestKey(db: Database, requestKey: string): Promise<BookingDoc | null> {
  const { data } = await bookings(db).where({ requestKey }).limit(1).get();
  return data[0] ?? null;
}

/** Who asks for a booking: the caller, their name at booking time, the request's key. */
export interface Booker {
  openid: string;
  name: string;
  requestKey: string;
  attendee: string | undefined;
}

export function bookerOf(
  ctx: Pick<HandlerContext, 'openid' | 'account'>,
  input: { clientRequestId: string; attendee?: string },
): Booker {
  return {
    openid: ctx.openid,
    name: displayName(ctx.account.profile, ctx.account.role),
    requestKey: requestKeyOf(ctx.openid, input.clientRequestId),
    attendee: input.attendee,
  };
}

/** A new booking (or waitlist place) of `run`, as `who` asked for it at `now`. */
export function newBookingDoc<S extends BookingState>(
  who: Booker,
  service: BookableService,
  run: readonly Slot[],
  state: S,
  now: Date,
): Omit<BookingDoc, '_id'> & { state: S } {
  return {
    _openid: who.openid,
    requestKey: who.requestKey,
    spaceId: service.spaceId,
    serviceId: service.id,
    serviceName: service.name,
    place: service.place,
    kind: service.kind,
    slotIds: run.map((s) => s.id),
    date: run[0].date,
    start: run[0].start,
    end: run[run.length - 1].end,
    state,
    name: who.name,
    ...(who.attendee ? { attendee: who.attendee } : {}),
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * In one query: the caller's bookings of the service on `date` that hold a slot (shown on its
 * slots), and every booking of the service counted as active (the active-bookings limit left),
 * whatever its date. At most `maxActiveBookings` (≤ 20) of the latter, plus the day's own.
 */
export async function ownHolds(
  db: Database,
  openid: string,
  serviceId: string,
  date: string,
): Promise<BookingDoc[]> {
  const _ = commandOf(db);
  const where = _.or([
    { _openid: openid, serviceId, date, state: _.in([...LIMIT_STATES.slot]) },
    { _openid: openid, serviceId, state: _.in([...LIMIT_STATES.active]) },
  ]) as unknown as Record<string, unknown>;
  const { data } = await bookings(db).where(where).limit(100).get();
  return data;
}

/** One page of the caller's upcoming (soonest first) or past (latest first) bookings. */
export async function minePage(
  db: Database,
  openid: string,
  scope: 'upcoming' | 'past',
  page: number,
  now: Date,
): Promise<{ items: BookingDoc[]; hasMore: boolean }> {
  const _ = db.command;
  const { skip, limit } = pageWindow(page, MINE_PAGE_SIZE);
  const { data } = await bookings(db)
    .where({ _openid: openid, end: scope === 'upcoming' ? _.gt(now) : _.lte(now) })
    .orderBy('start', scope === 'upcoming' ? 'asc' : 'desc')
    .skip(skip)
    .limit(limit)
    .get();
  return takePage(data, MINE_PAGE_SIZE);
}

/** The caller's confirmed and checked-in bookings of today (Asia/Shanghai), in time order. */
export async function todaysBookings(
  db: Database,
  openid: string,
  spaceId: string | undefined,
  now: Date,
): Promise<BookingDoc[]> {
  const _ = db.command;
  const { data } = await bookings(db)
    .where({
      _openid: openid,
      date: shanghaiDate(now),
      state: _.in(['confirmed', 'checked-in']),
      ...(spaceId ? { spaceId } : {}),
    })
    .orderBy('start', 'asc')
    .limit(20)
    .get();
  return data;
}

/** The bookings of a service's day the secretary's schedule lists, in waitlist order. */
export async function scheduledBookings(
  db: Database,
  serviceId: string,
  date: string,
): Promise<BookingDoc[]> {
  const _ = db.command;
  return readAll<BookingDoc>(
    bookings(db)
      .where({ serviceId, date, state: _.in([...SCHEDULE_STATES]) })
      .orderBy('queuedAt', 'asc')
      .orderBy('_id', 'asc'),
    5 * PAGE_MAX,
  );
}

/** The first few waiting for a place in `slotId` that has not started. */
export async function waitingFor(db: Database, slotId: string, now: Date): Promise<BookingDoc[]> {
  const _ = db.command;
  const { data } = await bookings(db)
    .where({ slotIds: slotId, state: 'waiting', start: _.gt(now) })
    .orderBy('queuedAt', 'asc')
    .limit(5)
    .get();
  return data;
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
