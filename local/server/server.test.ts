import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { decodePng } from '../runtime/test-fixtures/png';
import { REPO_ROOT } from '../runtime/function-host';
import { PERSONAS, SAMPLE_SERVICES } from '../seed/data';
import { startServer, type RunningServer } from './server';
import { setRequestJitter } from '../cloud';

// Concurrent invocations interleave their database requests as production's instances do.
let previousJitter = 0;
beforeAll(() => {
  previousJitter = setRequestJitter(4);
});
afterAll(() => setRequestJitter(previousJitter));

/**
 * The server end to end over HTTP, with the probe fixture functions (local/runtime/test-fixtures)
 * run from source, a fresh data dir and a temporary static folder (no H5 build needed).
 */

const FIXTURES = path.join(REPO_ROOT, 'local', 'runtime', 'test-fixtures');

let dataDir: string;
let staticDir: string;
let server: RunningServer;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-server-'));
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>邻里一刻钟</title>');
  fs.mkdirSync(path.join(staticDir, 'js'));
  fs.writeFileSync(path.join(staticDir, 'js', 'app.3f2a9c1d.js'), 'console.log(1)');
  fs.writeFileSync(path.join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  fs.writeFileSync(path.join(dataDir, 'outside.txt'), 'secret');
  server = await startServer({
    port: 0,
    dataDir,
    staticDir,
    functions: { from: 'source', functionsDir: FIXTURES },
    timers: false,
    seed: true,
    log: (l) => logs.push(l),
  });
  // The fixture's own collection; not part of the app's indexes.json.
  await server.host.database.createCollection('probes');
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(staticDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function post(pathname: string, body: unknown, token?: string, raw?: string): Promise<Reply> {
  const res = await fetch(new URL(pathname, server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: raw ?? JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function signIn(persona: string): Promise<string> {
  const r = await post('/api/dev/sign-in', { persona });
  expect(r.status).toBe(200);
  return r.body.token as string;
}

describe('dev sign-in (local only)', () => {
  it('signs in the three sample personas with their roles', async () => {
    for (const [persona, expected] of Object.entries(PERSONAS)) {
      const r = await post('/api/dev/sign-in', { persona });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        ok: true,
        openid: expected.openid,
        role: expected.role,
        token: expect.any(String),
      });
    }
  });

  it('signs in any well-formed openid as a resident, and refuses junk', async () => {
    expect((await post('/api/dev/sign-in', { openid: 'someone-new-1' })).body).toMatchObject({
      openid: 'someone-new-1',
      role: 'resident',
    });
    expect((await post('/api/dev/sign-in', { persona: 'mayor' })).status).toBe(400);
    expect((await post('/api/dev/sign-in', { persona: '__proto__' })).status).toBe(400);
    expect((await post('/api/dev/sign-in', { openid: 'x' })).status).toBe(400);
  });
});

describe('POST /api/cloud/<function>', () => {
  it('runs the function as the signed-in caller', async () => {
    const token = await signIn('volunteer');
    const r = await post('/api/cloud/probe', { action: 'whoami', input: { tag: 'hello' } }, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      data: { openid: PERSONAS.volunteer.openid, stored: PERSONAS.volunteer.openid, tag: 'hello' },
    });
  });

  it('keeps callers apart under concurrency', async () => {
    const tokens = await Promise.all(['resident', 'volunteer', 'secretary'].map(signIn));
    const openids = [
      PERSONAS.resident.openid,
      PERSONAS.volunteer.openid,
      PERSONAS.secretary.openid,
    ];
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('/api/cloud/probe', { action: 'whoami', input: { tag: `n${i}` } }, tokens[i % 3]),
      ),
    );
    replies.forEach((r, i) =>
      expect((r.body.data as { openid: string }).openid).toBe(openids[i % 3]),
    );
  });

  it('needs a token the server signed', async () => {
    const none = await post('/api/cloud/probe', { action: 'whoami', input: {} });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const token = await signIn('resident');
    const [v, , exp, sig] = token.split('.');
    const forged = `${v}.${Buffer.from(PERSONAS.secretary.openid).toString('base64url')}.${exp}.${sig}`;
    expect((await post('/api/cloud/probe', { action: 'whoami', input: {} }, forged)).status).toBe(
      401,
    );
    expect(
      (await post('/api/cloud/probe', { action: 'whoami', input: {} }, 'not-a-token')).status,
    ).toBe(401);
  });

  it('refuses malformed JSON, non-objects and oversized bodies', async () => {
    const token = await signIn('resident');
    const bad = await post('/api/cloud/probe', null, token, '{"action": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_JSON');
    expect((await post('/api/cloud/probe', null, token, '[1,2]')).body.code).toBe('BAD_JSON');
    const big = await post(
      '/api/cloud/probe',
      { action: 'whoami', input: { tag: 'x'.repeat(300 * 1024) } },
      token,
    );
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('BODY_TOO_LARGE');
  });

  it.each([
    ['nested 33 levels', 33],
    ['nested 4,500 levels', 4_500],
    ['nested 100,000 levels', 100_000],
  ])('answers 400 INVALID_INPUT to input %s and runs nothing', async (_label, depth) => {
    const token = await signIn('resident');
    const before = (await server.host.database.collection('probes').count()).total;
    const raw = `{"action":"whoami","input":{"tag":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;
    const r = await post('/api/cloud/probe', null, token, raw);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '输入内容层级过深（最多 32 层）',
    });
    expect((await server.host.database.collection('probes').count()).total).toBe(before);
  });

  it('counts brackets inside strings as text, and refuses 20,000 values in a flat array', async () => {
    const token = await signIn('resident');
    const text = await post(
      '/api/cloud/probe',
      { action: 'whoami', input: { tag: '[{'.repeat(5000) } },
      token,
    );
    expect(text.status).toBe(200);
    const before = (await server.host.database.collection('probes').count()).total;
    const wide = await post(
      '/api/cloud/probe',
      { action: 'whoami', input: { tag: new Array(20_000).fill(0) } },
      token,
    );
    expect(wide.status).toBe(400);
    expect(wide.body).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: '输入内容项数过多（最多 10000 项）',
    });
    expect((await server.host.database.collection('probes').count()).total).toBe(before);
  });

  it('stops reading a body that grows past the limit without a content-length', async () => {
    const token = await signIn('resident');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        new URL('/api/cloud/probe', server.url),
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('answers unknown functions, unknown actions, wrong methods and thrown errors', async () => {
    const token = await signIn('resident');
    const unknownFn = await post('/api/cloud/nope', { action: 'x', input: {} }, token);
    expect(unknownFn.status).toBe(404);
    expect(unknownFn.body.code).toBe('UNKNOWN_FUNCTION');
    const unknownAction = await post('/api/cloud/probe', { action: 'dance', input: {} }, token);
    expect(unknownAction.status).toBe(200);
    expect(unknownAction.body.code).toBe('UNKNOWN_ACTION');
    const get = await fetch(new URL('/api/cloud/probe', server.url));
    expect(get.status).toBe(405);
    const thrown = await post('/api/cloud/probe', { action: 'throw', input: {} }, token);
    expect(thrown.status).toBe(500);
    expect(thrown.body).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(logs.some((l) => l.includes('probe failure'))).toBe(true);
    // Still serving after the failure.
    expect((await post('/api/cloud/probe', { action: 'whoami', input: {} }, token)).status).toBe(
      200,
    );
  });

  it('answers 504 FUNCTION_TIMEOUT past the function timeout', async () => {
    const token = await signIn('resident');
    const r = await post('/api/cloud/plain', { action: 'sleep', input: { ms: 1300 } }, token);
    expect(r.status).toBe(504);
    expect(r.body.code).toBe('FUNCTION_TIMEOUT');
    await new Promise((res) => setTimeout(res, 400));
  });
});

describe('dev QR code, subscribe and outbox (local only)', () => {
  it('serves the entrance QR code PNG and rejects long scenes', async () => {
    const res = await fetch(new URL('/api/dev/qrcode?scene=s%3Dr29', server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = decodePng(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBe(430);
    const long = await fetch(new URL(`/api/dev/qrcode?scene=${'x'.repeat(33)}`, server.url));
    expect(long.status).toBe(400);
  });

  it('grants consent for the caller, which a send then spends into the outbox', async () => {
    const token = await signIn('resident');
    expect((await post('/api/dev/subscribe', { templateIds: ['tpl-booking'] })).status).toBe(401);
    expect(
      (await post('/api/dev/subscribe', { templateIds: ['a', 'b', 'c', 'd'] }, token)).status,
    ).toBe(400);
    const granted = await post('/api/dev/subscribe', { templateIds: ['tpl-booking'] }, token);
    expect(granted.body).toEqual({ ok: true, data: { remaining: { 'tpl-booking': 1 } } });
    expect((await post('/api/cloud/probe', { action: 'notify', input: {} }, token)).body).toEqual({
      ok: true,
      data: { sent: true },
    });
    expect(
      (await post('/api/cloud/probe', { action: 'notify', input: {} }, token)).body,
    ).toMatchObject({ ok: false, message: '43101' });
    const outbox = (await (
      await fetch(new URL('/api/dev/outbox', server.url), {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      ok: boolean;
      data: Array<{ touser: string }>;
    };
    expect(outbox.ok).toBe(true);
    expect(outbox.data.map((e) => e.touser)).toEqual([PERSONAS.resident.openid]);
  });

  it('shows the outbox only to a signed-in caller, and only the messages sent to them', async () => {
    const resident = await signIn('resident');
    const volunteer = await signIn('volunteer');
    await post('/api/dev/subscribe', { templateIds: ['tpl-private'] }, volunteer);
    expect(
      (
        await post(
          '/api/cloud/probe',
          { action: 'notify', input: { templateId: 'tpl-private' } },
          volunteer,
        )
      ).body,
    ).toMatchObject({ ok: true });

    const anonymous = await fetch(new URL('/api/dev/outbox', server.url));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const forged = await fetch(new URL('/api/dev/outbox', server.url), {
      headers: { authorization: `Bearer ${volunteer}=` },
    });
    expect(forged.status).toBe(401);

    const read = async (token: string, query = '') =>
      (
        (await (
          await fetch(new URL(`/api/dev/outbox${query}`, server.url), {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { data: Array<{ touser: string }> }
      ).data;
    expect((await read(volunteer)).map((e) => e.touser)).toEqual([PERSONAS.volunteer.openid]);
    expect((await read(resident)).every((e) => e.touser === PERSONAS.resident.openid)).toBe(true);
    expect(await read(resident, '?limit=abc')).toHaveLength((await read(resident)).length);
    expect(await read(volunteer, '?limit=0')).toHaveLength(1);
  });
});

describe('static files', () => {
  it('serves index.html for / with revalidation', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('邻里一刻钟');
    const etag = res.headers.get('etag') as string;
    const again = await fetch(server.url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('caches hashed assets for a year', async () => {
    const res = await fetch(new URL('/js/app.3f2a9c1d.js', server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('serves the service worker for revalidation, so a new build’s worker is seen at once', async () => {
    const res = await fetch(new URL('/sw.js', server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for missing files, unknown API paths and escapes from the folder', async () => {
    expect((await fetch(new URL('/nope.js', server.url))).status).toBe(404);
    expect((await fetch(new URL('/api/nothing', server.url))).status).toBe(404);
    const escape = await new Promise<number>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/..%2F${path.basename(dataDir)}%2Foutside.txt`,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect(escape).toBe(404);
    expect((await fetch(server.url, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('seed', () => {
  it('seeded the sample space and its nine services once', async () => {
    const db = server.host.database;
    expect((await db.collection('spaces').doc('r29').get()).data).toMatchObject({
      name: 'R29社区生活空间（示例）',
      sample: true,
    });
    const { total } = await db.collection('services').where({ spaceId: 'r29' }).count();
    expect(total).toBe(SAMPLE_SERVICES.length);
  });
});

describe('two server processes on one data dir', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('share tokens and the database', async () => {
    child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['local/server/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        LINLI_DATA_DIR: dataDir,
        LINLI_FUNCTIONS: 'source',
        LINLI_FUNCTIONS_DIR: FIXTURES,
        LINLI_STATIC_DIR: staticDir,
        LINLI_TIMERS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const otherUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`child server did not start: ${out}`)),
        20_000,
      );
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child?.stderr?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child?.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
    });
    const token = await signIn('resident');
    const calls = (): Promise<{ total: number }> =>
      server.host.database.collection('probes').where({ kind: 'call' }).count();
    const before = (await calls()).total;
    const requests = Array.from({ length: 20 }, (_, i) =>
      fetch(new URL('/api/cloud/probe', i % 2 ? otherUrl : server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'whoami', input: { tag: `p${i}` } }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { data: { openid: string } },
      })),
    );
    const replies = await Promise.all(requests);
    replies.forEach((r) => {
      expect(r.status).toBe(200);
      expect(r.body.data.openid).toBe(PERSONAS.resident.openid);
    });
    expect((await calls()).total).toBe(before + 20);
  }, 30_000);
});
