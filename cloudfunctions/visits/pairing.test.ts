import { COLLECTIONS } from '../_shared/collections';
import type { ElderRecord, PairingView } from '../../src/domain/contract/visits';
import { type ElderDoc, type PairingDoc } from './docs';
import { aRegistration, anElderDraft } from './fixtures';
import { rid } from '../volunteer/fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startTwoServers, type Answer, type TwoServers } from '../_test-support/two-servers';

interleaveDatabaseRequests();

/**
 * pair / unpair with a request id: copies of one request racing over two server processes on one
 * data file make one change and all answer it; a later retry answers the change it recorded (not
 * ALREADY_PAIRED / NOT_PAIRED, and never undoing a later change); another request is still refused,
 * and a refusal writes nothing.
 */

const SECRETARY = 'secretary-pairing';
const LI = 'volunteer-li-pairing';
const COPIES = 5;

let cloud: TwoServers;

const call = <T>(
  openid: string,
  fn: string,
  action: string,
  input: unknown,
  via?: string,
): Promise<Answer<T>> => cloud.call<T>(openid, fn, action, input, via);
const visits = <T>(action: string, input: unknown, via?: string) =>
  call<T>(SECRETARY, 'visits', action, input, via);
/** `COPIES` copies of one request at once, alternating between the two processes. */
const copies = <T>(action: string, input: unknown) =>
  Promise.all(
    Array.from({ length: COPIES }, (_, i) =>
      visits<T>(action, input, i % 2 ? cloud.other.url : undefined),
    ),
  );

const db = () => cloud.db();
async function where<T>(collection: string, condition: Record<string, unknown>): Promise<T[]> {
  return (await db().collection(collection).where(condition).limit(100).get()).data as T[];
}
/** The documents pairing writes (the elder, its pairings, its access log): what a refusal must leave as it was. */
async function snapshot(elderId: string): Promise<string> {
  return JSON.stringify([
    await where(COLLECTIONS.elders, { _id: elderId }),
    await where(COLLECTIONS.elderPairings, { elderId }),
    await where(COLLECTIONS.elderAccessLog, { elderId }),
  ]);
}
const accessEntries = async (elderId: string, action: string) =>
  (await where(COLLECTIONS.elderAccessLog, { elderId, action })).length;

async function anElder(name: string): Promise<string> {
  const elder = await visits<ElderRecord>('saveElder', {
    clientRequestId: rid(),
    draft: anElderDraft({ name }),
  });
  return elder.data!.id;
}

beforeAll(async () => {
  cloud = await startTwoServers({ name: 'pairing', secretaries: SECRETARY });
  for (const who of [SECRETARY, LI]) await cloud.signIn(who);
  expect((await call(LI, 'volunteer', 'register', aRegistration())).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('pair', () => {
  it(`pairs once for ${COPIES} copies of one request over two processes, all answering the pairing, 5 times over`, async () => {
    for (const name of ['赵奶奶', '钱爷爷', '孙奶奶', '李爷爷', '周奶奶']) {
      const elderId = await anElder(name);
      const answers = await copies<PairingView>('pair', {
        elderId,
        openid: LI,
        clientRequestId: rid(),
      });
      expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
      expect(answers.map((a) => a.data)).toEqual(answers.map(() => answers[0].data));
      expect(answers[0].data).toMatchObject({ elderId, openid: LI, active: true });
      const [elder] = await where<ElderDoc>(COLLECTIONS.elders, { _id: elderId });
      expect(elder.pairedOpenids).toEqual([LI]);
      expect(await accessEntries(elderId, 'pair')).toBe(1);
    }
  }, 60_000);

  it('answers a later retry with the pairing it made, even after another request ended it, and pairs nothing again', async () => {
    const elderId = await anElder('吴奶奶');
    const input = { elderId, openid: LI, clientRequestId: rid() };
    const first = await visits<PairingView>('pair', input);
    expect(await visits<PairingView>('pair', input, cloud.other.url)).toEqual(first);
    expect((await visits('unpair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const before = await snapshot(elderId);
    expect(await visits<PairingView>('pair', input, cloud.other.url)).toMatchObject({
      ok: true,
      data: { elderId, openid: LI, active: false },
    });
    expect(await snapshot(elderId)).toBe(before);
  });

  it('refuses another request for a pair already made (ALREADY_PAIRED) and one without a request id, writing nothing', async () => {
    const elderId = await anElder('郑爷爷');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const before = await snapshot(elderId);
    expect(
      await visits('pair', { elderId, openid: LI, clientRequestId: rid() }, cloud.other.url),
    ).toMatchObject({ ok: false, code: 'ALREADY_PAIRED' });
    expect(await visits('pair', { elderId, openid: LI })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await snapshot(elderId)).toBe(before);
  });
});

describe('unpair', () => {
  it(`ends a pairing once for ${COPIES} copies of one request over two processes, all answering it; a later retry too`, async () => {
    const elderId = await anElder('冯奶奶');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const input = { elderId, openid: LI, clientRequestId: rid() };
    const answers = await copies<PairingView>('unpair', input);
    expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
    expect(answers.every((a) => a.data?.active === false)).toBe(true);
    expect(await accessEntries(elderId, 'unpair')).toBe(1);
    const [pairing] = await where<PairingDoc>(COLLECTIONS.elderPairings, { elderId });
    expect(pairing.active).toBe(false);
    expect((await where<ElderDoc>(COLLECTIONS.elders, { _id: elderId }))[0].pairedOpenids).toEqual(
      [],
    );
    const before = await snapshot(elderId);
    expect(await visits('unpair', input, cloud.other.url)).toMatchObject({
      ok: true,
      data: { elderId, openid: LI, active: false },
    });
    expect(await snapshot(elderId)).toBe(before);
  }, 30_000);

  it('a late retry of an unpair does not end a pairing made again since', async () => {
    const elderId = await anElder('陈爷爷');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const input = { elderId, openid: LI, clientRequestId: rid() };
    expect((await visits('unpair', input)).ok).toBe(true);
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const before = await snapshot(elderId);
    expect(await visits('unpair', input, cloud.other.url)).toMatchObject({
      ok: true,
      data: { active: true },
    });
    expect(await snapshot(elderId)).toBe(before);
  });

  it('refuses another request to end an ended pairing (NOT_PAIRED), writing nothing', async () => {
    const elderId = await anElder('褚奶奶');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    expect((await visits('unpair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const before = await snapshot(elderId);
    expect(
      await visits('unpair', { elderId, openid: LI, clientRequestId: rid() }, cloud.other.url),
    ).toMatchObject({ ok: false, code: 'NOT_PAIRED' });
    expect(await visits('unpair', { elderId, openid: LI })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await snapshot(elderId)).toBe(before);
  });
});
