/**
 * `npm test`: every check the project has, in order, stopping at the first failure.
 *
 *   typecheck → lint → format → layout → jest → build functions → attack suite → build weapp → size report
 *   → weapp simulator → build h5 → browser
 *
 * Each step's output is forwarded as it comes; at the end a table shows each step's result and
 * duration, and one line totals the tests reported by jest and the e2e runners.
 *
 *   tsx scripts/test-all.ts [--only a,b] [--from step] [--list]
 *     --only   run just these steps (ids from --list), e.g. --only weapp,size,sim
 *     --from   start at this step (earlier outputs must already exist)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

interface Step {
  id: string;
  title: string;
  command: string[];
  /** Reads "passed / failed" test counts from the step's output, when it reports any. */
  counts?: (output: string) => TestCounts | null;
}

interface TestCounts {
  passed: number;
  failed: number;
}

interface StepResult {
  step: Step;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  counts: TestCounts | null;
}

/** Jest's summary: "Tests:       2 failed, 1 skipped, 40 passed, 43 total". */
export function jestCounts(output: string): TestCounts | null {
  const line = output.match(/^Tests:\s+(.*\d+ total)\s*$/m)?.[1];
  if (!line) return null;
  const count = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed') };
}

/** The e2e runners' last line: "3 passed, 0 failed". */
export function runnerCounts(output: string): TestCounts | null {
  const all = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const last = all[all.length - 1];
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}

const tsx = (script: string): string[] => [path.join(BIN, 'tsx'), script];

export const STEPS: Step[] = [
  {
    id: 'typecheck',
    title: 'typecheck (tsc --noEmit)',
    command: [path.join(BIN, 'tsc'), '--noEmit', '-p', '.'],
  },
  { id: 'lint', title: 'lint (eslint)', command: [path.join(BIN, 'eslint'), '.'] },
  {
    id: 'format',
    title: 'format (prettier --check)',
    command: [path.join(BIN, 'prettier'), '--check', '.'],
  },
  // Every function folder in the one layout of CONTRIBUTING.md.
  {
    id: 'layout',
    title: 'layout (scripts/check-layout.ts)',
    command: tsx('scripts/check-layout.ts'),
  },
  {
    id: 'jest',
    title: 'unit + function tests (jest)',
    command: [path.join(BIN, 'jest'), ...(process.env.CI ? ['--ci'] : [])],
    counts: jestCounts,
  },
  { id: 'functions', title: 'build cloud functions', command: tsx('scripts/build-functions.ts') },
  // Two server processes on the built functions: races, limits, retries, roles, fuzz, kill -9.
  {
    id: 'attack',
    title: 'attack suite (e2e/attack)',
    command: tsx('e2e/attack/run.ts'),
    counts: runnerCounts,
  },
  {
    id: 'weapp',
    title: 'build weapp (dist/)',
    command: [path.join(BIN, 'taro'), 'build', '--type', 'weapp'],
  },
  { id: 'size', title: 'size report (miniprogram-ci)', command: tsx('scripts/size-report.ts') },
  {
    id: 'sim',
    title: 'weapp simulator test',
    command: tsx('e2e/weapp/run.ts'),
    counts: runnerCounts,
  },
  {
    id: 'h5',
    title: 'build h5 (dist-h5/)',
    command: [path.join(BIN, 'taro'), 'build', '--type', 'h5'],
  },
  {
    id: 'browser',
    title: 'browser test (Chromium)',
    command: tsx('e2e/browser/run.ts'),
    counts: runnerCounts,
  },
];

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function runStep(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = step.command;
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) },
    });
    const chunks: string[] = [];
    child.stdout.on('data', (data: Buffer) => {
      process.stdout.write(data);
      chunks.push(data.toString('utf8'));
    });
    child.stderr.on('data', (data: Buffer) => {
      process.stderr.write(data);
      chunks.push(data.toString('utf8'));
    });
    child.on('error', (error) => {
      chunks.push(String(error));
      console.error(`could not start ${command}: ${error.message}`);
    });
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: stripAnsi(chunks.join('')) }),
    );
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function pad(text: string, width: number): string {
  // CJK and other wide characters are not expected in step titles; plain padding is enough.
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function parseArgs(argv: string[]): { steps: Step[] } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0
      ? argv[i + 1]
      : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  if (argv.includes('--list')) {
    for (const s of STEPS)
      console.log(
        `${pad(s.id, 10)} ${s.title}: ${s.command.map((c) => path.relative(ROOT, c) || c).join(' ')}`,
      );
    process.exit(0);
  }
  const known = new Set(STEPS.map((s) => s.id));
  const check = (id: string): string => {
    if (!known.has(id)) throw new Error(`unknown step "${id}"; steps: ${[...known].join(', ')}`);
    return id;
  };
  const only = value('--only');
  if (only) {
    const ids = new Set(only.split(',').map((s) => check(s.trim())));
    return { steps: STEPS.filter((s) => ids.has(s.id)) };
  }
  const from = value('--from');
  if (from) return { steps: STEPS.slice(STEPS.findIndex((s) => s.id === check(from))) };
  return { steps: STEPS };
}

async function main(): Promise<number> {
  const { steps } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results: StepResult[] = [];
  let failed = false;
  for (const step of steps) {
    if (failed) {
      results.push({ step, status: 'skipped', ms: 0, counts: null });
      continue;
    }
    console.log(
      `\n━━━ ${step.title} ━━━  $ ${step.command.map((c) => path.relative(ROOT, c) || c).join(' ')}\n`,
    );
    const t = Date.now();
    const { code, output } = await runStep(step);
    const ms = Date.now() - t;
    const status = code === 0 ? 'passed' : 'failed';
    results.push({ step, status, ms, counts: step.counts?.(output) ?? null });
    console.log(
      `\n━━━ ${step.title}: ${status === 'passed' ? 'ok' : `FAILED (exit ${code})`} in ${seconds(ms)} ━━━`,
    );
    if (status === 'failed') failed = true;
  }

  const width = Math.max(...results.map((r) => r.step.title.length));
  console.log('\nSummary\n');
  for (const r of results) {
    const mark = r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : '-';
    const tests = r.counts ? `${r.counts.passed} passed, ${r.counts.failed} failed` : '';
    const time = r.status === 'skipped' ? 'skipped' : seconds(r.ms);
    console.log(`  ${mark} ${pad(r.step.title, width)}  ${pad(time, 8)}  ${tests}`);
  }
  const ran = results.filter((r) => r.status !== 'skipped');
  const totals = results.reduce(
    (sum, r) => ({
      passed: sum.passed + (r.counts?.passed ?? 0),
      failed: sum.failed + (r.counts?.failed ?? 0),
    }),
    { passed: 0, failed: 0 },
  );
  console.log(
    `\nsteps: ${ran.filter((r) => r.status === 'passed').length} passed, ${ran.filter((r) => r.status === 'failed').length} failed, ` +
      `${results.length - ran.length} skipped — ${seconds(Date.now() - started)}`,
  );
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
