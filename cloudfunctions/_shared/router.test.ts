import path from 'node:path';
import { COMMON_ERROR_MESSAGES, type Result } from '../../src/domain/shared/result';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { SECRET_DETAIL } from '../_test-support/functions/router-probe';

const PROBE_FUNCTIONS = path.join(__dirname, '..', '_test-support', 'functions');
const SECRETARY = 'secretary-0001';
const RESIDENT = 'resident-0001';

let cloud: TestCloud;

beforeEach(() => {
  cloud = startTestCloud({
    functionsDir: PROBE_FUNCTIONS,
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY },
  });
});

afterEach(() => cloud.close());

const probe = (action: unknown, input: unknown, openid: string | null = RESIDENT) =>
  cloud.call('router-probe', action, input, openid);

describe('createRouter: refused before any write', () => {
  it.each([
    ['an unknown action', 'dance'],
    ['a missing action', undefined],
    ['a non-string action', 42],
    ['an Object.prototype name', 'toString'],
    ['__proto__', '__proto__'],
  ])('answers UNKNOWN_ACTION to %s and creates no user', async (_label, action) => {
    const result = await probe(action, { text: 'hi' });
    expect(result).toEqual({
      ok: false,
      code: 'UNKNOWN_ACTION',
      message: COMMON_ERROR_MESSAGES.UNKNOWN_ACTION,
    });
    expect(await cloud.count('users')).toBe(0);
  });

  it('answers UNKNOWN_ACTION to an event that is not an object', async () => {
    const result = await cloud.host.invoke('router-probe', 'echo', { openid: RESIDENT });
    expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect(await cloud.count('users')).toBe(0);
  });

  it('answers INVALID_INPUT with the first issue in Chinese', async () => {
    const result = await probe('echo', { text: '这段文字太长了' });
    expect(result).toEqual({ ok: false, code: 'INVALID_INPUT', message: '内容最多 5 个字' });
    expect(await cloud.count('users')).toBe(0);
  });

  it('falls back to the generic message when the schema has no Chinese one', async () => {
    expect(await probe('echo', { text: 'ok', count: 'three' })).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: COMMON_ERROR_MESSAGES.INVALID_INPUT,
    });
    expect(await probe('echo', { text: 'ok', extra: true })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await probe('echo', 'not an object')).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await cloud.count('users')).toBe(0);
  });

  it('answers UNAUTHENTICATED when WeChat reports no caller', async () => {
    expect(await probe('echo', { text: 'hi' }, null)).toEqual({
      ok: false,
      code: 'UNAUTHENTICATED',
      message: COMMON_ERROR_MESSAGES.UNAUTHENTICATED,
    });
    expect(await cloud.count('users')).toBe(0);
  });
});

describe('createRouter: caller and role', () => {
  it('takes the caller from getWXContext, never from the event', async () => {
    const result = await cloud.host.invoke(
      'router-probe',
      {
        action: 'echo',
        input: { text: ' hi ' },
        openid: SECRETARY,
        OPENID: SECRETARY,
        userInfo: { openId: SECRETARY },
      },
      { openid: RESIDENT },
    );
    const data = expectOk<{
      text: string;
      openid: string;
      role: string;
      now: string;
      requestId: string | null;
    }>(result as Result<unknown>);
    expect(data).toMatchObject({ text: 'hi', openid: RESIDENT, role: 'resident' });
    expect(new Date(data.now).toISOString()).toBe(data.now);
    expect(data.requestId).toEqual(expect.any(String));
  });

  it('refuses a role the action does not allow', async () => {
    expect(await probe('secretaryOnly', {})).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: COMMON_ERROR_MESSAGES.FORBIDDEN,
    });
  });

  it('lets a secretary named in LINLI_SECRETARY_OPENIDS through', async () => {
    expect(await probe('secretaryOnly', {}, SECRETARY)).toEqual({ ok: true, data: { done: true } });
  });

  it('treats missing input as empty input', async () => {
    expect(
      await cloud.host.invoke('router-probe', { action: 'secretaryOnly' }, { openid: SECRETARY }),
    ).toEqual({
      ok: true,
      data: { done: true },
    });
  });
});

describe('createRouter: failures and timers', () => {
  it('answers INTERNAL to a thrown error, logs it, and leaks nothing', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await probe('explode', {});
      expect(result).toEqual({
        ok: false,
        code: 'INTERNAL',
        message: '服务暂时不可用，请稍后再试',
      });
      expect(JSON.stringify(result)).not.toContain('hunter2');
      expect(logged).toHaveBeenCalled();
      expect(logged.mock.calls.flat().map(String).join(' ')).toContain(SECRET_DETAIL);
    } finally {
      logged.mockRestore();
    }
  });

  it('sends a timer trigger to its timer handler, with no caller', async () => {
    const at = new Date('2025-03-01T18:00:00Z');
    const result = await cloud.host.fireTimer('router-probe', 'nightly', at);
    expect(result).toMatchObject({
      ok: true,
      data: { trigger: 'nightly', firedAt: '2025-03-01T18:00:00Z' },
    });
    expect(await cloud.count('users')).toBe(0);
  });

  it('does not let a signed-in client pose as a timer', async () => {
    const result = await cloud.host.invoke(
      'router-probe',
      { Type: 'Timer', TriggerName: 'nightly', Time: '2025-03-01T18:00:00Z' },
      { openid: RESIDENT },
    );
    expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });
});

describe('createRouter: event bounds (input-guard.ts)', () => {
  let warned: jest.SpyInstance;
  beforeEach(() => {
    warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warned.mockRestore());

  const deep = (depth: number): unknown => {
    let value: unknown = {};
    for (let i = 1; i < depth; i++) value = { a: value };
    return value;
  };

  it.each([
    ['nested 33 levels', () => ({ text: 'hi', count: deep(31) }), '输入内容层级过深（最多 32 层）'],
    [
      'nested 2,000 levels',
      () => ({ text: 'hi', count: deep(2000) }),
      '输入内容层级过深（最多 32 层）',
    ],
    [
      '20,000 values',
      () => ({ text: 'hi', count: new Array(20_000).fill(1) }),
      '输入内容项数过多（最多 10000 项）',
    ],
    ['2 MB of text', () => ({ text: 'a'.repeat(2 * 1024 * 1024) }), '输入内容过大（最多 1024 KB）'],
  ])(
    'answers INVALID_INPUT to input %s, as a signed-in caller, and writes nothing',
    async (_label, input, message) => {
      const result = await probe('echo', input());
      expect(result).toEqual({ ok: false, code: 'INVALID_INPUT', message });
      expect(await cloud.count('users')).toBe(0);
      expect(warned).toHaveBeenCalledWith(
        expect.stringMatching(/^\[router-probe\] event refused: (depth|nodes|bytes) over/),
        expect.anything(),
      );
    },
  );

  it('lets 32 levels through to the schema', async () => {
    expect(await probe('echo', { text: 'hi', count: deep(30) })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: COMMON_ERROR_MESSAGES.INVALID_INPUT,
    });
  });

  it.each([4_500, 100_000])(
    'refuses %i levels handed straight to main (as WeChat calls it), before any serialisation',
    async (depth) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { main } = require('../_test-support/functions/router-probe') as {
        main: (event: unknown) => Promise<Result<unknown>>;
      };
      const result = await main({ action: 'echo', input: { text: 'hi', count: deep(depth) } });
      expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(await cloud.count('users')).toBe(0);
    },
  );
});
