/**
 * Child process for the cross-process transaction test. Opens the shared data folder, starts a
 * transaction that writes `counters/<docId>` (value := 1000) and prints `held`; on a line on stdin
 * it commits and prints `committed`, or — with `die` as the third argument — exits at once without
 * committing or aborting (like `kill -9`), leaving its hold behind.
 *
 * argv: dataDir indexesFile docId [die] [timeoutMs]
 */
import { installLocalCloud } from '../index';
import type { TestSdk } from './fixture';

async function main(): Promise<void> {
  const [dataDir, indexesFile, docId, mode, timeoutText] = process.argv.slice(2);
  const local = installLocalCloud({
    dataDir,
    indexesFile,
    transactionTimeoutMs: timeoutText ? Number(timeoutText) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as TestSdk;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const tx = await db.startTransaction();
  await tx
    .collection('counters')
    .doc(docId)
    .update({ data: { value: 1000 } });
  process.stdout.write('held\n');
  if (mode === 'die') process.exit(0);
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  await tx.commit();
  local.close();
  process.stdout.write('committed\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
