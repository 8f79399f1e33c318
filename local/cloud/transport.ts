/**
 * The replacement for `@cloudbase/node-sdk`'s database requester (`Db.reqClass`).
 *
 * `@cloudbase/database` builds every request and calls `new Db.reqClass(config).send(action,
 * params)`; node-sdk assigns its HTTP requester to `Db.reqClass` on every `cloud.database()`. We
 * install an accessor property on that `Db` class whose getter returns the local requester and whose
 * setter ignores the assignment. Errors are thrown through node-sdk's own `processReturn`, so SDK
 * promises reject exactly as with the real HTTP transport.
 */
import * as crypto from 'crypto';
import * as path from 'path';
// The timers module, not the global: tests that fake timers (jest.useFakeTimers) must not freeze it.
import { setTimeout as realDelay } from 'timers/promises';
import { LocalDbError } from './errors';

/** What every action answers; `data` holds the payload the SDK reads. */
export type ActionResult = Record<string, unknown>;

/** Executes one database action; implemented by the local cloud instance. */
export type ActionHandler = (action: string, params: Record<string, unknown>) => ActionResult;

let handler: ActionHandler | null = null;

/**
 * Upper bound of a random delay before each database request, in milliseconds (0 = a microtask).
 * Production runs many function instances at once and every request crosses the network, so
 * requests of concurrent invocations interleave at every step; with one process and an embedded
 * database they would otherwise run almost in lock-step and races stay hidden. Concurrency tests
 * turn this on (`LINLI_DB_JITTER_MS` for whole processes such as servers under load).
 */
let jitterMs = Number(process.env.LINLI_DB_JITTER_MS ?? 0) || 0;

/** Sets the random pre-request delay bound (ms); returns the previous one. */
export function setRequestJitter(maxMs: number): number {
  const previous = jitterMs;
  jitterMs = Math.max(0, maxMs);
  return previous;
}

/** Observes each database request the SDK sends (action name and params), before it runs. */
export type RequestListener = (action: string, params: Record<string, unknown>) => void;

const listeners = new Set<RequestListener>();

/**
 * Calls `listener` for every database request any SDK copy sends through the local transport
 * (one call = one request production would bill). For measurements such as requests per booking;
 * returns the function that stops listening.
 */
export function onRequest(listener: RequestListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Points every installed requester at `h` (or detaches it with null). */
export function setActionHandler(h: ActionHandler | null): void {
  handler = h;
}

type ProcessReturn = (result: { code: string; message: string; requestId: string }) => unknown;

interface PatchedCopy {
  databaseFile: string;
  processReturn: ProcessReturn;
}

const patched = new Map<string, PatchedCopy>();

export function requestId(): string {
  return crypto.randomBytes(8).toString('hex');
}

function makeRequester(processReturn: ProcessReturn): new (config: unknown) => {
  send: (action: string, params?: Record<string, unknown>) => Promise<unknown>;
} {
  return class LocalDatabaseRequester {
    // The SDK passes its config (env, throwOnNotFound…); nothing in it matters locally.
    constructor(config: unknown) {
      void config;
    }

    async send(action: string, params: Record<string, unknown> = {}): Promise<unknown> {
      // Answer asynchronously like the network would, so concurrent SDK calls interleave.
      if (jitterMs > 0) await realDelay(Math.random() * jitterMs);
      else await Promise.resolve();
      const rid = requestId();
      for (const listener of listeners) listener(action, params);
      try {
        if (!handler)
          throw new LocalDbError(
            'DATABASE_REQUEST_FAILED',
            'local cloud is closed (call installLocalCloud first)',
          );
        return { ...handler(action, params), requestId: rid };
      } catch (e) {
        const err =
          e instanceof LocalDbError
            ? e
            : new LocalDbError(
                'DATABASE_REQUEST_FAILED',
                `local database failure: ${(e as Error).message ?? String(e)}`,
              );
        return processReturn({ code: err.code, message: err.message, requestId: rid });
      }
    }
  };
}

/**
 * Patches the `@cloudbase/database` copy that wx-server-sdk (via node-sdk) loads when resolved
 * from `fromDir`. Safe to call repeatedly.
 */
export function patchSdk(fromDir: string): string {
  const sdkPkg = require.resolve('wx-server-sdk/package.json', { paths: [fromDir] });
  const nodeSdkPkg = require.resolve('@cloudbase/node-sdk/package.json', {
    paths: [path.dirname(sdkPkg)],
  });
  const nodeSdkDir = path.dirname(nodeSdkPkg);
  const databaseFile = require.resolve('@cloudbase/database', { paths: [nodeSdkDir] });
  if (patched.has(databaseFile)) return databaseFile;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const utils = require(path.join(nodeSdkDir, 'dist/utils/utils.js')) as {
    processReturn: ProcessReturn;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Db } = require(databaseFile) as { Db: object };
  const Requester = makeRequester(utils.processReturn);
  Object.defineProperty(Db, 'reqClass', {
    configurable: true,
    enumerable: true,
    get: () => Requester,
    set: () => {
      // node-sdk re-assigns its HTTP requester on every cloud.database(); keep ours.
    },
  });
  patched.set(databaseFile, { databaseFile, processReturn: utils.processReturn });
  return databaseFile;
}
