/**
 * Bundles each cloud function into a folder WeChat Cloud deploys as is:
 *
 *   dist-functions/<name>/index.js      cloudfunctions/<name>/index.ts with src/domain, valibot,
 *                                       dayjs… inlined; only wx-server-sdk stays a require
 *   dist-functions/<name>/config.json   copied: permissions.openapi, timeout (s), triggers
 *   dist-functions/<name>/package.json  main: index.js; wx-server-sdk pinned to the lockfile's version
 *
 * A function is every folder of cloudfunctions/ with an index.ts, except `_`-prefixed folders
 * (shared runtime, test support) and `database` (indexes and permissions, applied by a script).
 *
 *   tsx scripts/build-functions.ts [--out <dir>] [name…]
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { parseFunctionConfig } from '../local/runtime/function-config';

/** WeChat Cloud's newest function runtime is Node.js 16. */
export const FUNCTION_NODE_TARGET = 'node16';

const REPO_ROOT = path.resolve(__dirname, '..');

/** First line of every bundle; marks output folders this script owns. */
const BANNER_PREFIX = '// Built from cloudfunctions/';

export interface BuildOptions {
  /** Repository root (holds cloudfunctions/, package-lock.json, tsconfig.json). */
  rootDir?: string;
  /** Output folder; default <root>/dist-functions. */
  outDir?: string;
  /** Only these functions; default all. */
  only?: string[];
}

export interface BuiltFunction {
  name: string;
  dir: string;
  /** Size of index.js in bytes. */
  bytes: number;
  /** Wall time of this function's bundle step, milliseconds. */
  ms: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Function folders under cloudfunctions/. */
export function functionNames(rootDir: string = REPO_ROOT): string[] {
  const dir = path.join(rootDir, 'cloudfunctions');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        !d.name.startsWith('_') &&
        !d.name.startsWith('.') &&
        d.name !== 'database',
    )
    .filter((d) => fs.existsSync(path.join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/** The exact wx-server-sdk version the lockfile installed; deployments must run the same. */
export function lockedSdkVersion(rootDir: string = REPO_ROOT): string {
  const lockFile = path.join(rootDir, 'package-lock.json');
  if (!fs.existsSync(lockFile))
    throw new Error('package-lock.json not found: run npm install first');
  const lock: unknown = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  const packages = isRecord(lock) && isRecord(lock.packages) ? lock.packages : {};
  const entry = packages['node_modules/wx-server-sdk'];
  const version = isRecord(entry) ? entry.version : undefined;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error('package-lock.json has no exact wx-server-sdk version');
  }
  return version;
}

/** config.json must state what WeChat needs on deploy; refuse to build a function without it. */
export function checkFunctionConfig(name: string, text: string): void {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}/config.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(raw)) throw new Error(`${name}/config.json must be an object`);
  const openapi = isRecord(raw.permissions) ? raw.permissions.openapi : undefined;
  if (!Array.isArray(openapi) || !openapi.every((x) => typeof x === 'string')) {
    throw new Error(
      `${name}/config.json needs permissions.openapi: a list of API names (may be empty)`,
    );
  }
  if (typeof raw.timeout !== 'number' || raw.timeout < 1 || raw.timeout > 60) {
    throw new Error(`${name}/config.json needs timeout: seconds from 1 to 60`);
  }
  if (raw.triggers !== undefined) {
    const ok =
      Array.isArray(raw.triggers) &&
      raw.triggers.every(
        (t) =>
          isRecord(t) &&
          typeof t.name === 'string' &&
          t.type === 'timer' &&
          typeof t.config === 'string',
      );
    if (!ok)
      throw new Error(`${name}/config.json triggers must be [{ name, type: "timer", config }]`);
  }
  // The rest of what WeChat requires (one trigger, 7-field cron, memory sizes, known openapi names).
  parseFunctionConfig(text, name);
}

/** Calls Node 16 does not have; esbuild lowers syntax but not library APIs. */
const NEWER_THAN_NODE16 = [
  /\bstructuredClone\(/,
  /\.findLast(Index)?\(/,
  /\.toSorted\(/,
  /\.toReversed\(/,
  /\.toSpliced\(/,
  /\bObject\.groupBy\(/,
  /\bArray\.fromAsync\(/,
];

async function buildOne(
  name: string,
  rootDir: string,
  outRoot: string,
  sdkVersion: string,
): Promise<BuiltFunction> {
  const started = Date.now();
  const srcDir = path.join(rootDir, 'cloudfunctions', name);
  const configText = fs.readFileSync(path.join(srcDir, 'config.json'), 'utf8');
  checkFunctionConfig(name, configText);

  const dir = path.join(outRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(srcDir, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: FUNCTION_NODE_TARGET,
    format: 'cjs',
    external: ['wx-server-sdk'],
    tsconfig: path.join(rootDir, 'tsconfig.json'),
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    banner: { js: `${BANNER_PREFIX}${name} by scripts/build-functions.ts. Do not edit.` },
  });

  const code = fs.readFileSync(outfile, 'utf8');
  const newer = NEWER_THAN_NODE16.find((re) => re.test(code));
  if (newer) throw new Error(`${name}: bundle calls an API missing from Node 16 (${newer.source})`);

  fs.writeFileSync(path.join(dir, 'config.json'), configText);
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    description: `Linli cloud function "${name}" (bundled)`,
    main: 'index.js',
    dependencies: { 'wx-server-sdk': sdkVersion },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return { name, dir, bytes: Buffer.byteLength(code), ms: Date.now() - started };
}

/**
 * Remove folders of functions that no longer exist, so a deploy of everything in the output
 * folder cannot upload a stale one. Only folders this script wrote (banner in index.js) go.
 */
function removeStaleBuilds(outRoot: string, current: readonly string[]): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(outRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || current.includes(entry.name)) continue;
    const index = path.join(outRoot, entry.name, 'index.js');
    const ours = fs.existsSync(index) && fs.readFileSync(index, 'utf8').startsWith(BANNER_PREFIX);
    if (ours) {
      fs.rmSync(path.join(outRoot, entry.name), { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return removed;
}

/** Build every function (or `only` these) in parallel; fails listing every function that failed. */
export async function buildFunctions(options: BuildOptions = {}): Promise<BuiltFunction[]> {
  const rootDir = options.rootDir ?? REPO_ROOT;
  const outRoot = options.outDir ?? path.join(rootDir, 'dist-functions');
  const all = functionNames(rootDir);
  const names = options.only ?? all;
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0)
    throw new Error(`no such function: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  const sdkVersion = lockedSdkVersion(rootDir);
  fs.mkdirSync(outRoot, { recursive: true });
  if (!options.only) removeStaleBuilds(outRoot, all);
  const settled = await Promise.allSettled(
    names.map((name) => buildOne(name, rootDir, outRoot, sdkVersion)),
  );
  const failures = settled.flatMap((r, i) => {
    if (r.status === 'fulfilled') return [];
    // A half-written folder must not be deployed.
    fs.rmSync(path.join(outRoot, names[i]), { recursive: true, force: true });
    return [`${names[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`];
  });
  if (failures.length > 0) throw new Error(`build failed\n${failures.join('\n')}`);
  return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${bytes} B`;
}

async function cli(argv: string[]): Promise<void> {
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1] ?? '') : undefined;
  const only = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out');
  const started = Date.now();
  const built = await buildFunctions({ outDir, only: only.length > 0 ? only : undefined });
  for (const fn of built) {
    console.log(
      `${fn.name.padEnd(12)} ${formatSize(fn.bytes).padStart(9)}  ${String(fn.ms).padStart(4)} ms  ${path.relative(process.cwd(), fn.dir)}`,
    );
  }
  console.log(`${built.length} function(s) in ${Date.now() - started} ms`);
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
