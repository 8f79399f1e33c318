/**
 * `tsx local/seed/main.ts [--reset]` — seed the sample data into LINLI_DATA_DIR (default
 * <repo>/data) once. `--reset` wipes the whole local database first, then seeds again.
 */
import path from 'node:path';
import { installLocalCloud } from '../cloud';
import { REPO_ROOT } from '../runtime/function-host';
import { hostDatabase, loadSdk } from '../runtime/sdk';
import { seedOnce } from './seed';

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const dataDir = process.env.LINLI_DATA_DIR ?? path.join(REPO_ROOT, 'data');
  const cloud = installLocalCloud({ dataDir });
  try {
    if (reset) {
      cloud.reset();
      console.log(`[seed] wiped ${dataDir}`);
    }
    const report = await seedOnce(hostDatabase(loadSdk()));
    console.log(
      report.seeded
        ? `[seed] sample data seeded (${report.inserted} documents)`
        : '[seed] already seeded; nothing to do',
    );
  } finally {
    cloud.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
