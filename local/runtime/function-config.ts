import fs from 'node:fs';
import path from 'node:path';
import { parseCron } from './timers-cron';

/**
 * A cloud function's config.json, checked against what WeChat Cloud accepts, so that a config the
 * local runtime runs is one that deploys:
 *
 * - `triggers`: at most ONE, of type "timer", named like WeChat requires, with a 7-field cron
 *   (定时触发器: "triggers 字段是触发器数组，目前仅支持一个触发器，即数组只能填写一个，不可添加多个";
 *   "type: 触发器类型，目前仅支持 timer"; name "最大支持 60 个字符，支持 a-z, A-Z, 0-9, - 和 _。
 *   必须以字母开头"). Several jobs share one trigger: cloudfunctions/_shared/timer-jobs.ts.
 * - `timeout`: whole seconds, 1–60 (the console's and CloudBase CLI's range; WeChat's default 3).
 * - `memorySize`, when declared: 128, 256, 512, 1024 or 2048 MB (CloudBase CLI's values; default 256).
 * - `permissions.openapi`: the 云调用 methods the function calls, each one the local cloud knows
 *   (local/runtime/openapi.ts); a function may call only those it lists (errCode -604101).
 */

/** A timer trigger as declared in a function's config.json. */
export interface TimerTrigger {
  name: string;
  type: 'timer';
  /** 7 fields: second minute hour day-of-month month day-of-week year (UTC+8, see timers-cron.ts). */
  config: string;
}

/** The parts of a WeChat cloud function's config.json the local runtime honours. */
export interface FunctionConfig {
  /** Seconds, 1–60; WeChat's default is 3. */
  timeout: number;
  /** MB; WeChat's default is 256. */
  memorySize: number;
  /** Open API names the function may call, e.g. "wxacode.getUnlimited". */
  openapi: string[];
  /** At most one. */
  triggers: TimerTrigger[];
}

export const DEFAULT_TIMEOUT_SECONDS = 3;
export const MAX_TIMEOUT_SECONDS = 60;
export const DEFAULT_MEMORY_MB = 256;
export const MEMORY_SIZES_MB: readonly number[] = [128, 256, 512, 1024, 2048];
/** WeChat: "目前仅支持一个触发器". */
export const MAX_TRIGGERS = 1;

const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** The 云调用 (openapi) methods the local cloud implements, by their config.json names. */
export const KNOWN_OPENAPI_METHODS = ['wxacode.getUnlimited', 'subscribeMessage.send'] as const;
export type OpenApiMethodName = (typeof KNOWN_OPENAPI_METHODS)[number];

function isKnownOpenApi(name: string): name is OpenApiMethodName {
  return (KNOWN_OPENAPI_METHODS as readonly string[]).includes(name);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseTriggers(raw: unknown, where: string): TimerTrigger[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: triggers must be a list`);
  if (raw.length > MAX_TRIGGERS) {
    const names = raw
      .map((t) => (isRecord(t) && typeof t.name === 'string' ? t.name : '?'))
      .join(', ');
    throw new Error(
      `${where}: config.json declares ${raw.length} triggers (${names}); WeChat allows one timer trigger per cloud function ` +
        `(定时触发器: "目前仅支持一个触发器，即数组只能填写一个"). Run several jobs from one trigger (cloudfunctions/_shared/timer-jobs.ts).`,
    );
  }
  return raw.map((t) => {
    if (!isRecord(t) || typeof t.name !== 'string' || typeof t.config !== 'string') {
      throw new Error(`${where}: each trigger needs name, type "timer" and a cron config`);
    }
    if (t.type !== 'timer') {
      throw new Error(
        `${where}: trigger ${t.name} has type ${JSON.stringify(t.type)}; WeChat supports only "timer" (定时触发器)`,
      );
    }
    if (!TRIGGER_NAME.test(t.name)) {
      throw new Error(
        `${where}: trigger name "${t.name}" must start with a letter and use only a-z, A-Z, 0-9, - and _ (at most 60 characters)`,
      );
    }
    try {
      parseCron(t.config);
    } catch (e) {
      throw new Error(`${where}: trigger ${t.name}: ${(e as Error).message}`);
    }
    return { name: t.name, type: 'timer' as const, config: t.config };
  });
}

/** Parse config.json text; a missing file means production defaults. Throws on a config WeChat would not take. */
export function parseFunctionConfig(text: string | null, where: string): FunctionConfig {
  const config: FunctionConfig = {
    timeout: DEFAULT_TIMEOUT_SECONDS,
    memorySize: DEFAULT_MEMORY_MB,
    openapi: [],
    triggers: [],
  };
  if (text === null) return config;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: config.json is not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) throw new Error(`${where}: config.json must be an object`);
  if (raw.timeout !== undefined) {
    const t = raw.timeout;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `${where}: timeout must be a whole number of seconds between 1 and ${MAX_TIMEOUT_SECONDS} (WeChat's limit for a cloud function)`,
      );
    }
    config.timeout = t;
  }
  if (raw.memorySize !== undefined) {
    const m = raw.memorySize;
    if (typeof m !== 'number' || !MEMORY_SIZES_MB.includes(m)) {
      throw new Error(`${where}: memorySize must be one of ${MEMORY_SIZES_MB.join(', ')} (MB)`);
    }
    config.memorySize = m;
  }
  if (raw.permissions !== undefined) {
    if (!isRecord(raw.permissions)) throw new Error(`${where}: permissions must be an object`);
    const list = raw.permissions.openapi ?? [];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      throw new Error(`${where}: permissions.openapi must be a list of API names`);
    }
    const unknown = list.filter((name) => !isKnownOpenApi(name));
    if (unknown.length > 0) {
      throw new Error(
        `${where}: permissions.openapi lists ${unknown.map((n) => `"${n}"`).join(', ')}, not an openapi method the local cloud knows ` +
          `(${KNOWN_OPENAPI_METHODS.join(', ')}); names are "<namespace>.<method>" as called on cloud.openapi`,
      );
    }
    config.openapi = list;
  }
  if (raw.triggers !== undefined) config.triggers = parseTriggers(raw.triggers, where);
  return config;
}

export function readFunctionConfig(functionDir: string): FunctionConfig {
  const file = path.join(functionDir, 'config.json');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  return parseFunctionConfig(text, path.basename(functionDir));
}
