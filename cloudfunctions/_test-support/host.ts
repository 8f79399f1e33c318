import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFunctionHost, type FunctionHost } from '../../local/runtime/function-host';
import type { Result } from '../../src/domain/shared/result';
import type { Database, StoredDoc } from '../_shared/db';

/**
 * Cloud function tests run the real wx-server-sdk over the local store in a fresh temporary
 * data folder, invoking functions the way the local server does (per-invocation getWXContext).
 */
export interface TestCloud {
  host: FunctionHost;
  /** Host-level database handle (no caller) to seed and inspect collections. */
  db: Database;
  dataDir: string;
  /** Invoke `fn` with `{ action, input }` as `openid` (null: no signed-in caller). */
  call(
    fn: string,
    action: unknown,
    input: unknown,
    openid: string | null,
  ): Promise<Result<unknown>>;
  /** Documents in a collection. */
  count(collection: string): Promise<number>;
  /** Every document of a small collection (at most 100). */
  all<T extends StoredDoc>(collection: string): Promise<T[]>;
  close(): void;
}

export interface TestCloudOptions {
  /** Environment for the functions, e.g. { LINLI_SECRETARY_OPENIDS: 'secretary-01' }. */
  env?: Record<string, string>;
  from?: 'source' | 'built';
  /** Folder of function folders; default the repo's cloudfunctions/ (or dist-functions/). */
  functionsDir?: string;
}

export function startTestCloud(options: TestCloudOptions = {}): TestCloud {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-fn-test-'));
  const host = createFunctionHost({
    dataDir,
    from: options.from ?? 'source',
    functionsDir: options.functionsDir,
    env: options.env,
  });
  const db = host.database as unknown as Database;
  return {
    host,
    db,
    dataDir,
    async call(fn, action, input, openid) {
      const event = action === undefined ? { input } : { action, input };
      return (await host.invoke(fn, event, openid ? { openid } : null)) as Result<unknown>;
    },
    async count(collection) {
      return (await db.collection(collection).count()).total;
    },
    async all<T extends StoredDoc>(collection: string) {
      return (await db.collection<T>(collection).limit(100).get()).data;
    },
    close() {
      host.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Narrow a result to its success branch, failing the test with the code otherwise. */
export function expectOk<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.data as T;
}
