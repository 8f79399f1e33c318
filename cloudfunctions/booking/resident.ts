import {
  type bookingContract,
  type CheckInOption,
  type SlotView,
} from '../../src/domain/contract/booking';
import type { ParsedInputOf } from '../../src/domain/contract/define';
import { displayName } from '../../src/domain/account/profile';
import { LIMIT_STATES } from '../../src/domain/booking/limits';
import {
  PLACE_STATES,
  bookingRefusal,
  cancelRefusal,
  checkInState,
  historySince,
  type BookingFacts,
  type BookingState,
} from '../../src/domain/booking/policy';
import {
  blockLengthRefusal,
  bookableDates,
  slotRun,
  slotState,
  slotsOn,
} from '../../src/domain/booking/slots';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { type Fail, fail, ok } from '../../src/domain/shared/result';
import { shanghaiDate } from '../../src/domain/shared/time';
import { type ActionHandler, type HandlerContext } from '../_shared';
import { COLLECTIONS } from '../_shared/collections';
import { PAGE_MAX, isDuplicateKey, readAll } from '../_shared/data';
import {
  OPENING_REV,
  type BookableServiceDoc,
  type BookingDoc,
  type SlotCounterDoc,
  asDate,
  bookingView,
  daySummary,
  isBookable,
  loadService,
  releasePlace,
  serviceView,
  servicesById,
  summaryDates,
  takePlace,
  rulesForBooking,
  toBookable,
} from './store';
import { moveBooking, passPlaceOn } from './moves';
import {
  applyLimitChange,
  giveBackTake,
  quotaHoldsRequest,
  takeQuota,
  type QuotaClaim,
} from './quota';

type C = typeof bookingContract;
const MINE_PAGE_SIZE = 20;
/** States in which a person already has this slot (booked or in line). */
const HOLDING_STATES: readonly BookingState[] = LIMIT_STATES.slot;

const bookings = (ctx: HandlerContext) => ctx.db.collection<BookingDoc>(COLLECTIONS.bookings);

export function serviceNotFound() {
  return fail('SERVICE_NOT_FOUND', '没有找到这项服务');
}

function notBookable() {
  return fail('NOT_BOOKABLE', '这项服务无需预约，到场即可使用');
}

export function bookingNotFound() {
  return fail('BOOKING_NOT_FOUND', '没有找到这个预约');
}

/** A person's own booking; someone else's is "not found", never "forbidden", so ids leak nothing. */
async function ownBooking(ctx: HandlerContext, bookingId: string): Promise<BookingDoc | null> {
  const found = await bookings(ctx).doc(bookingId).get();
  return found.data && found.data._openid === ctx.openid ? found.data : null;
}

export const listServices: ActionHandler<C['listServices']> = async ({ spaceId }, ctx) => {
  const id = spaceId ?? (process.env.LINLI_DEFAULT_SPACE?.trim() || 'r29');
  const _ = ctx.db.command;
  const { data: docs } = await ctx.db
    .collection<BookableServiceDoc>(COLLECTIONS.services)
    .where({ spaceId: id })
    .orderBy('order', 'asc')
    .limit(100)
    .get();
  if (docs.length === 0) {
    const space = await ctx.db.collection<{ _id: string }>(COLLECTIONS.spaces).doc(id).get();
    if (!space.data) return fail('SPACE_NOT_FOUND', '没有找到这个空间，请重新扫码或稍后再试');
  }
  const dates = summaryDates(ctx.now);
  // Only full slots are read: one small query instead of every counter of three days.
  const fullCounters = await readAll(
    ctx.db
      .collection<SlotCounterDoc>(COLLECTIONS.slotCounters)
      .where({ spaceId: id, date: _.in(dates), left: 0, rev: _.neq(OPENING_REV) }),
    5 * PAGE_MAX,
  );
  const full = new Set(fullCounters.map((c) => c._id));
  const services = docs
    .filter((d) => isBookable(d.bookingKind))
    .map((d) => serviceView(d, daySummary(toBookable(d), dates, full)));
  return ok({ services });
};

export const listSlots: ActionHandler<C['listSlots']> = async ({ serviceId, date }, ctx) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  if (!isBookable(doc.bookingKind)) return notBookable();
  const service = toBookable(doc);
  const _ = ctx.db.command;
  const slots = slotsOn(service, date);
  const [counters, mine] = await Promise.all([
    ctx.db
      .collection<SlotCounterDoc>(COLLECTIONS.slotCounters)
      .where({ serviceId, date })
      .limit(100)
      .get(),
    bookings(ctx)
      .where({ _openid: ctx.openid, serviceId, date, state: _.in([...HOLDING_STATES]) })
      .limit(100)
      .get(),
  ]);
  const byId = new Map(counters.data.filter((c) => c.rev !== OPENING_REV).map((c) => [c._id, c]));
  const dates = bookableDates(service.rules, ctx.now);
  const views: SlotView[] = slots.map((slot) => {
    const own = mine.data.find((b) => b.slotIds.includes(slot.id));
    const counter = byId.get(slot.id);
    const placesLeft = Math.max(0, counter ? counter.left : service.rules.capacity);
    return {
      id: slot.id,
      date: slot.date,
      startMinute: slot.startMinute,
      minutes: slot.minutes,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      label: slot.label,
      capacity: counter ? counter.capacity : service.rules.capacity,
      left: placesLeft,
      state: slotState(slot, placesLeft, service.rules, dates, ctx.now),
      ...(own ? { mine: { bookingId: own._id, state: own.state } } : {}),
    };
  });
  return ok({ service: serviceView(doc), date, dates, slots: views });
};

type SlotInput = ParsedInputOf<C['create']>;

/**
 * The checks shared by create and joinWaitlist. Database requests: the service (1) and the
 * caller's history of this service (1). A retry of an earlier request is found in that history.
 * Passing here only means the history allows it: the quota document's atomic take decides.
 */
async function prepare(input: SlotInput, ctx: HandlerContext) {
  const doc = await loadService(ctx.db, input.serviceId);
  if (!doc) return { kind: 'error', error: serviceNotFound() } as const;
  if (!isBookable(doc.bookingKind)) return { kind: 'error', error: notBookable() } as const;
  const service = toBookable(doc);
  const { rules } = service;
  const count = input.slots;
  const tooLong = blockLengthRefusal(doc.bookingKind, rules, count);
  if (tooLong) return { kind: 'error', error: fail(tooLong.code, tooLong.message) } as const;
  const run = slotRun(service, input.date, input.startMinute, count);
  if (!run)
    return {
      kind: 'error',
      error: fail('NO_SUCH_SLOT', '没有这个时段，请刷新后重新选择'),
    } as const;
  const _ = ctx.db.command;
  const requestKey = `${ctx.openid}:${input.clientRequestId}`;
  const { data: history } = await bookings(ctx)
    .where({
      _openid: ctx.openid,
      serviceId: service.id,
      end: _.gt(historySince(rules, ctx.now, run[0].start)),
    })
    .orderBy('start', 'desc')
    .limit(100)
    .get();
  const retried = history.find((b) => b.requestKey === requestKey);
  if (retried) return { kind: 'retried', retried, service, doc } as const;
  const facts: BookingFacts[] = history.map((b) => ({
    state: b.state,
    start: asDate(b.start),
    end: asDate(b.end),
    slotIds: b.slotIds,
    requestKey: b.requestKey,
    ...(b.noShowAt ? { noShowAt: asDate(b.noShowAt) } : {}),
  }));
  // Refused here (every limit as the history shows it), nothing is written.
  const refusal = bookingRefusal(run, rules, facts, ctx.now);
  if (refusal) return { kind: 'error', error: fail(refusal.code, refusal.message) } as const;
  return { kind: 'new', service, doc, run, requestKey, history } as const;
}

function newBooking(
  ctx: HandlerContext,
  prepared: {
    service: ReturnType<typeof toBookable>;
    run: ReturnType<typeof slotsOn>;
    requestKey: string;
  },
  state: BookingState,
  attendee: string | undefined,
): Omit<BookingDoc, '_id'> {
  const { service, run } = prepared;
  return {
    _openid: ctx.openid,
    requestKey: prepared.requestKey,
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
    name: displayName(ctx.account.profile, ctx.account.role),
    ...(attendee ? { attendee } : {}),
    queuedAt: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

/** The booking a concurrent retry inserted first. */
async function byRequestKey(ctx: HandlerContext, requestKey: string): Promise<BookingDoc | null> {
  const { data } = await bookings(ctx).where({ requestKey }).limit(1).get();
  return data[0] ?? null;
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
  ctx: HandlerContext,
  claim: QuotaClaim,
): Promise<{ kind: 'found'; doc: BookingDoc } | { kind: 'gone' } | { kind: 'timeout' }> {
  for (let poll = 0; poll < SAME_REQUEST_POLLS; poll++) {
    const first = await byRequestKey(ctx, claim.requestKey);
    if (first) return { kind: 'found', doc: first };
    if (!(await quotaHoldsRequest(ctx.db, claim.openid, claim.serviceId, claim.requestKey)))
      return { kind: 'gone' };
    await new Promise((resolve) => setTimeout(resolve, SAME_REQUEST_POLL_MS));
  }
  return { kind: 'timeout' };
}

type Prepared = Extract<Awaited<ReturnType<typeof prepare>>, { kind: 'new' }>;

/** Places for a booking that holds its quota: null when taken, or the refusal (nothing kept). */
type TakePlaces = () => Promise<Fail<'SLOT_FULL'> | null>;

/**
 * Take the person's share of the limits, then the booking's places (`takePlaces`), then insert the
 * booking. The quota comes first: it holds each request key once, so a place is only ever held by
 * the one copy of a request that will write its booking. (Places first let a retry racing its own
 * request hold a second place for a moment, and residents refused in that moment left a place
 * unsold.) A refusal gives back whatever was taken, so it leaves nothing held.
 */
async function takeQuotaAndInsert(
  ctx: HandlerContext,
  prepared: Prepared,
  state: 'confirmed' | 'waiting',
  attendee: string | undefined,
  takePlaces: TakePlaces,
) {
  const { service, run, requestKey } = prepared;
  const data = newBooking(ctx, prepared, state, attendee);
  const claim: QuotaClaim = {
    openid: ctx.openid,
    serviceId: service.id,
    requestKey,
    slotIds: data.slotIds,
    start: run[0].start,
    end: run[run.length - 1].end,
  };
  for (let round = 0; round < 3; round++) {
    const quota = await takeQuota(ctx.db, claim, service.rules, prepared.history, ctx.now);
    if (quota.kind === 'refused') return fail(quota.refusal.code, quota.refusal.message);
    if (quota.kind === 'same-request') {
      const waited = await awaitSameRequest(ctx, claim);
      if (waited.kind === 'gone') continue;
      if (waited.kind === 'found') return ok(bookingView(waited.doc, service.rules, ctx.now));
      return fail('ALREADY_BOOKED', '你已预约或正在候补这个时段');
    }
    const placesRefused = await takePlaces();
    if (placesRefused) {
      await giveBackTake(ctx.db, quota, data, state, ctx.now);
      return placesRefused;
    }
    try {
      const { _id } = await bookings(ctx).add({ data });
      return ok(bookingView({ ...data, _id }, service.rules, ctx.now));
    } catch (error) {
      await applyLimitChange(ctx.db, { ...data }, state, null, ctx.now);
      for (const slotId of state === 'confirmed' ? data.slotIds : [])
        await releasePlace(ctx.db, slotId, ctx.now);
      if (!isDuplicateKey(error)) throw error;
      const first = await byRequestKey(ctx, requestKey);
      if (!first) throw error;
      return ok(bookingView(first, service.rules, ctx.now));
    }
  }
  return fail('ALREADY_BOOKED', '你已预约或正在候补这个时段');
}

/** Take one place in each slot of the run, or none: a full slot gives back what was taken. */
function placesOf(ctx: HandlerContext, prepared: Prepared): TakePlaces {
  const { service, run } = prepared;
  return async () => {
    const taken: string[] = [];
    for (const slot of run) {
      if (!(await takePlace(ctx.db, service, slot, ctx.now))) {
        for (const id of taken) await releasePlace(ctx.db, id, ctx.now);
        return fail(
          'SLOT_FULL',
          run.length > 1 ? '所选时间内已有人预约，请换个时间' : '这个时段已约满，可以加入候补',
        );
      }
      taken.push(slot.id);
    }
    return null;
  };
}

/**
 * Book: 6 database requests (measured, booking-requests.test.ts) — caller (router), service,
 * history, the conditional quota take (a person's first booking of the service: its creation), one
 * conditional counter update per slot, the insert. The first booking of a slot costs 4 more: the
 * counter is read, created, and opened from a fresh read of the service. A full slot costs the
 * quota's give-back beside the failed take.
 */
export const create: ActionHandler<C['create']> = async (input, ctx) => {
  const prepared = await prepare(input, ctx);
  if (prepared.kind === 'error') return prepared.error;
  if (prepared.kind === 'retried')
    return ok(bookingView(prepared.retried, prepared.service.rules, ctx.now));
  return takeQuotaAndInsert(ctx, prepared, 'confirmed', input.attendee, placesOf(ctx, prepared));
};

export const joinWaitlist: ActionHandler<C['joinWaitlist']> = async (input, ctx) => {
  if (input.slots !== 1) return fail('BLOCK_LENGTH', '候补只能排一个时段');
  const prepared = await prepare(input, ctx);
  if (prepared.kind === 'error') return prepared.error;
  if (prepared.kind === 'retried')
    return ok(bookingView(prepared.retried, prepared.service.rules, ctx.now));
  const counter = await ctx.db
    .collection<SlotCounterDoc>(COLLECTIONS.slotCounters)
    .doc(prepared.run[0].id)
    .get();
  if (!counter.data || counter.data.left > 0 || counter.data.rev === OPENING_REV)
    return fail('SLOT_NOT_FULL', '这个时段还有空位，可以直接预约');
  return takeQuotaAndInsert(ctx, prepared, 'waiting', input.attendee, async () => null);
};

export const claimHold: ActionHandler<C['claimHold']> = async ({ bookingId }, ctx) => {
  const doc = await ownBooking(ctx, bookingId);
  if (!doc) return bookingNotFound();
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = rulesForBooking(service, doc.kind);
  if (doc.state === 'confirmed') return ok(bookingView(doc, rules, ctx.now));
  if (doc.state !== 'held') return fail('NOT_HELD', '这个候补还没有空出名额');
  const _ = ctx.db.command;
  // held → confirmed leaves the person's limits as they are (limits.ts): no quota write.
  const claimed = await bookings(ctx)
    .where({ _id: bookingId, state: 'held', holdUntil: _.gt(ctx.now) })
    .update({ data: { state: 'confirmed', updatedAt: ctx.now } });
  if (claimed.stats.updated !== 1) return fail('HOLD_EXPIRED', '保留时间已过，名额已顺延给下一位');
  return ok(bookingView({ ...doc, state: 'confirmed', updatedAt: ctx.now }, rules, ctx.now));
};

export const cancel: ActionHandler<C['cancel']> = async ({ bookingId }, ctx) => {
  const doc = await ownBooking(ctx, bookingId);
  if (!doc) return bookingNotFound();
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = rulesForBooking(service, doc.kind);
  const refusal = cancelRefusal({ state: doc.state, start: asDate(doc.start) }, rules, ctx.now);
  if (refusal) return fail(refusal.code, refusal.message);
  const result = await cancelBooking(ctx, doc, rules, { cancelledBy: 'resident' });
  if (!result) return fail('NOT_CANCELLABLE', '这个预约刚刚发生了变化，请刷新后再试');
  return ok(bookingView(result, rules, ctx.now));
};

/**
 * Move a booking to cancelled only from the state it was read in (a concurrent change wins), give
 * back what it held of its person's limits, and pass each place it held to the waitlist. Null
 * when the state had changed.
 */
export async function cancelBooking(
  ctx: { db: HandlerContext['db']; now: Date },
  doc: BookingDoc,
  rules: ReturnType<typeof toBookable>['rules'],
  how: { cancelledBy: 'resident' | 'secretary'; cancelReason?: string },
): Promise<BookingDoc | null> {
  const patch = { state: 'cancelled' as const, updatedAt: ctx.now, ...how };
  if (!(await moveBooking(ctx.db, doc, 'cancelled', how, ctx.now))) return null;
  if (PLACE_STATES.includes(doc.state)) {
    for (const slotId of doc.slotIds) await passPlaceOn(ctx.db, slotId, rules, ctx.now);
  }
  return { ...doc, ...patch };
}

export const mine: ActionHandler<C['mine']> = async ({ scope, page }, ctx) => {
  const _ = ctx.db.command;
  const { skip, limit } = pageWindow(page, MINE_PAGE_SIZE);
  const { data } = await bookings(ctx)
    .where({ _openid: ctx.openid, end: scope === 'upcoming' ? _.gt(ctx.now) : _.lte(ctx.now) })
    .orderBy('start', scope === 'upcoming' ? 'asc' : 'desc')
    .skip(skip)
    .limit(limit)
    .get();
  const { items, hasMore } = takePage(data, MINE_PAGE_SIZE);
  const services =
    items.length > 0 ? await servicesById(ctx.db) : new Map<string, BookableServiceDoc>();
  return ok({
    bookings: items.map((b) =>
      bookingView(b, rulesForBooking(services.get(b.serviceId), b.kind), ctx.now),
    ),
    hasMore,
  });
};

/** Today's bookings (Asia/Shanghai) that are not over, each with its check-in state. */
export const checkInOptions: ActionHandler<C['checkInOptions']> = async ({ spaceId }, ctx) => {
  const _ = ctx.db.command;
  const today = shanghaiDate(ctx.now);
  const { data } = await bookings(ctx)
    .where({
      _openid: ctx.openid,
      date: today,
      state: _.in(['confirmed', 'checked-in']),
      ...(spaceId ? { spaceId } : {}),
    })
    .orderBy('start', 'asc')
    .limit(20)
    .get();
  if (data.length === 0) return ok({ options: [] });
  const services = await servicesById(ctx.db);
  const options: CheckInOption[] = data
    .filter((b) => asDate(b.end) > ctx.now || b.state === 'checked-in')
    .map((b) => {
      const rules = rulesForBooking(services.get(b.serviceId), b.kind);
      const state = checkInState({ state: b.state, start: asDate(b.start) }, rules, ctx.now);
      return {
        booking: bookingView(b, rules, ctx.now),
        kind: state.kind,
        reason: state.kind === 'open' ? '' : state.reason,
      };
    });
  return ok({ options });
};

export const checkIn: ActionHandler<C['checkIn']> = async ({ bookingId }, ctx) => {
  const doc = await ownBooking(ctx, bookingId);
  if (!doc) return bookingNotFound();
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = rulesForBooking(service, doc.kind);
  const state = checkInState({ state: doc.state, start: asDate(doc.start) }, rules, ctx.now);
  if (state.kind === 'done') return ok(bookingView(doc, rules, ctx.now));
  if (state.kind === 'not-yet') return fail('CHECK_IN_NOT_OPEN', state.reason);
  if (state.kind === 'closed') return fail('CHECK_IN_CLOSED', state.reason);
  if (state.kind === 'not-confirmed') return fail('NOT_CONFIRMED', state.reason);
  const patch = {
    state: 'checked-in' as const,
    checkedInAt: ctx.now,
    checkedInBy: 'resident' as const,
    updatedAt: ctx.now,
  };
  if (!(await moveBooking(ctx.db, { ...doc, state: 'confirmed' }, 'checked-in', patch, ctx.now))) {
    return fail('NOT_CONFIRMED', '预约状态刚刚发生了变化，请刷新后再试');
  }
  return ok(bookingView({ ...doc, ...patch }, rules, ctx.now));
};
