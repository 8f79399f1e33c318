import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { Database } from '../_shared/db';
import type { Result } from '../../src/domain/shared/result';
import type { BookingDoc, SlotCounterDoc } from './docs';
import { slotId } from '../../src/domain/booking/slots';
import { SECRETARY, aBookableService, tomorrow } from './fixtures';
import type { SpaceDoc } from '../_shared/collections';
import type { BookableServiceDoc } from './docs';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startServerProcess, type ServerProcess } from '../_test-support/server-process';

interleaveDatabaseRequests();

/**
 * Capacity under concurrency, through the local HTTP server (the path a browser takes): 200
 * residents tap 预约 at the same 10-place slot at once, and some of them retry.
 */
jest.setTimeout(120_000);

let server: RunningServer;
/** A second server process on the same data file (production runs many instances). */
let other: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-booking-conc-'));
  server = await startServer({
    port: 0,
    dataDir,
    functions: { from: 'source' },
    timers: false,
    secretaryOpenids: SECRETARY,
    log: () => undefined,
  });
  other = await startServerProcess({ dataDir, env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  const db = server.host.database as unknown as Database;
  const space: SpaceDoc = {
    _id: 'r29',
    name: 'R29',
    address: '',
    intro: '',
    location: { latitude: 30.59, longitude: 104.13 },
    sample: true,
  };
  await db.collection<SpaceDoc>('spaces').add({ data: space });
  await db
    .collection<BookableServiceDoc>('services')
    .add({ data: aBookableService({ bookingRules: { capacity: 10, minNoticeMinutes: 0 } }) });
  await db.collection<BookableServiceDoc>('services').add({
    data: aBookableService({
      _id: 'r29-pool',
      name: '活动室',
      bookingRules: { capacity: 10, minNoticeMinutes: 0 },
    }),
  });
  await db.collection<BookableServiceDoc>('services').add({
    data: aBookableService({
      _id: 'r29-yoga',
      name: '瑜伽',
      bookingRules: { capacity: 5, minNoticeMinutes: 0 },
    }),
  });
  await db.collection<BookableServiceDoc>('services').add({
    data: aBookableService({
      _id: 'r29-single',
      name: '单人间',
      bookingRules: {
        capacity: 1,
        minNoticeMinutes: 0,
        maxActiveBookings: 20,
        maxHoursPerWeek: 40,
      },
    }),
  });
});

afterAll(async () => {
  await other?.stop();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(url, server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

it('200 concurrent bookings of a 10-place slot over two server processes confirm exactly 10; retries add none', async () => {
  const residents = Array.from(
    { length: 200 },
    (_, i) => `conc-resident-${String(i).padStart(3, '0')}`,
  );
  const tokens = await Promise.all(
    residents.map((openid) => post<{ token: string }>('/api/dev/sign-in', { openid })),
  );
  const input = (i: number) => ({
    serviceId: 'r29-gym',
    date: tomorrow(),
    startMinute: 600,
    clientRequestId: `conc-request-${i}`,
  });
  // Every resident books at once; the first 20 also send their request a second time (a retry).
  // Half the requests go to the second process; each retry goes to the other process than its first.
  const via = (n: number) =>
    n % 2 ? new URL('/api/cloud/booking', other.url).toString() : '/api/cloud/booking';
  const calls = [
    ...residents.map((_, i) =>
      post<Result<{ id: string }>>(via(i), { action: 'create', input: input(i) }, tokens[i].token),
    ),
    ...residents
      .slice(0, 20)
      .map((_, i) =>
        post<Result<{ id: string }>>(
          via(i + 1),
          { action: 'create', input: input(i) },
          tokens[i].token,
        ),
      ),
  ];
  const results = await Promise.all(calls);
  const confirmedIds = new Set(results.filter((r) => r.ok).map((r) => (r.ok ? r.data.id : '')));
  const refused = results.filter((r) => !r.ok);
  expect(confirmedIds.size).toBe(10);
  expect(refused.every((r) => !r.ok && r.code === 'SLOT_FULL')).toBe(true);

  const db = server.host.database as unknown as Database;
  const stored = (
    await db.collection<BookingDoc>('bookings').where({ serviceId: 'r29-gym' }).limit(100).get()
  ).data;
  expect(stored.filter((b) => b.state === 'confirmed')).toHaveLength(10);
  expect(stored).toHaveLength(10);
  const counter = (
    await db.collection<SlotCounterDoc>('slotCounters').doc(stored[0].slotIds[0]).get()
  ).data;
  expect(counter).toMatchObject({ capacity: 10, left: 0 });
});

const db = () => server.host.database as unknown as Database;

it('a request and its retry racing on two processes for a one-place slot both answer the one booking; a rival gets SLOT_FULL', async () => {
  const [owner, rival] = [await signIn('single-owner'), await signIn('single-rival')];
  const date = tomorrow();
  for (let trial = 0; trial < 12; trial++) {
    const startMinute = 60 * trial;
    const input = (who: string) => ({
      serviceId: 'r29-single',
      date,
      startMinute,
      clientRequestId: `single-${who}-${trial}`,
    });
    const [first, retry, rivals] = await Promise.all([
      post<Result<{ id: string }>>(
        '/api/cloud/booking',
        { action: 'create', input: input('o') },
        owner,
      ),
      post<Result<{ id: string }>>(
        new URL('/api/cloud/booking', other.url).toString(),
        { action: 'create', input: input('o') },
        owner,
      ),
      post<Result<{ id: string }>>(
        '/api/cloud/booking',
        { action: 'create', input: input('r') },
        rival,
      ),
    ]);
    const stored = await slotBookings(slotId('r29-single', date, startMinute));
    expect(stored).toHaveLength(1);
    const winner = stored[0]._openid === 'single-owner' ? 'owner' : 'rival';
    if (winner === 'owner') {
      // The retry never answers SLOT_FULL for a request that was booked.
      expect([first, retry]).toEqual([
        { ok: true, data: expect.objectContaining({ id: stored[0]._id }) },
        { ok: true, data: expect.objectContaining({ id: stored[0]._id }) },
      ]);
      expect(rivals).toMatchObject({ ok: false, code: 'SLOT_FULL' });
    } else {
      expect(rivals).toMatchObject({ ok: true, data: { id: stored[0]._id } });
      expect([first, retry]).toEqual([
        expect.objectContaining({ ok: false, code: 'SLOT_FULL' }),
        expect.objectContaining({ ok: false, code: 'SLOT_FULL' }),
      ]);
    }
  }
});
const signIn = async (openid: string) =>
  (await post<{ token: string }>('/api/dev/sign-in', { openid })).token;
const call = <T>(action: string, input: unknown, token: string) =>
  post<Result<T>>('/api/cloud/booking', { action, input }, token);

/** Every booking of a slot (a slot holds far fewer than 1000). */
async function slotBookings(slotId: string): Promise<BookingDoc[]> {
  const out: BookingDoc[] = [];
  for (let page = 0; page < 10; page++) {
    const { data } = await db()
      .collection<BookingDoc>('bookings')
      .where({ slotIds: slotId })
      .skip(page * 100)
      .limit(100)
      .get();
    out.push(...data);
    if (data.length < 100) break;
  }
  return out;
}

const placesHeld = (list: BookingDoc[]) =>
  list.filter((b) => ['confirmed', 'held', 'checked-in'].includes(b.state)).length;

it('120 concurrent bookings while the secretary lowers and raises capacity: never more than the capacity in force', async () => {
  const date = tomorrow();
  const poolSlot = slotId('r29-pool', date, 840);
  const residents = Array.from(
    { length: 120 },
    (_, i) => `edit-resident-${String(i).padStart(3, '0')}`,
  );
  const tokens = await Promise.all(residents.map(signIn));
  const secretary = await signIn(SECRETARY);
  const capacities: number[] = [];
  const sampled: Array<{ capacity: number; left: number }> = [];
  let done = false;

  let booking = true;
  // 120 bookings in flight together, their starts spread over a few hundred milliseconds so that
  // they land before, during and after each capacity change.
  const book = Promise.all(
    residents.map(async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i % 40) * 8));
      const input = {
        serviceId: 'r29-pool',
        date,
        startMinute: 840,
        clientRequestId: `edit-request-${i}`,
      };
      // A resident refused because the slot is full taps again a little later (up to 4 times).
      let result = await call<{ id: string; slotIds: string[] }>('create', input, tokens[i]);
      for (let again = 0; again < 3 && !result.ok && result.code === 'SLOT_FULL'; again++) {
        await new Promise((resolve) => setTimeout(resolve, 40));
        result = await call<{ id: string; slotIds: string[] }>('create', input, tokens[i]);
      }
      return result;
    }),
  ).finally(() => {
    booking = false;
  });
  // Two secretary screens keep lowering the capacity to just above the places taken (as read a
  // moment before, so bookings landing meanwhile race the change) and raising it again.
  const edit = (raiseBy: number) =>
    (async () => {
      const results: Array<Result<unknown>> = [];
      for (let i = 0; booking || i < 6; i++) {
        const seen = (await db().collection<SlotCounterDoc>('slotCounters').doc(poolSlot).get())
          .data;
        const taken = seen ? seen.capacity - seen.left : 0;
        const capacity = i % 2 === 0 ? Math.max(1, taken + 1) : (seen?.capacity ?? 10) + raiseBy;
        results.push(
          await call('updateService', { serviceId: 'r29-pool', rules: { capacity } }, secretary),
        );
        capacities.push(capacity);
      }
      return results;
    })();
  const sample = (async () => {
    while (!done) {
      const { data } = await db()
        .collection<SlotCounterDoc>('slotCounters')
        .where({ serviceId: 'r29-pool' })
        .limit(10)
        .get();
      for (const c of data) sampled.push({ capacity: c.capacity, left: c.left });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const [booked, editsA, editsB] = await Promise.all([book, edit(2), edit(3)]);
  done = true;
  await sample;

  expect(booked.every((r) => r.ok || r.code === 'SLOT_FULL')).toBe(true);
  const edits = [...editsA, ...editsB];
  expect(
    edits.every((r) => r.ok || ['CAPACITY_BELOW_BOOKED', 'SERVICE_CHANGED'].includes(r.code)),
  ).toBe(true);
  expect(edits.some((r) => r.ok)).toBe(true);
  expect(sampled.length).toBeGreaterThan(0);
  expect(sampled.every((c) => c.left >= 0 && c.left <= c.capacity)).toBe(true);

  const confirmed = booked.filter((r) => r.ok);
  const slot = poolSlot;
  const service = (await db().collection<BookableServiceDoc>('services').doc('r29-pool').get())
    .data!;
  const counter = (await db().collection<SlotCounterDoc>('slotCounters').doc(slot).get()).data!;
  const stored = await slotBookings(slot);
  // The counter carries the capacity in force (the service's), and agrees with the bookings.
  expect(counter.capacity).toBe(service.bookingRules!.capacity);
  // (An edit leaving the capacity unchanged does not touch counters: the counter's revision may be older.)
  expect(counter.rev).toBeLessThanOrEqual(service.bookingRev!);
  expect(placesHeld(stored)).toBe(counter.capacity - counter.left);
  expect(placesHeld(stored)).toBe(confirmed.length);
  expect(placesHeld(stored)).toBeLessThanOrEqual(counter.capacity);
  expect(stored).toHaveLength(confirmed.length);
});

it('cancellations passing places to the waitlist while others book never exceed the capacity', async () => {
  const date = tomorrow();
  const input = (i: number, prefix: string) => ({
    serviceId: 'r29-yoga',
    date,
    startMinute: 1080,
    clientRequestId: `${prefix}-request-${i}`,
  });
  const holders = await Promise.all(
    Array.from({ length: 5 }, (_, i) => signIn(`yoga-holder-${i}`)),
  );
  const waiters = await Promise.all(
    Array.from({ length: 12 }, (_, i) => signIn(`yoga-waiter-${i}`)),
  );
  const newcomers = await Promise.all(
    Array.from({ length: 80 }, (_, i) => signIn(`yoga-newcomer-${i}`)),
  );

  const held: string[] = [];
  for (const [i, token] of holders.entries()) {
    const r = await call<{ id: string }>('create', input(i, 'holder'), token);
    expect(r.ok).toBe(true);
    if (r.ok) held.push(r.data.id);
  }
  for (const [i, token] of waiters.entries())
    expect((await call('joinWaitlist', input(i, 'waiter'), token)).ok).toBe(true);

  // All five cancel while 80 newcomers try to book and 12 more try to join the waitlist.
  const [cancels, books] = await Promise.all([
    Promise.all(held.map((bookingId, i) => call('cancel', { bookingId }, holders[i]))),
    Promise.all(
      newcomers.map((token, i) => call<{ id: string }>('create', input(i, 'newcomer'), token)),
    ),
    Promise.all(
      newcomers
        .slice(0, 12)
        .map((token, i) => call('joinWaitlist', input(i, 'late-waiter'), token)),
    ),
  ]);
  expect(cancels.every((r) => r.ok)).toBe(true);
  expect(books.every((r) => r.ok || r.code === 'SLOT_FULL' || r.code === 'ALREADY_BOOKED')).toBe(
    true,
  );

  const slot = slotId('r29-yoga', date, 1080);
  const stored = await slotBookings(slot);
  const counter = (await db().collection<SlotCounterDoc>('slotCounters').doc(slot).get()).data!;
  expect(placesHeld(stored)).toBeLessThanOrEqual(5);
  expect(placesHeld(stored)).toBe(counter.capacity - counter.left);
  expect(counter.capacity).toBe(5);
  // Waiters were first in line: every freed place went to one of them, none to a newcomer.
  expect(stored.filter((b) => b.state === 'held')).toHaveLength(5);
  expect(books.filter((r) => r.ok)).toHaveLength(0);
});
