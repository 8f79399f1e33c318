import {
  type LimitClaim,
  type LimitRefusal,
  bookingMinutes,
  isNoChange,
  limitChange,
  limitRefusal,
  limitValues,
  limitsHeld,
  weekOf,
} from '../../../src/domain/booking/limits';
import type { BookingState } from '../../../src/domain/booking/policy';
import type { BookingRules } from '../../../src/domain/booking/rules';
import {
  type Database,
  type DbCommand,
  type DbOperator,
  COLLECTIONS,
  getOrNull,
  isDuplicateKey,
} from '../../_shared';
import { type BookingDoc, type PersonQuotaDoc, asDate, heldOf, limitFacts } from '../docs';

/**
 * One person's hold on the per-person limits of one service (src/domain/booking/limits.ts), so that
 * each limit is decided by ONE conditional update the database evaluates, never by reading the
 * person's history and then writing:
 *
 *   where({ _id, active < maxActive, weeks.<week> missing or <= maxWeekMinutes - minutes,
 *           slots contains none of the new slots, requests does not contain this request })
 *     .update({ active +1, weeks.<week> +minutes, slots push, requests push })
 *
 * Two requests of one person racing for the last active booking, the last hours of a week or the
 * same slot: the database applies one update after the other and the second no longer matches.
 * What a booking took is given back by whoever wins its conditional state change (`moveBooking`),
 * so exactly once; the give-back is itself conditional on the document still counting the booking
 * (`requests` holds its request key while it counts as active).
 *
 * Invariant at rest: the document (docs.ts `PersonQuotaDoc`) equals `limitsHeld(bookings of the
 * person and service)`. A take comes before the booking's insert and a give-back after its state
 * change, so in between the document may count more, never less; the timer's recount
 * (timers/recount.ts) gives back what a crash left behind.
 */
export const quotaId = (openid: string, serviceId: string) => `${openid}:${serviceId}`;

/** The SDK's `db.command` operators used here beyond those `_shared/db.ts` lists. */
export interface BookingCommand extends DbCommand {
  or(...conditions: unknown[]): DbOperator;
  exists(present: boolean): DbOperator;
  max(value: unknown): DbOperator;
  pullAll(values: unknown[]): DbOperator;
}
export const commandOf = (db: Database) => db.command as BookingCommand;

const quotas = (db: Database) => db.collection<PersonQuotaDoc>(COLLECTIONS.bookingQuotas);

/** The conditional take: the three limits as one query the database evaluates. */
function takeCondition(
  db: Database,
  id: string,
  claim: LimitClaim,
  rules: BookingRules,
): Record<string, unknown> {
  const _ = commandOf(db);
  const { maxActive, maxWeekMinutes } = limitValues(rules);
  const room = maxWeekMinutes - bookingMinutes(claim);
  return {
    _id: id,
    active: _.lt(maxActive),
    [`weeks.${weekOf(claim.start)}`]: _.or(_.exists(false), _.lte(room)),
    slots: _.nin([...claim.slotIds]),
    requests: _.neq(claim.requestKey),
  };
}

export type QuotaTake =
  /** `created`: this take created the person's document (their first booking of the service). */
  | { kind: 'taken'; created: boolean }
  | { kind: 'refused'; refusal: LimitRefusal }
  /** The same request (a retry) holds the quota already: its booking is being written. */
  | { kind: 'same-request' };

export interface QuotaClaim extends LimitClaim {
  openid: string;
  serviceId: string;
}

/**
 * Take this booking's share of the limits: one conditional update in the common case. A person's
 * first booking of a service (no history) creates the document instead; when it does not exist
 * yet it is created from the person's `history` plus this booking (a create racing it finds it
 * existing and takes the conditional update). A miss is read back to say which limit refused.
 */
export async function takeQuota(
  db: Database,
  claim: QuotaClaim,
  rules: BookingRules,
  history: readonly BookingDoc[],
  now: Date,
): Promise<QuotaTake> {
  const _ = commandOf(db);
  const id = quotaId(claim.openid, claim.serviceId);
  const week = weekOf(claim.start);
  let create = history.length === 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    if (create) {
      const held = limitsHeld(history.map(limitFacts), now);
      const refusal = limitRefusal(held, claim, rules);
      if (refusal) return { kind: 'refused', refusal };
      const doc: PersonQuotaDoc = {
        _id: id,
        _openid: claim.openid,
        serviceId: claim.serviceId,
        active: held.active + 1,
        requests: [...held.requests, claim.requestKey],
        weeks: { ...held.weeks, [week]: (held.weeks[week] ?? 0) + bookingMinutes(claim) },
        slots: [...held.slots, ...claim.slotIds],
        liveUntil: new Date(
          Math.max(claim.end.getTime(), ...history.map((b) => asDate(b.end).getTime())),
        ),
        touchedAt: now,
      };
      try {
        await quotas(db).add({ data: doc });
        return { kind: 'taken', created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        create = false;
        continue;
      }
    }
    const taken = await quotas(db)
      .where(takeCondition(db, id, claim, rules))
      .update({
        data: {
          active: _.inc(1),
          [`weeks.${week}`]: _.inc(bookingMinutes(claim)),
          slots: _.push([...claim.slotIds]),
          requests: _.push(claim.requestKey),
          liveUntil: _.max(claim.end),
          touchedAt: now,
        },
      });
    if (taken.stats.updated === 1) return { kind: 'taken', created: false };
    const found = (await quotas(db).doc(id).get()).data;
    if (!found) {
      create = true;
      continue;
    }
    if ((found.requests ?? []).includes(claim.requestKey)) return { kind: 'same-request' };
    const refusal = limitRefusal(heldOf(found), claim, rules);
    if (refusal) return { kind: 'refused', refusal };
    // It changed between the update and the read (a give-back): try again.
  }
  throw new Error(`quota ${id} kept changing`);
}

/**
 * Give back a take that was refused further on (the slot was full). A document this take created
 * and that still counts only it is removed, so a refused first booking leaves nothing behind;
 * otherwise (or when another request of the person took it meanwhile) the give-back of
 * `applyLimitChange`.
 */
export async function giveBackTake(
  db: Database,
  take: { created: boolean },
  booking: Pick<BookingDoc, '_openid' | 'serviceId' | 'requestKey' | 'slotIds' | 'start' | 'end'>,
  state: BookingState,
  now: Date,
): Promise<void> {
  if (take.created) {
    const removed = await quotas(db)
      .where({
        _id: quotaId(booking._openid, booking.serviceId),
        active: 1,
        requests: booking.requestKey,
      })
      .remove();
    if (removed.stats.removed === 1) return;
  }
  await applyLimitChange(db, booking, state, null, now);
}

/** Whether the person's quota document still counts `requestKey` (its take is live). */
export async function quotaHoldsRequest(
  db: Database,
  openid: string,
  serviceId: string,
  requestKey: string,
): Promise<boolean> {
  const found = await getOrNull<PersonQuotaDoc>(
    db,
    COLLECTIONS.bookingQuotas,
    quotaId(openid, serviceId),
  );
  return !!found && (found.requests ?? []).includes(requestKey);
}

/**
 * Apply the limit change of a booking moving `from` → `to` (limits.ts `limitChange`) to its
 * person's quota document: one update, none when nothing changes. Giving back the active place is
 * conditional on the document counting the booking's request, so it never gives back twice or
 * what it never took (a booking made before quota documents existed).
 */
export async function applyLimitChange(
  db: Database,
  booking: Pick<BookingDoc, '_openid' | 'serviceId' | 'requestKey' | 'slotIds' | 'start' | 'end'>,
  from: BookingState | null,
  to: BookingState | null,
  now: Date,
): Promise<void> {
  const change = limitChange(from, to);
  if (isNoChange(change)) return;
  const _ = commandOf(db);
  const minutes = bookingMinutes({ start: asDate(booking.start), end: asDate(booking.end) });
  const week = `weeks.${weekOf(asDate(booking.start))}`;
  const where: Record<string, unknown> = { _id: quotaId(booking._openid, booking.serviceId) };
  const data: Record<string, unknown> = { touchedAt: now };
  if (change.active !== 0) {
    data.active = _.inc(change.active);
    if (change.active < 0) {
      where.requests = booking.requestKey;
      data.requests = _.pull(booking.requestKey);
    } else {
      where.requests = _.neq(booking.requestKey);
      data.requests = _.push(booking.requestKey);
    }
  }
  if (change.weeklyMinutes !== 0) data[week] = _.inc(change.weeklyMinutes * minutes);
  if (change.slot < 0) {
    if (!('requests' in where)) where.slots = booking.slotIds[0];
    data.slots = _.pullAll([...booking.slotIds]);
  } else if (change.slot > 0) {
    where.slots = _.nin([...booking.slotIds]);
    data.slots = _.push([...booking.slotIds]);
  }
  await quotas(db).where(where).update({ data });
}
