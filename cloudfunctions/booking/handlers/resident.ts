import type { bookingContract } from '../../../src/domain/contract/booking';
import { activeLeft } from '../../../src/domain/booking/limits';
import { cancelRefusal } from '../../../src/domain/booking/policy';
import {
  REFUSALS,
  claimDecision,
  daySummary,
  summaryDates,
  waitlistRefusal,
} from '../../../src/domain/booking/requests';
import { isBookable } from '../../../src/domain/booking/rules';
import { bookableDates, slotsOn } from '../../../src/domain/booking/slots';
import { fail, ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, defaultSpaceId } from '../../_shared';
import { asDate, bookingView, serviceView, slotView, toBookable } from '../docs';
import { newBookingDoc, ownBooking, ownHolds } from '../store/bookings';
import { countersOn, fullSlotIds, placesLeftIn } from '../store/counters';
import { bookOnce, judgeRequest } from '../store/create';
import { cancelBooking, claimHeld } from '../store/moves';
import { loadService, loadSpace, rulesForBooking, servicesOfSpace } from '../store/services';

/**
 * A resident's booking: the services and their slots, booking and waiting for a place, claiming a
 * freed one, cancelling. (Their own list and check-in: handlers/mine.ts.)
 */
export const residentHandlers = {
  async listServices({ spaceId }, ctx) {
    const id = spaceId ?? defaultSpaceId();
    const docs = await servicesOfSpace(ctx.db, id);
    if (docs.length === 0 && !(await loadSpace(ctx.db, id)))
      return fail(REFUSALS.spaceNotFound.code, REFUSALS.spaceNotFound.message);
    const dates = summaryDates(ctx.now);
    const full = await fullSlotIds(ctx.db, id, dates);
    const services = docs
      .filter((d) => isBookable(d.bookingKind))
      .map((d) => serviceView(d, daySummary(toBookable(d), dates, full, ctx.now)));
    return ok({ services });
  },

  async listSlots({ serviceId, date }, ctx) {
    const doc = await loadService(ctx.db, serviceId);
    if (!doc) return fail(REFUSALS.serviceNotFound.code, REFUSALS.serviceNotFound.message);
    if (!isBookable(doc.bookingKind))
      return fail(REFUSALS.notBookable.code, REFUSALS.notBookable.message);
    const service = toBookable(doc);
    const [counters, mine] = await Promise.all([
      countersOn(ctx.db, serviceId, date, 'without opening'),
      ownHolds(ctx.db, ctx.openid, serviceId, date),
    ]);
    const dates = bookableDates(service.rules, ctx.now);
    const slots = slotsOn(service, date).map((slot) => {
      const own = mine.find((b) => b.slotIds.includes(slot.id));
      return slotView(slot, counters.get(slot.id), service.rules, dates, own, ctx.now);
    });
    const left = activeLeft(
      mine.map((b) => b.state),
      service.rules,
    );
    return ok({ service: serviceView(doc), date, dates, slots, activeLeft: left });
  },

  /**
   * Book: 6 database requests (measured, booking-requests.test.ts) — caller (router), service,
   * history, the conditional quota take (a person's first booking of the service: its creation),
   * one conditional counter update per slot, the insert. The first booking of a slot costs 4
   * more: the counter is read, created, and opened from a fresh read of the service. A full slot
   * costs the quota's give-back beside the failed take.
   */
  async create(input, ctx) {
    const judged = await judgeRequest(ctx, input);
    if (judged.kind === 'refused') return fail(judged.refusal.code, judged.refusal.message);
    if (judged.kind === 'retried')
      return ok(bookingView(judged.doc, judged.service.rules, ctx.now));
    const { service, run, history, who } = judged;
    const data = newBookingDoc(who, service, run, 'confirmed', ctx.now);
    const booked = await bookOnce(ctx.db, data, service, run, history, ctx.now);
    if (booked.kind === 'refused') return fail(booked.refusal.code, booked.refusal.message);
    return ok(bookingView(booked.doc, service.rules, ctx.now));
  },

  /** Wait for a full slot: as create, with the slot's counter read instead of places taken. */
  async joinWaitlist(input, ctx) {
    if (input.slots !== 1)
      return fail(REFUSALS.waitlistOneSlot.code, REFUSALS.waitlistOneSlot.message);
    const judged = await judgeRequest(ctx, input);
    if (judged.kind === 'refused') return fail(judged.refusal.code, judged.refusal.message);
    if (judged.kind === 'retried')
      return ok(bookingView(judged.doc, judged.service.rules, ctx.now));
    const { service, run, history, who } = judged;
    const notFull = waitlistRefusal(await placesLeftIn(ctx.db, run[0].id));
    if (notFull) return fail(notFull.code, notFull.message);
    const data = newBookingDoc(who, service, run, 'waiting', ctx.now);
    const booked = await bookOnce(ctx.db, data, service, run, history, ctx.now);
    if (booked.kind === 'refused') return fail(booked.refusal.code, booked.refusal.message);
    return ok(bookingView(booked.doc, service.rules, ctx.now));
  },

  async claimHold({ bookingId }, ctx) {
    const doc = await ownBooking(ctx.db, ctx.openid, bookingId);
    if (!doc) return fail(REFUSALS.bookingNotFound.code, REFUSALS.bookingNotFound.message);
    const rules = rulesForBooking(await loadService(ctx.db, doc.serviceId), doc.kind);
    const decision = claimDecision(doc.state);
    if (decision.kind === 'done') return ok(bookingView(doc, rules, ctx.now));
    if (decision.kind === 'refused') return fail(decision.refusal.code, decision.refusal.message);
    const claimed = await claimHeld(ctx.db, doc, ctx.now);
    if (!claimed) return fail(REFUSALS.holdExpired.code, REFUSALS.holdExpired.message);
    return ok(bookingView(claimed, rules, ctx.now));
  },

  async cancel({ bookingId }, ctx) {
    const doc = await ownBooking(ctx.db, ctx.openid, bookingId);
    if (!doc) return fail(REFUSALS.bookingNotFound.code, REFUSALS.bookingNotFound.message);
    const rules = rulesForBooking(await loadService(ctx.db, doc.serviceId), doc.kind);
    const refusal = cancelRefusal({ state: doc.state, start: asDate(doc.start) }, rules, ctx.now);
    if (refusal) return fail(refusal.code, refusal.message);
    const how = { cancelledBy: 'resident' as const };
    const cancelled = await cancelBooking(ctx.db, doc, rules, how, ctx.now);
    if (!cancelled) return fail(REFUSALS.cancelLost.code, REFUSALS.cancelLost.message);
    return ok(bookingView(cancelled, rules, ctx.now));
  },
} satisfies HandlerGroup<typeof bookingContract>;
