import { fakeDateAt } from '../_test-support/clock';
import type { BookingRules } from '../../src/domain/booking/rules';
import { addDays } from '../../src/domain/booking/slots';
import { shanghaiDate, shanghaiMinuteOfDay } from '../../src/domain/shared/time';
import type { SpaceDoc } from '../_shared/collections';
import type { TestCloud } from '../_test-support/host';
import { limitsHeld, normalHeld, weekOf, type LimitsHeld } from '../../src/domain/booking/limits';
import type { Database } from '../_shared/db';
import {
  heldOf,
  limitFacts,
  type BookableServiceDoc,
  type BookingDoc,
  type PersonQuotaDoc,
  type SlotCounterDoc,
} from './docs';

/** Test-data builders for booking function tests. */
export const SECRETARY = 'secretary-0001';
export const ALICE = 'resident-alice';
export const BOB = 'resident-bob';
export const CAROL = 'resident-carol';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

export function aBookableService(
  overrides: Partial<BookableServiceDoc> & { bookingRules?: Partial<BookingRules> } = {},
): BookableServiceDoc {
  return {
    _id: 'r29-gym',
    spaceId: 'r29',
    name: '共享健身房',
    category: 'gym',
    summary: '按时段预约',
    place: '二楼',
    hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
    bookingKind: 'capacity',
    order: 1,
    ...overrides,
    bookingRules: { capacity: 2, minNoticeMinutes: 0, ...overrides.bookingRules },
  };
}

export async function seedSpace(cloud: TestCloud, services: BookableServiceDoc[]): Promise<void> {
  const space: SpaceDoc = {
    _id: 'r29',
    name: 'R29（测试）',
    address: '测试地址',
    intro: '',
    location: { latitude: 30.59, longitude: 104.13 },
    sample: true,
  };
  await cloud.db.collection<SpaceDoc>('spaces').add({ data: space });
  for (const s of services)
    await cloud.db.collection<BookableServiceDoc>('services').add({ data: s });
}

/**
 * The fixed clock of the in-process booking tests: Monday 2026-03-02 10:00 Asia/Shanghai, a whole
 * second (no ISO timestamp carries chance digits), on a quarter hour (`nextQuarter` is 10:15).
 */
export const BOOKING_NOW = new Date('2026-03-02T02:00:00.000Z');

/** Run the test on BOOKING_NOW (or `now`); undo with `jest.useRealTimers()`. */
export function useFixedClock(now: Date = BOOKING_NOW): void {
  fakeDateAt(now);
}

/**
 * Tomorrow in Shanghai on the tests' clock (the fixed one, or the real one where a test needs
 * it): always inside the horizon and past any notice.
 */
export function tomorrow(): string {
  return addDays(shanghaiDate(new Date()), 1);
}

/** The next 15-minute boundary after the tests' clock (Shanghai); its check-in is open now. */
export function nextQuarter(): { date: string; startMinute: number } {
  const now = new Date();
  const m = shanghaiMinuteOfDay(now);
  const next = (Math.floor(m / 15) + 1) * 15;
  return next >= 1440
    ? { date: addDays(shanghaiDate(now), 1), startMinute: 0 }
    : { date: shanghaiDate(now), startMinute: next };
}

let counter = 0;
/** A fresh client request id (unique within the test process; every test has a fresh cloud). */
export function requestId(): string {
  counter += 1;
  return `req-${String(counter).padStart(6, '0')}`;
}

/**
 * The first step of a create that dies before its second (a `kill -9` between the two writes): a
 * place taken in the slot's counter at `at`, with no booking behind it. 1 when a place was taken.
 */
export async function orphanPlaceTake(db: Database, slotId: string, at: Date): Promise<number> {
  const _ = db.command;
  const r = await db
    .collection<SlotCounterDoc>('slotCounters')
    .where({ _id: slotId, left: _.gt(0) })
    .update({ data: { left: _.inc(-1), touchedAt: at } });
  return r.stats.updated;
}

/**
 * The quota step of a create that dies before its insert: the person's quota document counts a
 * booking of `slotIds` (one hour from `start`) under `requestKey` that never gets written.
 */
export async function orphanQuotaTake(
  db: Database,
  openid: string,
  serviceId: string,
  claim: { requestKey: string; slotIds: string[]; start: Date; end: Date },
  at: Date,
): Promise<number> {
  const _ = db.command;
  const minutes = Math.round((claim.end.getTime() - claim.start.getTime()) / 60_000);
  const r = await db
    .collection<PersonQuotaDoc>('bookingQuotas')
    .where({ _id: `${openid}:${serviceId}` })
    .update({
      data: {
        active: _.inc(1),
        [`weeks.${weekOf(claim.start)}`]: _.inc(minutes),
        slots: _.push(claim.slotIds),
        requests: _.push(claim.requestKey),
        touchedAt: at,
      },
    });
  return r.stats.updated;
}

/** The bookings' side of the limits (normalised), to compare with a stored quota document. */
export async function expectedQuota(
  db: Database,
  openid: string,
  serviceId: string,
  now: Date,
): Promise<LimitsHeld> {
  const { data } = await db
    .collection<BookingDoc>('bookings')
    .where({ _openid: openid, serviceId })
    .limit(100)
    .get();
  return normalHeld(limitsHeld(data.map(limitFacts), now));
}

/**
 * A stored quota document as `LimitsHeld`, normalised (lists sorted, empty weeks left out); a
 * person without one holds nothing.
 */
export async function storedQuota(
  db: Database,
  openid: string,
  serviceId: string,
): Promise<LimitsHeld> {
  const doc = (
    await db.collection<PersonQuotaDoc>('bookingQuotas').doc(`${openid}:${serviceId}`).get()
  ).data;
  return normalHeld(doc ? heldOf(doc) : { active: 0, requests: [], weeks: {}, slots: [] });
}
