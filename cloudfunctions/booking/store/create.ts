import type { LimitRefusal } from '../../../src/domain/booking/limits';
import {
  REFUSALS,
  requestDecision,
  requestedRun,
  slotFullRefusal,
  type Refusal,
  type RunRefusal,
} from '../../../src/domain/booking/requests';
import type { BookingRefusal } from '../../../src/domain/booking/policy';
import type { BookableService, Slot } from '../../../src/domain/booking/slots';
import { type Database, type HandlerContext, COLLECTIONS, isDuplicateKey } from '../../_shared';
import { type BookingDoc, bookingFacts, toBookable } from '../docs';
import { type Booker, bookerOf, byRequestKey, historyOf } from './bookings';
import { loadService } from './services';
import { releasePlace, takePlaces } from './counters';
import {
  applyLimitChange,
  giveBackTake,
  quotaHoldsRequest,
  takeQuota,
  type QuotaClaim,
} from './quota';

/** Writing a new booking or waitlist place: the person's quota, the places, the insert. */

export type Judged =
  | { kind: 'refused'; refusal: RunRefusal | BookingRefusal }
  /** A retry: the booking its first copy made. */
  | { kind: 'retried'; doc: BookingDoc; service: BookableService }
  | {
      kind: 'new';
      service: BookableService;
      run: Slot[];
      history: BookingDoc[];
      who: Booker;
    };

/**
 * Load what a booking or waitlist request is judged on — the service (1 request) and the
 * caller's history of it (1) — and judge it (requests.ts): refused, a retry, or new.
 */
export async function judgeRequest(
  ctx: Pick<HandlerContext, 'db' | 'openid' | 'account' | 'now'>,
  input: Parameters<typeof requestedRun>[1] & {
    serviceId: string;
    clientRequestId: string;
    attendee?: string;
  },
): Promise<Judged> {
  const doc = await loadService(ctx.db, input.serviceId);
  const asked = requestedRun(doc && toBookable(doc), input);
  if ('refusal' in asked) return { kind: 'refused', refusal: asked.refusal };
  const { service, run } = asked;
  const history = await historyOf(ctx.db, ctx.openid, service, run, ctx.now);
  const who = bookerOf(ctx, input);
  const facts = history.map(bookingFacts);
  const decision = requestDecision(facts, who.requestKey, run, service.rules, ctx.now);
  if (decision.kind === 'retried')
    return { kind: 'retried', doc: history[decision.index], service };
  if (decision.kind === 'refused') return { kind: 'refused', refusal: decision.refusal };
  return { kind: 'new', service, run, history, who };
}

/** How long a retry waits for the copy of its request that holds the quota to write its booking. */
const SAME_REQUEST_POLLS = 40;
const SAME_REQUEST_POLL_MS = 50;

/**
 * A retry found its own request holding the quota: another copy of it is writing the booking.
 * Wait for that booking ('found'), or for the copy to give the quota back ('gone': it failed, so
 * this one may go on).
 */
async function awaitSameRequest(
  db: Database,
  claim: QuotaClaim,
): Promise<{ kind: 'found'; doc: BookingDoc } | { kind: 'gone' } | { kind: 'timeout' }> {
  for (let poll = 0; poll < SAME_REQUEST_POLLS; poll++) {
    const first = await byRequestKey(db, claim.requestKey);
    if (first) return { kind: 'found', doc: first };
    if (!(await quotaHoldsRequest(db, claim.openid, claim.serviceId, claim.requestKey)))
      return { kind: 'gone' };
    await new Promise((resolve) => setTimeout(resolve, SAME_REQUEST_POLL_MS));
  }
  return { kind: 'timeout' };
}

export type Booked =
  | { kind: 'booked'; doc: BookingDoc }
  | { kind: 'refused'; refusal: LimitRefusal | Refusal<'SLOT_FULL'> };

/**
 * Take the person's share of the limits, then (a booking, not a waitlist place) one place in each
 * slot of `run`, then insert the booking `data`. The quota comes first: it holds each request key
 * once, so a place is only ever held by the one copy of a request that will write its booking.
 * (Places first let a retry racing its own request hold a second place for a moment, and
 * residents refused in that moment left a place unsold.) A refusal gives back whatever was taken,
 * so it leaves nothing held. A copy of the request that got there first answers its booking.
 */
export async function bookOnce(
  db: Database,
  data: Omit<BookingDoc, '_id'> & { state: 'confirmed' | 'waiting' },
  service: BookableService,
  run: readonly Slot[],
  history: readonly BookingDoc[],
  now: Date,
): Promise<Booked> {
  const { state, requestKey } = data;
  const claim: QuotaClaim = {
    openid: data._openid,
    serviceId: service.id,
    requestKey,
    slotIds: data.slotIds,
    start: run[0].start,
    end: run[run.length - 1].end,
  };
  for (let round = 0; round < 3; round++) {
    const quota = await takeQuota(db, claim, service.rules, history, now);
    if (quota.kind === 'refused') return quota;
    if (quota.kind === 'same-request') {
      const waited = await awaitSameRequest(db, claim);
      if (waited.kind === 'gone') continue;
      if (waited.kind === 'found') return { kind: 'booked', doc: waited.doc };
      return { kind: 'refused', refusal: REFUSALS.alreadyBooked };
    }
    if (state === 'confirmed' && !(await takePlaces(db, service, run, now))) {
      await giveBackTake(db, quota, data, state, now);
      return { kind: 'refused', refusal: slotFullRefusal(run.length) };
    }
    return insertBooking(db, data, now);
  }
  return { kind: 'refused', refusal: REFUSALS.alreadyBooked };
}

/**
 * Insert a booking whose quota (and places) are taken. A duplicate request key gives them back
 * and answers the booking stored first.
 */
async function insertBooking(
  db: Database,
  data: Omit<BookingDoc, '_id'>,
  now: Date,
): Promise<Booked> {
  try {
    const { _id } = await db.collection<BookingDoc>(COLLECTIONS.bookings).add({ data });
    return { kind: 'booked', doc: { ...data, _id } };
  } catch (error) {
    await applyLimitChange(db, { ...data }, data.state, null, now);
    for (const slotId of data.state === 'confirmed' ? data.slotIds : [])
      await releasePlace(db, slotId, now);
    if (!isDuplicateKey(error)) throw error;
    const first = await byRequestKey(db, data.requestKey);
    if (!first) throw error;
    return { kind: 'booked', doc: first };
  }
}
