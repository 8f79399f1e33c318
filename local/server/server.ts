import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  configuredSecretaries,
  effectiveRole,
  ROLES,
  type Role,
} from '../../src/domain/account/roles';
import { COMMON_ERROR_MESSAGES } from '../../src/domain/shared/result';
import {
  createFunctionHost,
  DEFAULT_PORT,
  REPO_ROOT,
  UnknownFunctionError,
  type FunctionHost,
} from '../runtime/function-host';
import {
  getUnlimited,
  grantSubscription,
  OpenApiError,
  OUTBOX_COLLECTION,
  type OutboxEntry,
} from '../runtime/openapi';
import { createTimerScheduler, type TimerScheduler } from '../runtime/timers';
import { PERSONAS, SAMPLE_SECRETARY_OPENIDS, type PersonaName } from '../seed/data';
import { seedOnce } from '../seed/seed';
import { eventRefusal, jsonDepthRefusal } from '../../cloudfunctions/_shared/input-guard';
import {
  bearerToken,
  createTokenSigner,
  isValidOpenid,
  loadOrCreateSecret,
  type TokenSigner,
} from './tokens';

/**
 * The local server: ONE Node http server that serves the H5 build and runs the cloud functions.
 *
 *   GET  /…                       the H5 build (dist-h5/), index.html for "/"
 *   POST /api/cloud/<function>    body = callFunction `data` ({action, input}); answer = the
 *                                 function's JSON result. Needs `Authorization: Bearer <token>`.
 *
 * LOCAL ONLY (dev endpoints, off with `devEndpoints: false` / LINLI_DEV_ENDPOINTS=0; they do not
 * exist in production, where WeChat signs people in and sends messages). What each shows, to whom:
 *   POST /api/dev/sign-in         {persona} | {openid} → {token, openid, role}: anyone on this
 *                                 machine may pick an identity (WeChat's login, locally); shows
 *                                 only the chosen identity's own role.
 *   POST /api/dev/subscribe       {templateIds}, signed in → grants the caller one message per template.
 *   GET  /api/dev/qrcode?scene=…  the entrance QR code PNG (wxacode.getUnlimited); public: it holds
 *                                 the H5 address and the scene, no personal data.
 *   GET  /api/dev/outbox          signed in → the subscribe messages "sent" TO THE CALLER, newest
 *                                 first (a message may carry an elder's name or an urgent note,
 *                                 so nobody reads another person's messages; sign in as them).
 */

/** Largest request body accepted, in bytes (256 KB). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Outbox entries answered when no limit is asked for (at most 100). */
const OUTBOX_PAGE = 20;
/** WeChat's requestSubscribeMessage asks for at most 3 templates at once. */
const MAX_TEMPLATES_PER_PROMPT = 3;
/** Cache lifetime of static files whose name carries a content hash, in seconds (1 year). */
const IMMUTABLE_MAX_AGE = 31_536_000;

export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 10086. */
  port?: number;
  /** Interface to bind; the local cloud listens on loopback only. */
  host?: string;
  dataDir: string;
  /** Folder of the H5 build; default <repo>/dist-h5. */
  staticDir?: string;
  /** Where the functions come from; default the built bundles in <repo>/dist-functions. */
  functions?: { from: 'built' | 'source'; functionsDir?: string };
  /** Comma-separated secretary openids for the functions; default LINLI_SECRETARY_OPENIDS or the sample secretary. */
  secretaryOpenids?: string;
  /** Extra environment variables for function code. */
  env?: Record<string, string>;
  /** Base URL QR codes point at; default LINLI_PUBLIC_URL or this server's URL. */
  publicUrl?: string;
  /** Serve /api/dev/*; default true (this server is the local cloud). */
  devEndpoints?: boolean;
  /** Run config.json timer triggers on schedule; default true. */
  timers?: boolean;
  /** Seed the sample data if this data dir has none; default false (scripts/start.ts seeds). */
  seed?: boolean;
  /** Log line sink; default console.log. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  host: FunctionHost;
  tokens: TokenSigner;
  close(): Promise<void>;
}

interface JsonError {
  ok: false;
  code: string;
  message: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function fail(code: string, message: string): JsonError {
  return { ok: false, code, message };
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonError,
  ) {
    super(body.code);
  }
}

/** Read a JSON object body of at most MAX_BODY_BYTES; stops reading as soon as it is too big. */
function readJsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const tooLarge = new BodyError(413, fail('BODY_TOO_LARGE', '请求内容过大'));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.pause();
      reject(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        req.pause();
        reject(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      // Depth first, on the text: nothing recursive (JSON.parse, the function host's JSON
      // round trip, the schema) ever sees input nested deeper than the functions accept.
      const tooDeep = jsonDepthRefusal(text);
      if (tooDeep) {
        reject(new BodyError(400, fail('INVALID_INPUT', tooDeep.message)));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        reject(new BodyError(400, fail('BAD_JSON', '请求内容不是有效的 JSON')));
        return;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        reject(new BodyError(400, fail('BAD_JSON', '请求内容必须是 JSON 对象')));
        return;
      }
      const outOfBounds = eventRefusal(parsed);
      if (outOfBounds) {
        reject(new BodyError(400, fail('INVALID_INPUT', outOfBounds.message)));
        return;
      }
      resolve(parsed as Record<string, unknown>);
    });
  });
}

/** Static files of the H5 build, with cache headers, ETags and no escape from the folder. */
function serveStatic(
  staticDir: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, fail('METHOD_NOT_ALLOWED', '不支持的请求方式'), { allow: 'GET, HEAD' });
    return;
  }
  const notFound = (): void => {
    const text = '404 未找到该页面';
    res.writeHead(404, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    notFound();
    return;
  }
  if (decoded.includes('\0')) {
    notFound();
    return;
  }
  const root = path.resolve(staticDir);
  let file = path.resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    notFound();
    return;
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    if (stat.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = fs.statSync(file);
    }
  } catch {
    notFound();
    return;
  }
  if (!stat.isFile()) {
    notFound();
    return;
  }
  const ext = path.extname(file).toLowerCase();
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  // index.html must be revalidated so a new build shows at once; hashed assets never change.
  const hashed = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i.test(path.basename(file));
  // The service worker too: a new build's worker must be seen at once.
  const cacheControl =
    ext === '.html' || path.basename(file) === 'sw.js'
      ? 'no-cache'
      : hashed
        ? `public, max-age=${IMMUTABLE_MAX_AGE}, immutable`
        : 'public, max-age=300';
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
    'last-modified': stat.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = stat.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const listenHost = options.host ?? '127.0.0.1';
  const staticDir = options.staticDir ?? path.join(REPO_ROOT, 'dist-h5');
  const devEndpoints = options.devEndpoints ?? true;
  const secretaryOpenids =
    options.secretaryOpenids ?? process.env.LINLI_SECRETARY_OPENIDS ?? SAMPLE_SECRETARY_OPENIDS;
  const secretaries = configuredSecretaries(secretaryOpenids);
  let ownUrl = '';

  const host = createFunctionHost({
    dataDir: options.dataDir,
    from: options.functions?.from ?? 'built',
    functionsDir: options.functions?.functionsDir,
    env: { ...options.env, LINLI_SECRETARY_OPENIDS: secretaryOpenids },
    publicUrl: () => options.publicUrl ?? process.env.LINLI_PUBLIC_URL ?? ownUrl,
    log,
  });
  const tokens = createTokenSigner(loadOrCreateSecret(options.dataDir));
  let scheduler: TimerScheduler | undefined;

  try {
    if (options.seed) {
      const report = await seedOnce(host.database);
      if (report.seeded) log(`[local-cloud] seeded sample data (${report.inserted} documents)`);
    }
  } catch (e) {
    host.close();
    throw e;
  }

  /** The signed-in caller's openid, or null. */
  function caller(req: http.IncomingMessage): string | null {
    const token = bearerToken(req.headers.authorization);
    return token ? tokens.verify(token) : null;
  }

  async function roleOf(openid: string): Promise<Role> {
    const doc = await host.database.collection('users').doc(openid).get();
    const stored = doc.data?.role;
    const role =
      typeof stored === 'string' && (ROLES as readonly string[]).includes(stored)
        ? (stored as Role)
        : undefined;
    return effectiveRole(role, openid, secretaries);
  }

  const unauthenticated = (res: http.ServerResponse): void =>
    sendJson(res, 401, fail('UNAUTHENTICATED', COMMON_ERROR_MESSAGES.UNAUTHENTICATED), {
      'www-authenticate': 'Bearer',
    });

  async function handleCloud(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string,
  ): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, fail('METHOD_NOT_ALLOWED', '不支持的请求方式'), { allow: 'POST' });
      return;
    }
    const openid = caller(req);
    if (!openid) {
      unauthenticated(res);
      return;
    }
    if (!host.functionNames().includes(name)) {
      sendJson(res, 404, fail('UNKNOWN_FUNCTION', '不存在的云函数'));
      return;
    }
    const event = await readJsonBody(req);
    let result: unknown;
    try {
      result = await host.invoke(name, event, { openid });
    } catch (e) {
      if (e instanceof UnknownFunctionError) {
        sendJson(res, 404, fail('UNKNOWN_FUNCTION', '不存在的云函数'));
        return;
      }
      throw e;
    }
    const timedOut =
      typeof result === 'object' &&
      result !== null &&
      (result as { code?: unknown }).code === 'FUNCTION_TIMEOUT';
    sendJson(res, timedOut ? 504 : 200, result);
  }

  async function handleDev(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: string,
    url: URL,
  ): Promise<void> {
    const allow = (method: string): boolean => {
      if (req.method === method) return true;
      sendJson(res, 405, fail('METHOD_NOT_ALLOWED', '不支持的请求方式'), { allow: method });
      return false;
    };
    switch (route) {
      case 'sign-in': {
        if (!allow('POST')) return;
        const body = await readJsonBody(req);
        let openid: string;
        if (typeof body.persona === 'string') {
          const persona = PERSONAS[body.persona as PersonaName] as
            (typeof PERSONAS)[PersonaName] | undefined;
          if (!persona || !Object.prototype.hasOwnProperty.call(PERSONAS, body.persona)) {
            sendJson(res, 400, fail('UNKNOWN_PERSONA', '没有这个示例身份'));
            return;
          }
          openid = persona.openid;
        } else if (isValidOpenid(body.openid)) {
          openid = body.openid;
        } else {
          sendJson(res, 400, fail('INVALID_INPUT', '请选择示例身份，或提供格式正确的用户标识'));
          return;
        }
        sendJson(res, 200, {
          ok: true,
          token: tokens.sign(openid),
          openid,
          role: await roleOf(openid),
        });
        return;
      }
      case 'subscribe': {
        if (!allow('POST')) return;
        const openid = caller(req);
        if (!openid) {
          unauthenticated(res);
          return;
        }
        const body = await readJsonBody(req);
        const ids = body.templateIds;
        if (
          !Array.isArray(ids) ||
          ids.length === 0 ||
          ids.length > MAX_TEMPLATES_PER_PROMPT ||
          !ids.every((t) => typeof t === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(t))
        ) {
          sendJson(
            res,
            400,
            fail('INVALID_INPUT', `一次最多订阅 ${MAX_TEMPLATES_PER_PROMPT} 个消息模板`),
          );
          return;
        }
        const remaining: Record<string, number> = {};
        for (const t of ids as string[])
          remaining[t] = await grantSubscription(host.database, openid, t, 1);
        sendJson(res, 200, { ok: true, data: { remaining } });
        return;
      }
      case 'qrcode': {
        if (!allow('GET')) return;
        const scene = url.searchParams.get('scene') ?? '';
        const page = url.searchParams.get('page') ?? undefined;
        const width = url.searchParams.has('width')
          ? Number(url.searchParams.get('width'))
          : undefined;
        try {
          const png = await getUnlimited(
            {
              database: () => host.database,
              publicUrl: () => options.publicUrl ?? process.env.LINLI_PUBLIC_URL ?? ownUrl,
            },
            { scene, page, width: Number.isFinite(width) ? width : undefined },
          );
          res.writeHead(200, {
            'content-type': png.contentType,
            'content-length': png.buffer.length,
            'cache-control': 'no-store',
            'content-disposition': `inline; filename="entrance-${scene.replace(/[^A-Za-z0-9_-]/g, '_')}.png"`,
          });
          res.end(png.buffer);
        } catch (e) {
          if (e instanceof OpenApiError) {
            sendJson(res, 400, {
              ...fail('INVALID_SCENE', '二维码参数不正确（scene 最多 32 个字符）'),
              errCode: e.errCode,
            });
            return;
          }
          throw e;
        }
        return;
      }
      case 'outbox': {
        if (!allow('GET')) return;
        const openid = caller(req);
        if (!openid) {
          unauthenticated(res);
          return;
        }
        const asked = Number(url.searchParams.get('limit') ?? OUTBOX_PAGE);
        const limit = Number.isInteger(asked) ? Math.min(100, Math.max(1, asked)) : OUTBOX_PAGE;
        // Only messages addressed to the caller: a message is as private as what WeChat would show them.
        const { data } = await host.database
          .collection(OUTBOX_COLLECTION)
          .where({ touser: openid })
          .orderBy('createdAt', 'desc')
          .limit(limit)
          .get();
        sendJson(res, 200, { ok: true, data: data as unknown as OutboxEntry[] });
        return;
      }
      default:
        sendJson(res, 404, fail('NOT_FOUND', '不存在的接口'));
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const pathname = url.pathname;
    const cloudMatch = /^\/api\/cloud\/([^/]+)$/.exec(pathname);
    if (cloudMatch) return handleCloud(req, res, cloudMatch[1]);
    const devMatch = /^\/api\/dev\/([^/]+)$/.exec(pathname);
    if (devMatch && devEndpoints) return handleDev(req, res, devMatch[1], url);
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      sendJson(res, 404, fail('NOT_FOUND', '不存在的接口'));
      return;
    }
    serveStatic(staticDir, req, res, pathname);
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch((e: unknown) => {
        if (e instanceof BodyError) {
          // After a refused body the connection is not reusable: close it once answered.
          sendJson(res, e.status, e.body, e.status === 413 ? { connection: 'close' } : {});
          if (e.status === 413) res.on('finish', () => req.destroy());
          return;
        }
        log(
          `[local-cloud] ${req.method} ${req.url} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, 500, fail('INTERNAL', COMMON_ERROR_MESSAGES.INTERNAL));
      })
      .finally(() => {
        if (req.url?.startsWith('/api/'))
          log(`[local-cloud] ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
      });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    host.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    log(
      `[local-cloud] ${staticDir} has no index.html: only the API is served (run \`npm run build:h5\`)`,
    );
  }
  ownUrl = `http://${listenHost}:${port}`;

  if (options.timers ?? true) {
    scheduler = createTimerScheduler(host, {
      onFire: (f) =>
        log(
          `[timers] ${f.functionName}/${f.triggerName} at ${f.at.toISOString()}${f.error ? ' failed' : ''}`,
        ),
    });
    scheduler.start();
  }

  let closing: Promise<void> | undefined;
  return {
    url: `${ownUrl}/`,
    port,
    host,
    tokens,
    close() {
      closing ??= new Promise<void>((resolve) => {
        scheduler?.stop();
        server.close(() => {
          host.close();
          resolve();
        });
        server.closeIdleConnections();
        // Give in-flight requests a moment, then cut what is left.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
