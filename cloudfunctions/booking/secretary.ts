import type { bookingContract, ScheduleSlot } from '../../src/domain/contract/booking';
import {
  SCHEDULE_STATES,
  STATE_LABELS,
  markRefusal,
  secretaryActions,
  secretaryCancelRefusal,
} from '../../src/domain/booking/policy';
import {
  applyRulesPatch,
  overlappingSessions,
  withDefaults,
  type BookingRules,
} from '../../src/domain/booking/rules';
import { addDays, slotsOn } from '../../src/domain/booking/slots';
import { weekUtilization } from '../../src/domain/booking/utilization';
import { fail, ok } from '../../src/domain/shared/result';
import type { ActionHandler, HandlerContext } from '../_shared';
import { COLLECTIONS } from '../_shared/collections';
import { PAGE_MAX, readAll } from '../_shared/data';
import { moveBooking } from './moves';
import { bookingNotFound, cancelBooking, serviceNotFound } from './resident';
import {
  type BookableServiceDoc,
  type BookingDoc,
  type SlotCounterDoc,
  adjustCounter,
  asDate,
  bookingView,
  loadService,
  serviceView,
  toBookable,
} from './store';

type C = typeof bookingContract;

const counters = (ctx: HandlerContext) =>
  ctx.db.collection<SlotCounterDoc>(COLLECTIONS.slotCounters);
const bookings = (ctx: HandlerContext) => ctx.db.collection<BookingDoc>(COLLECTIONS.bookings);

/** Upcoming counters of a service, in a stable order (capacity changes apply to these). */
async function upcomingCounters(ctx: HandlerContext, serviceId: string): Promise<SlotCounterDoc[]> {
  const _ = ctx.db.command;
  return readAll<SlotCounterDoc>(
    counters(ctx)
      .where({ serviceId, start: _.gte(ctx.now) })
      .orderBy('_id', 'asc'),
    20 * PAGE_MAX,
  );
}

const takenOf = (c: SlotCounterDoc) => c.capacity - c.left;

/**
 * Store a service's kind, hours and rules as revision `rev`, only if nobody else stored one since
 * `from` was read (compare-and-set on `bookingRev`). False when someone did.
 */
async function storeRevision(
  ctx: HandlerContext,
  from: BookableServiceDoc,
  next: {
    bookingKind: BookableServiceDoc['bookingKind'];
    hours: BookableServiceDoc['hours'];
    bookingRules: BookingRules;
  },
): Promise<boolean> {
  const _ = ctx.db.command;
  const written = await ctx.db
    .collection<BookableServiceDoc>(COLLECTIONS.services)
    .where({
      _id: from._id,
      bookingRev: from.bookingRev === undefined ? _.eq(null) : from.bookingRev,
    })
    .update({
      data: {
        bookingKind: next.bookingKind,
        hours: _.set(next.hours),
        bookingRules: _.set(next.bookingRules),
        bookingRev: (from.bookingRev ?? 0) + 1,
      },
    });
  return written.stats.updated === 1;
}

/** Bring every upcoming counter to `capacity` at revision `rev`; the ids of counters holding more. */
async function applyCapacity(
  ctx: HandlerContext,
  serviceId: string,
  capacity: number,
  rev: number,
): Promise<string[]> {
  const blocked: string[] = [];
  for (const counter of await upcomingCounters(ctx, serviceId)) {
    if ((await adjustCounter(ctx.db, counter, capacity, rev, ctx.now)) === 'blocked')
      blocked.push(counter._id);
  }
  return blocked;
}

function capacityBelowBooked(slots: number) {
  return fail(
    'CAPACITY_BELOW_BOOKED',
    `有 ${slots} 个时段的预约人数已超过新名额，请先处理这些预约`,
  );
}

/**
 * Change kind, hours and rules. Race-free against bookings landing at the same moment:
 * 1. refuse (writing nothing) when an upcoming slot already holds more than the new capacity;
 * 2. store the service as a new revision (compare-and-set, so concurrent edits never mix);
 * 3. move every upcoming counter to the new capacity with `adjustCounter` (one conditional update
 *    per counter that keeps the places taken). A counter created meanwhile by a first booking reads
 *    the service after it exists, so it opens with the new capacity (or is adjusted here);
 * 4. when a booking slipped in between 1 and 3 and a slot now holds too many for a lower capacity,
 *    the previous settings are stored again as a further revision and applied back, and the
 *    secretary is told, exactly as in 1.
 * An edit that leaves the capacity as it is makes no pass: counters may then carry an older
 * revision with the same capacity.
 * Places taken never exceed a counter's capacity at any moment.
 */
export const updateService: ActionHandler<C['updateService']> = async (
  { serviceId, kind, hours, rules: patch },
  ctx,
) => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await loadService(ctx.db, serviceId);
    if (!doc) return serviceNotFound();
    const nextKind = kind ?? doc.bookingKind;
    const current = withDefaults(doc.bookingKind, doc.bookingRules);
    const next = applyRulesPatch(withDefaults(nextKind, { ...doc.bookingRules }), patch ?? {});
    if (overlappingSessions(next.sessions)) return fail('SESSIONS_OVERLAP', '场次时间不能重叠');
    const capacityChanges = next.capacity !== current.capacity;
    if (next.capacity < current.capacity) {
      const over = (await upcomingCounters(ctx, serviceId)).filter(
        (c) => takenOf(c) > next.capacity,
      );
      if (over.length > 0) return capacityBelowBooked(over.length);
    }
    const nextHours = hours ?? doc.hours;
    if (
      !(await storeRevision(ctx, doc, {
        bookingKind: nextKind,
        hours: nextHours,
        bookingRules: next,
      }))
    )
      continue;
    const rev = (doc.bookingRev ?? 0) + 1;
    const stored: BookableServiceDoc = {
      ...doc,
      bookingKind: nextKind,
      hours: nextHours,
      bookingRules: next,
      bookingRev: rev,
    };
    if (!capacityChanges) return ok(serviceView(stored));
    const blocked = await applyCapacity(ctx, serviceId, next.capacity, rev);
    if (blocked.length === 0) return ok(serviceView(stored));
    // A booking landed between the check and the change: put the previous settings back (only the
    // capacity when another edit was stored meanwhile; none when that edit changed the capacity
    // again, since its own pass settles the counters).
    for (let back = 0; back < 5; back++) {
      const fresh = await loadService(ctx.db, serviceId);
      if (!fresh) break;
      const freshRules = withDefaults(fresh.bookingKind, fresh.bookingRules);
      if (freshRules.capacity !== next.capacity) break;
      const previous =
        fresh.bookingRev === rev
          ? { bookingKind: doc.bookingKind, hours: doc.hours, bookingRules: current }
          : {
              bookingKind: fresh.bookingKind,
              hours: fresh.hours,
              bookingRules: { ...freshRules, capacity: current.capacity },
            };
      if (await storeRevision(ctx, fresh, previous)) {
        await applyCapacity(ctx, serviceId, current.capacity, (fresh.bookingRev ?? 0) + 1);
        break;
      }
    }
    return capacityBelowBooked(blocked.length);
  }
  return fail('SERVICE_CHANGED', '服务设置刚被其他人修改，请刷新后再试');
};

export const schedule: ActionHandler<C['schedule']> = async ({ serviceId, date }, ctx) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  const service = toBookable(doc);
  const _ = ctx.db.command;
  const [dayCounters, dayBookings] = await Promise.all([
    counters(ctx).where({ serviceId, date }).limit(100).get(),
    readAll<BookingDoc>(
      bookings(ctx)
        .where({
          serviceId,
          date,
          state: _.in([...SCHEDULE_STATES]),
        })
        .orderBy('queuedAt', 'asc'),
      5 * PAGE_MAX,
    ),
  ]);
  const byId = new Map(dayCounters.data.map((c) => [c._id, c]));
  const slots: ScheduleSlot[] = slotsOn(service, date).map((slot) => ({
    slotId: slot.id,
    label: slot.label,
    capacity: byId.get(slot.id)?.capacity ?? service.rules.capacity,
    left: byId.get(slot.id)?.left ?? service.rules.capacity,
    entries: dayBookings
      .filter((b) => b.slotIds[0] === slot.id || b.slotIds.includes(slot.id))
      .map((b) => ({
        bookingId: b._id,
        name: b.name,
        ...(b.attendee ? { attendee: b.attendee } : {}),
        state: b.state,
        stateLabel: STATE_LABELS[b.state],
        actions: secretaryActions(b.state),
      })),
  }));
  return ok({ service: serviceView(doc), date, slots });
};

export const markAttendance: ActionHandler<C['markAttendance']> = async (
  { bookingId, attended },
  ctx,
) => {
  const found = await bookings(ctx).doc(bookingId).get();
  const doc = found.data;
  if (!doc) return bookingNotFound();
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = withDefaults(service?.bookingKind ?? doc.kind, service?.bookingRules);
  const refusal = markRefusal(
    { state: doc.state, start: asDate(doc.start) },
    attended,
    rules,
    ctx.now,
  );
  if (refusal) return fail(refusal.code, refusal.message);
  const patch = attended
    ? {
        state: 'checked-in' as const,
        checkedInAt: ctx.now,
        checkedInBy: 'secretary' as const,
        updatedAt: ctx.now,
      }
    : { state: 'no-show' as const, noShowAt: ctx.now, updatedAt: ctx.now };
  if (!(await moveBooking(ctx.db, doc, patch.state, patch, ctx.now)))
    return fail('NOT_MARKABLE', '预约状态刚刚发生了变化，请刷新后再试');
  return ok(bookingView({ ...doc, ...patch }, rules, ctx.now));
};

export const cancelBySecretary: ActionHandler<C['cancelBySecretary']> = async (
  { bookingId, reason },
  ctx,
) => {
  const found = await bookings(ctx).doc(bookingId).get();
  const doc = found.data;
  if (!doc) return bookingNotFound();
  const refusal = secretaryCancelRefusal(doc);
  if (refusal) return fail(refusal.code, refusal.message);
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = withDefaults(service?.bookingKind ?? doc.kind, service?.bookingRules);
  const result = await cancelBooking(ctx, doc, rules, {
    cancelledBy: 'secretary',
    cancelReason: reason,
  });
  if (!result) return fail('NOT_CANCELLABLE', '预约状态刚刚发生了变化，请刷新后再试');
  return ok(bookingView(result, rules, ctx.now));
};

export const utilization: ActionHandler<C['utilization']> = async (
  { serviceId, weekStart },
  ctx,
) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  const _ = ctx.db.command;
  const dates = Array.from({ length: 7 }, (_x, i) => addDays(weekStart, i));
  const rows = await readAll<SlotCounterDoc>(
    counters(ctx).where({ serviceId, date: _.in(dates) }),
    10 * PAGE_MAX,
  );
  const taken = new Map(rows.map((c) => [c._id, Math.max(0, c.capacity - c.left)]));
  return ok(weekUtilization(toBookable(doc), weekStart, taken));
};
