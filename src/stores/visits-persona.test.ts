import { __resetTaro } from '@/test-support/taro';
import { callCloud } from '@/cloud/client';
import { newVisitId, type VisitLogInput } from '@/domain/visits/visit-log';
import { resetVisitsStore, useVisitsStore, watchNetwork } from './visits';
import { queueKey, readQueue } from './visits-queue-storage';

/**
 * H5 with two people on one browser: the offline queue belongs to whoever saved the visit. The
 * persona is switched in the same page (no reload), as 我的 → 切换示例身份 does. The fake server
 * records, for every `log` call, whose session it was sent with.
 */
let mockSession: { token: string; openid: string } | null = null;
jest.mock('@/cloud/client', () => ({
  callCloud: jest.fn(),
  readLocalSession: () => mockSession,
}));

const mockedCall = callCloud as unknown as jest.Mock;
const LI = 'openid-li';
const ZHANG = 'openid-zhang';
let online = false;
/** visitId → openids it was sent as. */
let sentAs: Map<string, string[]>;
const env = process.env.TARO_ENV;

function aVisit(elderId: string): VisitLogInput {
  const end = new Date();
  return {
    visitId: newVisitId(end),
    elderId,
    startAt: new Date(end.getTime() - 30 * 60_000).toISOString(),
    endAt: end.toISOString(),
    outcome: 'visited',
    checklist: { health: 'ok', mood: 'ok', homeSafety: 'ok', needs: 'ok' },
    notes: '',
  };
}

const signIn = (openid: string | null) =>
  void (mockSession = openid ? { token: `token-${openid}`, openid } : null);

beforeAll(() => void (process.env.TARO_ENV = 'h5'));
afterAll(() => void (process.env.TARO_ENV = env));
beforeEach(() => {
  __resetTaro();
  resetVisitsStore();
  online = false;
  sentAs = new Map();
  mockedCall.mockReset();
  mockedCall.mockImplementation(async (_fn: string, action: string, input: VisitLogInput) => {
    if (!mockSession) return { ok: false, code: 'UNAUTHENTICATED', message: '请先选择身份登录' };
    if (!online) return { ok: false, code: 'NETWORK', message: '网络不给力，请检查网络后重试' };
    if (action === 'myElders') return { ok: true, data: { elders: [] } };
    sentAs.set(input.visitId, [...(sentAs.get(input.visitId) ?? []), mockSession.openid]);
    return {
      ok: true,
      data: { visit: { id: input.visitId }, status: { state: 'visited' }, replayed: false },
    };
  });
});

it("switching persona on H5 never sends one person's queued visits as another, and each keeps their own queue", async () => {
  signIn(LI);
  useVisitsStore.getState().restoreQueue();
  const liVisit = aVisit('elder_li');
  expect(await useVisitsStore.getState().submitVisit(liVisit, '赵奶奶')).toMatchObject({
    saved: true,
    sent: false,
  });
  expect(readQueue(LI).map((q) => q.visitId)).toEqual([liVisit.visitId]);

  // 李四 signs out and 张三 signs in on the same page; the network returns before any screen reloads the queue.
  signIn(ZHANG);
  online = true;
  await useVisitsStore.getState().flush();
  expect(sentAs.get(liVisit.visitId)).toBeUndefined();
  // The screen shows 张三's queue (empty), and 李四's visit was not copied under 张三's key.
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect(readQueue(ZHANG)).toEqual([]);
  expect(readQueue(LI).map((q) => q.visitId)).toEqual([liVisit.visitId]);

  // 张三's own visit goes as 张三.
  const zhangVisit = aVisit('elder_zhang');
  expect(await useVisitsStore.getState().submitVisit(zhangVisit, '钱爷爷')).toMatchObject({
    sent: true,
  });
  expect(sentAs.get(zhangVisit.visitId)).toEqual([ZHANG]);

  // Back to 李四: the visit waiting on the phone is 李四's again and goes as 李四, once.
  signIn(LI);
  expect(watchNetwork()).toBe(true);
  await useVisitsStore.getState().flush();
  expect(sentAs.get(liVisit.visitId)).toEqual([LI]);
  expect(readQueue(LI)).toEqual([]);
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect([...sentAs.values()].flat()).toEqual([ZHANG, LI]);
});

it('a send in flight when the persona changes completes as the person who saved it and stays in their queue only', async () => {
  signIn(LI);
  useVisitsStore.getState().restoreQueue();
  const a = aVisit('elder_li');
  const b = { ...aVisit('elder_li'), visitId: `${a.visitId}b` };
  await useVisitsStore.getState().submitVisit(a, '赵奶奶');
  await useVisitsStore.getState().submitVisit(b, '赵奶奶');
  online = true;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const answer = mockedCall.getMockImplementation()!;
  mockedCall.mockImplementation(async (...args: unknown[]) => {
    // The request leaves with the session of the moment it is made (as fetch does), then waits.
    const who = mockSession;
    await gate;
    const now = mockSession;
    mockSession = who;
    try {
      return await answer(...args);
    } finally {
      mockSession = now;
    }
  });
  const run = useVisitsStore.getState().flush();
  signIn(ZHANG); // while 李四's first visit is in flight
  useVisitsStore.getState().restoreQueue(); // 张三 opens 我的结对
  const zhangVisit = aVisit('elder_zhang');
  const submitted = useVisitsStore.getState().submitVisit(zhangVisit, '钱爷爷');
  release();
  await run;
  expect(await submitted).toMatchObject({ saved: true, sent: true });
  await useVisitsStore.getState().flush();
  expect(sentAs.get(a.visitId)).toEqual([LI]);
  expect(sentAs.get(b.visitId)).toBeUndefined();
  expect(sentAs.get(zhangVisit.visitId)).toEqual([ZHANG]);
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect(readQueue(ZHANG)).toEqual([]);
  expect(readQueue(LI).map((q) => q.visitId)).toEqual([b.visitId]);
  // 李四 again: the rest goes as 李四.
  signIn(LI);
  await useVisitsStore.getState().flush();
  expect(sentAs.get(b.visitId)).toEqual([LI]);
  expect(readQueue(LI)).toEqual([]);
  expect(queueKey(LI)).not.toBe(queueKey(ZHANG));
});
