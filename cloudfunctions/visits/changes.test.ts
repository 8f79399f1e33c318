import { COLLECTIONS } from '../_shared/collections';
import type { ElderRecord, Flag, VisitSettings } from '../../src/domain/contract/visits';
import { DEFAULT_CADENCE } from '../../src/domain/visits/cadence';
import { type AccessLogDoc, type ElderDoc, type FlagDoc } from './docs';
import { aRegistration, aVisit, anElderDraft } from './fixtures';
import { rid } from '../volunteer/fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startTwoServers, type Answer, type TwoServers } from '../_test-support/two-servers';

interleaveDatabaseRequests();

/**
 * The secretary's other changes, raced and retried over two server processes on one data file:
 * a change to an elder, the cadence, an archive and an acknowledged flag are each made (and
 * logged) once for copies of one request, and a later retry answers what is recorded without
 * writing its own change over a later one.
 */

const SECRETARY = 'secretary-changes';
const OTHER_SECRETARY = 'secretary-changes-2';
const LI = 'volunteer-li-changes';
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
const copies = <T>(action: string, input: unknown) =>
  Promise.all(
    Array.from({ length: COPIES }, (_, i) =>
      visits<T>(action, input, i % 2 ? cloud.other.url : undefined),
    ),
  );
const okAll = (answers: Array<Answer<unknown>>) =>
  expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));

const db = () => cloud.db();
async function where<T>(collection: string, condition: Record<string, unknown>): Promise<T[]> {
  return (await db().collection(collection).where(condition).limit(100).get()).data as T[];
}
const logged = async (condition: Record<string, unknown>) =>
  (await where<AccessLogDoc>(COLLECTIONS.elderAccessLog, condition)).length;

async function anElder(name: string): Promise<string> {
  return (
    await visits<ElderRecord>('saveElder', {
      clientRequestId: rid(),
      draft: anElderDraft({ name }),
    })
  ).data!.id;
}

beforeAll(async () => {
  cloud = await startTwoServers({
    name: 'visit-changes',
    secretaries: `${SECRETARY},${OTHER_SECRETARY}`,
  });
  for (const who of [SECRETARY, OTHER_SECRETARY, LI]) await cloud.signIn(who);
  expect((await call(LI, 'volunteer', 'register', aRegistration())).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('saveElder (a change)', () => {
  it(`changes and logs once for ${COPIES} copies of one request; a later retry does not undo a later change`, async () => {
    const elderId = await anElder('赵奶奶');
    const change = {
      elderId,
      draft: anElderDraft({ name: '赵奶奶', notes: '换了新电话' }),
      clientRequestId: rid(),
    };
    const answers = await copies<ElderRecord>('saveElder', change);
    okAll(answers);
    expect(answers.every((a) => a.data?.notes === '换了新电话')).toBe(true);
    expect(await logged({ elderId, action: 'update' })).toBe(1);
    expect(
      (
        await visits('saveElder', {
          elderId,
          draft: anElderDraft({ name: '赵奶奶', notes: '又改了' }),
          clientRequestId: rid(),
        })
      ).ok,
    ).toBe(true);
    const before = JSON.stringify([
      await where(COLLECTIONS.elders, { _id: elderId }),
      await logged({ elderId }),
    ]);
    expect(await visits<ElderRecord>('saveElder', change, cloud.other.url)).toMatchObject({
      ok: true,
      data: { notes: '又改了' },
    });
    expect(
      JSON.stringify([
        await where(COLLECTIONS.elders, { _id: elderId }),
        await logged({ elderId }),
      ]),
    ).toBe(before);
  }, 30_000);

  it('keeps the keys of two different changes that raced, so a late retry of either writes nothing', async () => {
    const elderId = await anElder('王奶奶');
    const a = {
      elderId,
      draft: anElderDraft({ name: '王奶奶', notes: '甲' }),
      clientRequestId: rid(),
    };
    const b = {
      elderId,
      draft: anElderDraft({ name: '王奶奶', notes: '乙' }),
      clientRequestId: rid(),
    };
    const raced = await Promise.all([
      visits('saveElder', a),
      visits('saveElder', b, cloud.other.url),
    ]);
    expect(raced.map((r) => r.ok)).toEqual([true, true]);
    expect(
      (
        await visits('saveElder', {
          elderId,
          draft: anElderDraft({ name: '王奶奶', notes: '丙' }),
          clientRequestId: rid(),
        })
      ).ok,
    ).toBe(true);
    const before = JSON.stringify([
      await where(COLLECTIONS.elders, { _id: elderId }),
      await logged({ elderId }),
    ]);
    for (const retry of [a, b])
      expect(await visits<ElderRecord>('saveElder', retry)).toMatchObject({
        ok: true,
        data: { notes: '丙' },
      });
    expect(
      JSON.stringify([
        await where(COLLECTIONS.elders, { _id: elderId }),
        await logged({ elderId }),
      ]),
    ).toBe(before);
  });

  it('refuses a new change to an archived elder, writing nothing but answering a retry of a change made before', async () => {
    const elderId = await anElder('钱爷爷');
    const change = {
      elderId,
      draft: anElderDraft({ name: '钱爷爷', notes: '搬到女儿家' }),
      clientRequestId: rid(),
    };
    expect((await visits('saveElder', change)).ok).toBe(true);
    expect((await visits('archiveElder', { elderId, reason: '搬走了' })).ok).toBe(true);
    const before = JSON.stringify([
      await where(COLLECTIONS.elders, { _id: elderId }),
      await logged({ elderId }),
    ]);
    expect(await visits('saveElder', change, cloud.other.url)).toMatchObject({
      ok: true,
      data: { archived: true, notes: '搬到女儿家' },
    });
    expect(await visits('saveElder', { ...change, clientRequestId: rid() })).toMatchObject({
      ok: false,
      code: 'ELDER_ARCHIVED',
    });
    expect(
      JSON.stringify([
        await where(COLLECTIONS.elders, { _id: elderId }),
        await logged({ elderId }),
      ]),
    ).toBe(before);
  });
});

describe('saveSettings', () => {
  const weekly = (count: number) => ({
    ...DEFAULT_CADENCE,
    levels: {
      ...DEFAULT_CADENCE.levels,
      high: { every: { unit: 'week' as const, count }, dueSoonDays: 2 },
    },
  });
  const settingsLogged = () => logged({ action: 'update', detail: '修改探访周期' });

  it(`saves and logs once for ${COPIES} copies of one request (also the first save); a later retry answers the cadence in force`, async () => {
    const first = { cadence: weekly(2), clientRequestId: rid() };
    const answers = await copies<VisitSettings>('saveSettings', first);
    okAll(answers);
    expect(answers.every((a) => a.data?.cadence.levels.high.every.count === 2)).toBe(true);
    expect(await settingsLogged()).toBe(1);
    const second = await copies<VisitSettings>('saveSettings', {
      cadence: weekly(3),
      clientRequestId: rid(),
    });
    okAll(second);
    expect(await settingsLogged()).toBe(2);
    const before = JSON.stringify([
      await where(COLLECTIONS.visitSettings, {}),
      await settingsLogged(),
    ]);
    expect(await visits<VisitSettings>('saveSettings', first, cloud.other.url)).toMatchObject({
      ok: true,
      data: { cadence: weekly(3) },
    });
    expect(
      JSON.stringify([await where(COLLECTIONS.visitSettings, {}), await settingsLogged()]),
    ).toBe(before);
  }, 30_000);

  it('refuses a cadence without a request id and a volunteer, writing nothing but the refusal', async () => {
    const before = JSON.stringify(await where(COLLECTIONS.visitSettings, {}));
    expect(await visits('saveSettings', { cadence: weekly(1) })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await call(LI, 'visits', 'saveSettings', { cadence: weekly(1), clientRequestId: rid() }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(JSON.stringify(await where(COLLECTIONS.visitSettings, {}))).toBe(before);
  });
});

describe('archiveElder', () => {
  it(`archives and logs once for ${COPIES} copies of one request; a retry answers archived`, async () => {
    const elderId = await anElder('孙奶奶');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const input = { elderId, reason: '住进养老院' };
    const answers = await copies('archiveElder', input);
    expect(answers).toEqual(answers.map(() => ({ ok: true, data: { elderId, archived: true } })));
    expect(await logged({ elderId, action: 'archive' })).toBe(1);
    const [elder] = await where<ElderDoc>(COLLECTIONS.elders, { _id: elderId });
    expect(elder).toMatchObject({ status: 'archived', pairedOpenids: [] });
    expect(await visits('archiveElder', input, cloud.other.url)).toEqual({
      ok: true,
      data: { elderId, archived: true },
    });
    expect(await logged({ elderId, action: 'archive' })).toBe(1);
  }, 30_000);
});

describe('acknowledgeFlag', () => {
  it(`acknowledges and logs once for ${COPIES} copies; a retry and another secretary see who acknowledged it`, async () => {
    const elderId = await anElder('李爷爷');
    expect((await visits('pair', { elderId, openid: LI, clientRequestId: rid() })).ok).toBe(true);
    const visit = aVisit(elderId, { urgent: true, urgentNote: '家中燃气味' });
    expect((await call(LI, 'visits', 'log', visit)).ok).toBe(true);
    const flagId = `flag_${visit.visitId}`;
    const answers = await copies<Flag>('acknowledgeFlag', { flagId, note: '已联系燃气公司' });
    okAll(answers);
    expect(
      answers.every((a) => a.data?.status === 'acknowledged' && a.data.acknowledgedBy === '我'),
    ).toBe(true);
    expect(await logged({ elderId, action: 'acknowledge-flag' })).toBe(1);
    expect((await where<ElderDoc>(COLLECTIONS.elders, { _id: elderId }))[0].openFlags).toBe(0);
    const before = JSON.stringify([
      await where<FlagDoc>(COLLECTIONS.elderFlags, { _id: flagId }),
      await logged({ elderId }),
    ]);
    const seen = await call<Flag>(
      OTHER_SECRETARY,
      'visits',
      'acknowledgeFlag',
      { flagId, note: '我也处理' },
      cloud.other.url,
    );
    expect(seen).toMatchObject({
      ok: true,
      data: { status: 'acknowledged', acknowledgeNote: '已联系燃气公司' },
    });
    expect(seen.data?.acknowledgedBy).not.toBe('我');
    expect(
      JSON.stringify([
        await where<FlagDoc>(COLLECTIONS.elderFlags, { _id: flagId }),
        await logged({ elderId }),
      ]),
    ).toBe(before);
    expect(await visits('acknowledgeFlag', { flagId: 'flag_none' })).toMatchObject({
      ok: false,
      code: 'FLAG_NOT_FOUND',
    });
  }, 30_000);
});
