import type * as WxServerSdk from 'wx-server-sdk';
import type { Database } from './db';

/** The wx-server-sdk export object. */
export type Sdk = typeof WxServerSdk;

/** What `cloud.getWXContext()` tells a function about its caller. */
export interface WXContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  SOURCE?: string;
  ENV?: string;
}

/**
 * The SDK is read through `require` on every use rather than bound by an `import`: the local
 * cloud replaces `cloud.getWXContext` (a plain property) after load, and an import binding could
 * hold a copy of the old function. In a bundle `wx-server-sdk` stays external, so this is the one
 * instance installed next to the function.
 */
export function sdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('wx-server-sdk') as Sdk;
}

let initialised = false;

/** `cloud.init` once per process, on the environment the function is deployed in. */
export function initCloud(): void {
  if (initialised) return;
  const cloud = sdk();
  // DYNAMIC_CURRENT_ENV is a symbol the SDK resolves to the function's own environment; its
  // typings only admit strings.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  initialised = true;
}

/**
 * A database handle. `throwOnNotFound: false` makes `doc(id).get()` answer `{ data: null }` for a
 * missing document (inside and outside transactions) instead of throwing.
 */
export function openDatabase(): Database {
  initCloud();
  const config = { throwOnNotFound: false } as Parameters<Sdk['database']>[0];
  return sdk().database(config) as unknown as Database;
}

/** The caller as WeChat reports it; never taken from the event. */
export function wxContext(): WXContext {
  const raw: Record<string, unknown> = sdk().getWXContext();
  const text = (key: keyof WXContext): string | undefined => {
    const value = raw[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  return {
    OPENID: text('OPENID'),
    APPID: text('APPID'),
    UNIONID: text('UNIONID'),
    SOURCE: text('SOURCE'),
    ENV: text('ENV'),
  };
}
