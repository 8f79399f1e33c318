import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { PostView, Reward, ServiceRecord } from '../../src/domain/contract/volunteer';
import type { OpportunityList } from '../../src/domain/volunteer/opportunity';
import { COLLECTIONS as C } from '../_shared/collections';
import type { Database } from '../_shared/db';
import { type LedgerDoc, type ListDoc, type PostDoc, type RewardDoc } from './docs';
import { aList, aPost, aRegistration, inDays, rid, today } from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startServerProcess, type ServerProcess } from '../_test-support/server-process';

interleaveDatabaseRequests();

/**
 * Saves with a client request id are recorded once however many copies of one submission race,
 * over two server processes sharing one data file (production's many instances); a retried
 * check-out answers the check-out that was recorded, never NOT_CHECKED_IN; refused input writes
 * nothing.
 */

const SECRETARY = 'secretary-saves';
const OTHER_SECRETARY = 'secretary-saves-2';
const VOLUNTEERS = Array.from(
  { length: 12 },
  (_, i) => `volunteer-saves-${String(i).padStart(2, '0')}`,
);
const COPIES = 5;

let server: RunningServer;
let other: ServerProcess;
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

interface Answer<T> {
  status: number;
  ok: boolean;
  code?: string;
  data?: T;
}

async function call<T>(
  openid: string,
  action: string,
  input: unknown,
  via?: string,
): Promise<Answer<T>> {
  const res = await fetch(new URL('/api/cloud/volunteer', via ?? server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(openid)}` },
    body: JSON.stringify({ action, input }),
  });
  return {
    status: res.status,
    ...((await res.json()) as { ok: boolean; code?: string; data?: T }),
  };
}

/** `COPIES` copies of one request at once, alternating between the two processes. */
function copies<T>(openid: string, action: string, input: unknown): Promise<Array<Answer<T>>> {
  return Promise.all(
    Array.from({ length: COPIES }, (_, i) =>
      call<T>(openid, action, input, i % 2 ? other.url : undefined),
    ),
  );
}

const db = () => server.host.database as unknown as Database;
async function where<T>(collection: string, condition: Record<string, unknown>): Promise<T[]> {
  return (await db().collection(collection).where(condition).limit(100).get()).data as T[];
}
const count = async (collection: string) => (await db().collection(collection).count()).total;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-vol-saves-'));
  const secretaries = `${SECRETARY},${OTHER_SECRETARY}`;
  server = await startServer({
    port: 0,
    dataDir,
    staticDir: dataDir,
    functions: { from: 'source' },
    secretaryOpenids: secretaries,
    timers: false,
    log: () => undefined,
  });
  other = await startServerProcess({ dataDir, env: { LINLI_SECRETARY_OPENIDS: secretaries } });
  for (const who of [SECRETARY, OTHER_SECRETARY, ...VOLUNTEERS]) tokens.set(who, await signIn(who));
  for (const v of VOLUNTEERS) expect((await call(v, 'register', aRegistration())).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await other?.stop();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('one record per request id, across two processes', () => {
  it(`saveList: ${COPIES} copies of one new draft make one list with all its posts, 5 times over`, async () => {
    for (let trial = 0; trial < 5; trial++) {
      const title = `重试清单${trial}`;
      const draft = aList({
        title,
        posts: [aPost(), aPost({ title: '应急值守' }), aPost({ title: '健康监测' })],
      });
      const answers = await copies<OpportunityList>(SECRETARY, 'saveList', {
        draft,
        clientRequestId: rid(),
      });
      expect(answers.map((a) => [a.status, a.ok, a.code])).toEqual(
        answers.map(() => [200, true, undefined]),
      );
      expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
      const lists = await where<ListDoc>(C.volunteerLists, { title });
      expect(lists).toHaveLength(1);
      expect(lists[0]).toMatchObject({ status: 'draft', postCount: 3, _openid: SECRETARY });
      const posts = await where<PostDoc>(C.volunteerPosts, { listId: lists[0]._id });
      expect(posts.map((p) => p.title).sort()).toEqual(
        ['健康监测', '关爱老人日常探访', '应急值守'].sort(),
      );
    }
  }, 60_000);

  it('saveList: another request id, or another secretary with the same id, is another list', async () => {
    const clientRequestId = rid();
    const draft = aList({ title: '两位书记的清单' });
    const a = await call<OpportunityList>(SECRETARY, 'saveList', { draft, clientRequestId });
    const again = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft,
      clientRequestId: rid(),
    });
    const b = await call<OpportunityList>(
      OTHER_SECRETARY,
      'saveList',
      { draft, clientRequestId },
      other.url,
    );
    expect(new Set([a.data?.id, again.data?.id, b.data?.id]).size).toBe(3);
    expect(await where<ListDoc>(C.volunteerLists, { title: '两位书记的清单' })).toHaveLength(3);
  });

  it(`copyList: ${COPIES} copies of one copy make one new draft`, async () => {
    const source = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft: aList({ title: '被复制的清单' }),
      clientRequestId: rid(),
    });
    const answers = await copies<OpportunityList>(SECRETARY, 'copyList', {
      listId: source.data?.id,
      periodFrom: inDays(14),
      clientRequestId: rid(),
    });
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
    const copiesMade = await where<ListDoc>(C.volunteerLists, { copiedFrom: source.data?.id });
    expect(copiesMade).toHaveLength(1);
    expect(await where<PostDoc>(C.volunteerPosts, { listId: copiesMade[0]._id })).toHaveLength(1);
  });

  it(`publishList / closeList: ${COPIES} copies each all answer the list as published, then closed`, async () => {
    const list = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft: aList({ title: '发布重试' }),
      clientRequestId: rid(),
    });
    const published = await copies<OpportunityList>(SECRETARY, 'publishList', {
      listId: list.data?.id,
    });
    expect(published.map((a) => a.code ?? a.data?.status)).toEqual(
      published.map(() => 'published'),
    );
    expect(new Set(published.map((a) => a.data?.publishedAt)).size).toBe(1);
    const closed = await copies<OpportunityList>(SECRETARY, 'closeList', { listId: list.data?.id });
    expect(closed.map((a) => a.code ?? a.data?.status)).toEqual(closed.map(() => 'closed'));
    // A closed list is not published again.
    expect(await call(SECRETARY, 'publishList', { listId: list.data?.id })).toMatchObject({
      ok: false,
      code: 'LIST_NOT_DRAFT',
    });
  });

  it(`saveReward: ${COPIES} copies of one new reward make one reward, 5 times over`, async () => {
    for (let trial = 0; trial < 5; trial++) {
      const title = `重试奖励${trial}`;
      const answers = await copies<Reward>(SECRETARY, 'saveReward', {
        title,
        cost: 5,
        stock: 3,
        active: true,
        clientRequestId: rid(),
      });
      expect(answers.every((a) => a.ok)).toBe(true);
      expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
      expect(answers.map((a) => a.data)).toEqual(
        answers.map(() => expect.objectContaining({ title, cost: 5, stock: 3, active: true })),
      );
      expect(await where<RewardDoc>(C.rewards, { title })).toHaveLength(1);
    }
  });
});

describe('checkOut retried across two processes', () => {
  it(`answers the recorded check-out to every one of ${COPIES} copies, for ${VOLUNTEERS.length} volunteers`, async () => {
    const everyDay = {
      kind: 'weekly' as const,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      start: 0,
      end: 1440,
      from: today(),
      until: inDays(6),
    };
    const list = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft: aList({ posts: [aPost({ capacity: 20, schedule: everyDay })] }),
      clientRequestId: rid(),
    });
    expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
    const postId = (
      await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id })
    ).data!.posts[0].id;

    for (const v of VOLUNTEERS) {
      expect((await call(v, 'claim', { postId, clientRequestId: rid() })).ok).toBe(true);
      expect(
        (await call<ServiceRecord>(v, 'checkIn', { postId, clientRequestId: rid() })).data?.status,
      ).toBe('open');
    }
    const outcomes = await Promise.all(
      VOLUNTEERS.map(async (v) => {
        const clientRequestId = rid();
        const answers = await copies<ServiceRecord>(v, 'checkOut', { postId, clientRequestId });
        return { v, clientRequestId, answers };
      }),
    );
    for (const { v, clientRequestId, answers } of outcomes) {
      expect([v, answers.map((a) => a.code ?? 'ok')]).toEqual([v, answers.map(() => 'ok')]);
      expect(new Set(answers.map((a) => `${a.data?.status} ${a.data?.checkOutAt}`)).size).toBe(1);
      expect(answers[0].data?.status).toBe('closed');
      const entries = await where<LedgerDoc>(C.ledger, { subject: v, type: 'service' });
      expect(entries.map((e) => e._id)).toEqual([`checkout:${v}:${clientRequestId}`]);
    }
    // A new request after the check-out is still refused: nothing is open.
    expect(await call(VOLUNTEERS[0], 'checkOut', { postId, clientRequestId: rid() })).toMatchObject(
      {
        ok: false,
        code: 'NOT_CHECKED_IN',
      },
    );
  }, 60_000);

  it(`claim: ${COPIES} copies of one claim all answer the claim it recorded, for 6 volunteers at once`, async () => {
    const list = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft: aList({ title: '认领重试', posts: [aPost({ capacity: 20 })] }),
      clientRequestId: rid(),
    });
    expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
    const postId = (
      await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id })
    ).data!.posts[0].id;
    const who = VOLUNTEERS.slice(2, 8);
    const outcomes = await Promise.all(
      who.map(async (v) => ({
        v,
        answers: await copies<{ replayed: boolean; claim: { id: string } }>(v, 'claim', {
          postId,
          clientRequestId: rid(),
        }),
      })),
    );
    for (const { v, answers } of outcomes) {
      expect([v, answers.map((a) => a.code ?? 'ok')]).toEqual([v, answers.map(() => 'ok')]);
      expect(answers.filter((a) => a.data?.replayed === false)).toHaveLength(1);
      expect(new Set(answers.map((a) => a.data?.claim.id)).size).toBe(1);
      expect(await where<LedgerDoc>(C.ledger, { subject: v, type: 'claim', postId })).toHaveLength(
        1,
      );
    }
    expect((await db().collection(C.volunteerPosts).doc(postId).get()).data).toMatchObject({
      claimed: who.length,
    });
    // Another request for a post already claimed is still ALREADY_CLAIMED.
    expect(await call(who[0], 'claim', { postId, clientRequestId: rid() })).toMatchObject({
      ok: false,
      code: 'ALREADY_CLAIMED',
    });
  }, 60_000);

  it(`checkIn: ${COPIES} copies of one check-in open one service; a later retry answers it as recorded; a new check-in is refused`, async () => {
    const everyDay = {
      kind: 'weekly' as const,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      start: 0,
      end: 1440,
      from: today(),
      until: inDays(6),
    };
    const list = await call<OpportunityList>(SECRETARY, 'saveList', {
      draft: aList({ title: '签到重试', posts: [aPost({ capacity: 20, schedule: everyDay })] }),
      clientRequestId: rid(),
    });
    expect((await call(SECRETARY, 'publishList', { listId: list.data?.id })).ok).toBe(true);
    const postId = (
      await call<{ posts: PostView[] }>(SECRETARY, 'listPosts', { listId: list.data?.id })
    ).data!.posts[0].id;
    const v = VOLUNTEERS[1];
    expect((await call(v, 'claim', { postId, clientRequestId: rid() })).ok).toBe(true);

    const checkIn = { postId, clientRequestId: rid() };
    const answers = await copies<ServiceRecord>(v, 'checkIn', checkIn);
    expect(answers.map((a) => a.code ?? a.data?.status)).toEqual(answers.map(() => 'open'));
    expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
    expect(await call(v, 'checkIn', { postId, clientRequestId: rid() })).toMatchObject({
      ok: false,
      code: 'ALREADY_CHECKED_IN',
    });
    expect(
      (await call<ServiceRecord>(v, 'checkOut', { postId, clientRequestId: rid() })).data?.status,
    ).toBe('closed');
    // The phone learns the check-in's answer only now: it answers the service as it is, not an error.
    expect(await call<ServiceRecord>(v, 'checkIn', checkIn, other.url)).toMatchObject({
      ok: true,
      data: { id: answers[0].data?.id, status: 'closed' },
    });
  }, 60_000);
});

describe('refused saves write nothing', () => {
  it.each([
    [
      'a NUL in a list title',
      'saveList',
      () => ({ draft: aList({ title: '清单\u0000标题' }), clientRequestId: rid() }),
    ],
    [
      'a right-to-left override in a post description',
      'saveList',
      () => ({
        draft: aList({ posts: [aPost({ description: '积分\u202e001' })] }),
        clientRequestId: rid(),
      }),
    ],
    [
      'an impossible period date',
      'saveList',
      () => ({ draft: aList({ periodFrom: '2026-02-31' }), clientRequestId: rid() }),
    ],
    ['no request id', 'saveList', () => ({ draft: aList() })],
    [
      'a malformed request id',
      'saveReward',
      () => ({ title: '咖啡券', cost: 3, stock: null, active: true, clientRequestId: 'short' }),
    ],
    [
      'a bidi isolate in a reward title',
      'saveReward',
      () => ({ title: '咖啡\u2067券', cost: 3, stock: null, active: true, clientRequestId: rid() }),
    ],
    [
      'a control character in feedback',
      'feedback',
      () => ({ serviceId: 'svc-1', rating: 5, text: '很好\u0007' }),
    ],
  ])('%s: INVALID_INPUT', async (_label, action, input) => {
    const before = await Promise.all(
      [C.volunteerLists, C.volunteerPosts, C.rewards, C.volunteerFeedback].map(count),
    );
    const r = await call(SECRETARY, action, input());
    expect(r).toMatchObject({ status: 200, ok: false, code: 'INVALID_INPUT' });
    expect(
      await Promise.all(
        [C.volunteerLists, C.volunteerPosts, C.rewards, C.volunteerFeedback].map(count),
      ),
    ).toEqual(before);
  });

  it('input nested 4,500 levels deep: 400 INVALID_INPUT from either process', async () => {
    const before = await count(C.rewards);
    const raw = `{"action":"saveReward","input":{"title":${'['.repeat(4500)}${']'.repeat(4500)}}}`;
    for (const base of [server.url, other.url]) {
      const res = await fetch(new URL('/api/cloud/volunteer', base), {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(SECRETARY)}` },
        body: raw,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await count(C.rewards)).toBe(before);
  });
});
