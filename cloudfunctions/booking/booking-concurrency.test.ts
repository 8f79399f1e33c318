import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { Database } from '../_shared/db';
import type { Result } from '../../src/domain/shared/result';
import type { BookingDoc, SlotCounterDoc } from './store';
import { aBookableService, tomorrow } from './test-fixtures';
import type { SpaceDoc } from '../_shared/collections';
import type { BookableServiceDoc } from './store';

/**
 * Capacity under concurrency, through the local HTTP server (the path a browser takes): 200
 * residents tap 预约 at the same 10-place slot at once, and some of them retry.
 */
jest.setTimeout(120_000);

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-booking-conc-'));
  server = await startServer({ port: 0, dataDir, functions: { from: 'source' }, timers: false, log: () => undefined });
  const db = server.host.database as unknown as Database;
  const space: SpaceDoc = { _id: 'r29', name: 'R29', address: '', intro: '', location: { latitude: 30.59, longitude: 104.13 }, sample: true };
  await db.collection<SpaceDoc>('spaces').add({ data: space });
  await db.collection<BookableServiceDoc>('services').add({ data: aBookableService({ bookingRules: { capacity: 10, minNoticeMinutes: 0 } }) });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(url, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

it('200 concurrent bookings of a 10-place slot confirm exactly 10; retries add none', async () => {
  const residents = Array.from({ length: 200 }, (_, i) => `conc-resident-${String(i).padStart(3, '0')}`);
  const tokens = await Promise.all(residents.map((openid) => post<{ token: string }>('/api/dev/sign-in', { openid })));
  const input = (i: number) => ({ serviceId: 'r29-gym', date: tomorrow(), startMinute: 600, clientRequestId: `conc-request-${i}` });
  // Every resident books at once; the first 20 also send their request a second time (a retry).
  const calls = [
    ...residents.map((_, i) => post<Result<{ id: string }>>('/api/cloud/booking', { action: 'create', input: input(i) }, tokens[i].token)),
    ...residents.slice(0, 20).map((_, i) => post<Result<{ id: string }>>('/api/cloud/booking', { action: 'create', input: input(i) }, tokens[i].token)),
  ];
  const results = await Promise.all(calls);
  const confirmedIds = new Set(results.filter((r) => r.ok).map((r) => (r.ok ? r.data.id : '')));
  const refused = results.filter((r) => !r.ok);
  expect(confirmedIds.size).toBe(10);
  expect(refused.every((r) => !r.ok && r.code === 'SLOT_FULL')).toBe(true);

  const db = server.host.database as unknown as Database;
  const stored = (await db.collection<BookingDoc>('bookings').limit(100).get()).data;
  expect(stored.filter((b) => b.state === 'confirmed')).toHaveLength(10);
  expect(stored).toHaveLength(10);
  const counter = (await db.collection<SlotCounterDoc>('slotCounters').doc(stored[0].slotIds[0]).get()).data;
  expect(counter).toMatchObject({ capacity: 10, left: 0 });
});
