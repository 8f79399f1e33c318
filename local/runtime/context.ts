import { AsyncLocalStorage } from 'node:async_hooks';
import type { WXContext } from '../../cloudfunctions/_shared/sdk';

/**
 * Per-invocation context for cloud functions running in one Node process.
 *
 * In production `cloud.getWXContext()` reads process-wide `WX_*` environment variables, which is
 * only correct because every function instance serves one request at a time. The local cloud runs
 * many invocations concurrently in one process, so the context lives in an AsyncLocalStorage store
 * instead and follows each invocation through every `await`, timer and callback it starts.
 */

/**
 * What `cloud.getWXContext()` returns: the functions' own type, so both sides agree. SOURCE is
 * `wx_client` for a call from the mini-program / H5 client, `wx_trigger` for a timer.
 */
export type { WXContext };

/** Everything the local runtime knows about the invocation currently running. */
export interface InvocationStore {
  wxContext: WXContext;
  /** Name of the cloud function being invoked; absent for host-level code (tests, dev tools). */
  functionName?: string;
  /** `permissions.openapi` of that function's config.json, e.g. "wxacode.getUnlimited". */
  openapiPermissions?: ReadonlySet<string>;
}

/**
 * One storage per process, shared through a global symbol so that two copies of this module
 * (for example one loaded by tsx and one by a bundle) still agree on the current invocation.
 */
const STORAGE_KEY = Symbol.for('linli.local.invocation-storage');
type GlobalWithStorage = typeof globalThis & { [STORAGE_KEY]?: AsyncLocalStorage<InvocationStore> };

function storage(): AsyncLocalStorage<InvocationStore> {
  const g = globalThis as GlobalWithStorage;
  let s = g[STORAGE_KEY];
  if (!s) {
    s = new AsyncLocalStorage<InvocationStore>();
    g[STORAGE_KEY] = s;
  }
  return s;
}

/** The invocation running in the current async context, if any. */
export function currentInvocation(): InvocationStore | undefined {
  return storage().getStore();
}

/** The caller of the current invocation; an empty object outside any invocation (no OPENID). */
export function currentWXContext(): WXContext {
  const store = storage().getStore();
  return store ? { ...store.wxContext } : {};
}

/** Run `fn` as one invocation; everything it starts, sync or async, sees `store`. */
export function runInvocation<T>(store: InvocationStore, fn: () => T): T {
  return storage().run(store, fn);
}

/** Run `fn` as if called by `ctx` (a host-level invocation with no function name). */
export function runAsCaller<T>(ctx: WXContext, fn: () => T): T {
  return runInvocation({ wxContext: { ...ctx } }, fn);
}

/** The parts of the wx-server-sdk export object this module replaces. */
export interface CloudWithContext {
  getWXContext: () => object;
}

/**
 * Replace `cloud.getWXContext` (a plain assignable property of the SDK's export object) with a
 * reader of the invocation store. Safe to call more than once.
 */
export function installRequestContext(cloud: CloudWithContext): void {
  cloud.getWXContext = currentWXContext;
}
