/**
 * `npm start`: build what is missing or out of date, seed the sample data once, start the local
 * server and print its URL (http://127.0.0.1:10086/ by default).
 *
 *   --rebuild          build functions and H5 even when they look up to date
 *   LINLI_SKIP_BUILD=1 never build (use what is in dist-functions/ and dist-h5/)
 *
 * "Out of date" means some file under the inputs is newer than the oldest output file. The
 * check is by modification time only; when in doubt, pass --rebuild.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runServerFromEnv, applyProductionTimeZone } from '../local/server/cli';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const IGNORED = new Set([
  'node_modules',
  '.git',
  'dist',
  'dist-h5',
  'dist-functions',
  'data',
  '.temp',
  '.swc',
]);

/** Newest modification time (ms) of any file under `paths` (files or folders); 0 when none. */
function newest(paths: string[]): number {
  let max = 0;
  const visit = (p: string): void => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p)) {
        if (!IGNORED.has(name) && !name.endsWith('.test.ts') && !name.endsWith('.test.tsx'))
          visit(path.join(p, name));
      }
    } else {
      max = Math.max(max, stat.mtimeMs);
    }
  };
  paths.forEach((p) => visit(path.join(ROOT, p)));
  return max;
}

/** Oldest modification time (ms) of the given output files; 0 when any is missing. */
function oldest(files: string[]): number {
  let min = Infinity;
  for (const f of files) {
    try {
      min = Math.min(min, fs.statSync(f).mtimeMs);
    } catch {
      return 0;
    }
  }
  return files.length === 0 || min === Infinity ? 0 : min;
}

function functionOutputs(): string[] {
  const src = path.join(ROOT, 'cloudfunctions');
  if (!fs.existsSync(src)) return [];
  return fs
    .readdirSync(src, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        !d.name.startsWith('_') &&
        !d.name.startsWith('.') &&
        fs.existsSync(path.join(src, d.name, 'config.json')),
    )
    .map((d) => path.join(ROOT, 'dist-functions', d.name, 'index.js'));
}

function run(bin: string, args: string[]): void {
  console.log(`[start] ${bin} ${args.join(' ')}`);
  const res = spawnSync(path.join(BIN, bin), args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  });
  if (res.error) throw res.error;
  if (res.status !== 0)
    throw new Error(`${bin} ${args.join(' ')} failed with exit code ${res.status}`);
}

async function main(): Promise<void> {
  const force = process.argv.includes('--rebuild');
  const skip = process.env.LINLI_SKIP_BUILD === '1';
  if (!skip) {
    const fnOutputs = functionOutputs();
    const fnInputs = newest([
      'cloudfunctions',
      'src/domain',
      'scripts/build-functions.ts',
      'package.json',
    ]);
    if (force || fnOutputs.length === 0 || oldest(fnOutputs) < fnInputs)
      run('tsx', ['scripts/build-functions.ts']);
    else console.log('[start] dist-functions/ is up to date');

    const h5Inputs = newest([
      'src',
      'config',
      'babel.config.js',
      'package.json',
      'project.config.json',
    ]);
    if (force || oldest([path.join(ROOT, 'dist-h5', 'index.html')]) < h5Inputs)
      run('taro', ['build', '--type', 'h5']);
    else console.log('[start] dist-h5/ is up to date');
  }
  applyProductionTimeZone();
  await runServerFromEnv();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
