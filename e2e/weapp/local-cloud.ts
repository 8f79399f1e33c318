/**
 * The cloud a simulated phone talks to: the local server (local/server/server.ts) started in this
 * process on a fresh temporary data directory seeded with the sample data, running the BUILT
 * functions (dist-functions/, from `tsx scripts/build-functions.ts`). The phones use its function
 * host directly (`host.invoke`, what POST /api/cloud/<fn> does after the token check); nothing
 * else of the server is needed, and it serves no pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionHost } from '../../local/runtime/function-host';
import { startServer } from '../../local/server/server';

const ROOT = path.resolve(__dirname, '..', '..');

export interface FunctionsCloud {
  host: FunctionHost;
  dataDir: string;
  /** Server log lines, shown when a scenario fails. */
  log: string[];
  close: () => Promise<void>;
}

export async function startFunctionsCloud(): Promise<FunctionsCloud> {
  const built = path.join(ROOT, 'dist-functions');
  if (!fs.existsSync(built) || fs.readdirSync(built).length === 0) {
    throw new Error(
      `${built} is empty: build the functions first (npx tsx scripts/build-functions.ts)`,
    );
  }
  // Functions run in UTC in production; so do they here (local/server/cli.ts does the same).
  if (process.env.LINLI_KEEP_TZ !== '1') process.env.TZ = 'UTC';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-weapp-'));
  const log: string[] = [];
  const server = await startServer({
    port: 0,
    dataDir,
    staticDir: path.join(dataDir, 'no-static-files'),
    functions: { from: 'built' },
    seed: true,
    timers: false,
    devEndpoints: false,
    log: (line) => log.push(line),
  });
  return {
    host: server.host,
    dataDir,
    log,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
