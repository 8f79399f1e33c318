import type { bookingContract, ScheduleSlot } from '../../src/domain/contract/booking';
import { STATE_LABELS, checkInWindow } from '../../src/domain/booking/policy';
import { applyRulesPatch, overlappingSessions, withDefaults } from '../../src/domain/booking/rules';
import { addDays, slotsOn } from '../../src/domain/booking/slots';
import { weekUtilization } from '../../src/domain/booking/utilization';
import { fail, ok } from '../../src/domain/shared/result';
import type { ActionHandler, HandlerContext } from '../_shared';
import { bookingNotFound, cancelBooking, serviceNotFound } from './resident';
import {
  BOOKING_COLLECTIONS,
  type BookableServiceDoc,
  type BookingDoc,
  type SlotCounterDoc,
  asDate,
  bookingView,
  loadService,
  serviceView,
  toBookable,
} from './store';

type C = typeof bookingContract;

const counters = (ctx: HandlerContext) => ctx.db.collection<SlotCounterDoc>(BOOKING_COLLECTIONS.slotCounters);
const bookings = (ctx: HandlerContext) => ctx.db.collection<BookingDoc>(BOOKING_COLLECTIONS.bookings);

/** Every document matching `where`, 100 at a time, up to `maxPages` pages. */
async function allPages<T extends { _id: string }>(
  query: { skip(n: number): { limit(n: number): { get(): Promise<{ data: T[] }> } } },
  maxPages = 10,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 0; page < maxPages; page++) {
    const { data } = await query.skip(page * 100).limit(100).get();
    out.push(...data);
    if (data.length < 100) break;
  }
  return out;
}

/**
 * Change kind, hours and rules. A capacity change moves every upcoming counter by the difference
 * with a conditional update (`left >= shrink`), so a slot never holds more people than its new
 * capacity; when some upcoming slot already has more bookings than the new capacity, nothing
 * changes and the secretary is told how many slots are affected.
 */
export const updateService: ActionHandler<C['updateService']> = async ({ serviceId, kind, hours, rules: patch }, ctx) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  const nextKind = kind ?? doc.bookingKind;
  const current = withDefaults(doc.bookingKind, doc.bookingRules);
  const next = applyRulesPatch(withDefaults(nextKind, { ...doc.bookingRules }), patch ?? {});
  if (overlappingSessions(next.sessions)) return fail('SESSIONS_OVERLAP', '场次时间不能重叠');
  const _ = ctx.db.command;
  const delta = next.capacity - current.capacity;
  const upcoming = { serviceId, start: _.gte(ctx.now) };
  if (delta < 0) {
    const { total } = await counters(ctx).where({ ...upcoming, left: _.lt(-delta) }).count();
    if (total > 0) {
      return fail('CAPACITY_BELOW_BOOKED', `有 ${total} 个时段的预约人数已超过新名额，请先处理这些预约`);
    }
  }
  if (delta !== 0) {
    await counters(ctx)
      .where(delta < 0 ? { ...upcoming, left: _.gte(-delta) } : upcoming)
      .update({ data: { capacity: next.capacity, left: _.inc(delta) } });
  }
  const stored = { ...next };
  await ctx.db
    .collection<BookableServiceDoc>('services')
    .doc(serviceId)
    .update({ data: { bookingKind: nextKind, ...(hours ? { hours } : {}), bookingRules: _.set(stored) } });
  return ok(serviceView({ ...doc, bookingKind: nextKind, hours: hours ?? doc.hours, bookingRules: stored }));
};

export const schedule: ActionHandler<C['schedule']> = async ({ serviceId, date }, ctx) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  const service = toBookable(doc);
  const _ = ctx.db.command;
  const [dayCounters, dayBookings] = await Promise.all([
    counters(ctx).where({ serviceId, date }).limit(100).get(),
    allPages<BookingDoc>(
      bookings(ctx)
        .where({ serviceId, date, state: _.in(['waiting', 'held', 'confirmed', 'checked-in', 'no-show']) })
        .orderBy('queuedAt', 'asc'),
      5,
    ),
  ]);
  const left = new Map(dayCounters.data.map((c) => [c._id, c.left]));
  const slots: ScheduleSlot[] = slotsOn(service, date).map((slot) => ({
    slotId: slot.id,
    label: slot.label,
    capacity: service.rules.capacity,
    left: left.get(slot.id) ?? service.rules.capacity,
    entries: dayBookings
      .filter((b) => b.slotIds[0] === slot.id || b.slotIds.includes(slot.id))
      .map((b) => ({
        bookingId: b._id,
        name: b.name,
        ...(b.attendee ? { attendee: b.attendee } : {}),
        state: b.state,
        stateLabel: STATE_LABELS[b.state],
      })),
  }));
  return ok({ service: serviceView(doc), date, slots });
};

export const markAttendance: ActionHandler<C['markAttendance']> = async ({ bookingId, attended }, ctx) => {
  const found = await bookings(ctx).doc(bookingId).get();
  const doc = found.data;
  if (!doc) return bookingNotFound();
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = withDefaults(service?.bookingKind ?? doc.kind, service?.bookingRules);
  const from = attended ? ['confirmed', 'no-show'] : ['confirmed', 'checked-in'];
  const opens = checkInWindow(asDate(doc.start), rules).opens;
  if (!from.includes(doc.state) || ctx.now < opens) {
    return fail('NOT_MARKABLE', ctx.now < opens ? '签到开始后才能登记到场情况' : `预约状态为「${STATE_LABELS[doc.state]}」，不能这样登记`);
  }
  const patch = attended
    ? { state: 'checked-in' as const, checkedInAt: ctx.now, checkedInBy: 'secretary' as const, updatedAt: ctx.now }
    : { state: 'no-show' as const, noShowAt: ctx.now, updatedAt: ctx.now };
  const changed = await bookings(ctx).where({ _id: bookingId, state: doc.state }).update({ data: patch });
  if (changed.stats.updated !== 1) return fail('NOT_MARKABLE', '预约状态刚刚发生了变化，请刷新后再试');
  return ok(bookingView({ ...doc, ...patch }, rules, ctx.now));
};

export const cancelBySecretary: ActionHandler<C['cancelBySecretary']> = async ({ bookingId, reason }, ctx) => {
  const found = await bookings(ctx).doc(bookingId).get();
  const doc = found.data;
  if (!doc) return bookingNotFound();
  if (!['waiting', 'held', 'confirmed'].includes(doc.state)) return fail('NOT_CANCELLABLE', '这个预约已不能取消');
  const service = await loadService(ctx.db, doc.serviceId);
  const rules = withDefaults(service?.bookingKind ?? doc.kind, service?.bookingRules);
  const result = await cancelBooking(ctx, doc, rules, { cancelledBy: 'secretary', cancelReason: reason });
  if (!result) return fail('NOT_CANCELLABLE', '预约状态刚刚发生了变化，请刷新后再试');
  return ok(bookingView(result, rules, ctx.now));
};

export const utilization: ActionHandler<C['utilization']> = async ({ serviceId, weekStart }, ctx) => {
  const doc = await loadService(ctx.db, serviceId);
  if (!doc) return serviceNotFound();
  const _ = ctx.db.command;
  const dates = Array.from({ length: 7 }, (_x, i) => addDays(weekStart, i));
  const rows = await allPages<SlotCounterDoc>(counters(ctx).where({ serviceId, date: _.in(dates) }), 10);
  const taken = new Map(rows.map((c) => [c._id, Math.max(0, c.capacity - c.left)]));
  return ok(weekUtilization(toBookable(doc), weekStart, taken));
};
