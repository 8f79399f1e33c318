/**
 * The local cloud for a browser run: helper-3's server (local/server/server.ts), in this process,
 * on a free loopback port, with a fresh temporary data directory seeded with the sample data.
 * It serves the H5 build (dist-h5/) and runs the cloud functions (dist-functions/ when built,
 * otherwise straight from cloudfunctions/ sources).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../local/server/server';

const ROOT = path.resolve(__dirname, '..', '..');

export interface LocalCloud {
  url: string;
  dataDir: string;
  /** Server log lines, shown when a scenario fails. */
  log: string[];
  close: () => Promise<void>;
}

export async function startLocalCloud(): Promise<LocalCloud> {
  const staticDir = path.join(ROOT, 'dist-h5');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(
      `${staticDir}/index.html not found: build the H5 app first (npx taro build --type h5)`,
    );
  }
  const builtFunctions = path.join(ROOT, 'dist-functions');
  const from =
    fs.existsSync(builtFunctions) && fs.readdirSync(builtFunctions).length > 0 ? 'built' : 'source';
  // Functions run in UTC in production; so do they here (local/server/cli.ts does the same).
  if (process.env.LINLI_KEEP_TZ !== '1') process.env.TZ = 'UTC';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'));
  const log: string[] = [];
  const server = await startServer({
    port: 0,
    dataDir,
    staticDir,
    functions: { from },
    seed: true,
    timers: false,
    log: (line) => log.push(line),
  });
  return {
    url: server.url.replace(/\/?$/, '/'),
    dataDir,
    log,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
