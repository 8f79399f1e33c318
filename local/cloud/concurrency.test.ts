/** Conditional writes are atomic within one process and across processes sharing the file. */
import { spawn } from 'child_process';
import * as path from 'path';
import { setRequestJitter } from './index';
import { freshCloud, type Fixture } from './test-support/fixture';

let f: Fixture;
let previousJitter = 0;
beforeAll(() => {
  // Requests interleave as across production's function instances (random 0–4 ms before each).
  previousJitter = setRequestJitter(4);
});
afterAll(() => setRequestJitter(previousJitter));
beforeEach(() => {
  f = freshCloud();
});
afterEach(() => f.cleanup());

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(__dirname, 'test-support', 'decrement-worker.ts');

interface Worker {
  ready: Promise<void>;
  go(): void;
  result: Promise<{ succeeded: number }>;
}

/** Starts a decrement worker; it reports `ready` once set up and fires on `go()`. */
function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: REPO_ROOT });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const result = new Promise<{ succeeded: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { succeeded: number });
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}

test('200 concurrent conditional decrements of a 10-stock document: exactly 10 succeed', async () => {
  const db = f.db;
  const _ = db.command;
  await db.collection('stock').add({ data: { _id: 'slot', left: 10 } });
  const results = await Promise.all(
    Array.from({ length: 200 }, () =>
      db
        .collection('stock')
        .where({ _id: 'slot', left: _.gt(0) })
        .update({ data: { left: _.inc(-1) } }),
    ),
  );
  expect(results.filter((r) => r.stats.updated === 1)).toHaveLength(10);
  expect(results.filter((r) => r.stats.updated === 0)).toHaveLength(190);
  expect((await db.collection('stock').doc('slot').get()).data).toEqual({ _id: 'slot', left: 0 });
});

test('two processes decrementing one file never oversell', async () => {
  await f.db.collection('stock').add({ data: { _id: 'slot', left: 50 } });
  const args = [f.dataDir, f.indexesFile, 'slot', '150'];
  const workers = [startWorker(args), startWorker(args)];
  await Promise.all(workers.map((w) => w.ready));
  workers.forEach((w) => w.go());
  const [a, b] = await Promise.all(workers.map((w) => w.result));
  expect(a.succeeded + b.succeeded).toBe(50);
  expect((await f.db.collection('stock').doc('slot').get()).data).toEqual({ _id: 'slot', left: 0 });
}, 60_000);
