import fs from 'node:fs';
import path from 'node:path';

/** A timer trigger as declared in a function's config.json. */
export interface TimerTrigger {
  name: string;
  type: 'timer';
  /** 7 fields: second minute hour day-of-month month day-of-week year (UTC+8, see timers.ts). */
  config: string;
}

/** The parts of a WeChat cloud function's config.json the local runtime honours. */
export interface FunctionConfig {
  /** Seconds, 1–60; WeChat's default is 3. */
  timeout: number;
  /** Open API names the function may call, e.g. "wxacode.getUnlimited". */
  openapi: string[];
  triggers: TimerTrigger[];
}

export const DEFAULT_TIMEOUT_SECONDS = 3;
export const MAX_TIMEOUT_SECONDS = 60;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parse config.json text; a missing file means production defaults. Throws on malformed config. */
export function parseFunctionConfig(text: string | null, where: string): FunctionConfig {
  const config: FunctionConfig = { timeout: DEFAULT_TIMEOUT_SECONDS, openapi: [], triggers: [] };
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
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 1 || t > MAX_TIMEOUT_SECONDS) {
      throw new Error(`${where}: timeout must be a number of seconds between 1 and ${MAX_TIMEOUT_SECONDS}`);
    }
    config.timeout = t;
  }
  if (raw.permissions !== undefined) {
    if (!isRecord(raw.permissions)) throw new Error(`${where}: permissions must be an object`);
    const list = raw.permissions.openapi ?? [];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      throw new Error(`${where}: permissions.openapi must be a list of API names`);
    }
    config.openapi = list as string[];
  }
  if (raw.triggers !== undefined) {
    if (!Array.isArray(raw.triggers)) throw new Error(`${where}: triggers must be a list`);
    for (const t of raw.triggers) {
      if (!isRecord(t) || typeof t.name !== 'string' || t.type !== 'timer' || typeof t.config !== 'string') {
        throw new Error(`${where}: each trigger needs name, type "timer" and a cron config`);
      }
      config.triggers.push({ name: t.name, type: 'timer', config: t.config });
    }
  }
  return config;
}

export function readFunctionConfig(functionDir: string): FunctionConfig {
  const file = path.join(functionDir, 'config.json');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  return parseFunctionConfig(text, path.basename(functionDir));
}
