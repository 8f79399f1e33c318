import { COLLECTIONS } from '../_shared/collections';
import type { ElderRecord } from '../../src/domain/contract/visits';
import { type AccessLogDoc, type ElderDoc } from './docs';
import { anElderDraft } from './fixtures';
import { rid } from '../volunteer/fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startTwoServers, type Answer, type TwoServers } from '../_test-support/two-servers';

interleaveDatabaseRequests();

/**
 * saveElder with a request id: copies of one submission racing over two server processes on one
 * data file add one elder (and one "新增" access entry); refused input adds nothing.
 */

const SECRETARY = 'secretary-elder-saves';
const COPIES = 5;

let cloud: TwoServers;

const call = <T>(input: unknown, via?: string): Promise<Answer<T>> =>
  cloud.call<T>(SECRETARY, 'visits', 'saveElder', input, via);

const db = () => cloud.db();
async function where<T>(collection: string, condition: Record<string, unknown>): Promise<T[]> {
  return (await db().collection(collection).where(condition).limit(100).get()).data as T[];
}

beforeAll(async () => {
  cloud = await startTwoServers({ name: 'elder-saves', secretaries: SECRETARY });
  await cloud.signIn(SECRETARY);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

it(`adds one elder for ${COPIES} copies of one submission over two processes, 5 times over`, async () => {
  const names = ['赵奶奶', '钱爷爷', '孙奶奶', '李爷爷', '周奶奶'];
  for (const name of names) {
    const input = { draft: anElderDraft({ name }), clientRequestId: rid() };
    const answers = await Promise.all(
      Array.from({ length: COPIES }, (_, i) =>
        call<ElderRecord>(input, i % 2 ? cloud.other.url : undefined),
      ),
    );
    expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
    expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
    const elders = await where<ElderDoc>(COLLECTIONS.elders, { name });
    expect(elders).toHaveLength(1);
    expect(elders[0]._id).toBe(answers[0].data?.id);
    expect(
      await where<AccessLogDoc>(COLLECTIONS.elderAccessLog, {
        elderId: elders[0]._id,
        action: 'create',
      }),
    ).toHaveLength(1);
  }
}, 60_000);

it('adds a second elder for the same form sent with a new request id (a second submission)', async () => {
  const draft = anElderDraft({ name: '吴奶奶' });
  expect((await call({ draft, clientRequestId: rid() })).ok).toBe(true);
  expect((await call({ draft, clientRequestId: rid() }, cloud.other.url)).ok).toBe(true);
  expect(await where<ElderDoc>(COLLECTIONS.elders, { name: '吴奶奶' })).toHaveLength(2);
});

it.each([
  ['a NUL in the notes', { notes: '独居\u0000' }],
  ['a right-to-left override in the notes', { notes: '电话\u202e1111 0031' }],
  [
    'a bidi isolate in a contact relation',
    { emergencyContacts: [{ name: '赵小明', relation: '儿\u2066子', phone: '13800002222' }] },
  ],
  ['a line break in the building', { building: '3\n4' }],
])('refuses %s and adds nothing', async (_label, overrides) => {
  const before = (await db().collection(COLLECTIONS.elders).count()).total;
  const r = await call({ draft: anElderDraft(overrides), clientRequestId: rid() });
  expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(r.message).toMatch(/[\u4e00-\u9fff]/);
  expect((await db().collection(COLLECTIONS.elders).count()).total).toBe(before);
});

it('refuses a save without a request id', async () => {
  expect(await call({ draft: anElderDraft({ name: '郑爷爷' }) })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
  expect(await where<ElderDoc>(COLLECTIONS.elders, { name: '郑爷爷' })).toHaveLength(0);
});
