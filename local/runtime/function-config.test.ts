import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { functionNames } from '../../scripts/build-functions';
import { createFunctionHost } from './function-host';
import { KNOWN_OPENAPI_METHODS, parseFunctionConfig, readFunctionConfig } from './function-config';

/** config.json is refused locally exactly where WeChat Cloud would not take it. */

const REPO = path.resolve(__dirname, '..', '..');
const parse = (config: unknown) => parseFunctionConfig(JSON.stringify(config), 'fn');
const trigger = (name: string, config = '0 */10 * * * * *', type = 'timer') => ({
  name,
  type,
  config,
});

describe('parseFunctionConfig', () => {
  it('takes production defaults when config.json is missing or empty', () => {
    expect(parseFunctionConfig(null, 'fn')).toEqual({
      timeout: 3,
      memorySize: 256,
      openapi: [],
      triggers: [],
    });
    expect(parse({})).toEqual({ timeout: 3, memorySize: 256, openapi: [], triggers: [] });
  });

  it('reads one timer trigger, timeout, memory and openapi permissions', () => {
    expect(
      parse({
        timeout: 60,
        memorySize: 512,
        permissions: { openapi: ['subscribeMessage.send'] },
        triggers: [trigger('jobs')],
      }),
    ).toEqual({
      timeout: 60,
      memorySize: 512,
      openapi: ['subscribeMessage.send'],
      triggers: [{ name: 'jobs', type: 'timer', config: '0 */10 * * * * *' }],
    });
  });

  it('refuses more than one trigger, naming the function, the triggers and the WeChat rule', () => {
    expect(() => parse({ triggers: [trigger('remindDue'), trigger('reraiseFlags')] })).toThrow(
      /^fn: config\.json declares 2 triggers \(remindDue, reraiseFlags\); WeChat allows one timer trigger per cloud function \(定时触发器: "目前仅支持一个触发器/,
    );
  });

  it.each([
    [
      { triggers: [trigger('jobs', '0 */10 * * * *')] },
      /trigger jobs: cron "0 \*\/10 \* \* \* \*" must have 7 fields/,
    ],
    [{ triggers: [trigger('jobs', '0 61 * * * * *')] }, /trigger jobs: minute: 61 is outside 0–59/],
    [
      { triggers: [trigger('jobs', '0 0 2 * * * *', 'cos')] },
      /type "cos"; WeChat supports only "timer"/,
    ],
    [{ triggers: [trigger('1st')] }, /trigger name "1st" must start with a letter/],
    [{ triggers: [trigger('a'.repeat(61))] }, /at most 60 characters/],
    [
      { triggers: [{ name: 'jobs', type: 'timer' }] },
      /each trigger needs name, type "timer" and a cron config/,
    ],
    [{ triggers: {} }, /triggers must be a list/],
  ])('refuses a bad trigger (%#)', (config, message) => {
    expect(() => parse(config)).toThrow(message);
  });

  it.each([0, 61, 2.5, '10'])('refuses timeout %p (whole seconds, 1–60)', (timeout) => {
    expect(() => parse({ timeout })).toThrow(
      /^fn: timeout must be a whole number of seconds between 1 and 60/,
    );
  });

  it.each([64, 300, 3072, '256'])('refuses memorySize %p', (memorySize) => {
    expect(() => parse({ memorySize })).toThrow(
      /^fn: memorySize must be one of 128, 256, 512, 1024, 2048/,
    );
  });

  it('refuses openapi permissions that are not openapi methods the local cloud knows', () => {
    expect(() =>
      parse({ permissions: { openapi: ['subscribeMessage.send', 'templateMessage.send'] } }),
    ).toThrow(
      /^fn: permissions\.openapi lists "templateMessage\.send", not an openapi method the local cloud knows \(wxacode\.getUnlimited, subscribeMessage\.send\)/,
    );
    expect(() => parse({ permissions: { openapi: 'subscribeMessage.send' } })).toThrow(
      /permissions\.openapi must be a list/,
    );
    expect(() => parse({ permissions: [] })).toThrow(/permissions must be an object/);
  });

  it('refuses text that is not a JSON object', () => {
    expect(() => parseFunctionConfig('{', 'fn')).toThrow(/fn: config\.json is not valid JSON/);
    expect(() => parseFunctionConfig('[]', 'fn')).toThrow(/fn: config\.json must be an object/);
  });
});

describe("the repository's functions", () => {
  const names = functionNames(REPO);

  it.each(names)('%s has a config.json WeChat takes, with at most one trigger', (name) => {
    const config = readFunctionConfig(path.join(REPO, 'cloudfunctions', name));
    expect(config.triggers.length).toBeLessThanOrEqual(1);
  });

  it('list in permissions.openapi exactly the openapi methods their bundles call', async () => {
    const calls: Record<string, string[]> = {};
    const listed: Record<string, string[]> = {};
    for (const name of names) {
      const out = await build({
        entryPoints: [path.join(REPO, 'cloudfunctions', name, 'index.ts')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        write: false,
        external: ['wx-server-sdk'],
        tsconfig: path.join(REPO, 'tsconfig.json'),
        logLevel: 'silent',
      });
      const code = out.outputFiles[0].text;
      calls[name] = [
        ...new Set([...code.matchAll(/\.openapi\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`)),
      ].sort();
      listed[name] = [
        ...readFunctionConfig(path.join(REPO, 'cloudfunctions', name)).openapi,
      ].sort();
    }
    expect(listed).toEqual(calls);
    expect(
      Object.values(calls)
        .flat()
        .every((api) => (KNOWN_OPENAPI_METHODS as readonly string[]).includes(api)),
    ).toBe(true);
  }, 60_000);
});

describe('the function host', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses to load a function whose config.json declares two triggers', () => {
    const fnDir = path.join(dir, 'functions', 'twice');
    fs.mkdirSync(fnDir, { recursive: true });
    fs.writeFileSync(path.join(fnDir, 'index.ts'), 'export async function main() { return {}; }\n');
    fs.writeFileSync(
      path.join(fnDir, 'config.json'),
      JSON.stringify({ triggers: [trigger('a'), trigger('b')] }),
    );
    expect(() =>
      createFunctionHost({
        dataDir: path.join(dir, 'data'),
        from: 'source',
        functionsDir: path.join(dir, 'functions'),
      }),
    ).toThrow(
      /^twice: config\.json declares 2 triggers \(a, b\); WeChat allows one timer trigger per cloud function/,
    );
  });
});
