/**
 * Child process for the cross-process atomicity test. Opens the shared data folder, waits until
 * `startAt` (epoch ms) so sibling processes start together, fires `attempts` concurrent
 * conditional decrements of `stock/<docId>.left` and prints `{"succeeded": n}` on stdout.
 *
 * argv: dataDir indexesFile docId attempts startAt
 */
import { installLocalCloud } from '../index';
import type { TestSdk } from './fixture';

async function main(): Promise<void> {
  const [dataDir, indexesFile, docId, attemptsText, startAtText] = process.argv.slice(2);
  const local = installLocalCloud({ dataDir, indexesFile });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as TestSdk;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const _ = db.command;
  const wait = Number(startAtText) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
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
