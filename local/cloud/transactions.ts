/**
 * Transactions as CloudBase runs them (MongoDB snapshot transactions): single-document operations
 * only, snapshot reads, conflicts raised at the write, first writer wins.
 *
 * - start: a dedicated SQLite connection opens a read transaction (`BEGIN` + first read). In WAL
 *   mode that connection keeps seeing the database as of that moment: the snapshot.
 * - reads: the transaction's own buffered writes first, else the snapshot. A document that is only
 *   read is never checked again (snapshot isolation, not serializability: write skew is allowed,
 *   as Tencent's "write skew" case shows).
 * - writes (add / set / update / remove by `_id`): before the first write of a document, under the
 *   cross-process write lock, the document must be unchanged since the snapshot and no other live
 *   transaction may hold a write on it (the `txlocks` table, shared by every process on the file).
 *   Otherwise the write fails at once with DATABASE_TRANSACTION_CONFLICT and production's message,
 *   and the transaction is aborted on the server, as MongoDB does on a write conflict: a later
 *   commit or rollback answers DATABASE_TRANSACTION_FAIL (TransactionNotExist). The write itself
 *   only goes to the buffer; the document is now held by this transaction until it ends.
 * - commit: under the write lock, each held document is checked once more (a write made outside
 *   any transaction since the snapshot → DATABASE_TRANSACTION_CONFLICT; production would have
 *   made that writer wait instead), then the buffer is written, unique indexes enforced, and the
 *   holds released. A transaction without writes commits trivially.
 * - abort, or 30 s after start: the buffer is dropped, holds released, the snapshot closed. A hold
 *   left by a killed process stops counting when its transaction's 30 s are over.
 *
 * How a conflict reaches the function matters: wx-server-sdk wraps every call made inside the
 * callback (`maybeTransformError`) into `{errCode: -501001, errMsg}`, dropping `code`, so
 * `runTransaction` in @cloudbase/database does not run the callback again for a write conflict —
 * it tries a rollback (which fails, the server has aborted) and rethrows. Only a conflict at commit
 * keeps its `code` and is retried by the SDK. Functions retry explicitly (cloudfunctions/_shared).
 */
import * as crypto from 'crypto';
import { LocalDbError } from './errors';
import { applyUpdate, decodeParam, decodeQuery, mingoGuard, prepareNewDoc } from './engine';
import { Query } from 'mingo';
import { geoContext } from './geo';
import { idKey, openConnection, Store, type Sqlite } from './store';
import { decode, encode, isPlainObject, type Doc } from './values';

/** Production's limit on a transaction's lifetime, in milliseconds. */
export const TRANSACTION_TIMEOUT_MS = 30_000;

/** Production's answer to a write on a document another transaction holds or that changed. */
export const CONFLICT_MESSAGE =
  '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.';

/** Production's answer to any use of a transaction that was committed, aborted or timed out. */
export const NOT_EXIST_MESSAGE =
  '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.';

interface Write {
  coll: string;
  id: string;
  /** The new document, or null for a removal. */
  doc: Doc | null;
  /** Revision in the snapshot; null when the document did not exist there. */
  snapshotRev: number | null;
}

interface TxState {
  id: string;
  conn: Sqlite;
  snapshot: Store;
  writes: Map<string, Write>;
  /** When the transaction stops existing, ms since epoch. */
  expires: number;
  timer: NodeJS.Timeout;
}

const keyOf = (coll: string, id: string): string => `${coll}\u0000${id}`;

const ONLY_DOC_OPS =
  'transactions support single-document operations only: tx.collection(c).doc(id).get/set/update/remove and tx.collection(c).add';

export class TransactionManager {
  private readonly open = new Map<string, TxState>();

  constructor(
    private readonly main: Store,
    private readonly file: string,
    private readonly timeoutMs: number = TRANSACTION_TIMEOUT_MS,
  ) {}

  start(): string {
    const id = crypto.randomBytes(16).toString('hex');
    const conn = openConnection(this.file);
    const snapshot = new Store(conn);
    conn.exec('BEGIN');
    snapshot.seq(); // the first read pins the WAL snapshot
    const timer = setTimeout(() => this.finish(id), this.timeoutMs);
    timer.unref();
    this.open.set(id, {
      id,
      conn,
      snapshot,
      writes: new Map(),
      expires: Date.now() + this.timeoutMs,
      timer,
    });
    return id;
  }

  /** Ends a transaction: drops its buffer, releases its holds and closes its snapshot. */
  private finish(id: string): void {
    const tx = this.open.get(id);
    if (!tx) return;
    this.open.delete(id);
    clearTimeout(tx.timer);
    try {
      tx.conn.exec('ROLLBACK');
    } catch {
      // already closed or no transaction
    }
    tx.conn.close();
    if (tx.writes.size > 0) {
      try {
        this.main.write(() => this.main.unlockAll(id));
      } catch {
        // the database is closing; holds expire on their own
      }
    }
  }

  private state(id: unknown): TxState {
    const tx = typeof id === 'string' ? this.open.get(id) : undefined;
    if (tx && tx.expires > Date.now()) return tx;
    if (tx) this.finish(tx.id);
    throw new LocalDbError('DATABASE_TRANSACTION_FAIL', NOT_EXIST_MESSAGE);
  }

  /** The document as this transaction sees it: its own writes, else the snapshot. */
  private read(tx: TxState, coll: string, id: string): Doc | null {
    const written = tx.writes.get(keyOf(coll, id));
    if (written) return written.doc;
    const row = tx.snapshot.byId(coll, id);
    return row ? (decode(row.doc) as Doc) : null;
  }

  /**
   * Takes the document for this transaction before its first write, or raises the conflict
   * production raises (and aborts the transaction, as the server does).
   */
  private hold(tx: TxState, coll: string, id: string): number | null {
    const held = tx.writes.get(keyOf(coll, id));
    if (held) return held.snapshotRev;
    const snapshotRev = tx.snapshot.byId(coll, id)?.rev ?? null;
    const free = this.main.write(() => {
      const current = this.main.byId(coll, id)?.rev ?? null;
      const owner = this.main.lockOwner(coll, id);
      const heldByOther = owner !== undefined && owner.tx !== tx.id && owner.expires > Date.now();
      if (current !== snapshotRev || heldByOther) return false;
      this.main.lock(coll, id, tx.id, tx.expires);
      return true;
    });
    if (!free) {
      this.finish(tx.id);
      throw new LocalDbError('DATABASE_TRANSACTION_CONFLICT', CONFLICT_MESSAGE);
    }
    return snapshotRev;
  }

  private buffer(tx: TxState, coll: string, id: string, doc: Doc | null): void {
    const snapshotRev = this.hold(tx, coll, id);
    tx.writes.set(keyOf(coll, id), { coll, id, doc, snapshotRev });
  }

  /** `_id` of a single-document operation; anything else is refused like production. */
  private docId(params: Record<string, unknown>, serverNow: number): string {
    const q = decodeQuery(params.query, serverNow);
    const keys = Object.keys(q);
    const id = q._id;
    if (
      params.queryType === 'WHERE' ||
      keys.length !== 1 ||
      (typeof id !== 'string' && typeof id !== 'number')
    ) {
      throw new LocalDbError('DATABASE_REQUEST_FAILED', ONLY_DOC_OPS);
    }
    return idKey(id);
  }

  private collection(tx: TxState, coll: unknown): string {
    if (typeof coll !== 'string')
      throw new LocalDbError('INVALID_PARAM', 'collectionName is required');
    tx.snapshot.requireCollection(coll);
    return coll;
  }

  get(params: Record<string, unknown>, serverNow: number): Doc[] {
    const tx = this.state(params.transactionId);
    const coll = this.collection(tx, params.collectionName);
    const doc = this.read(tx, coll, this.docId(params, serverNow));
    if (!doc) return [];
    const projection = decodeParam(params.projection, 'projection', serverNow);
    if (isPlainObject(projection) && Object.keys(projection).length > 0) {
      return mingoGuard(() =>
        new Query({}, { context: geoContext }).find<Doc>([doc], projection).all(),
      );
    }
    return [doc];
  }

  insert(params: Record<string, unknown>, serverNow: number): string[] {
    const tx = this.state(params.transactionId);
    const coll = this.collection(tx, params.collectionName);
    if (!Array.isArray(params.data))
      throw new LocalDbError('INVALID_PARAM', 'data must be an array');
    const ids: string[] = [];
    for (const text of params.data) {
      const doc = prepareNewDoc(decodeParam(text, 'data', serverNow));
      const id = idKey(doc._id);
      if (this.read(tx, coll, id))
        throw new LocalDbError(
          'DATABASE_DUPLICATE_WRITE',
          `E11000 duplicate key error collection: ${coll} index: _id_ dup key: ${encode({ _id: doc._id })}`,
        );
      this.checkUnique(tx, coll, id, doc);
      this.buffer(tx, coll, id, doc);
      ids.push(doc._id as string);
    }
    return ids;
  }

  /** Early unique-index check against the snapshot and the buffer; commit re-checks for real. */
  private checkUnique(tx: TxState, coll: string, id: string, doc: Doc): void {
    const info = tx.snapshot.requireCollection(coll);
    for (const [index, keys] of tx.snapshot.uniqueKeys(info, doc)) {
      for (const key of keys) {
        for (const w of tx.writes.values()) {
          if (w.coll !== coll || w.id === id || !w.doc) continue;
          if (tx.snapshot.uniqueKeys(info, w.doc).get(index)?.includes(key)) {
            throw new LocalDbError(
              'DATABASE_DUPLICATE_WRITE',
              `E11000 duplicate key error collection: ${coll} index: ${index} dup key: ${key}`,
            );
          }
        }
        const owner = tx.snapshot.uniqueOwner(coll, index, key);
        if (owner !== undefined && owner !== id && !tx.writes.has(keyOf(coll, owner))) {
          throw new LocalDbError(
            'DATABASE_DUPLICATE_WRITE',
            `E11000 duplicate key error collection: ${coll} index: ${index} dup key: ${key}`,
          );
        }
      }
    }
  }

  modify(
    params: Record<string, unknown>,
    serverNow: number,
  ): { updated: number; upsertId?: string } {
    const tx = this.state(params.transactionId);
    const coll = this.collection(tx, params.collectionName);
    const id = this.docId(params, serverNow);
    const spec = decodeParam(params.data, 'data', serverNow);
    if (!isPlainObject(spec)) throw new LocalDbError('INVALID_PARAM', 'data must be an object');
    const merge = params.merge !== false;
    const current = this.read(tx, coll, id);
    if (!current) {
      if (params.upsert !== true) return { updated: 0 };
      const q = decodeQuery(params.query, serverNow);
      const doc = merge
        ? applyUpdate({ _id: q._id }, spec, true)
        : prepareNewDoc({ ...spec, _id: q._id });
      this.checkUnique(tx, coll, id, doc);
      this.buffer(tx, coll, id, doc);
      return { updated: 0, upsertId: doc._id as string };
    }
    const next = applyUpdate(current, spec, merge);
    // An update that changes nothing is not a write; set() replaces the document and counts as
    // one even with identical data (production answers updated: 1).
    if (merge && encode(next) === encode(current)) return { updated: 0 };
    this.checkUnique(tx, coll, id, next);
    this.buffer(tx, coll, id, next);
    return { updated: 1 };
  }

  remove(params: Record<string, unknown>, serverNow: number): number {
    const tx = this.state(params.transactionId);
    const coll = this.collection(tx, params.collectionName);
    const id = this.docId(params, serverNow);
    if (!this.read(tx, coll, id)) return 0;
    this.buffer(tx, coll, id, null);
    return 1;
  }

  commit(id: unknown): void {
    const tx = this.state(id);
    try {
      if (tx.writes.size === 0) return;
      this.main.write(() => {
        for (const w of tx.writes.values()) {
          const current = this.main.byId(w.coll, w.id)?.rev ?? null;
          const owner = this.main.lockOwner(w.coll, w.id);
          if (owner?.tx !== tx.id) {
            // Our hold was taken over after it expired: the transaction is gone.
            throw new LocalDbError('DATABASE_TRANSACTION_FAIL', NOT_EXIST_MESSAGE);
          }
          if (current !== w.snapshotRev) {
            // Written outside any transaction while we held it.
            throw new LocalDbError('DATABASE_TRANSACTION_CONFLICT', CONFLICT_MESSAGE);
          }
        }
        for (const w of tx.writes.values()) {
          const info = this.main.requireCollection(w.coll);
          const exists = this.main.byId(w.coll, w.id) !== undefined;
          if (w.doc === null) {
            if (exists) this.main.remove(info, w.id);
          } else if (exists) {
            this.main.replace(info, w.doc);
          } else {
            this.main.insert(info, w.doc);
          }
        }
        this.main.unlockAll(tx.id);
      });
    } finally {
      this.finish(tx.id);
    }
  }

  /**
   * Drops the transaction. Like production, a transaction that already ended (committed, aborted
   * after a write conflict, timed out) cannot be rolled back: DATABASE_TRANSACTION_FAIL.
   */
  abort(id: unknown): void {
    const tx = this.state(id);
    this.finish(tx.id);
  }

  /** Ends every open transaction (on close / reset). */
  abortAll(): void {
    for (const id of [...this.open.keys()]) this.finish(id);
  }
}
