import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { PostView } from '../../src/domain/contract/volunteer';
import type { OpportunityList } from '../../src/domain/volunteer/opportunity';
import type { ClaimDoc, LedgerDoc, PostDoc } from './docs';
import { ACTIVE_CLAIMS_MAX, PLACES_RECOUNT_GRACE_MINUTES } from '../../src/domain/volunteer/claims';
import type { Database } from '../_shared/db';
import { aList, aPost, aRegistration, orphanTake, rid } from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startServerProcess, type ServerProcess } from '../_test-support/server-process';

interleaveDatabaseRequests();

/**
 * Capacity and one-claim-per-volunteer under real concurrency: 220 claims fired at once at a
 * 5-place post through the local HTTP server, from 150 volunteers (70 of them twice with different
 * request ids, 20 of them retrying the very same request).
 */

const SECRETARY = 'secretary-conc';
const VOLUNTEERS = Array.from(
  { length: 150 },
  (_, i) => `volunteer-conc-${String(i).padStart(3, '0')}`,
);

let server: RunningServer;
/** A second server process on the same data file; the 220 claims are spread over both. */
let other: ServerProcess;
let dataDir: string;
const tokens = new Map<string, string>();

async function signIn(openid: string): Promise<string> {
  const res = await fetch(new URL('/api/dev/sign-in', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid }),
  });
  const body = (await res.json()) as { token: string };
  return body.token;
}

async function call<T>(
  openid: string,
  action: string,
  input: unknown,
  via?: string,
): Promise<{ ok: boolean; code?: string; data?: T }> {
  const res = await fetch(new URL('/api/cloud/volunteer', via ?? server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(openid)}` },
    body: JSON.stringify({ action, input }),
  });
  return (await res.json()) as { ok: boolean; code?: string; data?: T };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map(work));
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-vol-conc-'));
  server = await startServer({
    port: 0,
    dataDir,
    staticDir: dataDir,
    functions: { from: 'source' },
    secretaryOpenids: SECRETARY,
    timers: false,
    log: () => undefined,
  });
  other = await startServerProcess({ dataDir, env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  for (const who of [SECRETARY, ...VOLUNTEERS]) tokens.set(who, await signIn(who));
  await inBatches(VOLUNTEERS, 10, async (v) => {
    const r = await call(v, 'register', aRegistration());
    if (!r.ok) throw new Error(`register ${v}: ${r.code}`);
  });
}, 120_000);

afterAll(async () => {
  await other?.stop();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('never exceeds 5 places and never gives one volunteer two claims, under 220 concurrent claims over two server processes', async () => {
  const list = await call<OpportunityList>(SECRETARY, 'saveList', {
    clientRequestId: rid(),
    draft: aList({ posts: [aPost({ capacity: 5 })] }),
  });
  expect(list.ok).toBe(true);
  expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
  const view = await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id });
  const postId = view.data?.posts[0].id as string;

  const requests: Array<{ openid: string; clientRequestId: string }> = [];
  VOLUNTEERS.forEach((openid, i) => requests.push({ openid, clientRequestId: `conc-${i}-a` }));
  VOLUNTEERS.slice(0, 70).forEach((openid, i) =>
    requests.push({ openid, clientRequestId: `conc-${i}-b` }),
  );
  VOLUNTEERS.slice(0, 20).forEach((openid, i) =>
    requests.push({ openid, clientRequestId: `conc-${i}-a` }),
  );
  // Interleave so duplicates race each other.
  requests.sort((a, b) =>
    (a.clientRequestId + a.openid)
      .split('')
      .reverse()
      .join('')
      .localeCompare((b.clientRequestId + b.openid).split('').reverse().join('')),
  );
  expect(requests.length).toBeGreaterThanOrEqual(200);

  // Every other request goes to the second process: duplicates race each other across processes.
  const results = await Promise.all(
    requests.map((r, i) =>
      call<{ replayed: boolean }>(
        r.openid,
        'claim',
        { postId, clientRequestId: r.clientRequestId },
        i % 2 ? other.url : undefined,
      ),
    ),
  );

  const unexpected = results.filter(
    (r) => !r.ok && r.code !== 'POST_FULL' && r.code !== 'ALREADY_CLAIMED',
  );
  expect(unexpected).toEqual([]);
  const fresh = results.filter((r) => r.ok && r.data?.replayed === false);
  expect(fresh).toHaveLength(5);

  const db = server.host.database;
  const claims = (await db.collection('volunteer_claims').where({ postId }).limit(100).get())
    .data as unknown as ClaimDoc[];
  expect(claims).toHaveLength(5);
  expect(new Set(claims.map((c) => c.openid)).size).toBe(5);
  const post = (await db.collection('volunteer_posts').doc(postId).get())
    .data as unknown as PostDoc;
  expect(post.claimed).toBe(5);
  const entries = (await db.collection('ledger').where({ postId, type: 'claim' }).limit(100).get())
    .data as unknown as LedgerDoc[];
  expect(entries).toHaveLength(5);
  expect(new Set(entries.map((e) => e.subject)).size).toBe(5);
}, 120_000);

it('gives back orphaned places while claims race the recount, and never exceeds capacity', async () => {
  const db = server.host.database as unknown as Database;
  const list = await call<OpportunityList>(SECRETARY, 'saveList', {
    clientRequestId: rid(),
    draft: aList({ posts: [aPost({ capacity: 5, title: '应急物资清点' })] }),
  });
  expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
  const view = await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id });
  const postId = view.data?.posts[0].id as string;
  const claimsOnPost = async () =>
    (await db.collection<ClaimDoc>('volunteer_claims').where({ postId, status: 'claimed' }).count())
      .total;
  const counter = async () =>
    ((await db.collection<PostDoc>('volunteer_posts').doc(postId).get()).data as PostDoc).claimed;
  // A tick of the function's one trigger runs the recount (and the auto-close sweep).
  const recount = (at: Date) =>
    server.host.fireTimer('volunteer', 'jobs', at) as Promise<{ ok: boolean }>;

  // Three runs died an hour ago after taking a place: only 2 of 5 places look free.
  for (let i = 0; i < 3; i++)
    expect(await orphanTake(db, postId, 5, new Date(Date.now() - 3600_000))).toBe(1);

  // Round 1: 60 volunteers claim while the recount runs again and again (on the real clock, as
  // the trigger does). Whatever interleaving happens, the counter never falls below the claims.
  const round1 = VOLUNTEERS.slice(0, 60);
  const results = await Promise.all<{ ok: boolean; code?: string }>([
    ...round1.map((openid, i) =>
      call(openid, 'claim', { postId, clientRequestId: `recount-a-${i}` }),
    ),
    ...Array.from({ length: 12 }, () => recount(new Date())),
  ]);
  expect(results.filter((r) => !r.ok && r.code !== 'POST_FULL')).toEqual([]);
  const afterRound1 = await claimsOnPost();
  expect(afterRound1).toBeGreaterThanOrEqual(2);
  expect(afterRound1).toBeLessThanOrEqual(5);
  expect(await counter()).toBeGreaterThanOrEqual(afterRound1);
  expect(await counter()).toBeLessThanOrEqual(5);

  // Once every run has long ended, the recount leaves exactly the real claims counted.
  expect(
    await recount(new Date(Date.now() + (PLACES_RECOUNT_GRACE_MINUTES + 1) * 60_000)),
  ).toMatchObject({ ok: true });
  expect(await counter()).toBe(afterRound1);

  // Round 2: the freed places fill up under contention (with recounts racing), and no further.
  const round2 = VOLUNTEERS.slice(60, 120);
  const results2 = await Promise.all<{ ok: boolean; code?: string }>([
    ...round2.map((openid, i) =>
      call(openid, 'claim', { postId, clientRequestId: `recount-b-${i}` }),
    ),
    ...Array.from({ length: 12 }, () => recount(new Date())),
  ]);
  expect(results2.filter((r) => !r.ok && r.code !== 'POST_FULL')).toEqual([]);
  expect(await claimsOnPost()).toBe(5);
  expect(await counter()).toBe(5);
  const claimers = (
    await db.collection<ClaimDoc>('volunteer_claims').where({ postId }).limit(100).get()
  ).data;
  expect(new Set(claimers.map((c) => c.openid)).size).toBe(5);
}, 120_000);

it('never lets a volunteer hold more than the active-claims limit, however their claims race across two processes', async () => {
  const posts = Array.from({ length: ACTIVE_CLAIMS_MAX + 4 }, (_, i) =>
    aPost({ capacity: 50, title: `限额岗位 ${i + 1}` }),
  );
  const list = await call<OpportunityList>(SECRETARY, 'saveList', {
    clientRequestId: rid(),
    draft: aList({ title: '限额测试清单', posts }),
  });
  expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
  const view = await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id });
  const postIds = (view.data?.posts ?? []).map((p) => p.id);
  const db = server.host.database;
  const trials = VOLUNTEERS.slice(130, 136);
  let exceeded = 0;
  for (const [t, openid] of trials.entries()) {
    // All but one place of the limit taken one by one, then five claims at once over both processes.
    for (const postId of postIds.slice(0, ACTIVE_CLAIMS_MAX - 1)) {
      expect(
        (await call(openid, 'claim', { postId, clientRequestId: `limit-${t}-${postId}` })).ok,
      ).toBe(true);
    }
    const racing = postIds.slice(ACTIVE_CLAIMS_MAX - 1, ACTIVE_CLAIMS_MAX + 4);
    const results = await Promise.all(
      racing.map((postId, i) =>
        call(
          openid,
          'claim',
          { postId, clientRequestId: `limit-race-${t}-${i}` },
          i % 2 ? other.url : undefined,
        ),
      ),
    );
    expect(results.filter((r) => !r.ok && r.code !== 'TOO_MANY_CLAIMS')).toEqual([]);
    const active = (
      await db.collection('volunteer_claims').where({ openid, status: 'claimed' }).count()
    ).total;
    if (active > ACTIVE_CLAIMS_MAX) exceeded++;
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(active).toBe(ACTIVE_CLAIMS_MAX);
  }
  expect(exceeded).toBe(0);
  // Places given back by refused claims: every post counts exactly its claims.
  for (const postId of postIds) {
    const claims = (
      await db.collection('volunteer_claims').where({ postId, status: 'claimed' }).count()
    ).total;
    const post = (await db.collection('volunteer_posts').doc(postId).get())
      .data as unknown as PostDoc;
    expect(post.claimed).toBe(claims);
  }
}, 120_000);
