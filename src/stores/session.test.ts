import { resetSessionStore, useSessionStore } from './session';
import { readLocalSession } from '@/cloud/client';
import { __resetTaro } from '@/test-support/taro';

/** The network edge, faked: the local server's answers to the H5 client. */
function fakeServer(answers: Record<string, { status: number; body: unknown }>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const key = String(url);
    calls.push({ url: key, init: init ?? {} });
    const answer = answers[key];
    if (!answer) throw new TypeError('Failed to fetch');
    return {
      ok: answer.status < 400,
      status: answer.status,
      json: async () => answer.body,
    } as Response;
  }) as typeof fetch;
  return calls;
}

const whoami = {
  openid: 'sample-resident-zhangsan',
  role: 'resident',
  profile: { nickname: '张三（示例）', avatarUrl: '', elderMode: false },
  createdAt: '2026-11-01T00:00:00.000Z',
  configuredSecretary: false,
};

describe('session store on H5 (local cloud)', () => {
  const prevEnv = process.env.TARO_ENV;
  beforeEach(() => {
    __resetTaro();
    resetSessionStore();
    process.env.TARO_ENV = 'h5';
  });
  afterEach(() => {
    process.env.TARO_ENV = prevEnv;
  });

  it('is signed out without a token and asks nothing of the server', async () => {
    const calls = fakeServer({});
    await useSessionStore.getState().load();
    expect(useSessionStore.getState().status).toBe('signed-out');
    expect(calls).toHaveLength(0);
  });

  it('signs in as a persona, keeps the token and sends it as a bearer token', async () => {
    const calls = fakeServer({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: 'v1.tok', openid: whoami.openid, role: 'resident' },
      },
      '/api/cloud/account': { status: 200, body: { ok: true, data: whoami } },
    });
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState().status).toBe('ready');
    expect(useSessionStore.getState().account?.profile.nickname).toBe('张三（示例）');
    expect(readLocalSession()).toEqual({ token: 'v1.tok', openid: whoami.openid });
    const cloudCall = calls.find((c) => c.url === '/api/cloud/account');
    expect((cloudCall?.init.headers as Record<string, string>).authorization).toBe('Bearer v1.tok');
    expect(JSON.parse(String(cloudCall?.init.body))).toEqual({ action: 'whoami', input: {} });
  });

  it('forgets a token the server no longer accepts', async () => {
    fakeServer({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: 'v1.old', openid: whoami.openid, role: 'resident' },
      },
      '/api/cloud/account': {
        status: 401,
        body: { ok: false, code: 'UNAUTHENTICATED', message: '请先登录' },
      },
    });
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState().status).toBe('signed-out');
    expect(readLocalSession()).toBeNull();
  });

  it('shows a Chinese error and stays usable when the network fails', async () => {
    fakeServer({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: 'v1.tok', openid: whoami.openid, role: 'resident' },
      },
    });
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState().status).toBe('error');
    expect(useSessionStore.getState().error).toBe('网络不给力，请检查网络后重试');
  });

  it('opens with the last account on the phone when the server cannot be reached, only for the same person', async () => {
    const signIn = (openid: string) => ({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: `v1.${openid}`, openid, role: 'resident' },
      },
    });
    fakeServer({
      ...signIn(whoami.openid),
      '/api/cloud/account': { status: 200, body: { ok: true, data: whoami } },
    });
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState()).toMatchObject({ status: 'ready', offline: false });

    resetSessionStore(); // the app opened again, with no signal
    fakeServer({});
    await useSessionStore.getState().load();
    expect(useSessionStore.getState()).toMatchObject({
      status: 'ready',
      offline: true,
      account: { openid: whoami.openid },
      error: '网络不给力，请检查网络后重试',
    });

    // Another person signed in on this browser gets no one else's account.
    fakeServer(signIn('sample-volunteer-lisi'));
    resetSessionStore();
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState()).toMatchObject({ status: 'error', account: null });
  });

  it('forgets the saved account on sign-out', async () => {
    fakeServer({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: 'v1.tok', openid: whoami.openid, role: 'resident' },
      },
      '/api/cloud/account': { status: 200, body: { ok: true, data: whoami } },
    });
    await useSessionStore.getState().signInAs('resident');
    useSessionStore.getState().signOut();
    fakeServer({
      '/api/dev/sign-in': {
        status: 200,
        body: { ok: true, token: 'v1.tok', openid: whoami.openid, role: 'resident' },
      },
    });
    await useSessionStore.getState().signInAs('resident');
    expect(useSessionStore.getState()).toMatchObject({ status: 'error', account: null });
  });
});
