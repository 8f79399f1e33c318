/**
 * The attack suite's local cloud: TWO local server processes (`node --import tsx
 * local/server/main.ts`, so the pid is the server itself and `kill -9` hits it) on ONE data
 * directory — what production's many function instances on one database look like — plus, in this
 * process, a function host on the same SQLite file that only fires timer triggers, and a read-only
 * SQLite handle for digests and invariants.
 *
 * Loopback only: the servers listen on 127.0.0.1 (PORT=0) and every request goes there.
 * Tokens are signed here with the data directory's own secret (local/server/tokens.ts), exactly as
 * the servers sign them, so thousands of callers need no sign-in round trip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decode } from '../../local/cloud/values';
import { createFunctionHost, type FunctionHost } from '../../local/runtime/function-host';
import { createTokenSigner, loadOrCreateSecret, type TokenSigner } from '../../local/server/tokens';
import { SAMPLE_SECRETARY_OPENIDS } from '../../local/seed/data';

export const ROOT = path.resolve(__dirname, '..', '..');

export type FunctionsFrom = 'built' | 'source';

export interface Answer {
  /** HTTP status; 0 when the connection failed (server killed, refused). */
  status: number;
  body: {
    ok?: boolean;
    code?: string;
    message?: string;
    data?: unknown;
    [k: string]: unknown;
  } | null;
  /** Set when no HTTP answer came back. */
  error?: string;
}

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** Last lines of its output, for failure reports. */
  log: string[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
  exited: Promise<void>;
}

export interface Stats {
  calls: number;
  http500: number;
  /** Other 5xx answers (504 = FUNCTION_TIMEOUT). */
  http5xx: number;
  /** 200 answers whose code is INTERNAL: a function threw. */
  internal: number;
  /** Requests without an HTTP answer (server killed under them). */
  dropped: number;
  /** Examples of 500 / INTERNAL answers: what was sent. */
  examples: string[];
}

const SERVER_LOG_LINES = 60;

/** Server processes still running: killed when this process exits, however it exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startServerProcess(options: {
  name: string;
  dataDir: string;
  functions: FunctionsFrom;
  secretaries: string;
  seed: boolean;
  functionsDir?: string;
}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      LINLI_DATA_DIR: options.dataDir,
      // No H5 files: only the API is served.
      LINLI_STATIC_DIR: path.join(options.dataDir, 'no-static-files'),
      LINLI_FUNCTIONS: options.functions,
      ...(options.functionsDir ? { LINLI_FUNCTIONS_DIR: options.functionsDir } : {}),
      LINLI_TIMERS: '0',
      LINLI_SEED: options.seed ? '1' : '0',
      LINLI_DB_JITTER_MS: process.env.LINLI_DB_JITTER_MS ?? '4',
      LINLI_SECRETARY_OPENIDS: options.secretaries,
      LINLI_PUBLIC_URL: 'http://127.0.0.1:9/',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const log: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString('utf8').split('\n')) {
      if (!line.trim() || / 200 \d+ms$/.test(line)) continue;
      log.push(line);
      if (log.length > SERVER_LOG_LINES) log.shift();
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<ServerProcess>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start in 60 s:\n${out}`));
    }, 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before listening:\n${out}`));
    };
    child.once('exit', onExit);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
      keep(d);
    });
    child.stdout?.on('data', (d: Buffer) => {
      keep(d);
      if (out.includes('本地云已启动')) return;
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const signal = async (sig: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(sig);
        await exited;
      };
      resolve({
        name: options.name,
        url: m[1],
        pid: child.pid ?? -1,
        log,
        exited,
        stop: () => signal('SIGTERM'),
        kill9: () => signal('SIGKILL'),
      });
    });
  });
}

export interface AttackCloud {
  dataDir: string;
  functions: FunctionsFrom;
  /** The two server processes; `servers[i % 2]` spreads requests over both. */
  servers: [ServerProcess, ServerProcess];
  secretary: string;
  stats: Stats;
  token(openid: string): string;
  /** POST /api/cloud/<fn> on server `via` (index or process), `token` null = no Authorization. */
  call(
    via: number | ServerProcess,
    fn: string,
    action: string,
    input: unknown,
    token: string | null,
  ): Promise<Answer>;
  /** Raw POST of a body text (fuzzing bodies that are not what JSON.stringify makes). */
  post(
    via: number | ServerProcess,
    pathname: string,
    body: string,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  get(
    via: number | ServerProcess,
    pathname: string,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** Replace server `index` with a fresh process on the same data directory. */
  restart(index: 0 | 1): Promise<ServerProcess>;
  /** The in-process host used to fire timer triggers (and for direct setup writes). */
  host: FunctionHost;
  fireTimer(fn: string, trigger: string, at: Date): Promise<unknown>;
  /** Every document of a collection, decoded (read-only SQLite). */
  docs<T = Record<string, unknown>>(collection: string): T[];
  doc<T = Record<string, unknown>>(collection: string, id: string): T | null;
  /** coll → id → content hash of every document. */
  snapshot(): Map<string, Map<string, string>>;
  /** The store's global write counter: unchanged means nothing was written. */
  writeSeq(): number;
  close(): Promise<void>;
}

const SECRETARY_FOR_ATTACK = 'attack-secretary-0001';

export async function startAttackCloud(options: {
  functions: FunctionsFrom;
  functionsDir?: string;
}): Promise<AttackCloud> {
  if (process.env.LINLI_KEEP_TZ !== '1') process.env.TZ = 'UTC';
  if (options.functions === 'built') {
    const built = options.functionsDir ?? path.join(ROOT, 'dist-functions');
    if (!fs.existsSync(built) || fs.readdirSync(built).length === 0) {
      throw new Error(
        `${built} is empty: build the functions first (npx tsx scripts/build-functions.ts)`,
      );
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-attack-'));
  const secretaries = `${SAMPLE_SECRETARY_OPENIDS},${SECRETARY_FOR_ATTACK}`;
  // The first process seeds the sample data; the second starts once it has.
  const from = { functions: options.functions, functionsDir: options.functionsDir, secretaries };
  const first = await startServerProcess({ name: 'A', dataDir, ...from, seed: true });
  const second = await startServerProcess({ name: 'B', dataDir, ...from, seed: false });
  const servers: [ServerProcess, ServerProcess] = [first, second];
  const signer: TokenSigner = createTokenSigner(loadOrCreateSecret(dataDir));
  const tokens = new Map<string, string>();
  const host = createFunctionHost({
    dataDir,
    from: options.functions,
    functionsDir: options.functionsDir,
    env: { LINLI_SECRETARY_OPENIDS: secretaries },
    log: () => undefined,
  });
  const sqlite = new Database(path.join(dataDir, 'cloud.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  const byColl = sqlite.prepare<[string], { id: string; doc: string }>(
    'SELECT id, doc FROM docs WHERE coll = ? ORDER BY rowid',
  );
  const all = sqlite.prepare<[], { coll: string; id: string; doc: string }>(
    'SELECT coll, id, doc FROM docs',
  );
  const stats: Stats = { calls: 0, http500: 0, http5xx: 0, internal: 0, dropped: 0, examples: [] };

  const serverOf = (via: number | ServerProcess) =>
    typeof via === 'number' ? servers[via % 2] : via;

  const one = sqlite.prepare<[string, string], { doc: string }>(
    'SELECT doc FROM docs WHERE coll = ? AND id = ?',
  );
  const seq = sqlite.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'seq'");

  async function request(
    via: number | ServerProcess,
    method: 'GET' | 'POST',
    pathname: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const server = serverOf(via);
    stats.calls++;
    let res: Response;
    try {
      res = await fetch(`${server.url}${pathname}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      stats.dropped++;
      return {
        status: 0,
        body: null,
        error:
          e instanceof Error
            ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}`
            : String(e),
      };
    }
    const text = await res.text().catch(() => '');
    let parsed: Answer['body'] = null;
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      parsed = null;
    }
    const example = () => {
      if (stats.examples.length < 12)
        stats.examples.push(
          `${server.name} ${pathname} ${res.status} ${parsed?.code ?? ''} ← ${(body ?? '').slice(0, 160)}`,
        );
    };
    if (res.status === 500) {
      stats.http500++;
      example();
    } else if (res.status >= 500) stats.http5xx++;
    if (parsed?.code === 'INTERNAL') {
      stats.internal++;
      example();
    }
    return { status: res.status, body: parsed };
  }
  const post = (
    via: number | ServerProcess,
    pathname: string,
    body: string,
    headers: Record<string, string> = {},
  ) => request(via, 'POST', pathname, body, headers);

  const cloud: AttackCloud = {
    dataDir,
    functions: options.functions,
    servers,
    secretary: SECRETARY_FOR_ATTACK,
    stats,
    host,
    token(openid) {
      let t = tokens.get(openid);
      if (!t) {
        t = signer.sign(openid);
        tokens.set(openid, t);
      }
      return t;
    },
    call(via, fn, action, input, token) {
      return post(
        via,
        `/api/cloud/${fn}`,
        JSON.stringify({ action, input }),
        token ? { authorization: `Bearer ${token}` } : {},
      );
    },
    post,
    get: (via, pathname, headers = {}) => request(via, 'GET', pathname, undefined, headers),
    async restart(index) {
      const old = servers[index];
      await old.stop();
      const next = await startServerProcess({ name: old.name, dataDir, ...from, seed: false });
      servers[index] = next;
      return next;
    },
    fireTimer: (fn, trigger, at) => host.fireTimer(fn, trigger, at),
    docs<T>(collection: string): T[] {
      return byColl.all(collection).map((r) => decode(r.doc) as T);
    },
    doc<T>(collection: string, id: string): T | null {
      const row = one.get(collection, id);
      return row ? (decode(row.doc) as T) : null;
    },
    writeSeq: () => seq.get()?.value ?? 0,
    snapshot() {
      const out = new Map<string, Map<string, string>>();
      for (const row of all.all()) {
        let coll = out.get(row.coll);
        if (!coll) out.set(row.coll, (coll = new Map()));
        coll.set(row.id, crypto.createHash('sha1').update(row.doc).digest('base64'));
      }
      return out;
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      sqlite.close();
      host.close();
      if (process.env.LINLI_ATTACK_KEEP !== '1')
        fs.rmSync(dataDir, { recursive: true, force: true });
      else console.log(`data kept in ${dataDir}`);
    },
  };
  return cloud;
}

/** A document written, changed or removed between two snapshots: "coll/id (added|changed|removed)". */
export function diffSnapshots(
  before: Map<string, Map<string, string>>,
  after: Map<string, Map<string, string>>,
): Array<{ coll: string; id: string; change: 'added' | 'changed' | 'removed' }> {
  const out: Array<{ coll: string; id: string; change: 'added' | 'changed' | 'removed' }> = [];
  const colls = new Set([...before.keys(), ...after.keys()]);
  for (const coll of colls) {
    const b = before.get(coll) ?? new Map<string, string>();
    const a = after.get(coll) ?? new Map<string, string>();
    for (const [id, hash] of a) {
      if (!b.has(id)) out.push({ coll, id, change: 'added' });
      else if (b.get(id) !== hash) out.push({ coll, id, change: 'changed' });
    }
    for (const id of b.keys()) if (!a.has(id)) out.push({ coll, id, change: 'removed' });
  }
  return out;
}
