import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installLocalCloud, type LocalCloud } from '../cloud';
import { currentInvocation, installRequestContext, runInvocation, type WXContext } from './context';
import { readFunctionConfig, type FunctionConfig, type TimerTrigger } from './function-config';
import { createOpenApi, type OpenApiOptions } from './openapi';
import {
  hostDatabase,
  loadSdk,
  LOCAL_APPID,
  LOCAL_ENV_ID,
  sdkPath,
  type Database,
  type Sdk,
} from './sdk';

/** Repository root (local/runtime/../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Default public URL of the H5 app when neither the server nor LINLI_PUBLIC_URL says otherwise. */
export const DEFAULT_PORT = 10086;

/** Largest function result production returns (bytes of JSON); larger fails with -604001. */
export const MAX_RESULT_BYTES = 1024 * 1024;

export interface FunctionHostOptions {
  /** Folder holding cloud.sqlite (created when missing). */
  dataDir: string;
  /** `built`: dist-functions/<name>/index.js; `source`: cloudfunctions/<name>/index.ts (tsx/jest). */
  from: 'source' | 'built';
  /** Folder of function folders; defaults to <repo>/dist-functions or <repo>/cloudfunctions. */
  functionsDir?: string;
  /** Environment variables for function code, e.g. LINLI_SECRETARY_OPENIDS; restored on close(). */
  env?: Record<string, string>;
  /** Base URL QR codes point at; default LINLI_PUBLIC_URL or http://127.0.0.1:10086. */
  publicUrl?: string | (() => string);
  /** Sink for warnings such as timeouts; console.warn by default. */
  log?: (line: string) => void;
}

/** Who is calling: an openid for a signed-in user; null for a call with no user. */
export type Caller = { openid?: string } | null;

/** Answer of an invocation that ran past its config.json timeout. */
export interface FunctionTimeout {
  ok: false;
  code: 'FUNCTION_TIMEOUT';
  message: string;
}

export interface FunctionHost {
  cloud: LocalCloud;
  /** The wx-server-sdk instance the functions use. */
  sdk: Sdk;
  /** Database handle for host-level code (seed, dev endpoints, tests). */
  database: Database;
  /** Run function `name` with `event` as `caller`; resolves to its JSON result. */
  invoke(name: string, event: unknown, caller: Caller): Promise<unknown>;
  /** Run the timer trigger `triggerName` of function `name` now (no OPENID), as at `at`. */
  fireTimer(name: string, triggerName: string, at?: Date): Promise<unknown>;
  functionNames(): string[];
  config(name: string): FunctionConfig;
  /** Every timer trigger of every loaded function. */
  timerTriggers(): Array<{ functionName: string; trigger: TimerTrigger }>;
  close(): void;
}

export class UnknownFunctionError extends Error {
  readonly functionName: string;
  constructor(name: string, known: string[]) {
    super(`unknown cloud function "${name}" (loaded: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownFunctionError';
    this.functionName = name;
  }
}

type FunctionMain = (event: unknown, context: object) => unknown;

interface LoadedFunction {
  name: string;
  dir: string;
  config: FunctionConfig;
  permissions: ReadonlySet<string>;
  main: FunctionMain;
}

/** Function folders: a directory with config.json and the entry file of the chosen form. */
function discoverFunctions(functionsDir: string, entry: string): string[] {
  if (!fs.existsSync(functionsDir)) {
    const hint = entry === 'index.js' ? ' (run `npm run build:functions` first)' : '';
    throw new Error(`functions folder not found: ${functionsDir}${hint}`);
  }
  return fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        !d.name.startsWith('.') &&
        !d.name.startsWith('_') &&
        d.name !== 'node_modules',
    )
    .map((d) => d.name)
    .filter((name) => {
      const dir = path.join(functionsDir, name);
      return fs.existsSync(path.join(dir, entry)) && fs.existsSync(path.join(dir, 'config.json'));
    })
    .sort();
}

function loadFunction(functionsDir: string, name: string, entry: string): LoadedFunction {
  const dir = path.join(functionsDir, name);
  // Refuses a config.json WeChat would not take (two triggers, a bad cron, timeout over 60 s…).
  const config = readFunctionConfig(dir);
  // The function must share this process's wx-server-sdk, or the local transport and request
  // context installed here would not apply to it.
  let resolved: string;
  try {
    resolved = sdkPath(dir);
  } catch {
    throw new Error(`function ${name}: cannot resolve wx-server-sdk from ${dir}`);
  }
  if (resolved !== sdkPath()) {
    throw new Error(
      `function ${name} resolves its own wx-server-sdk (${resolved}); it must use ${sdkPath()}`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(dir, entry)) as { main?: unknown; default?: { main?: unknown } };
  const main = typeof mod.main === 'function' ? mod.main : mod.default?.main;
  if (typeof main !== 'function')
    throw new Error(`function ${name}: ${entry} does not export main(event, context)`);
  return { name, dir, config, permissions: new Set(config.openapi), main: main as FunctionMain };
}

/** Production serialises events and results as JSON; so does the local host. */
function throughJson(value: unknown, what: string): unknown {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > MAX_RESULT_BYTES && what === 'result') {
    throw new Error(`errCode: -604001 | cloudfunction result size exceed limit (1MB)`);
  }
  return JSON.parse(text) as unknown;
}

export function createFunctionHost(options: FunctionHostOptions): FunctionHost {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? ((line: string) => console.warn(line));
  const cloud = installLocalCloud({ dataDir: options.dataDir });
  const sdk = loadSdk();
  installRequestContext(sdk);

  const savedEnv = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(options.env ?? {})) {
    savedEnv.set(k, process.env[k]);
    process.env[k] = v;
  }

  const publicUrl =
    typeof options.publicUrl === 'function'
      ? options.publicUrl
      : () =>
          (options.publicUrl as string | undefined) ??
          process.env.LINLI_PUBLIC_URL ??
          `http://127.0.0.1:${DEFAULT_PORT}`;
  const database = hostDatabase(sdk);
  const openApiOptions: OpenApiOptions = { database: () => database, publicUrl };
  sdk.openapi = createOpenApi(openApiOptions);

  const entry = options.from === 'built' ? 'index.js' : 'index.ts';
  const functionsDir =
    options.functionsDir ??
    path.join(REPO_ROOT, options.from === 'built' ? 'dist-functions' : 'cloudfunctions');
  const functions = new Map<string, LoadedFunction>();
  try {
    for (const name of discoverFunctions(functionsDir, entry)) {
      functions.set(name, loadFunction(functionsDir, name, entry));
    }
  } catch (e) {
    cloud.close();
    throw e;
  }

  function get(name: string): LoadedFunction {
    const fn = functions.get(name);
    if (!fn) throw new UnknownFunctionError(name, [...functions.keys()]);
    return fn;
  }

  async function run(fn: LoadedFunction, event: unknown, wxContext: WXContext): Promise<unknown> {
    const requestId = crypto.randomUUID();
    const timeoutMs = fn.config.timeout * 1000;
    const context = {
      function_name: fn.name,
      request_id: requestId,
      namespace: LOCAL_ENV_ID,
      memory_limit_in_mb: fn.config.memorySize,
      time_limit_in_ms: timeoutMs,
      callbackWaitsForEmptyEventLoop: false,
    };
    const payload = throughJson(event, 'event');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<FunctionTimeout>((resolve) => {
      timer = setTimeout(() => {
        // Production kills the instance; locally the work may go on in the background.
        log(
          `[local-cloud] ${fn.name} timed out after ${fn.config.timeout}s (request ${requestId})`,
        );
        resolve({ ok: false, code: 'FUNCTION_TIMEOUT', message: '服务响应超时，请稍后再试' });
      }, timeoutMs);
    });
    const invocation = runInvocation(
      { wxContext, functionName: fn.name, openapiPermissions: fn.permissions },
      async () => fn.main(payload, context),
    );
    try {
      const result = await Promise.race([invocation, timedOut]);
      return throughJson(result, 'result');
    } finally {
      clearTimeout(timer);
      // A late rejection after a timeout must not become an unhandled rejection.
      invocation.catch(() => undefined);
    }
  }

  /**
   * `cloud.callFunction` from function code runs the other local function, keeping the current
   * caller's OPENID, and answers like the SDK: `{ result, requestID, errMsg }`.
   */
  const sdkWithCall = sdk as unknown as {
    callFunction: (params: { name: string; data?: unknown }) => Promise<unknown>;
  };
  sdkWithCall.callFunction = async (params) => {
    const openid = currentInvocation()?.wxContext.OPENID;
    const result = await host.invoke(params.name, params.data ?? {}, openid ? { openid } : null);
    return { result, requestID: crypto.randomUUID(), errMsg: 'cloud.callFunction:ok' };
  };

  const host: FunctionHost = {
    cloud,
    sdk,
    database,
    invoke(name, event, caller) {
      let fn: LoadedFunction;
      try {
        fn = get(name);
      } catch (e) {
        return Promise.reject(e);
      }
      const wxContext: WXContext = { APPID: LOCAL_APPID, ENV: LOCAL_ENV_ID, SOURCE: 'wx_client' };
      let withUser = event;
      if (caller?.openid) {
        wxContext.OPENID = caller.openid;
        // Production adds userInfo to events from the client; identity must still come from
        // getWXContext(), but code must tolerate the extra field.
        if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
          withUser = { ...event, userInfo: { appId: LOCAL_APPID, openId: caller.openid } };
        }
      }
      return run(fn, withUser, wxContext);
    },
    fireTimer(name, triggerName, at = new Date()) {
      let fn: LoadedFunction;
      try {
        fn = get(name);
      } catch (e) {
        return Promise.reject(e);
      }
      const trigger = fn.config.triggers.find((t) => t.name === triggerName);
      if (!trigger) {
        return Promise.reject(new Error(`function ${name} has no timer trigger "${triggerName}"`));
      }
      // WeChat's timer event: Time is the UTC instant the trigger fired, second precision.
      const event = {
        Type: 'Timer',
        TriggerName: triggerName,
        Time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      return run(fn, event, { APPID: LOCAL_APPID, ENV: LOCAL_ENV_ID, SOURCE: 'wx_trigger' });
    },
    functionNames: () => [...functions.keys()],
    config: (name) => get(name).config,
    timerTriggers: () =>
      [...functions.values()].flatMap((fn) =>
        fn.config.triggers.map((trigger) => ({ functionName: fn.name, trigger })),
      ),
    close() {
      for (const [k, v] of savedEnv) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      savedEnv.clear();
      cloud.close();
    },
  };
  return host;
}
