/**
 * SQLite layout of the local database (one file, `<dataDir>/cloud.sqlite`, WAL mode).
 *
 * - `docs`: one row per document — collection, id key, EJSON text, revision. The implicit rowid
 *   keeps insertion order, which is the natural order of unsorted queries (as in MongoDB).
 * - `meta.seq`: a global write counter; every written document gets the next value as its
 *   revision, so "changed since snapshot S" is simply `rev > S` (transactions use this).
 * - `collections`: declared / created collections with their index declarations (JSON).
 * - `uniq`: one row per (unique index, key) → document id; its primary key enforces uniqueness
 *   inside the writer's `BEGIN IMMEDIATE` transaction, so it holds across processes.
 * - `txlocks`: one row per document holding an uncommitted transactional write → the transaction
 *   id and when that transaction expires (ms since epoch). Shared by every process on the file, so
 *   a second writer of the document is refused even from another process; a row whose transaction
 *   has expired (its process died, or it ran past the time limit) no longer counts.
 */
import Database from 'better-sqlite3';
import { resolve as resolvePath } from 'mingo/util';
import { LocalDbError, collectionNotExist, duplicateKey } from './errors';
import type { IndexDeclaration } from './declarations';
import { encode, decode, isPlainObject, type Doc } from './values';

export type Sqlite = Database.Database;

export interface DocRow {
  id: string;
  doc: string;
  rev: number;
}

export interface CollectionInfo {
  name: string;
  indexes: IndexDeclaration[];
}

/** The index key an empty array stands for (MongoDB indexes `[]` as a value of its own). */
const EMPTY_ARRAY_KEY = { $emptyArray: true };

/** Busy wait for another process's write lock, in milliseconds. */
export const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', 0);
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
  coll TEXT NOT NULL,
  id TEXT NOT NULL,
  doc TEXT NOT NULL,
  rev INTEGER NOT NULL,
  UNIQUE (coll, id)
);
CREATE INDEX IF NOT EXISTS docs_by_coll ON docs (coll);
CREATE TABLE IF NOT EXISTS uniq (
  coll TEXT NOT NULL,
  idx TEXT NOT NULL,
  key TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (coll, idx, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS uniq_by_doc ON uniq (coll, id);
CREATE TABLE IF NOT EXISTS txlocks (
  coll TEXT NOT NULL,
  id TEXT NOT NULL,
  tx TEXT NOT NULL,
  expires INTEGER NOT NULL,
  PRIMARY KEY (coll, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS txlocks_by_tx ON txlocks (tx);
`;

/** Opens a connection with the pragmas every connection needs. */
export function openConnection(file: string): Sqlite {
  const db = new Database(file);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** The `docs.id` text for a document `_id` (strings as is; numbers and others tagged). */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? id : `\u0001${encode(id)}`;
}

let idCounter = Math.floor(Math.random() * 0xffffff);
const processTag = Math.floor(Math.random() * 0xffffffff)
  .toString(16)
  .padStart(8, '0');

/**
 * A new `_id` shaped like production's 32 hex characters: process tag, unix seconds, counter,
 * random.
 */
export function newDocId(): string {
  idCounter = (idCounter + 1) % 0x100000000;
  const secs = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `${processTag}${secs}${idCounter.toString(16).padStart(8, '0')}${rand}`;
}

/** Superset filter pushed down to SQL; the exact match is always re-checked with mingo. */
export interface Prefilter {
  /** `_id` keys the document must have one of. */
  ids?: string[];
  sql: string[];
  params: unknown[];
}

const SIMPLE_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isSqlPrimitive(v: unknown): v is string | number | boolean {
  return (
    typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean'
  );
}

function sqlValue(v: string | number | boolean): string | number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/**
 * Derives a prefilter from a decoded query: `_id` equality / `$in` hits the primary key, and
 * equality / `$in` of primitives on top-level fields becomes a `json_extract` test (arrays pass,
 * since MongoDB equality also matches array elements).
 */
export function prefilterOf(query: Doc): Prefilter {
  const pf: Prefilter = { sql: [], params: [] };
  const visit = (q: Doc): void => {
    for (const [field, cond] of Object.entries(q)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const c of cond) if (isPlainObject(c)) visit(c);
        continue;
      }
      if (field.startsWith('$')) continue;
      let values: (string | number | boolean)[] | null = null;
      if (isSqlPrimitive(cond)) values = [cond];
      else if (isPlainObject(cond)) {
        const keys = Object.keys(cond);
        if (keys.length === 1 && keys[0] === '$eq' && isSqlPrimitive(cond.$eq)) values = [cond.$eq];
        if (
          keys.length === 1 &&
          keys[0] === '$in' &&
          Array.isArray(cond.$in) &&
          cond.$in.every(isSqlPrimitive)
        ) {
          values = cond.$in as (string | number | boolean)[];
        }
      }
      if (!values) continue;
      if (field === '_id') {
        const ids = values.map(idKey);
        pf.ids = pf.ids ? pf.ids.filter((i) => ids.includes(i)) : ids;
      } else if (SIMPLE_FIELD.test(field)) {
        const path = `$."${field}"`;
        if (values.length === 0) {
          pf.sql.push('0');
          continue;
        }
        pf.sql.push(
          `(json_extract(doc, ?) IN (${values.map(() => '?').join(',')}) OR json_type(doc, ?) = 'array')`,
        );
        pf.params.push(path, ...values.map(sqlValue), path);
      }
    }
  };
  visit(query);
  return pf;
}

/** Read and write access to the document tables through one connection. */
export class Store {
  readonly db: Sqlite;
  private readonly infoCache = new Map<string, { text: string; info: CollectionInfo }>();
  private readonly stmts: {
    coll: Database.Statement<[string], { indexes: string }>;
    colls: Database.Statement<[], { name: string }>;
    byId: Database.Statement<[string, string], DocRow>;
    seq: Database.Statement<[], { value: number }>;
    bump: Database.Statement<[], { value: number }>;
    insert: Database.Statement<[string, string, string, number]>;
    replace: Database.Statement<[string, number, string, string]>;
    remove: Database.Statement<[string, string]>;
    uniqAdd: Database.Statement<[string, string, string, string]>;
    uniqDrop: Database.Statement<[string, string]>;
    uniqOwner: Database.Statement<[string, string, string], { id: string }>;
    lockOwner: Database.Statement<[string, string], { tx: string; expires: number }>;
    lock: Database.Statement<[string, string, string, number]>;
    unlockAll: Database.Statement<[string]>;
  };

  constructor(db: Sqlite) {
    this.db = db;
    this.stmts = {
      coll: db.prepare('SELECT indexes FROM collections WHERE name = ?'),
      colls: db.prepare('SELECT name FROM collections ORDER BY name'),
      byId: db.prepare('SELECT id, doc, rev FROM docs WHERE coll = ? AND id = ?'),
      seq: db.prepare("SELECT value FROM meta WHERE key = 'seq'"),
      bump: db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value"),
      insert: db.prepare('INSERT INTO docs (coll, id, doc, rev) VALUES (?, ?, ?, ?)'),
      replace: db.prepare('UPDATE docs SET doc = ?, rev = ? WHERE coll = ? AND id = ?'),
      remove: db.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
      uniqAdd: db.prepare('INSERT INTO uniq (coll, idx, key, id) VALUES (?, ?, ?, ?)'),
      uniqDrop: db.prepare('DELETE FROM uniq WHERE coll = ? AND id = ?'),
      uniqOwner: db.prepare('SELECT id FROM uniq WHERE coll = ? AND idx = ? AND key = ?'),
      lockOwner: db.prepare('SELECT tx, expires FROM txlocks WHERE coll = ? AND id = ?'),
      lock: db.prepare(
        'INSERT INTO txlocks (coll, id, tx, expires) VALUES (?, ?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET tx = excluded.tx, expires = excluded.expires',
      ),
      unlockAll: db.prepare('DELETE FROM txlocks WHERE tx = ?'),
    };
  }

  static createSchema(db: Sqlite): void {
    db.exec(SCHEMA);
  }

  /** The collection's declaration, or null when it does not exist. */
  collection(name: string): CollectionInfo | null {
    const row = this.stmts.coll.get(name);
    if (!row) return null;
    const cached = this.infoCache.get(name);
    if (cached && cached.text === row.indexes) return cached.info;
    const info: CollectionInfo = { name, indexes: JSON.parse(row.indexes) as IndexDeclaration[] };
    this.infoCache.set(name, { text: row.indexes, info });
    return info;
  }

  requireCollection(name: string): CollectionInfo {
    const info = this.collection(name);
    if (!info) throw collectionNotExist(name);
    return info;
  }

  collectionNames(): string[] {
    return this.stmts.colls.all().map((r) => r.name);
  }

  byId(coll: string, id: string): DocRow | undefined {
    return this.stmts.byId.get(coll, id);
  }

  /** Rows of a collection in insertion order, narrowed by the prefilter. */
  *scan(coll: string, pf: Prefilter): IterableIterator<DocRow> {
    if (pf.ids) {
      for (const id of [...new Set(pf.ids)]) {
        const row = this.byId(coll, id);
        if (row) yield row;
      }
      return;
    }
    const where = ['coll = ?', ...pf.sql].join(' AND ');
    const stmt = this.db.prepare<unknown[], DocRow>(
      `SELECT id, doc, rev FROM docs WHERE ${where} ORDER BY rowid`,
    );
    yield* stmt.iterate(coll, ...pf.params);
  }

  /** Current value of the global write counter. */
  seq(): number {
    return this.stmts.seq.get()?.value ?? 0;
  }

  /** Next revision; call only inside a write transaction. */
  private nextRev(): number {
    const row = this.stmts.bump.get();
    if (!row) throw new LocalDbError('DATABASE_REQUEST_FAILED', 'meta.seq missing');
    return row.value;
  }

  /**
   * Unique-index keys of a document: index name → its keys (sparse misses omitted). As in MongoDB
   * a field holding an array is multikey: one key per distinct element (an empty array is one key
   * of its own), so two documents sharing any element conflict; two array fields in one compound
   * index are refused ("cannot index parallel arrays").
   */
  uniqueKeys(info: CollectionInfo, doc: Doc): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const index of info.indexes) {
      if (!index.unique) continue;
      const values = Object.keys(index.keys).map((f) => resolvePath(doc, f) as unknown);
      if (index.sparse && values.every((v) => v === undefined)) continue;
      const arrays = values.filter((v) => Array.isArray(v)).length;
      if (arrays > 1) {
        throw new LocalDbError(
          'DATABASE_REQUEST_FAILED',
          `cannot index parallel arrays: index ${index.name} of ${info.name}`,
        );
      }
      let tuples: unknown[][] = [[]];
      for (const v of values) {
        const choices = Array.isArray(v)
          ? v.length === 0
            ? [EMPTY_ARRAY_KEY]
            : v
          : [v === undefined ? null : v];
        tuples = tuples.flatMap((t) => choices.map((c) => [...t, c]));
      }
      out.set(index.name, [...new Set(tuples.map((t) => encode(t)))]);
    }
    return out;
  }

  /** Id of the document currently holding a unique key, if any. */
  uniqueOwner(coll: string, index: string, key: string): string | undefined {
    return this.stmts.uniqOwner.get(coll, index, key)?.id;
  }

  private indexUnique(info: CollectionInfo, id: string, doc: Doc): void {
    for (const [index, keys] of this.uniqueKeys(info, doc)) {
      for (const key of keys) {
        try {
          this.stmts.uniqAdd.run(info.name, index, key, id);
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
            throw duplicateKey(info.name, index, key);
          throw e;
        }
      }
    }
  }

  /** Inserts a new document (inside a write transaction). Returns its revision. */
  insert(info: CollectionInfo, doc: Doc): number {
    const id = idKey(doc._id);
    const rev = this.nextRev();
    try {
      this.stmts.insert.run(info.name, id, encode(doc), rev);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw duplicateKey(info.name, '_id_', encode({ _id: doc._id }));
      }
      throw e;
    }
    this.indexUnique(info, id, doc);
    return rev;
  }

  /** Replaces an existing document (inside a write transaction). Returns its revision. */
  replace(info: CollectionInfo, doc: Doc): number {
    const id = idKey(doc._id);
    const rev = this.nextRev();
    this.stmts.replace.run(encode(doc), rev, info.name, id);
    this.stmts.uniqDrop.run(info.name, id);
    this.indexUnique(info, id, doc);
    return rev;
  }

  /** Deletes a document (inside a write transaction). */
  remove(info: CollectionInfo, id: string): void {
    this.nextRev();
    this.stmts.remove.run(info.name, id);
    this.stmts.uniqDrop.run(info.name, id);
  }

  /** Creates or re-declares a collection and rebuilds its unique-index rows. */
  declareCollection(name: string, indexes: IndexDeclaration[]): void {
    const text = JSON.stringify(indexes);
    const existing = this.db
      .prepare<[string], { indexes: string }>('SELECT indexes FROM collections WHERE name = ?')
      .get(name);
    if (existing && existing.indexes === text) return;
    this.db
      .prepare(
        'INSERT INTO collections (name, indexes) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET indexes = excluded.indexes',
      )
      .run(name, text);
    this.db.prepare('DELETE FROM uniq WHERE coll = ?').run(name);
    const info: CollectionInfo = { name, indexes };
    if (!indexes.some((i) => i.unique)) return;
    for (const row of this.db
      .prepare<[string], DocRow>('SELECT id, doc, rev FROM docs WHERE coll = ?')
      .all(name)) {
      this.indexUnique(info, row.id, decode(row.doc) as Doc);
    }
  }

  /** The transaction holding an uncommitted write on a document, if any (expired ones included). */
  lockOwner(coll: string, id: string): { tx: string; expires: number } | undefined {
    return this.stmts.lockOwner.get(coll, id);
  }

  /** Records that transaction `tx` (alive until `expires`, ms) holds a write on the document. */
  lock(coll: string, id: string, tx: string, expires: number): void {
    this.stmts.lock.run(coll, id, tx, expires);
  }

  /** Releases every document write held by transaction `tx`. */
  unlockAll(tx: string): void {
    this.stmts.unlockAll.run(tx);
  }

  /** Runs `fn` in `BEGIN IMMEDIATE`: the cross-process write lock is held for its whole body. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
