import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts another local server process (`tsx local/server/main.ts`) on the same data folder, with
 * the functions run from source: two processes sharing one SQLite file are what production's many
 * function instances sharing one database look like. Its database requests interleave randomly
 * (LINLI_DB_JITTER_MS) like the test process's own. Tokens are shared (the secret is in the folder).
 */
export function startServerProcess(options: {
  dataDir: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const child = spawn(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['local/server/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        LINLI_DATA_DIR: options.dataDir,
        LINLI_STATIC_DIR: options.dataDir,
        LINLI_FUNCTIONS: 'source',
        LINLI_TIMERS: '0',
        LINLI_SEED: '0',
        LINLI_DB_JITTER_MS: '4',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<ServerProcess>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`server process did not start: ${out}`)),
      60_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited ${code}: ${out}`));
    });
  });
}
