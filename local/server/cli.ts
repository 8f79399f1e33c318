import path from 'node:path';
import { DEFAULT_PORT, REPO_ROOT } from '../runtime/function-host';
import { startServer, type RunningServer } from './server';

/**
 * Start the local server from environment variables (see main.ts for the list) and stop it
 * gracefully on SIGINT / SIGTERM.
 */

function portFromEnv(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0–65535, got "${raw}"`);
  return port;
}

export function dataDirFromEnv(): string {
  return process.env.LINLI_DATA_DIR
    ? path.resolve(process.env.LINLI_DATA_DIR)
    : path.join(REPO_ROOT, 'data');
}

export async function runServerFromEnv(): Promise<RunningServer> {
  const from = process.env.LINLI_FUNCTIONS === 'source' ? 'source' : 'built';
  const running = await startServer({
    port: portFromEnv(),
    dataDir: dataDirFromEnv(),
    functions: {
      from,
      functionsDir: process.env.LINLI_FUNCTIONS_DIR
        ? path.resolve(process.env.LINLI_FUNCTIONS_DIR)
        : undefined,
    },
    staticDir: process.env.LINLI_STATIC_DIR
      ? path.resolve(process.env.LINLI_STATIC_DIR)
      : undefined,
    devEndpoints: process.env.LINLI_DEV_ENDPOINTS !== '0',
    seed: process.env.LINLI_SEED !== '0',
    timers: process.env.LINLI_TIMERS !== '0',
  });
  console.log(`邻里一刻钟 本地云已启动: ${running.url}`);
  console.log(`  data: ${dataDirFromEnv()}`);
  console.log(`  functions (${from}): ${running.host.functionNames().join(', ')}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[local-cloud] ${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return running;
}

/** Functions run in UTC in production; so do they here unless LINLI_KEEP_TZ=1. */
export function applyProductionTimeZone(): void {
  if (process.env.LINLI_KEEP_TZ !== '1') process.env.TZ = 'UTC';
}
