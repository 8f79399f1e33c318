/**
 * Child process for the cross-process atomicity test. Opens the shared data folder, prints
 * `ready`, waits for a line on stdin (so sibling processes start together), fires `attempts`
 * concurrent conditional decrements of `stock/<docId>.left` and prints `{"succeeded": n}`.
 *
 * argv: dataDir indexesFile docId attempts
 */
import { installLocalCloud } from '../index';
import type { TestSdk } from './fixture';

async function main(): Promise<void> {
  const [dataDir, indexesFile, docId, attemptsText] = process.argv.slice(2);
  const local = installLocalCloud({ dataDir, indexesFile });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as TestSdk;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const _ = db.command;
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  const results = await Promise.all(
    Array.from({ length: Number(attemptsText) }, () =>
      db
        .collection('stock')
        .where({ _id: docId, left: _.gt(0) })
        .update({ data: { left: _.inc(-1) } }),
    ),
  );
  const succeeded = results.filter((r) => r.stats.updated === 1).length;
  local.close();
  process.stdout.write(`${JSON.stringify({ succeeded })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
