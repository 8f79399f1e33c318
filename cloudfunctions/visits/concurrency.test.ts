import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { ElderRecord } from '../../src/domain/contract/visits';
import type { Database } from '../_shared/db';
import type { LedgerDoc } from '../volunteer/docs';
import type { ElderDoc, VisitDoc } from './docs';
import { aRegistration, aVisit, anElderDraft } from './fixtures';
import { rid } from '../volunteer/fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';

interleaveDatabaseRequests();

/**
 * A visit sent again while the first send is still in flight (a phone's retry after a lost answer,
 * the network-return trigger and a manual 重新发送 at once) is stored once: through the local HTTP
 * server, so the requests really overlap.
 */

const SECRETARY = 'secretary-visits-conc';
const LI = 'volunteer-li-conc';

let server: RunningServer;
let dataDir: string;
const tokens = new Map<string, string>();

async function signIn(openid: string): Promise<string> {
  const res = await fetch(new URL('/api/dev/sign-in', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function call<T>(
  fn: string,
  openid: string,
  action: string,
  input: unknown,
): Promise<{ ok: boolean; code?: string; data?: T }> {
  const res = await fetch(new URL(`/api/cloud/${fn}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(openid)}` },
    body: JSON.stringify({ action, input }),
  });
  return (await res.json()) as { ok: boolean; code?: string; data?: T };
}

let elderId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-visits-conc-'));
  server = await startServer({
    port: 0,
    dataDir,
    staticDir: dataDir,
    functions: { from: 'source' },
    secretaryOpenids: SECRETARY,
    timers: false,
    log: () => undefined,
  });
  for (const who of [SECRETARY, LI]) tokens.set(who, await signIn(who));
  expect((await call('volunteer', LI, 'register', aRegistration())).ok).toBe(true);
  const elder = await call<ElderRecord>('visits', SECRETARY, 'saveElder', {
    clientRequestId: rid(),
    draft: anElderDraft(),
  });
  elderId = elder.data!.id;
  expect(
    (await call('visits', SECRETARY, 'pair', { elderId, openid: LI, clientRequestId: rid() })).ok,
  ).toBe(true);
}, 30_000);

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function docs<T>(collection: string, where: Record<string, unknown>): Promise<T[]> {
  const db = server.host.database as unknown as Database;
  return (await db.collection(collection).where(where).limit(100).get()).data as T[];
}

it('stores a visit once when it is sent 8 times at once, and 5 different visits at once all once', async () => {
  const visit = aVisit(elderId, {}, 30, 60);
  const same = await Promise.all(
    Array.from({ length: 8 }, () => call<{ replayed: boolean }>('visits', LI, 'log', visit)),
  );
  expect(same.every((r) => r.ok)).toBe(true);
  expect(same.filter((r) => r.data?.replayed === false)).toHaveLength(1);

  const others = Array.from({ length: 5 }, (_, i) => aVisit(elderId, {}, 20, 50 - i * 5));
  const sent = await Promise.all([...others, ...others].map((v) => call('visits', LI, 'log', v)));
  expect(sent.every((r) => r.ok)).toBe(true);

  const visits = await docs<VisitDoc>('elder_visits', { elderId });
  expect(visits.map((v) => v._id).sort()).toEqual(
    [visit.visitId, ...others.map((o) => o.visitId)].sort(),
  );
  const ledger = await docs<LedgerDoc>('ledger', { subject: LI, type: 'service' });
  expect(ledger).toHaveLength(6);
  const elder = (await docs<ElderDoc>('elders', { _id: elderId }))[0];
  expect(elder.lastContactAt?.toISOString()).toBe(others[4].endAt);
}, 60_000);
