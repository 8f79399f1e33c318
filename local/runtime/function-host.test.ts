import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePng, PNG_SIGNATURE } from './test-fixtures/png';
import QRCode from 'qrcode';
import { createFunctionHost, type FunctionHost } from './function-host';
import { grantSubscription, listOutbox, remainingSubscription } from './openapi';
import { createTimerScheduler, type TimerFiring } from './timers';
import { setRequestJitter } from '../cloud';

// Concurrent invocations interleave their database requests as production's instances do.
let previousJitter = 0;
beforeAll(() => {
  previousJitter = setRequestJitter(4);
});
afterAll(() => setRequestJitter(previousJitter));

/**
 * The host through the REAL wx-server-sdk and the local SQLite store, with the probe fixture
 * functions in ./test-fixtures (probe: default 3 s timeout, both openapi permissions; plain: 1 s,
 * no permissions, a timer every second).
 */

const FIXTURES = path.join(__dirname, 'test-fixtures');

interface Answer<T = Record<string, unknown>> {
  ok: boolean;
  code?: string;
  message?: string;
  data: T;
}

let dataDir: string;
let host: FunctionHost;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-host-'));
  host = createFunctionHost({
    dataDir,
    from: 'source',
    functionsDir: FIXTURES,
    env: { LINLI_PROBE_FLAG: 'on' },
    publicUrl: 'http://127.0.0.1:4321',
  });
  // The fixture's own collection; not part of the app's indexes.json.
  await host.database.createCollection('probes');
});

afterEach(() => {
  host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function call<T = Record<string, unknown>>(
  fn: string,
  action: string,
  input: object,
  openid?: string,
): Promise<Answer<T>> {
  return host.invoke(fn, { action, input }, openid ? { openid } : null) as Promise<Answer<T>>;
}

describe('function host', () => {
  it('lists the fixture functions and rejects unknown ones clearly', async () => {
    expect(host.functionNames()).toEqual(['plain', 'probe']);
    await expect(host.invoke('nope', {}, null)).rejects.toThrow(/unknown cloud function "nope"/);
  });

  it('gives each of 100 interleaved concurrent invocations its own OPENID', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call('probe', 'whoami', { tag: `t${i}` }, `openid-user-${i}`),
      ),
    );
    answers.forEach((a, i) => {
      const d = a.data as {
        before: string;
        openid: string;
        stored: string;
        tag: string;
        userInfo: { openId: string };
      };
      expect(d.before).toBe(`openid-user-${i}`);
      expect(d.openid).toBe(`openid-user-${i}`);
      expect(d.stored).toBe(`openid-user-${i}`);
      expect(d.tag).toBe(`t${i}`);
      expect(d.userInfo.openId).toBe(`openid-user-${i}`);
    });
    // Outside any invocation there is no caller.
    expect(host.sdk.getWXContext().OPENID).toBeUndefined();
  });

  it('sets environment variables for function code and restores them on close', () => {
    expect(process.env.LINLI_PROBE_FLAG).toBe('on');
    host.close();
    expect(process.env.LINLI_PROBE_FLAG).toBeUndefined();
  });

  it('answers FUNCTION_TIMEOUT past the config.json timeout', async () => {
    const started = Date.now();
    expect(host.config('probe').timeout).toBe(3);
    expect(host.config('plain').timeout).toBe(1);
    const a = await call('plain', 'sleep', { ms: 1500 }, 'openid-sleeper');
    expect(a).toEqual({ ok: false, code: 'FUNCTION_TIMEOUT', message: expect.any(String) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const quick = await call('plain', 'sleep', { ms: 10 }, 'openid-sleeper');
    expect(quick.ok).toBe(true);
    // Let the abandoned invocation finish before the store closes.
    await new Promise((r) => setTimeout(r, 600));
  });

  it('routes cloud.callFunction to the local function as the same caller', async () => {
    const a = await call<{ relayed: Answer<{ openid: string; tag: string }> }>(
      'probe',
      'relay',
      { tag: 'via' },
      'openid-relay-1',
    );
    expect(a.data.relayed).toMatchObject({
      ok: true,
      data: { openid: 'openid-relay-1', tag: 'via' },
    });
  });

  it('rejects when the function throws', async () => {
    await expect(call('probe', 'throw', {}, 'openid-thrower')).rejects.toThrow('probe failure');
  });

  it('allows only the openapi methods listed in permissions.openapi (-604101 otherwise)', async () => {
    const allowed = await call('probe', 'qrcode', { scene: 's=r29' }, 'openid-qr-user');
    expect(allowed).toEqual({
      ok: true,
      data: { contentType: 'image/png', bytes: expect.any(Number) },
    });
    const refused = await call('plain', 'qrcode', { scene: 's=r29' }, 'openid-qr-user');
    expect(refused).toMatchObject({ ok: false, message: '-604101' });
    const refusedSend = await call('plain', 'notify', {}, 'openid-qr-user');
    expect(refusedSend).toMatchObject({ ok: false, message: '-604101' });
  });

  it('fires a timer with no OPENID', async () => {
    const at = new Date('2025-03-03T18:00:00Z');
    const a = (await host.fireTimer('probe', 'nightly', at)) as Answer;
    expect(a).toEqual({
      ok: true,
      data: { trigger: 'nightly', time: '2025-03-03T18:00:00Z', openid: null },
    });
    await expect(host.fireTimer('probe', 'hourly')).rejects.toThrow(/no timer trigger "hourly"/);
  });

  it('runs timer triggers on their schedule', async () => {
    const firings: TimerFiring[] = [];
    const scheduler = createTimerScheduler(host, { onFire: (f) => firings.push(f) });
    scheduler.start();
    expect(
      scheduler
        .scheduled()
        .map((s) => `${s.functionName}/${s.triggerName}`)
        .sort(),
    ).toEqual(['plain/every-second', 'probe/nightly']);
    await new Promise((r) => setTimeout(r, 2300));
    scheduler.stop();
    await new Promise((r) => setTimeout(r, 50));
    const everySecond = firings.filter((f) => f.triggerName === 'every-second');
    expect(everySecond.length).toBeGreaterThanOrEqual(2);
    expect(everySecond.every((f) => !f.error && f.at.getMilliseconds() === 0)).toBe(true);
    expect((everySecond[0].result as Answer).data).toMatchObject({
      trigger: 'every-second',
      openid: null,
    });
    expect(firings.some((f) => f.triggerName === 'nightly')).toBe(false);
  });
});

describe('wxacode.getUnlimited', () => {
  it('answers a PNG QR code that encodes the H5 URL with the scene', async () => {
    const res = (await (
      host.sdk.openapi as { wxacode: { getUnlimited(p: object): Promise<unknown> } }
    ).wxacode.getUnlimited({
      scene: 's=r29',
      page: 'pages/index/index',
      width: 430,
    })) as { contentType: string; buffer: Buffer; errCode: number };
    expect(res.contentType).toBe('image/png');
    expect(res.errCode).toBe(0);
    expect(res.buffer.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const png = decodePng(res.buffer);
    expect(png.width).toBeGreaterThanOrEqual(280);
    expect(png.width).toBe(png.height);

    const url = 'http://127.0.0.1:4321/#/pages/index/index?scene=s%3Dr29';
    // The image's dark modules are exactly those of a QR code for that URL.
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const margin = 2;
    const scale = png.width / (size + 2 * margin);
    const dark = (x: number, y: number): boolean => {
      const px = Math.floor((x + margin + 0.5) * scale);
      const py = Math.floor((y + margin + 0.5) * scale);
      return png.data[(py * png.width + px) * 4] < 128;
    };
    let mismatches = 0;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if (dark(x, y) !== Boolean(qr.modules.get(y, x))) mismatches++;
    expect(mismatches).toBe(0);

    // And a QR decoder reads the URL back, when jsqr is installed.
    let jsQR:
      ((data: Uint8ClampedArray, w: number, h: number) => { data: string } | null) | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jsQR = require('jsqr') as typeof jsQR;
    } catch {
      jsQR = undefined;
    }
    if (jsQR) {
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).toBe(url);
    }
  });

  it('rejects a scene over 32 characters with 40169', async () => {
    const api = (host.sdk.openapi as { wxacode: { getUnlimited(p: object): Promise<unknown> } })
      .wxacode;
    await expect(api.getUnlimited({ scene: 'x'.repeat(33) })).rejects.toMatchObject({
      errCode: 40169,
    });
    await expect(api.getUnlimited({ scene: 'x'.repeat(32) })).resolves.toMatchObject({
      contentType: 'image/png',
    });
    await expect(api.getUnlimited({ scene: 'a b' })).rejects.toMatchObject({ errCode: 40129 });
  });
});

describe('subscribeMessage.send', () => {
  it('refuses with 43101 without consent and writes nothing', async () => {
    const a = await call('probe', 'notify', { templateId: 'tpl-booking' }, 'openid-no-consent');
    expect(a).toMatchObject({ ok: false, message: '43101' });
    expect(await listOutbox(host.database)).toEqual([]);
  });

  it('spends one consent per message and writes the outbox', async () => {
    expect(await grantSubscription(host.database, 'openid-consenting', 'tpl-booking', 1)).toBe(1);
    expect(await grantSubscription(host.database, 'openid-consenting', 'tpl-booking', 1)).toBe(2);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        call('probe', 'notify', { templateId: 'tpl-booking' }, 'openid-consenting'),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).map((r) => r.message)).toEqual(['43101']);
    expect(await remainingSubscription(host.database, 'openid-consenting', 'tpl-booking')).toBe(0);
    const outbox = await listOutbox(host.database);
    expect(outbox).toHaveLength(2);
    expect(outbox[0]).toMatchObject({
      touser: 'openid-consenting',
      templateId: 'tpl-booking',
      page: 'pages/index/index',
      data: { thing1: { value: '预约成功（示例）' } },
      sentBy: 'probe',
    });
  });
});
