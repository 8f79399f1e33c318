import Taro from '@tarojs/taro';
import { callCloud } from '@/cloud/client';
import { newVisitId, type VisitLogInput } from '@/domain/visits/visit-log';
import { WAITING_RETRY_MS, resetVisitsStore, useVisitsStore, watchNetwork } from './visits';
import { readQueue } from './visits-queue-storage';

/**
 * The client's offline queue, offline then online. The network edge is faked: `callCloud` answers
 * NETWORK while "offline", and the platform's network-status event is fired by hand.
 */
jest.mock('@/cloud/client', () => ({
  callCloud: jest.fn(),
  readLocalSession: () => null,
}));

const mockedCall = callCloud as unknown as jest.Mock;
let online = false;
/** What the fake server stored, by visit id: each id once, however often it arrives. */
let stored: Map<string, number>;
let networkListener: ((r: { isConnected: boolean }) => void) | null = null;

const OFFLINE = { ok: false, code: 'NETWORK', message: '网络不给力，请检查网络后重试' };

function aVisit(): VisitLogInput {
  const end = new Date();
  return {
    visitId: newVisitId(end),
    elderId: 'elder_sample_zhao',
    startAt: new Date(end.getTime() - 30 * 60_000).toISOString(),
    endAt: end.toISOString(),
    outcome: 'visited',
    checklist: { health: 'ok', mood: 'ok', homeSafety: 'ok', needs: 'ok' },
    notes: '',
  };
}

beforeEach(() => {
  resetVisitsStore();
  Taro.removeStorageSync('linli.visits.queue');
  online = false;
  stored = new Map();
  networkListener = null;
  Object.assign(Taro, {
    onNetworkStatusChange: (cb: (r: { isConnected: boolean }) => void) =>
      void (networkListener = cb),
  });
  mockedCall.mockReset();
  mockedCall.mockImplementation(async (_fn: string, action: string, input: VisitLogInput) => {
    if (!online) return OFFLINE;
    if (action === 'myElders') return { ok: true, data: { elders: [] } };
    const replayed = stored.has(input.visitId);
    stored.set(input.visitId, (stored.get(input.visitId) ?? 0) + 1);
    return {
      ok: true,
      data: { visit: { id: input.visitId }, status: { state: 'visited' }, replayed },
    };
  });
});

const logCalls = () => mockedCall.mock.calls.filter((c) => c[1] === 'log');

it('saves a visit on the phone with no network and sends it once when the network returns', async () => {
  expect(watchNetwork()).toBe(true);
  const visit = aVisit();
  const outcome = await useVisitsStore.getState().submitVisit(visit, '赵奶奶（示例）');
  expect(outcome).toMatchObject({
    saved: true,
    sent: false,
    message: '已保存在手机上，联网后自动发送',
  });
  expect(useVisitsStore.getState().queue).toEqual([
    expect.objectContaining({
      visitId: visit.visitId,
      state: 'waiting',
      attempts: 1,
      elderName: '赵奶奶（示例）',
    }),
  ]);
  // On the phone, not just in memory: a restarted app still has it.
  expect(readQueue(null).map((q) => q.visitId)).toEqual([visit.visitId]);
  resetVisitsStore();
  expect(useVisitsStore.getState().queue).toEqual([]);
  useVisitsStore.getState().restoreQueue();
  expect(useVisitsStore.getState().queue.map((q) => q.visitId)).toEqual([visit.visitId]);

  // The network returns.
  online = true;
  expect(watchNetwork()).toBe(true);
  networkListener?.({ isConnected: true });
  await useVisitsStore.getState().flush();
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect(readQueue(null)).toEqual([]);
  expect(stored.get(visit.visitId)).toBe(1);
  // Every attempt carried the same client id.
  expect(new Set(logCalls().map((c) => (c[2] as VisitLogInput).visitId))).toEqual(
    new Set([visit.visitId]),
  );
});

it('sends a visit once when the network event, app show and 重新发送 all fire while a send is in flight', async () => {
  const visit = aVisit();
  await useVisitsStore.getState().submitVisit(visit, '钱爷爷（示例）');
  online = true;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const answer = mockedCall.getMockImplementation()!;
  mockedCall.mockImplementation(async (...args: unknown[]) => {
    await gate;
    return answer(...args);
  });
  const runs = [
    useVisitsStore.getState().flush(),
    useVisitsStore.getState().flush(),
    useVisitsStore.getState().retryVisit(visit.visitId),
  ];
  expect(useVisitsStore.getState().queue[0].state).toBe('sending');
  expect(useVisitsStore.getState().flushing).toBe(true);
  release();
  await Promise.all(runs);
  expect(logCalls().filter((c) => (c[2] as VisitLogInput).visitId === visit.visitId)).toHaveLength(
    2,
  ); // one offline, one online
  expect(stored.get(visit.visitId)).toBe(1);
  expect(useVisitsStore.getState().queue).toEqual([]);
});

it('a visit whose answer was lost is sent again with the same id and the server replays it', async () => {
  online = true;
  const visit = aVisit();
  const answer = mockedCall.getMockImplementation()!;
  // The server stores it, but the answer never reaches the phone.
  mockedCall.mockImplementationOnce(async (...args: unknown[]) => {
    await answer(...args);
    return OFFLINE;
  });
  const first = await useVisitsStore.getState().submitVisit(visit, '孙奶奶（示例）');
  expect(first.sent).toBe(false);
  await useVisitsStore.getState().flush();
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect(stored.get(visit.visitId)).toBe(2); // arrived twice …
  expect(logCalls()).toHaveLength(2); // … and the fake server (like the real one, see cloudfunctions/visits) keeps one record per id
});

it('keeps a refused visit with the reason; the volunteer may retry or discard it', async () => {
  online = true;
  mockedCall.mockImplementation(async () => ({
    ok: false,
    code: 'ELDER_NOT_FOUND',
    message: '没有找到这位老人，或您没有查看权限',
  }));
  const visit = aVisit();
  const outcome = await useVisitsStore.getState().submitVisit(visit, '李奶奶（示例）');
  expect(outcome).toMatchObject({
    saved: true,
    sent: false,
    message: '没有找到这位老人，或您没有查看权限',
  });
  expect(useVisitsStore.getState().queue[0]).toMatchObject({ state: 'rejected' });
  // A later flush does not resend it on its own.
  await useVisitsStore.getState().flush();
  expect(logCalls()).toHaveLength(1);
  useVisitsStore.getState().discardVisit(visit.visitId);
  expect(useVisitsStore.getState().queue).toEqual([]);
  expect(readQueue(null)).toEqual([]);
});

it('stops at the first network failure and keeps the rest in order', async () => {
  const a = aVisit();
  const b = { ...aVisit(), visitId: `${a.visitId}b` };
  await useVisitsStore.getState().submitVisit(a, '甲');
  await useVisitsStore.getState().submitVisit(b, '乙');
  expect(useVisitsStore.getState().queue.map((q) => q.state)).toEqual(['waiting', 'waiting']);
  online = true;
  expect(await useVisitsStore.getState().flush()).toEqual({ sent: 2, waiting: 0 });
  expect([...stored.keys()]).toEqual([a.visitId, b.visitId]);
});

it('sends one request id for a new elder until the server answers, and a new one for the next submission', async () => {
  const draft = {
    name: '赵奶奶',
    age: 82,
    building: '3',
    unit: '2',
    livingSituation: 'alone',
    riskLevel: 'high',
    emergencyContacts: [{ name: '赵小明', relation: '儿子', phone: '13800002222' }],
    consent: { version: '2025-01', by: 'elder' },
  } as const;
  const save = () =>
    useVisitsStore
      .getState()
      .saveElder({ ...draft, emergencyContacts: [...draft.emergencyContacts] });
  expect(await save()).toMatchObject({ ok: false });
  expect(await save()).toMatchObject({ ok: false });
  online = true;
  mockedCall.mockImplementation(async (_fn: string, action: string) =>
    action === 'saveElder'
      ? { ok: true, data: { id: 'elder_x' } }
      : { ok: true, data: { elders: [] } },
  );
  expect(await save()).toMatchObject({ ok: true });
  expect(await save()).toMatchObject({ ok: true });
  const ids = mockedCall.mock.calls
    .filter((c) => c[1] === 'saveElder')
    .map((c) => (c[2] as { clientRequestId: string }).clientRequestId);
  expect(ids).toHaveLength(4);
  expect(ids[0]).toBe(ids[1]);
  expect(ids[2]).toBe(ids[0]);
  expect(ids[3]).not.toBe(ids[2]);
});

it('sends one request id for a pairing (and for ending it) until the server answers, and a new one next time', async () => {
  const pair = () => useVisitsStore.getState().pair('elder_x', 'volunteer-li', null);
  const unpair = () => useVisitsStore.getState().unpair('elder_x', 'volunteer-li');
  expect(await pair()).toMatchObject({ ok: false });
  expect(await unpair()).toMatchObject({ ok: false });
  online = true;
  mockedCall.mockImplementation(async () => ({ ok: true, data: {} }));
  expect(await pair()).toMatchObject({ ok: true });
  expect(await unpair()).toMatchObject({ ok: true });
  expect(await pair()).toMatchObject({ ok: true });
  const ids = (action: string) =>
    mockedCall.mock.calls
      .filter((c) => c[1] === action)
      .map((c) => (c[2] as { clientRequestId: string }).clientRequestId);
  const [offlinePair, retriedPair, nextPair] = ids('pair');
  expect(retriedPair).toBe(offlinePair);
  expect(nextPair).not.toBe(offlinePair);
  const [offlineUnpair, retriedUnpair] = ids('unpair');
  expect(retriedUnpair).toBe(offlineUnpair);
  expect(retriedUnpair).not.toBe(retriedPair);
});

it('counts the visits a retried confirmation had recorded (replayed) as confirmed', async () => {
  online = true;
  mockedCall.mockImplementation(async (_fn: string, action: string) =>
    action === 'confirmVisits'
      ? { ok: true, data: { confirmed: 0, replayed: 2, skipped: [] } }
      : { ok: true, data: [] },
  );
  expect(await useVisitsStore.getState().confirmVisits(['v1', 'v2'])).toMatchObject({
    ok: true,
    message: '已确认 2 条',
    data: { confirmed: 2 },
  });
});

describe('我的结对 with no signal', () => {
  const elder = { id: 'elder_sample_zhao', name: '赵奶奶（示例）', maskedPhone: '138****2222' };
  beforeEach(() => Taro.removeStorageSync('linli.visits.mine'));

  it('keeps the last list on the phone and shows it, with when it was saved, when the server cannot be reached', async () => {
    online = true;
    mockedCall.mockImplementation(async () =>
      online ? { ok: true, data: { elders: [elder] } } : OFFLINE,
    );
    await useVisitsStore.getState().loadMine();
    expect(useVisitsStore.getState()).toMatchObject({
      mine: { status: 'ready' },
      mineSavedAt: null,
    });

    resetVisitsStore(); // the app opened again
    online = false;
    await useVisitsStore.getState().loadMine();
    const { mine, mineSavedAt } = useVisitsStore.getState();
    expect(mine).toMatchObject({ status: 'error', data: [elder] });
    expect(typeof mineSavedAt).toBe('string');

    online = true;
    await useVisitsStore.getState().loadMine();
    expect(useVisitsStore.getState()).toMatchObject({
      mine: { status: 'ready' },
      mineSavedAt: null,
    });
  });

  it('shows nothing saved when nothing was ever loaded', async () => {
    await useVisitsStore.getState().loadMine();
    expect(useVisitsStore.getState()).toMatchObject({
      mine: { status: 'error', data: null },
      mineSavedAt: null,
    });
  });
});

it('sends a waiting visit when the network is back even if no network event arrives', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    expect(watchNetwork()).toBe(true);
    const visit = aVisit();
    await useVisitsStore.getState().submitVisit(visit, '赵奶奶（示例）');
    expect(useVisitsStore.getState().queue).toHaveLength(1);
    // Still no network at the next try: it keeps waiting.
    await jest.advanceTimersByTimeAsync(WAITING_RETRY_MS);
    expect(useVisitsStore.getState().queue).toHaveLength(1);
    online = true; // back, but nobody says so
    await jest.advanceTimersByTimeAsync(WAITING_RETRY_MS);
    expect(useVisitsStore.getState().queue).toEqual([]);
    expect(stored.get(visit.visitId)).toBe(1);
  } finally {
    jest.useRealTimers();
  }
});
