/**
 * Local cloud database: the unmodified `wx-server-sdk` 4.0.2 running offline over SQLite.
 *
 * `installLocalCloud({dataDir})` opens `<dataDir>/cloud.sqlite` (better-sqlite3, WAL) and replaces
 * the SDK's database transport (`Db.reqClass` of `@cloudbase/database`, see transport.ts). Cloud
 * functions then use the SDK exactly as in production:
 * `cloud.init({env: cloud.DYNAMIC_CURRENT_ENV}); const db = cloud.database(); const _ = db.command`.
 * Query building, `db.command` serialisation, result shapes, `throwOnNotFound` and the
 * `runTransaction` retry loop are the SDK's own code.
 *
 * Reproduced from production:
 * - Query / update / aggregation operators (mingo), projection, orderBy, skip, count.
 * - `get()` returns at most 100 documents without `limit()` and never more than 1000.
 * - Only collections declared in `cloudfunctions/database/indexes.json` (or created with
 *   `db.createCollection`) exist; others fail with DATABASE_COLLECTION_NOT_EXIST (-502005).
 * - Unique indexes are enforced (DATABASE_DUPLICATE_WRITE, MongoDB's E11000 message); `$nearSphere`
 *   and `geoNear` need a declared `2dsphere` index.
 * - No automatic `_openid` on writes; `_id` generated as 32 hex characters.
 * - `db.serverDate({offset})` stored as a real date (now + offset ms).
 * - Geo: `$nearSphere` (metres, nearest first), `$geoWithin` (`$centerSphere`, Polygon /
 *   MultiPolygon), `$geoIntersects` against stored points, lines and polygons, aggregation
 *   `geoNear` (first stage).
 * - `aggregate()` without a `$limit` stage returns at most 20 rows.
 * - `doc().set()` counts as a write (`updated: 1`) even with identical data.
 * - Every write is one `BEGIN IMMEDIATE` SQLite transaction: conditional updates such as
 *   `where({_id, left: _.gt(0)}).update({data: {left: _.inc(-1)}})` are atomic across processes.
 * - Transactions: single-document operations only (`where()` reads are refused; the SDK itself drops
 *   the transaction from `where().update/remove/count`, so those run outside it — in production
 *   too), snapshot isolation, conflicts raised at the write with production's message (the document
 *   changed since the snapshot or another live transaction holds it, in any process), the loser
 *   aborted, 30 s lifetime. Through wx-server-sdk such a conflict loses its code, so
 *   `runTransaction` does not rerun the callback — as in production (see transactions.ts).
 * - Interleaving: `setRequestJitter(ms)` / `LINLI_DB_JITTER_MS` delay each request randomly, as the
 *   network between many function instances and the database does; concurrency tests use it.
 *
 * Not reproduced:
 * - Security rules (they never apply to cloud functions): the rule files are only validated.
 * - Non-unique indexes are not used for speed; queries scan the collection (with SQL prefilters
 *   for `_id` and simple equality). Production's "query must use an index" limits and slow-query
 *   warnings do not exist locally.
 * - Update (merge) counts only documents actually changed (MongoDB's nModified); `updateAndReturn`
 *   with identical values answers 0 where production answers 1 (conformance exception).
 * - Where they differ from production, the conformance suite's documented exceptions
 *   (conformance/exceptions.ts) are the authoritative list; README mirrors it.
 * - Multi-document `add([...])` is all-or-nothing locally.
 * - `$geoNear` polygons use planar edges; realtime `watch()`,
 *   `ObjectId` `_id`s and database quotas are not emulated. Operation timeouts do not apply.
 */
import * as fs from 'fs';
import * as path from 'path';
import type Database from 'better-sqlite3';
import { loadDeclarations, loadRules, type Declarations, type SecurityRules } from './declarations';
import * as engine from './engine';
import { LocalDbError } from './errors';
import { Store, openConnection } from './store';
import { TRANSACTION_TIMEOUT_MS, TransactionManager } from './transactions';
import { patchSdk, setActionHandler, type ActionResult } from './transport';
import { decode, encode, isPlainObject, type Doc } from './values';

export type { Declarations, IndexDeclaration, SecurityRules } from './declarations';
export { LocalDbError, type DbErrorCode } from './errors';
export { onRequest, setRequestJitter, type RequestListener } from './transport';

/** Repository root (this file lives in local/cloud/). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_INDEXES_FILE = path.join(
  REPO_ROOT,
  'cloudfunctions',
  'database',
  'indexes.json',
);

export interface LocalCloudOptions {
  /** Folder holding cloud.sqlite (created when missing). */
  dataDir: string;
  /** Collection / index declarations; default cloudfunctions/database/indexes.json. */
  indexesFile?: string;
  /** Permission rule files; default `rules/` beside the indexes file. */
  rulesDir?: string;
  /** Transaction lifetime in ms (production: 30 000). */
  transactionTimeoutMs?: number;
  /**
   * Folders whose `wx-server-sdk` copy must be patched (resolution starts there); default: the
   * repository root and the current directory.
   */
  sdkFrom?: string[];
}

export interface LocalCloud {
  readonly dataDir: string;
  /** Absolute path of the SQLite file. */
  readonly file: string;
  /** The shared connection (for tests and seeding; write through the SDK where possible). */
  readonly db: Database.Database;
  readonly closed: boolean;
  /** Declared and created collection names, sorted. */
  collections(): string[];
  /** Permission rules by collection, as validated from the rules folder. */
  rules(): Record<string, SecurityRules>;
  /** Deletes every document (collections and indexes stay); aborts open transactions. */
  reset(): void;
  /** Aborts open transactions, detaches the transport and closes the database. */
  close(): void;
}

interface Instance extends LocalCloud {
  readonly key: string;
}

let current: Instance | null = null;

function handle(
  store: Store,
  txs: TransactionManager,
  action: string,
  params: Record<string, unknown>,
): ActionResult {
  const serverNow = Date.now();
  const inTx = typeof params.transactionId === 'string' && params.transactionId !== '';
  const coll = params.collectionName;
  const needColl = (): string => {
    if (typeof coll !== 'string' || coll === '')
      throw new LocalDbError('INVALID_PARAM', 'collectionName is required');
    return coll;
  };
  switch (action) {
    case 'database.getDocument': {
      if (inTx) return { data: { list: txs.get(params, serverNow).map(encode) } };
      const order = engine.decodeParam(params.order, 'order', serverNow);
      const projection = engine.decodeParam(params.projection, 'projection', serverNow);
      const list = engine.find(store, needColl(), engine.decodeQuery(params.query, serverNow), {
        offset: typeof params.offset === 'number' ? params.offset : 0,
        limit: typeof params.limit === 'number' ? params.limit : engine.DEFAULT_LIMIT,
        order: isPlainObject(order) ? (order as Record<string, 1 | -1>) : undefined,
        projection: isPlainObject(projection) ? projection : undefined,
      });
      return { data: { list: list.map(encode) } };
    }
    case 'database.calculateDocument':
      return {
        data: {
          total: engine.count(store, needColl(), engine.decodeQuery(params.query, serverNow)),
        },
      };
    case 'database.insertDocument': {
      if (inTx) return { data: { insertedIds: txs.insert(params, serverNow) } };
      if (!Array.isArray(params.data))
        throw new LocalDbError('INVALID_PARAM', 'data must be an array');
      const docs = params.data.map((d: unknown) => engine.decodeParam(d, 'data', serverNow));
      return { data: { insertedIds: engine.insert(store, needColl(), docs) } };
    }
    case 'database.modifyDocument':
    case 'database.modifyAndReturnDoc': {
      if (inTx && action === 'database.modifyDocument') {
        const r = txs.modify(params, serverNow);
        return {
          data:
            r.upsertId !== undefined
              ? { updated: r.updated, upsert_id: r.upsertId }
              : { updated: r.updated },
        };
      }
      if (inTx)
        throw new LocalDbError(
          'DATABASE_REQUEST_FAILED',
          'updateAndReturn is not available in transactions',
        );
      const spec = engine.decodeParam(params.data, 'data', serverNow);
      if (!isPlainObject(spec)) throw new LocalDbError('INVALID_PARAM', 'data must be an object');
      const andReturn = action === 'database.modifyAndReturnDoc';
      const r = engine.modify(
        store,
        needColl(),
        engine.decodeQuery(params.query, serverNow),
        spec,
        {
          multi: andReturn ? false : params.multi !== false,
          merge: andReturn ? true : params.merge !== false,
          upsert: params.upsert === true,
        },
      );
      if (andReturn) return { data: { updated: r.updated, doc: r.doc ? encode(r.doc) : null } };
      return {
        data:
          r.upsertId !== undefined
            ? { updated: r.updated, upsert_id: r.upsertId }
            : { updated: r.updated },
      };
    }
    case 'database.removeDocument': {
      if (inTx) return { data: { deleted: txs.remove(params, serverNow) } };
      return {
        data: {
          deleted: engine.remove(
            store,
            needColl(),
            engine.decodeQuery(params.query, serverNow),
            params.multi !== false,
          ),
        },
      };
    }
    case 'database.aggregateDocuments':
      return {
        data: { list: engine.aggregate(store, needColl(), params.stages, serverNow).map(encode) },
      };
    case 'database.startTransaction':
      return { transactionId: txs.start() };
    case 'database.commitTransaction':
      txs.commit(params.transactionId);
      return {};
    case 'database.abortTransaction':
      txs.abort(params.transactionId);
      return {};
    case 'database.addCollection': {
      const name = needColl();
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(name))
        throw new LocalDbError('INVALID_PARAM', `bad collection name ${name}`);
      store.write(() => {
        if (store.collection(name)) {
          throw new LocalDbError(
            'DATABASE_COLLECTION_ALREADY_EXIST',
            `[ResourceInUse] Table exist: ${name}`,
          );
        }
        store.declareCollection(name, []);
      });
      return { data: {} };
    }
    default:
      throw new LocalDbError(
        'INVALID_PARAM',
        `action ${action} is not supported by the local database`,
      );
  }
}

/**
 * Patches the SDK copies resolved from the given folders. Default: the repository root (required)
 * and the current directory (best effort: it may have no SDK of its own).
 */
function patchSdks(from: string[] | undefined): void {
  if (from) {
    for (const dir of from) patchSdk(dir);
    return;
  }
  patchSdk(REPO_ROOT);
  try {
    patchSdk(process.cwd());
  } catch {
    // no wx-server-sdk resolvable from the current directory: the repo copy is the one in use
  }
}

function applyDeclarations(store: Store, decl: Declarations): void {
  store.write(() => {
    for (const [name, c] of Object.entries(decl.collections))
      store.declareCollection(name, c.indexes);
  });
}

/**
 * Opens the local database and installs the SDK transport. Idempotent: calling again with the same
 * options returns the open instance; different options close it and open the new one.
 */
export function installLocalCloud(opts: LocalCloudOptions): LocalCloud {
  const dataDir = path.resolve(opts.dataDir);
  const indexesFile = path.resolve(opts.indexesFile ?? DEFAULT_INDEXES_FILE);
  const rulesDir = path.resolve(opts.rulesDir ?? path.join(path.dirname(indexesFile), 'rules'));
  const key = JSON.stringify([dataDir, indexesFile, rulesDir, opts.transactionTimeoutMs ?? null]);
  if (current && !current.closed && current.key === key) return current;
  if (current && !current.closed) current.close();

  const declarations = loadDeclarations(indexesFile);
  const rules = loadRules(rulesDir, Object.keys(declarations.collections));
  patchSdks(opts.sdkFrom);

  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'cloud.sqlite');
  const db = openConnection(file);
  let store: Store;
  try {
    Store.createSchema(db);
    store = new Store(db);
    applyDeclarations(store, declarations);
  } catch (e) {
    db.close();
    throw e;
  }
  const txs = new TransactionManager(
    store,
    file,
    opts.transactionTimeoutMs ?? TRANSACTION_TIMEOUT_MS,
  );

  let closed = false;
  const instance: Instance = {
    key,
    dataDir,
    file,
    db,
    get closed() {
      return closed;
    },
    collections: () => store.collectionNames(),
    rules: () => ({ ...rules }),
    reset: () => {
      txs.abortAll();
      store.write(() => {
        db.exec('DELETE FROM docs; DELETE FROM uniq; DELETE FROM txlocks;');
      });
    },
    close: () => {
      if (closed) return;
      closed = true;
      txs.abortAll();
      if (current === instance) {
        setActionHandler(null);
        current = null;
      }
      db.close();
    },
  };
  setActionHandler((action, params) => handle(store, txs, action, params));
  current = instance;
  return instance;
}

/** The open instance, if any. */
export function currentLocalCloud(): LocalCloud | null {
  return current;
}

/** Test/seed helper: every stored document of a collection, decoded. */
export function dumpCollection(cloud: LocalCloud, collection: string): Doc[] {
  const store = new Store(cloud.db);
  return [...store.scan(collection, { sql: [], params: [] })].map((r) => decode(r.doc) as Doc);
}
