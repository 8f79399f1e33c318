import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { Database } from '../_shared/db';
import type { Result } from '../../src/domain/shared/result';
import type { BookingView } from '../../src/domain/contract/booking';
import { LIMIT_STATES, bookingMinutes, limitsHeld, weekOf } from '../../src/domain/booking/limits';
import type { BookingState } from '../../src/domain/booking/policy';
import type { SpaceDoc } from '../_shared/collections';
import { type BookableServiceDoc, type BookingDoc, type SlotCounterDoc } from './docs';
import { type PersonQuotaDoc, heldOf, limitFacts } from './docs';
import { addDays } from '../../src/domain/booking/slots';
import { SECRETARY, aBookableService, tomorrow } from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startServerProcess, type ServerProcess } from '../_test-support/server-process';

interleaveDatabaseRequests();

/**
 * Per-person limits under concurrency, over two server processes sharing one data file (what
 * production's many instances look like): in every trial one person fires several bookings at
 * once, half to each process, and may get no more than the limit allows. 20 trials per limit,
 * all trials of a limit racing together.
 */
jest.setTimeout(180_000);

const TRIALS = 20;
const PER_TRIAL = 5;

let server: RunningServer;
let other: ServerProcess;
let dataDir: string;
const db = () => server.host.database as unknown as Database;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-booking-limits-'));
  server = await startServer({
    port: 0,
    dataDir,
    functions: { from: 'source' },
    timers: false,
    secretaryOpenids: SECRETARY,
    log: () => undefined,
  });
  other = await startServerProcess({ dataDir, env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  const space: SpaceDoc = {
    _id: 'r29',
    name: 'R29',
    address: '',
    intro: '',
    location: { latitude: 30.59, longitude: 104.13 },
    sample: true,
  };
  await db().collection<SpaceDoc>('spaces').add({ data: space });
  const services = [
    // At most 3 active bookings (hours not binding).
    aBookableService({
      _id: 'r29-active',
      bookingRules: {
        capacity: 100,
        minNoticeMinutes: 0,
        maxActiveBookings: 3,
        maxHoursPerWeek: 100,
      },
    }),
    // At most 2 hours a week (active not binding).
    aBookableService({
      _id: 'r29-hours',
      bookingRules: {
        capacity: 100,
        minNoticeMinutes: 0,
        maxActiveBookings: 20,
        maxHoursPerWeek: 2,
      },
    }),
    // One booking per slot (neither quota binding, places plenty).
    aBookableService({
      _id: 'r29-slot',
      bookingRules: {
        capacity: 100,
        minNoticeMinutes: 0,
        maxActiveBookings: 20,
        maxHoursPerWeek: 100,
      },
    }),
    // One place per slot, at most 2 active bookings: waitlist places race bookings for them.
    aBookableService({
      _id: 'r29-wait',
      bookingRules: {
        capacity: 1,
        minNoticeMinutes: 0,
        maxActiveBookings: 2,
        maxHoursPerWeek: 168,
      },
    }),
    // Room blocks of 1–4 hours with 100 places per hour: overlapping blocks of one person.
    aBookableService({
      _id: 'r29-hall',
      bookingKind: 'room',
      bookingRules: {
        capacity: 100,
        minNoticeMinutes: 0,
        minSlots: 1,
        maxSlots: 4,
        maxActiveBookings: 20,
        maxHoursPerWeek: 100,
      },
    }),
  ];
  for (const s of services) await db().collection<BookableServiceDoc>('services').add({ data: s });
});

afterAll(async () => {
  await other?.stop();
  await server?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function post<T>(base: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(url, base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}
const signIn = async (openid: string) =>
  (await post<{ token: string }>(server.url, '/api/dev/sign-in', { openid })).token;
/** Request `n` of a trial goes to the test's server when even, to the other process when odd. */
const book = (n: number, input: Record<string, unknown>, token: string, action = 'create') =>
  post<Result<BookingView>>(
    n % 2 ? other.url : server.url,
    '/api/cloud/booking',
    { action, input },
    token,
  );

async function bookingsOf(openid: string, serviceId: string): Promise<BookingDoc[]> {
  return (
    await db()
      .collection<BookingDoc>('bookings')
      .where({ _openid: openid, serviceId })
      .limit(100)
      .get()
  ).data;
}

const counting = (limit: keyof typeof LIMIT_STATES, list: BookingDoc[]) =>
  list.filter((b) => (LIMIT_STATES[limit] as readonly BookingState[]).includes(b.state));

/** The person's quota document agrees with their bookings, and no slot counter lost or gained a place. */
async function expectConsistent(openid: string, serviceId: string): Promise<void> {
  const list = await bookingsOf(openid, serviceId);
  const quota = (
    await db().collection<PersonQuotaDoc>('bookingQuotas').doc(`${openid}:${serviceId}`).get()
  ).data;
  const held = limitsHeld(list.map(limitFacts), new Date());
  if (!quota) {
    expect(held.active).toBe(0);
    return;
  }
  const stored = heldOf(quota);
  expect({
    ...stored,
    requests: [...stored.requests].sort(),
    slots: [...stored.slots].sort(),
  }).toEqual(held);
}

async function expectCountersAgree(serviceId: string): Promise<void> {
  const counters = (
    await db().collection<SlotCounterDoc>('slotCounters').where({ serviceId }).limit(100).get()
  ).data;
  for (const c of counters) {
    const { data } = await db()
      .collection<BookingDoc>('bookings')
      .where({ slotIds: c._id })
      .limit(100)
      .get();
    const holders = data.filter((b) =>
      ['held', 'confirmed', 'checked-in'].includes(b.state),
    ).length;
    expect([c._id, c.capacity - c.left]).toEqual([c._id, holders]);
  }
}

/** Run `TRIALS` trials at once; each trial is one new person firing `PER_TRIAL` requests at once. */
async function raceTrials(
  name: string,
  request: (trial: number, n: number) => Record<string, unknown>,
  action: (n: number) => string = () => 'create',
): Promise<Array<{ openid: string; results: Array<Result<BookingView>> }>> {
  const people = Array.from(
    { length: TRIALS },
    (_, t) => `${name}-person-${String(t).padStart(2, '0')}`,
  );
  const tokens = await Promise.all(people.map(signIn));
  return Promise.all(
    people.map(async (openid, t) => ({
      openid,
      results: await Promise.all(
        Array.from({ length: PER_TRIAL }, (_, n) => book(n, request(t, n), tokens[t], action(n))),
      ),
    })),
  );
}

const figures: string[] = [];
afterAll(() => {
  // The figures the issue asks for, from this run.
  console.info(`per-person limits across two processes:\n${figures.join('\n')}`);
});

it(`at most 3 active bookings: ${TRIALS} trials of ${PER_TRIAL} racing bookings, none exceeded`, async () => {
  const trials = await raceTrials('active', (t, n) => ({
    serviceId: 'r29-active',
    date: tomorrow(),
    startMinute: (8 + n) * 60,
    clientRequestId: `active-${t}-${n}-req`,
  }));
  const active = await Promise.all(
    trials.map(async ({ openid }) => counting('active', await bookingsOf(openid, 'r29-active'))),
  );
  const exceeded = active.filter((list) => list.length > 3).length;
  figures.push(
    `  active bookings (limit 3): ${TRIALS} trials × ${PER_TRIAL} requests, exceeded in ${exceeded}`,
  );
  expect(exceeded).toBe(0);
  for (const [t, { openid, results }] of trials.entries()) {
    expect(results.filter((r) => !r.ok && r.code !== 'QUOTA_ACTIVE')).toEqual([]);
    // Refused ones wrote nothing: exactly the answered bookings exist.
    expect(active[t]).toHaveLength(results.filter((r) => r.ok).length);
    expect(active[t]).toHaveLength(3);
    await expectConsistent(openid, 'r29-active');
  }
  await expectCountersAgree('r29-active');
});

it(`at most 2 hours a week: ${TRIALS} trials of ${PER_TRIAL} racing one-hour bookings, none exceeded`, async () => {
  const trials = await raceTrials('hours', (t, n) => ({
    serviceId: 'r29-hours',
    date: tomorrow(),
    startMinute: (8 + n) * 60,
    clientRequestId: `hours-${t}-${n}-req`,
  }));
  const lists = await Promise.all(
    trials.map(async ({ openid }) =>
      counting('weeklyMinutes', await bookingsOf(openid, 'r29-hours')),
    ),
  );
  const overWeek = (list: BookingDoc[]) => {
    const byWeek = new Map<string, number>();
    for (const b of list)
      byWeek.set(weekOf(b.start), (byWeek.get(weekOf(b.start)) ?? 0) + bookingMinutes(b));
    return [...byWeek.values()].some((m) => m > 120);
  };
  const exceeded = lists.filter(overWeek).length;
  figures.push(
    `  weekly hours (limit 2 h): ${TRIALS} trials × ${PER_TRIAL} requests, exceeded in ${exceeded}`,
  );
  expect(exceeded).toBe(0);
  for (const [t, { openid, results }] of trials.entries()) {
    expect(results.filter((r) => !r.ok && r.code !== 'QUOTA_HOURS')).toEqual([]);
    expect(lists[t]).toHaveLength(results.filter((r) => r.ok).length);
    expect(lists[t]).toHaveLength(2);
    await expectConsistent(openid, 'r29-hours');
  }
  await expectCountersAgree('r29-hours');
});

it(`one booking per slot and person: ${TRIALS} trials of ${PER_TRIAL} racing bookings of one slot (one a retry), none doubled`, async () => {
  // Request 4 repeats request 0's id (a retry), sent to the other process: it must answer the same booking.
  const trials = await raceTrials('slot', (t, n) => ({
    serviceId: 'r29-slot',
    date: tomorrow(),
    startMinute: 600,
    clientRequestId: `slot-${t}-${n === 4 ? 0 : n}-req`,
  }));
  const holdings = await Promise.all(
    trials.map(async ({ openid }) => counting('slot', await bookingsOf(openid, 'r29-slot'))),
  );
  const doubled = holdings.filter((list) => list.length > 1).length;
  figures.push(
    `  one booking per slot: ${TRIALS} trials × ${PER_TRIAL} requests (one a retry), two bookings of one slot in ${doubled}`,
  );
  expect(doubled).toBe(0);
  for (const [t, { openid, results }] of trials.entries()) {
    expect(results.filter((r) => !r.ok && r.code !== 'ALREADY_BOOKED')).toEqual([]);
    expect(holdings[t]).toHaveLength(1);
    // Every success is that one booking (request 0 and its retry may both answer it).
    expect(new Set(results.filter((r) => r.ok).map((r) => (r.ok ? r.data.id : '')))).toEqual(
      new Set([holdings[t][0]._id]),
    );
    await expectConsistent(openid, 'r29-slot');
  }
  await expectCountersAgree('r29-slot');
});

it(`overlapping room blocks of one person: ${TRIALS} trials of ${PER_TRIAL} racing blocks, no hour held twice`, async () => {
  // Blocks 10–12, 11–13, 11–12, 9–11 and 12–14: several combinations fit, none may share an hour.
  const blocks: Array<[number, number]> = [
    [10, 2],
    [11, 2],
    [11, 1],
    [9, 2],
    [12, 2],
  ];
  const trials = await raceTrials('hall', (t, n) => ({
    serviceId: 'r29-hall',
    date: tomorrow(),
    startMinute: blocks[n][0] * 60,
    slots: blocks[n][1],
    clientRequestId: `hall-${t}-${n}-req`,
  }));
  const holdings = await Promise.all(
    trials.map(async ({ openid }) => counting('slot', await bookingsOf(openid, 'r29-hall'))),
  );
  const twice = (list: BookingDoc[]) => {
    const hours = list.flatMap((b) => b.slotIds);
    return new Set(hours).size !== hours.length;
  };
  const doubled = holdings.filter(twice).length;
  figures.push(
    `  room hours per person: ${TRIALS} trials × ${PER_TRIAL} overlapping blocks, an hour held twice in ${doubled}`,
  );
  expect(doubled).toBe(0);
  for (const [t, { openid, results }] of trials.entries()) {
    expect(results.filter((r) => !r.ok && r.code !== 'ALREADY_BOOKED')).toEqual([]);
    expect(holdings[t].length).toBeGreaterThanOrEqual(1);
    expect(holdings[t]).toHaveLength(results.filter((r) => r.ok).length);
    await expectConsistent(openid, 'r29-hall');
  }
  await expectCountersAgree('r29-hall');
});

it(`waitlist places count as active: ${TRIALS} trials of 2 waitlist joins racing 3 bookings, limit 2, none exceeded`, async () => {
  // Two slots filled by someone else (anyone may wait on them); each trial books three free slots of its own.
  const filler = await signIn('wait-filler');
  const fullDate = addDays(tomorrow(), 3);
  for (const m of [600, 660])
    expect(
      (
        await book(
          0,
          {
            serviceId: 'r29-wait',
            date: fullDate,
            startMinute: m,
            clientRequestId: `wait-filler-${m}-req`,
          },
          filler,
        )
      ).ok,
    ).toBe(true);
  const own = (t: number, j: number) => {
    const k = t * 3 + j;
    return { date: addDays(tomorrow(), Math.floor(k / 24)), startMinute: (k % 24) * 60 };
  };
  const trials = await raceTrials(
    'wait',
    (t, n) =>
      n < 2
        ? {
            serviceId: 'r29-wait',
            date: fullDate,
            startMinute: 600 + n * 60,
            clientRequestId: `wait-${t}-${n}-req`,
          }
        : { serviceId: 'r29-wait', ...own(t, n - 2), clientRequestId: `wait-${t}-${n}-req` },
    (n) => (n < 2 ? 'joinWaitlist' : 'create'),
  );
  const active = await Promise.all(
    trials.map(async ({ openid }) => counting('active', await bookingsOf(openid, 'r29-wait'))),
  );
  const exceeded = active.filter((list) => list.length > 2).length;
  figures.push(
    `  active incl. waitlist (limit 2): ${TRIALS} trials × ${PER_TRIAL} requests (2 waitlist joins), exceeded in ${exceeded}`,
  );
  expect(exceeded).toBe(0);
  for (const [t, { openid, results }] of trials.entries()) {
    expect(results.filter((r) => !r.ok && r.code !== 'QUOTA_ACTIVE')).toEqual([]);
    expect(active[t]).toHaveLength(2);
    expect(active[t]).toHaveLength(results.filter((r) => r.ok).length);
    await expectConsistent(openid, 'r29-wait');
  }
  await expectCountersAgree('r29-wait');
});

it('cancels racing new bookings of the same person keep the quota exact', async () => {
  // A person at the limit cancels two bookings while sending three new ones, across both processes.
  const people = Array.from({ length: 10 }, (_, t) => `churn-person-${t}`);
  const tokens = await Promise.all(people.map(signIn));
  await Promise.all(
    people.map(async (openid, t) => {
      const first: BookingView[] = [];
      for (const n of [0, 1, 2]) {
        const r = await book(
          n,
          {
            serviceId: 'r29-active',
            date: tomorrow(),
            startMinute: (14 + n) * 60,
            clientRequestId: `churn-${t}-${n}-req`,
          },
          tokens[t],
        );
        if (r.ok) first.push(r.data);
      }
      expect(first).toHaveLength(3);
      const results = await Promise.all([
        book(1, { bookingId: first[0].id }, tokens[t], 'cancel'),
        book(0, { bookingId: first[1].id }, tokens[t], 'cancel'),
        ...[3, 4, 5].map((n) =>
          book(
            n,
            {
              serviceId: 'r29-active',
              date: tomorrow(),
              startMinute: (14 + n) * 60,
              clientRequestId: `churn-${t}-${n}-req`,
            },
            tokens[t],
          ),
        ),
      ]);
      expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
      const active = counting('active', await bookingsOf(openid, 'r29-active'));
      expect(active.length).toBeLessThanOrEqual(3);
      await expectConsistent(openid, 'r29-active');
    }),
  );
  await expectCountersAgree('r29-active');
});
