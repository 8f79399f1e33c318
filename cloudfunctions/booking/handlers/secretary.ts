import type { bookingContract, ScheduleSlot } from '../../../src/domain/contract/booking';
import {
  STATE_LABELS,
  markRefusal,
  secretaryActions,
  secretaryCancelRefusal,
} from '../../../src/domain/booking/policy';
import {
  REFUSALS,
  capacityBelowBookedRefusal,
  placesTaken,
  serviceEdit,
  slotPlaces,
  weekDates,
} from '../../../src/domain/booking/requests';
import { slotsOn } from '../../../src/domain/booking/slots';
import { weekUtilization } from '../../../src/domain/booking/utilization';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { asDate, bookingView, serviceView, toBookable } from '../docs';
import { loadBooking, scheduledBookings } from '../store/bookings';
import { countersOn, countersOnDates } from '../store/counters';
import { cancelBooking, markBooking } from '../store/moves';
import { loadService, reviseService, rulesForBooking, settingsOf } from '../store/services';

/** The secretary's side: a service's settings, the day's schedule, attendance, utilisation. */
export const secretaryHandlers = {
  /** Change kind, hours and rules (store/services.ts `reviseService` keeps it race-free). */
  async updateService({ serviceId, kind, hours, rules }, ctx) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await loadService(ctx.db, serviceId);
      if (!doc) return fail(REFUSALS.serviceNotFound.code, REFUSALS.serviceNotFound.message);
      const decided = serviceEdit(settingsOf(doc), { kind, hours, rules });
      if ('refusal' in decided) return fail(decided.refusal.code, decided.refusal.message);
      const revision = await reviseService(ctx.db, doc, decided.edit, ctx.now);
      if (revision.kind === 'changed') continue;
      if (revision.kind === 'stored') return ok(serviceView(revision.doc));
      const over = capacityBelowBookedRefusal(revision.slots);
      return fail(over.code, over.message);
    }
    return fail(REFUSALS.serviceChanged.code, REFUSALS.serviceChanged.message);
  },

  async schedule({ serviceId, date }, ctx) {
    const doc = await loadService(ctx.db, serviceId);
    if (!doc) return fail(REFUSALS.serviceNotFound.code, REFUSALS.serviceNotFound.message);
    const service = toBookable(doc);
    const [counters, day] = await Promise.all([
      countersOn(ctx.db, serviceId, date, 'with opening'),
      scheduledBookings(ctx.db, serviceId, date),
    ]);
    const slots: ScheduleSlot[] = slotsOn(service, date).map((slot) => ({
      slotId: slot.id,
      label: slot.label,
      ...slotPlaces(counters.get(slot.id), service.rules.capacity),
      entries: day
        .filter((b) => b.slotIds.includes(slot.id))
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
  },

  async markAttendance({ bookingId, attended }, ctx) {
    const doc = await loadBooking(ctx.db, bookingId);
    if (!doc) return fail(REFUSALS.bookingNotFound.code, REFUSALS.bookingNotFound.message);
    const rules = rulesForBooking(await loadService(ctx.db, doc.serviceId), doc.kind);
    const booking = { state: doc.state, start: asDate(doc.start) };
    const refusal = markRefusal(booking, attended, rules, ctx.now);
    if (refusal) return fail(refusal.code, refusal.message);
    const marked = await markBooking(ctx.db, doc, attended, ctx.now);
    if (!marked) return fail(REFUSALS.markLost.code, REFUSALS.markLost.message);
    return ok(bookingView(marked, rules, ctx.now));
  },

  async cancelBySecretary({ bookingId, reason }, ctx) {
    const doc = await loadBooking(ctx.db, bookingId);
    if (!doc) return fail(REFUSALS.bookingNotFound.code, REFUSALS.bookingNotFound.message);
    const refusal = secretaryCancelRefusal(doc);
    if (refusal) return fail(refusal.code, refusal.message);
    const rules = rulesForBooking(await loadService(ctx.db, doc.serviceId), doc.kind);
    const how = { cancelledBy: 'secretary' as const, cancelReason: reason };
    const cancelled = await cancelBooking(ctx.db, doc, rules, how, ctx.now);
    if (!cancelled)
      return fail(REFUSALS.secretaryCancelLost.code, REFUSALS.secretaryCancelLost.message);
    return ok(bookingView(cancelled, rules, ctx.now));
  },

  async utilization({ serviceId, weekStart }, ctx) {
    const doc = await loadService(ctx.db, serviceId);
    if (!doc) return fail(REFUSALS.serviceNotFound.code, REFUSALS.serviceNotFound.message);
    const rows = await countersOnDates(ctx.db, serviceId, weekDates(weekStart));
    const taken = new Map(rows.map((c) => [c._id, placesTaken(c)]));
    return ok(weekUtilization(toBookable(doc), weekStart, taken));
  },
} satisfies HandlerGroup<typeof bookingContract>;
