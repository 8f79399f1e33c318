import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../local/server/server';
import type { Database } from '../_shared/db';
import { startServerProcess, type ServerProcess } from './server-process';

/** A function's answer as it crosses HTTP. */
export type Answer<T> = { ok: boolean; code?: string; message?: string; data?: T };

/**
 * Two local servers on one fresh data file — this process's (`server`, whose database handle tests
 * inspect) and a second process (`other`) — as production's many function instances share one
 * database. Functions run from source; timers off.
 */
export interface TwoServers {
  server: RunningServer;
  other: ServerProcess;
  dataDir: string;
  /** Host-level database handle (no caller) to seed and inspect collections. */
  db(): Database;
  /** Signs `openid` in (dev endpoint) and keeps the token for `call`. */
  signIn(openid: string): Promise<string>;
  /** `{action, input}` to function `fn` as `openid`, through `via` (a server URL; default `server`). */
  call<T>(
    openid: string,
    fn: string,
    action: string,
    input: unknown,
    via?: string,
  ): Promise<Answer<T>>;
  close(): Promise<void>;
}

export async function startTwoServers(options: {
  name: string;
  secretaries: string;
}): Promise<TwoServers> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `linli-${options.name}-`));
  const server = await startServer({
    port: 0,
    dataDir,
    staticDir: dataDir,
    functions: { from: 'source' },
    secretaryOpenids: options.secretaries,
    timers: false,
    log: () => undefined,
  });
  const other = await startServerProcess({
    dataDir,
    env: { LINLI_SECRETARY_OPENIDS: options.secretaries },
  });
  const tokens = new Map<string, string>();
  return {
    server,
    other,
    dataDir,
    db: () => server.host.database as unknown as Database,
    async signIn(openid) {
      const res = await fetch(new URL('/api/dev/sign-in', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid }),
      });
      const { token } = (await res.json()) as { token: string };
      tokens.set(openid, token);
      return token;
    },
    async call<T>(openid: string, fn: string, action: string, input: unknown, via?: string) {
      const res = await fetch(new URL(`/api/cloud/${fn}`, via ?? server.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens.get(openid)}`,
        },
        body: JSON.stringify({ action, input }),
      });
      return (await res.json()) as Answer<T>;
    },
    async close() {
      await other.stop();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
