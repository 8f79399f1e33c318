/**
 * The built mini-program (dist/) in WeChat's simulator, walking each persona's journeys through the
 * built cloud functions (dist-functions/) on a fresh, seeded local cloud: `tsx e2e/weapp/run.ts
 * [filter…]`. Build first: `npx tsx scripts/build-functions.ts && npx taro build --type weapp`.
 *
 * One phone per persona (./phone.ts in its own process, one after another, each with its own fresh
 * store): the bundle cannot be loaded twice in a process, and a WeChat user is one person on one
 * phone. A filter runs only the journeys whose name contains it. The last line is the total,
 * `N passed, N failed`; exit code 1 on any failure.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PERSONA_NAMES, type PersonaName } from '../../local/seed/data';
import { JOURNEYS } from './journeys';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function runPhone(
  persona: PersonaName,
  filters: string[],
): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [path.join(__dirname, 'phone.ts'), persona, ...filters], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      process.stdout.write(data);
      output += data.toString('utf8');
    });
    child.on('close', (code) => {
      const counts = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
      const passed = counts ? Number(counts[1]) : 0;
      const failed = counts ? Number(counts[2]) : 0;
      // A phone that died without a verdict counts as one failure.
      resolve({ passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) });
    });
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const started = Date.now();
  const chosen =
    filters.length === 0
      ? JOURNEYS
      : JOURNEYS.filter((j) => filters.some((f) => j.name.includes(f)));
  const personas = PERSONA_NAMES.filter((p) => chosen.some((j) => j.persona === p));
  const total = { passed: 0, failed: 0 };
  for (const persona of personas) {
    const r = await runPhone(persona, filters);
    total.passed += r.passed;
    total.failed += r.failed;
  }
  if (chosen.length === 0) {
    console.log(`no journey matches ${filters.join(', ')}`);
    total.failed++;
  }
  console.log(
    `\nweapp simulator: ${personas.length} phone(s), ${chosen.length} journey(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(total.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
