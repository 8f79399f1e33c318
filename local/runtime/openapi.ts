import zlib from 'node:zlib';
import QRCode from 'qrcode';
import { currentInvocation } from './context';
import type { OpenApiMethodName } from './function-config';
import type { Database } from './sdk';

/**
 * `cloud.openapi` for the local cloud: the two WeChat server APIs Linli uses, reproduced with
 * production's parameter checks, error codes and per-function permissions.
 *
 * - `wxacode.getUnlimited` answers a real QR code PNG whose content is the H5 URL that opens the
 *   requested page with the requested scene (a mini-program "sun code" cannot be made offline).
 * - `subscribeMessage.send` spends one unit of the user's consent for that template and writes the
 *   message to the `outbox` collection instead of delivering it. Consent is NOT granted by default
 *   in local mode, exactly as in production: the client must ask (`requestSubscribeMessage`), which
 *   the H5 build reports to `POST /api/dev/subscribe`, or a test grants it with `grantSubscription`.
 */

/** Collection of consent counters: one document per (openid, templateId). */
export const SUBSCRIPTIONS_COLLECTION = 'subscriptions';
/** Collection receiving every subscribe message the local cloud "sends". */
export const OUTBOX_COLLECTION = 'outbox';

/** WeChat error codes reproduced locally. */
export const OPENAPI_ERRORS = {
  /** The function's config.json does not list the API under permissions.openapi. */
  NO_PERMISSION: -604101,
  /** The API exists in WeChat but the local cloud does not implement it. */
  NOT_FOUND: -604100,
  INVALID_OPENID: 40003,
  INVALID_TEMPLATE_ID: 40037,
  INVALID_PAGE: 41030,
  INVALID_SCENE: 40129,
  INVALID_SCENE_LENGTH: 40169,
  INVALID_ARGUMENT: 47003,
  /** The user has no remaining consent for this template. */
  USER_REFUSED: 43101,
} as const;

/** Mirrors the SDK's CloudSDKError: `errCode` and `errMsg` like "openapi.x.y:fail 43101 ...". */
export class OpenApiError extends Error {
  readonly errCode: number;
  readonly errMsg: string;
  constructor(api: string, errCode: number, detail: string) {
    const errMsg = `openapi.${api}:fail ${errCode} ${detail}`;
    super(`errCode: ${errCode} | errMsg: ${errMsg}`);
    this.name = 'CloudSDKError';
    this.errCode = errCode;
    this.errMsg = errMsg;
  }
}

export interface GetUnlimitedParams {
  /** At most 32 visible characters from [0-9A-Za-z!#$&'()*+,/:;=?@\-._~]. */
  scene: string;
  /** Page path without a leading slash; the app's home page when absent. */
  page?: string;
  /** Image width in pixels, 280–1280 (WeChat default 430). */
  width?: number;
  checkPath?: boolean;
  envVersion?: 'release' | 'trial' | 'develop';
}

export interface GetUnlimitedResult {
  contentType: 'image/png';
  buffer: Buffer;
  errCode: 0;
  errMsg: string;
}

export interface SubscribeMessageParams {
  touser: string;
  templateId: string;
  page?: string;
  /** `{ thing1: { value: '...' }, time2: { value: '...' } }` as WeChat expects. */
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: string;
}

export interface SendResult {
  errCode: 0;
  errMsg: string;
}

export interface OutboxEntry {
  _id: string;
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  miniprogramState: string;
  /** Function that sent it; absent when sent by host-level code. */
  sentBy?: string;
  createdAt: Date;
}

export interface SubscriptionDoc {
  _id: string;
  openid: string;
  templateId: string;
  /** Messages that may still be sent: each accepted prompt adds one. */
  remaining: number;
  updatedAt: Date;
}

export const DEFAULT_HOME_PAGE = 'pages/index/index';
const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;
const PAGE_PATTERN = /^[A-Za-z0-9_\-]+(\/[A-Za-z0-9_\-]+)*$/;
const SCENE_MAX = 32;
const WIDTH_MIN = 280;
const WIDTH_MAX = 1280;
const WIDTH_DEFAULT = 430;

export interface OpenApiOptions {
  /** Database used for outbox and consent (a host-private SDK instance). */
  database: () => Database;
  /** Base URL of the H5 app, e.g. http://127.0.0.1:10086 (no trailing slash). */
  publicUrl: () => string;
}

/** The H5 URL an entrance code opens: hash router, scene URL-encoded once, as WeChat delivers it. */
export function h5PageUrl(publicUrl: string, page: string, scene: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/#/${page}?scene=${encodeURIComponent(scene)}`;
}

export async function getUnlimited(
  options: OpenApiOptions,
  params: GetUnlimitedParams,
): Promise<GetUnlimitedResult> {
  const api = 'wxacode.getUnlimited';
  const scene = params?.scene;
  if (typeof scene !== 'string' || scene.length === 0) {
    throw new OpenApiError(api, OPENAPI_ERRORS.INVALID_SCENE, 'invalid scene rid: local');
  }
  if (scene.length > SCENE_MAX) {
    throw new OpenApiError(
      api,
      OPENAPI_ERRORS.INVALID_SCENE_LENGTH,
      'invalid length for scene, or the data is not json string rid: local',
    );
  }
  if (!SCENE_PATTERN.test(scene)) {
    throw new OpenApiError(api, OPENAPI_ERRORS.INVALID_SCENE, 'invalid scene rid: local');
  }
  const page = params.page ?? DEFAULT_HOME_PAGE;
  if (!PAGE_PATTERN.test(page)) {
    throw new OpenApiError(api, OPENAPI_ERRORS.INVALID_PAGE, 'invalid page rid: local');
  }
  const width = Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, Math.round(params.width ?? WIDTH_DEFAULT)));
  const buffer = qrPng(h5PageUrl(options.publicUrl(), page, scene), width);
  return { contentType: 'image/png', buffer, errCode: 0, errMsg: `openapi.${api}:ok` };
}

/** Quiet zone around the code, in modules. */
export const QR_MARGIN_MODULES = 2;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * A QR code (error correction M) of `text` as an 8-bit greyscale PNG exactly `width` pixels
 * square, black modules on white with a 2-module quiet zone. Written directly (the matrix comes
 * from `qrcode`) because qrcode's own PNG renderer is slow under test runners.
 */
export function qrPng(text: string, width: number): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const total = size + 2 * QR_MARGIN_MODULES;
  const moduleAt = new Int32Array(width);
  for (let px = 0; px < width; px++)
    moduleAt[px] = Math.floor((px * total) / width) - QR_MARGIN_MODULES;
  const stride = width + 1;
  const raw = Buffer.alloc(stride * width, 0xff);
  for (let py = 0; py < width; py++) {
    raw[py * stride] = 0; // filter: none
    const my = moduleAt[py];
    if (my < 0 || my >= size) continue;
    for (let px = 0; px < width; px++) {
      const mx = moduleAt[px];
      if (mx >= 0 && mx < size && qr.modules.get(my, mx)) raw[py * stride + 1 + px] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function subscriptionId(openid: string, templateId: string): string {
  return `${openid}.${templateId}`;
}

/**
 * Record that `openid` accepted `n` prompts for `templateId` (each allows one message).
 * The local stand-in for the user tapping "允许" in `requestSubscribeMessage`.
 */
export async function grantSubscription(
  database: Database,
  openid: string,
  templateId: string,
  n = 1,
): Promise<number> {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`grant count must be a positive integer: ${n}`);
  const col = database.collection(SUBSCRIPTIONS_COLLECTION);
  const _ = database.command;
  const _id = subscriptionId(openid, templateId);
  const bump = async (): Promise<boolean> => {
    const res = await col
      .where({ _id })
      .update({ data: { remaining: _.inc(n), updatedAt: new Date() } });
    return res.stats.updated > 0;
  };
  if (!(await bump())) {
    try {
      await col.add({ data: { _id, openid, templateId, remaining: n, updatedAt: new Date() } });
    } catch {
      // Another grant created it first: add to it instead.
      if (!(await bump())) throw new Error(`could not grant subscription ${_id}`);
    }
  }
  const { data } = await col.where({ _id }).get();
  const doc = data[0] as unknown as SubscriptionDoc | undefined;
  return doc?.remaining ?? 0;
}

/** Remaining consent of `openid` for `templateId` (0 when never granted). */
export async function remainingSubscription(
  database: Database,
  openid: string,
  templateId: string,
): Promise<number> {
  const { data } = await database
    .collection(SUBSCRIPTIONS_COLLECTION)
    .where({ _id: subscriptionId(openid, templateId) })
    .get();
  const doc = data[0] as unknown as SubscriptionDoc | undefined;
  return doc?.remaining ?? 0;
}

export async function sendSubscribeMessage(
  options: OpenApiOptions,
  params: SubscribeMessageParams,
): Promise<SendResult> {
  const api = 'subscribeMessage.send';
  if (typeof params?.touser !== 'string' || params.touser.length === 0) {
    throw new OpenApiError(api, OPENAPI_ERRORS.INVALID_OPENID, 'invalid openid rid: local');
  }
  if (typeof params.templateId !== 'string' || params.templateId.length === 0) {
    throw new OpenApiError(
      api,
      OPENAPI_ERRORS.INVALID_TEMPLATE_ID,
      'invalid template_id rid: local',
    );
  }
  const data = params.data;
  const validData =
    typeof data === 'object' &&
    data !== null &&
    Object.values(data).every(
      (v) => typeof v === 'object' && v !== null && typeof v.value === 'string',
    );
  if (!validData) {
    throw new OpenApiError(
      api,
      OPENAPI_ERRORS.INVALID_ARGUMENT,
      'argument invalid! data.value is empty or not a string rid: local',
    );
  }
  const page = params.page ?? '';
  if (page !== '' && !PAGE_PATTERN.test(page.split('?')[0])) {
    throw new OpenApiError(api, OPENAPI_ERRORS.INVALID_PAGE, 'invalid page rid: local');
  }
  const database = options.database();
  const _ = database.command;
  // Spend one unit of consent atomically: the update only matches while remaining > 0.
  const spent = await database
    .collection(SUBSCRIPTIONS_COLLECTION)
    .where({ _id: subscriptionId(params.touser, params.templateId), remaining: _.gt(0) })
    .update({ data: { remaining: _.inc(-1), updatedAt: new Date() } });
  if (spent.stats.updated === 0) {
    throw new OpenApiError(
      api,
      OPENAPI_ERRORS.USER_REFUSED,
      'user refuse to accept the msg rid: local',
    );
  }
  const entry: Omit<OutboxEntry, '_id'> = {
    touser: params.touser,
    templateId: params.templateId,
    page,
    data,
    miniprogramState: params.miniprogramState ?? 'formal',
    createdAt: new Date(),
  };
  const sentBy = currentInvocation()?.functionName;
  if (sentBy) entry.sentBy = sentBy;
  await database.collection(OUTBOX_COLLECTION).add({ data: entry });
  return { errCode: 0, errMsg: `openapi.${api}:ok` };
}

/** The latest `limit` outbox entries, newest first (at most 100, like a cloud-function get()). */
export async function listOutbox(database: Database, limit = 20): Promise<OutboxEntry[]> {
  const { data } = await database
    .collection(OUTBOX_COLLECTION)
    .orderBy('createdAt', 'desc')
    .limit(Math.min(100, Math.max(1, limit)))
    .get();
  return data as unknown as OutboxEntry[];
}

type OpenApiMethod = (params: never) => Promise<unknown>;

/**
 * Every API the local cloud implements, by the name used in config.json permissions; exactly
 * function-config.ts's KNOWN_OPENAPI_METHODS, which config.json permissions are checked against.
 */
function implementations(options: OpenApiOptions): Record<OpenApiMethodName, OpenApiMethod> {
  return {
    'wxacode.getUnlimited': (params: GetUnlimitedParams) => getUnlimited(options, params),
    'subscribeMessage.send': (params: SubscribeMessageParams) =>
      sendSubscribeMessage(options, params),
  };
}

/**
 * Check the calling function's `permissions.openapi`. Host-level code (tests, dev endpoints)
 * runs outside any function invocation and is not restricted.
 */
function assertPermitted(api: string): void {
  const inv = currentInvocation();
  if (!inv?.functionName) return;
  if (!inv.openapiPermissions?.has(api)) {
    throw new OpenApiError(
      api,
      OPENAPI_ERRORS.NO_PERMISSION,
      'function has no permission to call this API',
    );
  }
}

/**
 * Build the object assigned to `cloud.openapi`: any `openapi.<ns>.<method>(params)` path works
 * like the SDK's proxy; permission is checked first, then whether the local cloud implements it.
 */
export function createOpenApi(options: OpenApiOptions): object {
  const impl = implementations(options);
  const call = (api: string, params: unknown): Promise<unknown> => {
    try {
      assertPermitted(api);
      const method = (impl as Record<string, OpenApiMethod | undefined>)[api];
      if (!method)
        throw new OpenApiError(
          api,
          OPENAPI_ERRORS.NOT_FOUND,
          'API not found (not implemented by the local cloud)',
        );
      return method(params as never);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const pathProxy = (paths: string[]): object =>
    new Proxy(function openapiPath() {}, {
      get: (_t, prop) =>
        typeof prop === 'string' && prop !== 'then' ? pathProxy([...paths, prop]) : undefined,
      apply: (_t, _this, args: unknown[]) => call(paths.join('.'), args[0]),
    });
  // `cloud.openapi({ appid })` returns the same namespace, as in the SDK.
  return new Proxy(function openapi() {}, {
    get: (_t, prop) =>
      typeof prop === 'string' && prop !== 'then' ? pathProxy([prop]) : undefined,
    apply: () => pathProxy([]),
  });
}
