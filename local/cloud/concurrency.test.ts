/** Conditional writes are atomic within one process and across processes sharing the file. */
import { spawn } from 'child_process';
import * as path from 'path';
import { freshCloud, type Fixture } from './test-support/fixture';

let f: Fixture;
beforeEach(() => {
  f = freshCloud();
});
afterEach(() => f.cleanup());

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(__dirname, 'test-support', 'decrement-worker.ts');

function runWorker(args: string[]): Promise<{ succeeded: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { succeeded: number });
    });
  });
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
  const startAt = String(Date.now() + 1500);
  const args = [f.dataDir, f.indexesFile, 'slot', '150', startAt];
  const [a, b] = await Promise.all([runWorker(args), runWorker(args)]);
  expect(a.succeeded + b.succeeded).toBe(50);
  expect((await f.db.collection('stock').doc('slot').get()).data).toEqual({ _id: 'slot', left: 0 });
}, 60_000);
