import fs from 'node:fs';
import path from 'node:path';
import type { BookingView } from '../../src/domain/contract/booking';
import { slotId } from '../../src/domain/booking/slots';
import { shanghaiInstant } from '../../src/domain/shared/time';
import { triggerConfig } from '../_shared/timer-jobs';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { bookingTimers } from './index';
import { recount, type RecountReport } from './timers/recount';
import { sweep } from './timers/sweep';
import type { BookingDoc, SlotCounterDoc } from './docs';
import {
  ALICE,
  BOB,
  CAROL,
  SECRETARY,
  aBookableService,
  expectedQuota,
  orphanPlaceTake,
  orphanQuotaTake,
  nextQuarter,
  requestId,
  seedSpace,
  storedQuota,
  tomorrow,
  useFixedClock,
} from './fixtures';

interleaveDatabaseRequests();
jest.setTimeout(60_000);

/**
 * The recount of slot counters and quota documents (recount.ts): a crash between the two steps
 * of a change is simulated by performing the first step only.
 */
let cloud: TestCloud;
const call = (action: string, input: unknown, openid: string | null = ALICE) =>
  cloud.call('booking', action, input, openid);
const gymSlot = (startMinute = 600, extra: Record<string, unknown> = {}) => ({
  serviceId: 'r29-gym',
  date: tomorrow(),
  startMinute,
  clientRequestId: requestId(),
  ...extra,
});
const minutes = (n: number) => n * 60_000;
const later = (n: number) => new Date(Date.now() + minutes(n));
const runRecount = (now: Date): Promise<RecountReport> => recount({ db: cloud.db, now });

const counterOf = async (id: string) =>
  (await cloud.db.collection<SlotCounterDoc>('slotCounters').doc(id).get()).data!;
const bookingsOfSlot = async (id: string) =>
  (await cloud.db.collection<BookingDoc>('bookings').where({ slotIds: id }).limit(100).get()).data;
const holders = async (id: string) =>
  (await bookingsOfSlot(id)).filter((b) => ['held', 'confirmed', 'checked-in'].includes(b.state))
    .length;

/** capacity − left = bookings holding a place */
async function expectCounterAgrees(id: string): Promise<void> {
  const c = await counterOf(id);
  expect(c.capacity - c.left).toBe(await holders(id));
}

async function expectQuotaAgrees(
  openid: string,
  serviceId = 'r29-gym',
  now = new Date(),
): Promise<void> {
  expect(await storedQuota(cloud.db, openid, serviceId)).toEqual(
    await expectedQuota(cloud.db, openid, serviceId, now),
  );
}

beforeEach(async () => {
  useFixedClock();
  cloud = startTestCloud({
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY, LINLI_DEFAULT_SPACE: 'r29' },
  });
  await seedSpace(cloud, [
    aBookableService({ bookingRules: { capacity: 2, minNoticeMinutes: 0 } }),
    aBookableService({
      _id: 'r29-desk',
      name: '政务服务点',
      category: 'government',
      bookingKind: 'appointment',
      bookingRules: { capacity: 2, minNoticeMinutes: 0 },
      order: 2,
    }),
  ]);
});
afterEach(() => {
  cloud.close();
  jest.useRealTimers();
});

describe('slot counters', () => {
  const ten = () => slotId('r29-gym', tomorrow(), 600);

  it('gives back a place taken by a create that died before its insert, once the grace period is over', async () => {
    expectOk(await call('create', gymSlot()));
    expect(await orphanPlaceTake(cloud.db, ten(), new Date())).toBe(1);
    expect(await counterOf(ten())).toMatchObject({ capacity: 2, left: 0 });
    // Within 5 minutes of the take its booking may still be being written: left alone.
    expect(await runRecount(later(4))).toMatchObject({ placesReturned: 0 });
    expect((await counterOf(ten())).left).toBe(0);
    expect(await runRecount(later(6))).toMatchObject({ placesReturned: 1 });
    await expectCounterAgrees(ten());
    // Nothing more to give back; a second run changes nothing.
    expect(await runRecount(later(7))).toMatchObject({ placesReturned: 0, quotasCorrected: 0 });
    expectOk(await call('create', gymSlot(), BOB));
    await expectCounterAgrees(ten());
  });

  it('gives back the place and the quota of a cancel that died after marking the booking cancelled', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot()));
    await cloud.db
      .collection<BookingDoc>('bookings')
      .doc(b.id)
      .update({ data: { state: 'cancelled', updatedAt: new Date() } });
    expect(await runRecount(later(2))).toMatchObject({ placesReturned: 0, quotasCorrected: 0 });
    expect(await runRecount(later(6))).toMatchObject({ placesReturned: 1, quotasCorrected: 1 });
    expect(await counterOf(ten())).toMatchObject({ capacity: 2, left: 2 });
    expect(await storedQuota(cloud.db, ALICE, 'r29-gym')).toMatchObject({
      active: 0,
      requests: [],
      slots: [],
    });
    await expectQuotaAgrees(ALICE);
  });

  it('a waitlist promotion that died after freeing the place: the place comes back and the sweep promotes the waiter', async () => {
    const a = expectOk<BookingView>(await call('create', gymSlot(), ALICE));
    expectOk(await call('create', gymSlot(), BOB));
    const wait = expectOk<BookingView>(await call('joinWaitlist', gymSlot(), CAROL));
    // Alice's cancel stopped after its first step: her place neither passed on nor returned.
    await cloud.db
      .collection<BookingDoc>('bookings')
      .doc(a.id)
      .update({ data: { state: 'cancelled', updatedAt: new Date() } });
    expect(await runRecount(later(6))).toMatchObject({ placesReturned: 1 });
    expect(await sweep({ db: cloud.db, now: later(6) })).toMatchObject({ promoted: 1 });
    expect((await cloud.db.collection<BookingDoc>('bookings').doc(wait.id).get()).data?.state).toBe(
      'held',
    );
    await expectCounterAgrees(ten());
    await expectQuotaAgrees(CAROL);
  });

  it('leaves a counter alone while a booking of its slot changed within the grace period (a place being passed on)', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot()));
    // The counter was last touched long ago; the booking was cancelled a minute ago and its place
    // is about to be passed on or given back by the request that cancelled it.
    await cloud.db
      .collection<SlotCounterDoc>('slotCounters')
      .doc(ten())
      .update({ data: { touchedAt: new Date(Date.now() - minutes(30)) } });
    await cloud.db
      .collection<BookingDoc>('bookings')
      .doc(b.id)
      .update({ data: { state: 'cancelled', updatedAt: new Date() } });
    expect(await runRecount(later(1))).toMatchObject({ placesReturned: 0 });
    expect(await runRecount(later(6))).toMatchObject({ placesReturned: 1 });
  });

  it('stamps a counter written before counters carried touchedAt, and recounts it from the next run on', async () => {
    expectOk(await call('create', gymSlot()));
    await cloud.db
      .collection<SlotCounterDoc>('slotCounters')
      .doc(ten())
      .update({ data: { left: 0, touchedAt: cloud.db.command.remove() } });
    expect(await runRecount(later(1))).toMatchObject({ countersStamped: 1, placesReturned: 0 });
    expect(await runRecount(later(3))).toMatchObject({ countersStamped: 0, placesReturned: 0 });
    expect(await runRecount(later(7))).toMatchObject({ placesReturned: 1 });
    await expectCounterAgrees(ten());
  });

  it('never takes a place from bookings in flight: recounts racing 40 creates and cancels keep every counter exact', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.capacity': 10 } });
    const people = Array.from({ length: 40 }, (_, i) => `race-${i}`);
    let racing = true;
    const recounts: RecountReport[] = [];
    const loop = (async () => {
      while (racing) recounts.push(await runRecount(new Date()));
    })();
    const results = await Promise.all(
      people.map(async (p, i) => {
        const r = await call('create', gymSlot(600 + (i % 2) * 60), p);
        if (r.ok && i % 5 === 0)
          expectOk(await call('cancel', { bookingId: (r.data as BookingView).id }, p));
        return r;
      }),
    );
    racing = false;
    await loop;
    expect(recounts.length).toBeGreaterThan(0);
    expect(recounts.every((r) => r.placesReturned === 0 && r.quotasCorrected === 0)).toBe(true);
    expect(results.every((r) => r.ok || r.code === 'SLOT_FULL')).toBe(true);
    for (const m of [600, 660]) {
      const id = slotId('r29-gym', tomorrow(), m);
      await expectCounterAgrees(id);
      expect(await holders(id)).toBeLessThanOrEqual(10);
    }
    for (const p of people) await expectQuotaAgrees(p);
  });
});

describe('quota documents', () => {
  it('gives back a quota taken by a create that died before its insert, once the grace period is over', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.maxActiveBookings': 2 } });
    expectOk(await call('create', gymSlot(600)));
    const start = shanghaiInstant(tomorrow(), 660);
    const claim = {
      requestKey: `${ALICE}:orphan-request-1`,
      slotIds: [slotId('r29-gym', tomorrow(), 660)],
      start,
      end: new Date(start.getTime() + minutes(60)),
    };
    expect(await orphanQuotaTake(cloud.db, ALICE, 'r29-gym', claim, new Date())).toBe(1);
    // The orphan counts: Alice is at her limit of 2 and cannot book 11:00 (held by the orphan).
    expect(await call('create', gymSlot(720))).toMatchObject({ ok: false, code: 'QUOTA_ACTIVE' });
    expect(await runRecount(later(4))).toMatchObject({ quotasCorrected: 0 });
    expect(await runRecount(later(6))).toMatchObject({ quotasCorrected: 1 });
    await expectQuotaAgrees(ALICE);
    expectOk(await call('create', gymSlot(660)));
    expect(await call('create', gymSlot(720))).toMatchObject({ ok: false, code: 'QUOTA_ACTIVE' });
    await expectQuotaAgrees(ALICE);
  });

  it('drops weeks that are over and slots of bookings that have ended', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot(600)));
    await cloud.db
      .collection<BookingDoc>('bookings')
      .doc(b.id)
      .update({ data: { state: 'checked-in', updatedAt: new Date() } });
    // Two weeks on: the booking's week and its slot no longer count for anything.
    const weeksOn = later(15 * 24 * 60);
    expect(await runRecount(weeksOn)).toMatchObject({ quotasCorrected: 1 });
    expect(await storedQuota(cloud.db, ALICE, 'r29-gym')).toEqual({
      active: 0,
      requests: [],
      weeks: {},
      slots: [],
    });
  });
});

describe('every path that ends a booking gives back exactly once', () => {
  it('cancel, secretary cancel, check-in by the secretary, no-show, hold expiry and waitlist expiry, with two sweeps overlapping', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.capacity': 1 } });
    const a = expectOk<BookingView>(await call('create', gymSlot(600), ALICE));
    const wait = expectOk<BookingView>(await call('joinWaitlist', gymSlot(600), BOB));
    const wait2 = expectOk<BookingView>(await call('joinWaitlist', gymSlot(600), CAROL));
    expectOk(await call('create', gymSlot(720), BOB));
    const c = expectOk<BookingView>(await call('create', gymSlot(840), CAROL));
    for (const p of [ALICE, BOB, CAROL]) await expectQuotaAgrees(p);
    // Alice cancels: Bob gets the hold, Alice's quota is given back.
    expectOk(await call('cancel', { bookingId: a.id }, ALICE));
    expect(await storedQuota(cloud.db, ALICE, 'r29-gym')).toMatchObject({ active: 0, slots: [] });
    // The secretary cancels Carol's 14:00.
    expectOk(await call('cancelBySecretary', { bookingId: c.id, reason: '场地维修' }, SECRETARY));
    for (const p of [ALICE, BOB, CAROL]) await expectQuotaAgrees(p);
    // Bob's hold lapses (passes to Carol, whose hold lapses too), the waitlist expires, Bob's 12:00
    // becomes a no-show: two sweeps at once, each booking moved (and given back) once.
    const dayAfter = shanghaiInstant(tomorrow(), 23 * 60);
    await Promise.all([
      sweep({ db: cloud.db, now: dayAfter }),
      sweep({ db: cloud.db, now: dayAfter }),
    ]);
    await sweep({ db: cloud.db, now: dayAfter });
    const states = new Map((await cloud.all<BookingDoc>('bookings')).map((b) => [b._id, b.state]));
    expect(states.get(wait.id)).toBe('expired');
    expect(['expired']).toContain(states.get(wait2.id));
    for (const p of [ALICE, BOB, CAROL]) await expectQuotaAgrees(p, 'r29-gym', dayAfter);
    expect(await storedQuota(cloud.db, BOB, 'r29-gym')).toMatchObject({ active: 0 });
  });

  it('check-in by the resident and by the secretary, and the secretary correcting attendance both ways', async () => {
    const q = nextQuarter();
    const at = () => ({
      serviceId: 'r29-desk',
      date: q.date,
      startMinute: q.startMinute,
      clientRequestId: requestId(),
    });
    const a = expectOk<BookingView>(await call('create', at(), ALICE));
    const b = expectOk<BookingView>(await call('create', at(), BOB));
    expectOk(await call('checkIn', { bookingId: a.id }, ALICE));
    expect(await storedQuota(cloud.db, ALICE, 'r29-desk')).toMatchObject({
      active: 0,
      slots: a.slotIds,
    });
    await expectQuotaAgrees(ALICE, 'r29-desk');
    expectOk(await call('markAttendance', { bookingId: b.id, attended: false }, SECRETARY));
    expect(await storedQuota(cloud.db, BOB, 'r29-desk')).toMatchObject({ active: 0, slots: [] });
    await expectQuotaAgrees(BOB, 'r29-desk');
    expectOk(await call('markAttendance', { bookingId: b.id, attended: true }, SECRETARY));
    await expectQuotaAgrees(BOB, 'r29-desk');
    expectOk(await call('markAttendance', { bookingId: b.id, attended: false }, SECRETARY));
    await expectQuotaAgrees(BOB, 'r29-desk');
    // A second check-in answers the booking and gives back nothing more.
    expectOk(await call('checkIn', { bookingId: a.id }, ALICE));
    await expectQuotaAgrees(ALICE, 'r29-desk');
  });

  it('a waitlist place counts as an active booking', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.capacity': 1, 'bookingRules.maxActiveBookings': 2 } });
    expectOk(await call('create', gymSlot(600), BOB));
    expectOk(await call('create', gymSlot(660)));
    expectOk(await call('joinWaitlist', gymSlot(600)));
    expect(await call('create', gymSlot(720))).toMatchObject({ ok: false, code: 'QUOTA_ACTIVE' });
    expect(await call('create', gymSlot(720))).toMatchObject({
      message: '每人同时最多 2 个有效预约（含候补）',
    });
    await expectQuotaAgrees(ALICE);
  });
});

describe('refusals write nothing', () => {
  it('active quota, same slot, full slot and not-full waitlist refusals leave every document as it was', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.maxActiveBookings': 2, 'bookingRules.maxHoursPerWeek': 3 } });
    expectOk(await call('create', gymSlot(600)));
    expectOk(await call('create', gymSlot(600), BOB));
    expectOk(await call('create', gymSlot(660)));
    const snapshot = async () => ({
      bookings: await cloud.all('bookings'),
      counters: await cloud.all('slotCounters'),
      quotas: await cloud.all('bookingQuotas'),
    });
    const before = await snapshot();
    const refused: Array<[string, unknown, string, string]> = [
      ['create', gymSlot(720), ALICE, 'QUOTA_ACTIVE'],
      ['create', gymSlot(600), ALICE, 'ALREADY_BOOKED'],
      ['create', gymSlot(600), CAROL, 'SLOT_FULL'],
      ['joinWaitlist', gymSlot(720), CAROL, 'SLOT_NOT_FULL'],
    ];
    for (const [action, input, who, code] of refused)
      expect([action, await call(action, input, who)]).toEqual([
        action,
        expect.objectContaining({ ok: false, code }),
      ]);
    expect(await snapshot()).toEqual(before);
  });

  it('weekly hours refusal writes nothing', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.maxActiveBookings': 5, 'bookingRules.maxHoursPerWeek': 2 } });
    expectOk(await call('create', gymSlot(600)));
    expectOk(await call('create', gymSlot(660)));
    const before = {
      bookings: await cloud.all('bookings'),
      counters: await cloud.all('slotCounters'),
      quotas: await cloud.all('bookingQuotas'),
    };
    expect(await call('create', gymSlot(720))).toMatchObject({ ok: false, code: 'QUOTA_HOURS' });
    expect({
      bookings: await cloud.all('bookings'),
      counters: await cloud.all('slotCounters'),
      quotas: await cloud.all('bookingQuotas'),
    }).toEqual(before);
  });
});

describe('the one timer trigger', () => {
  it('config.json declares the schedule’s trigger; the recount runs every 10 minutes beside the 5-minute sweep', async () => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as {
      triggers: unknown[];
    };
    expect(config.triggers).toEqual([triggerConfig(bookingTimers)]);
    const at = (hhmm: string) =>
      shanghaiInstant(tomorrow(), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
    const ten = (await cloud.host.fireTimer('booking', 'sweep', at('10:10'))) as {
      data: { ran: Record<string, unknown>; notDue: string[] };
    };
    expect(Object.keys(ten.data.ran)).toEqual(['sweep', 'recount']);
    const five = (await cloud.host.fireTimer('booking', 'sweep', at('10:15'))) as {
      data: { ran: Record<string, unknown>; notDue: string[] };
    };
    expect(Object.keys(five.data.ran)).toEqual(['sweep']);
    expect(five.data.notDue).toEqual(['recount']);
  });
});
