import type { bookingContract, CheckInOption } from '../../../src/domain/contract/booking';
import { checkInState } from '../../../src/domain/booking/policy';
import { REFUSALS, checkInDecision, offersCheckIn } from '../../../src/domain/booking/requests';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { asDate, bookingView, type BookableServiceDoc } from '../docs';
import { minePage, ownBooking, todaysBookings } from '../store/bookings';
import { checkInBooking } from '../store/moves';
import { loadService, rulesForBooking, servicesById } from '../store/services';

/** A resident's own bookings: 我的预约, and checking in on arrival. */
export const mineHandlers = {
  async mine({ scope, page }, ctx) {
    const { items, hasMore } = await minePage(ctx.db, ctx.openid, scope, page, ctx.now);
    const services =
      items.length > 0 ? await servicesById(ctx.db) : new Map<string, BookableServiceDoc>();
    const bookings = items.map((b) =>
      bookingView(b, rulesForBooking(services.get(b.serviceId), b.kind), ctx.now),
    );
    return ok({ bookings, hasMore });
  },

  /** Today's bookings (Asia/Shanghai) that are not over, each with its check-in state. */
  async checkInOptions({ spaceId }, ctx) {
    const today = await todaysBookings(ctx.db, ctx.openid, spaceId, ctx.now);
    if (today.length === 0) return ok({ options: [] });
    const services = await servicesById(ctx.db);
    const options: CheckInOption[] = today
      .filter((b) => offersCheckIn({ state: b.state, end: asDate(b.end) }, ctx.now))
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
  },

  async checkIn({ bookingId }, ctx) {
    const doc = await ownBooking(ctx.db, ctx.openid, bookingId);
    if (!doc) return fail(REFUSALS.bookingNotFound.code, REFUSALS.bookingNotFound.message);
    const rules = rulesForBooking(await loadService(ctx.db, doc.serviceId), doc.kind);
    const decision = checkInDecision(
      { state: doc.state, start: asDate(doc.start) },
      rules,
      ctx.now,
    );
    if (decision.kind === 'done') return ok(bookingView(doc, rules, ctx.now));
    if (decision.kind === 'refused') return fail(decision.refusal.code, decision.refusal.message);
    const checkedIn = await checkInBooking(ctx.db, doc, ctx.now);
    if (!checkedIn) return fail(REFUSALS.checkInLost.code, REFUSALS.checkInLost.message);
    return ok(bookingView(checkedIn, rules, ctx.now));
  },
} satisfies HandlerGroup<typeof bookingContract>;
