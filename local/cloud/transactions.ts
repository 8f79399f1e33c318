/**
 * Transactions as production runs them: single-document operations only, snapshot reads,
 * buffered writes, conflicts reported at commit.
 *
 * - start: a dedicated SQLite connection opens a read transaction (`BEGIN` + first read). In WAL
 *   mode that connection keeps seeing the database as of that moment: the snapshot.
 * - reads: the transaction's own buffered writes first, else the snapshot. Every document read or
 *   written is remembered with the revision it had in the snapshot (or "absent").
 * - writes (add / set / update / remove by `_id`): applied to the buffer only.
 * - commit: on the shared connection in `BEGIN IMMEDIATE` (the cross-process write lock), every
 *   remembered document is compared with its current revision; any change by someone else since
 *   the snapshot → `DATABASE_TRANSACTION_CONFLICT` (the SDK's `runTransaction` retries its callback
 *   on that code) and nothing is written. Otherwise the buffer is written, unique indexes enforced.
 *   A transaction without writes commits trivially.
 * - abort, or 30 s after start: the buffer is dropped and the snapshot released.
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

interface Seen {
  coll: string;
  id: string;
  /** Revision in the snapshot; null when the document did not exist. */
  rev: number | null;
}

interface Write {
  coll: string;
  id: string;
  /** The new document, or null for a removal. */
  doc: Doc | null;
}

interface TxState {
  id: string;
  conn: Sqlite;
  snapshot: Store;
  seen: Map<string, Seen>;
  writes: Map<string, Write>;
  timer: NodeJS.Timeout;
  expired: boolean;
}

const keyOf = (coll: string, id: string): string => `${coll}\u0000${id}`;

const ONLY_DOC_OPS =
  'transactions support single-document operations only: tx.collection(c).doc(id).get/set/update/remove and tx.collection(c).add';

export class TransactionManager {
  private readonly open = new Map<string, TxState>();
  private readonly expired = new Set<string>();

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
    const timer = setTimeout(() => this.expire(id), this.timeoutMs);
    timer.unref();
    this.open.set(id, {
      id,
      conn,
      snapshot,
      seen: new Map(),
      writes: new Map(),
      timer,
      expired: false,
    });
    return id;
  }

  private expire(id: string): void {
    if (!this.open.has(id)) return;
    this.finish(id);
    this.expired.add(id);
  }

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
  }

  private state(id: unknown): TxState {
    const tx = typeof id === 'string' ? this.open.get(id) : undefined;
    if (tx) return tx;
    if (typeof id === 'string' && this.expired.has(id)) {
      throw new LocalDbError(
        'DATABASE_TRANSACTION_FAIL',
        `transaction ${id} was aborted: older than ${this.timeoutMs / 1000} s`,
      );
    }
    throw new LocalDbError(
      'DATABASE_TRANSACTION_FAIL',
      `transaction ${String(id)} does not exist or has ended`,
    );
  }

  /** The document as this transaction sees it. */
  private read(tx: TxState, coll: string, id: string): Doc | null {
    const key = keyOf(coll, id);
    const written = tx.writes.get(key);
    if (written) return written.doc;
    const row = tx.snapshot.byId(coll, id);
    if (!tx.seen.has(key)) tx.seen.set(key, { coll, id, rev: row ? row.rev : null });
    return row ? (decode(row.doc) as Doc) : null;
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
      tx.writes.set(keyOf(coll, id), { coll, id, doc });
      ids.push(doc._id as string);
    }
    return ids;
  }

  /** Early unique-index check against the snapshot and the buffer; commit re-checks for real. */
  private checkUnique(tx: TxState, coll: string, id: string, doc: Doc): void {
    const info = tx.snapshot.requireCollection(coll);
    for (const [index, key] of tx.snapshot.uniqueKeys(info, doc)) {
      for (const w of tx.writes.values()) {
        if (w.coll !== coll || w.id === id || !w.doc) continue;
        if (tx.snapshot.uniqueKeys(info, w.doc).get(index) === key) {
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
      tx.writes.set(keyOf(coll, id), { coll, id, doc });
      return { updated: 0, upsertId: doc._id as string };
    }
    const next = applyUpdate(current, spec, merge);
    if (encode(next) === encode(current)) return { updated: 0 };
    this.checkUnique(tx, coll, id, next);
    tx.writes.set(keyOf(coll, id), { coll, id, doc: next });
    return { updated: 1 };
  }

  remove(params: Record<string, unknown>, serverNow: number): number {
    const tx = this.state(params.transactionId);
    const coll = this.collection(tx, params.collectionName);
    const id = this.docId(params, serverNow);
    if (!this.read(tx, coll, id)) return 0;
    tx.writes.set(keyOf(coll, id), { coll, id, doc: null });
    return 1;
  }

  commit(id: unknown): void {
    const tx = this.state(id);
    try {
      if (tx.writes.size === 0) return;
      this.main.write(() => {
        for (const seen of tx.seen.values()) {
          const now = this.main.byId(seen.coll, seen.id);
          const changed =
            seen.rev === null ? now !== undefined : now === undefined || now.rev !== seen.rev;
          if (changed) {
            throw new LocalDbError(
              'DATABASE_TRANSACTION_CONFLICT',
              `database transaction conflict: ${seen.coll}/${seen.id} was changed by another writer since the transaction started`,
            );
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
      });
    } finally {
      this.finish(tx.id);
    }
  }

  /** Drops the transaction; aborting one that already ended is a no-op, as the SDK may do so. */
  abort(id: unknown): void {
    if (typeof id === 'string' && this.open.has(id)) this.finish(id);
  }

  /** Ends every open transaction (on close / reset). */
  abortAll(): void {
    for (const id of [...this.open.keys()]) this.finish(id);
  }
}
