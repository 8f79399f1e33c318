import fs from 'node:fs';
import path from 'node:path';
import {
  buildFunctions,
  checkFunctionConfig,
  functionNames,
  lockedSdkVersion,
} from './build-functions';
import { expectOk, startTestCloud, type TestCloud } from '../cloudfunctions/_test-support/host';
import type { WhoAmI } from '../src/domain/contract/account';

const ROOT = path.resolve(__dirname, '..');

// Inside the repository, so that built functions resolve the repo's wx-server-sdk like
// dist-functions/ does; .temp/ is git-ignored.
function tempOutDir(): string {
  const base = path.join(ROOT, '.temp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, 'functions-'));
}

describe('build-functions', () => {
  let outDir: string;
  let cloud: TestCloud | undefined;

  let accountOnlyDir: string;

  beforeAll(async () => {
    outDir = tempOutDir();
    // A function that no longer exists, built earlier, and a folder the build does not own.
    fs.mkdirSync(path.join(outDir, 'retired'));
    fs.writeFileSync(
      path.join(outDir, 'retired', 'index.js'),
      '// Built from cloudfunctions/retired by scripts/build-functions.ts. Do not edit.\n',
    );
    fs.mkdirSync(path.join(outDir, 'notes'));
    fs.writeFileSync(path.join(outDir, 'notes', 'index.js'), '// hand-written\n');
    await buildFunctions({ outDir });
    accountOnlyDir = tempOutDir();
    await buildFunctions({ outDir: accountOnlyDir, only: ['account'] });
  }, 60_000);

  afterAll(() => {
    cloud?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.rmSync(accountOnlyDir, { recursive: true, force: true });
  });

  it('builds every function folder and nothing else', () => {
    const names = functionNames(ROOT);
    expect(names).toEqual(expect.arrayContaining(['account', 'booking']));
    expect(names.some((n) => n.startsWith('_') || n === 'database')).toBe(false);
    expect(fs.readdirSync(outDir).sort()).toEqual([...names, 'notes'].sort());
  });

  it('removes builds of retired functions but nothing it did not write', () => {
    expect(fs.existsSync(path.join(outDir, 'retired'))).toBe(false);
    expect(fs.existsSync(path.join(outDir, 'notes', 'index.js'))).toBe(true);
  });

  it('builds only the functions asked for', () => {
    expect(fs.readdirSync(accountOnlyDir)).toEqual(['account']);
  });

  it.each(['account', 'booking'])('writes a deployable %s folder', (name) => {
    const dir = path.join(outDir, name);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    expect(pkg.main).toBe('index.js');
    expect(pkg.dependencies).toEqual({
      'wx-server-sdk': lock.packages['node_modules/wx-server-sdk'].version,
    });
    expect(pkg.dependencies['wx-server-sdk']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), 'utf8'),
    );
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    // Only the SDK is left to install (Node's own modules are in every runtime); the domain,
    // valibot and dayjs are inside.
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)]
      .map((m) => m[1])
      .filter((m) => !m.startsWith('node:'));
    expect(new Set(required)).toEqual(new Set(['wx-server-sdk']));
    expect(code).not.toMatch(/\bimport\s.*\sfrom\s/);
  });

  it('runs the built account function through the real SDK', async () => {
    cloud = startTestCloud({
      from: 'built',
      functionsDir: accountOnlyDir,
      env: { LINLI_SECRETARY_OPENIDS: 'secretary-0001' },
    });
    const me = expectOk<WhoAmI>(await cloud.call('account', 'whoami', {}, 'secretary-0001'));
    expect(me).toMatchObject({
      openid: 'secretary-0001',
      role: 'secretary',
      configuredSecretary: true,
    });
    expect(await cloud.call('account', 'nope', {}, 'secretary-0001')).toMatchObject({
      code: 'UNKNOWN_ACTION',
    });
    expect(await cloud.count('users')).toBe(1);
  }, 30_000);

  it('reads the exact SDK version from the lockfile', () => {
    expect(lockedSdkVersion(ROOT)).toBe('4.0.2');
  });

  it('refuses a config.json without what WeChat needs', () => {
    expect(() => checkFunctionConfig('x', '{"timeout": 5}')).toThrow(/permissions\.openapi/);
    expect(() => checkFunctionConfig('x', '{"permissions":{"openapi":[]}}')).toThrow(/timeout/);
    expect(() =>
      checkFunctionConfig('x', '{"permissions":{"openapi":[]},"timeout":5,"triggers":[{}]}'),
    ).toThrow(/triggers/);
    expect(() =>
      checkFunctionConfig('x', '{"permissions":{"openapi":[]},"timeout":5}'),
    ).not.toThrow();
  });

  it('refuses a config.json WeChat would not deploy: two timer triggers, a bad cron, an unknown openapi name', () => {
    const two =
      '{"permissions":{"openapi":[]},"timeout":5,"triggers":[{"name":"a","type":"timer","config":"0 0 1 * * * *"},{"name":"b","type":"timer","config":"0 0 2 * * * *"}]}';
    expect(() => checkFunctionConfig('x', two)).toThrow(
      /^x: config\.json declares 2 triggers \(a, b\); WeChat allows one timer trigger/,
    );
    expect(() =>
      checkFunctionConfig(
        'x',
        '{"permissions":{"openapi":[]},"timeout":5,"triggers":[{"name":"a","type":"timer","config":"0 0 1 * *"}]}',
      ),
    ).toThrow(/7 fields/);
    expect(() =>
      checkFunctionConfig('x', '{"permissions":{"openapi":["wxacode.get"]},"timeout":5}'),
    ).toThrow(/"wxacode\.get", not an openapi method/);
  });
});
