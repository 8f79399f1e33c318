/**
 * A typed view of the parts of wx-server-sdk's database the functions use. The SDK's own typings
 * answer `Promise<…> | void | string` and `any` documents; this facade states what the SDK really
 * returns for the promise-style calls, and lets each collection name its stored document shape.
 *
 * Documents read back are trusted to have the shape their collection declares: only cloud
 * functions write to these collections (client-side database access is closed by permissions).
 */

/** `db.serverDate()`: the database's clock, resolved when the write is applied. */
export interface ServerDate {
  readonly offset?: number;
}

/** An update or query operator built with `db.command` (`_.inc(1)`, `_.gt(0)`, …). Opaque. */
export interface DbOperator {
  readonly fieldName?: unknown;
  readonly operator?: unknown;
}

/** A value as it may be written: dates may be the server's clock, anything may be an operator. */
export type WriteValue<V> = V extends Date
  ? Date | ServerDate | DbOperator
  : V extends Array<unknown>
    ? V | DbOperator
    : V extends object
      ? WritePatch<V> | DbOperator
      : V | DbOperator;

/** A partial document for `update`: nested objects merge field by field ("profile.nickname"). */
export type WritePatch<T> = { [K in keyof T]?: WriteValue<T[K]> };

/** A whole document for `add` / `set`; `_id` optional on add (the store assigns one). */
export type WriteDoc<T> = { [K in keyof T]: T[K] extends Date ? Date | ServerDate : T[K] };

/** A query condition: field paths to values or `db.command` operators. */
export type Condition = Record<string, unknown>;

export type SortDirection = 'asc' | 'desc';

/** Every stored document has a string `_id`. */
export interface StoredDoc {
  _id: string;
}

export interface DocumentRef<T extends StoredDoc> {
  /** Null when missing (the database is opened with `throwOnNotFound: false`). */
  get(): Promise<{ data: T | null }>;
  update(options: { data: WritePatch<Omit<T, '_id'>> }): Promise<{ stats: { updated: number } }>;
  set(options: {
    data: WriteDoc<Omit<T, '_id'>>;
  }): Promise<{ stats: { updated: number; created: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Query<T extends StoredDoc> {
  where(condition: Condition): Query<T>;
  orderBy(field: string, direction: SortDirection): Query<T>;
  skip(count: number): Query<T>;
  /** At most 100 per `get()` in a cloud function. */
  limit(count: number): Query<T>;
  get(): Promise<{ data: T[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: WritePatch<Omit<T, '_id'>> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Collection<T extends StoredDoc> extends Query<T> {
  doc(id: string): DocumentRef<T>;
  add(options: { data: WriteDoc<Omit<T, '_id'>> & { _id?: string } }): Promise<{ _id: string }>;
}

/** Inside a transaction only single-document reads and writes exist (no `where`, no batch). */
export interface TransactionCollection<T extends StoredDoc> {
  doc(id: string): DocumentRef<T>;
  add(options: { data: WriteDoc<Omit<T, '_id'>> & { _id?: string } }): Promise<{ _id: string }>;
}

export interface Transaction {
  collection<T extends StoredDoc>(name: string): TransactionCollection<T>;
}

export interface Database {
  readonly command: DbCommand;
  serverDate(options?: { offset?: number }): ServerDate;
  collection<T extends StoredDoc>(name: string): Collection<T>;
  /**
   * The SDK's transaction runner. Do not call it directly: a conflict at a write reaches it
   * without its code, so it does not retry; use `transact` (./transact.ts), which does.
   */
  runTransaction<R>(work: (tx: Transaction) => Promise<R>, retries?: number): Promise<R>;
}

/** The `db.command` operators used so far; add here as functions need more. */
export interface DbCommand {
  eq(value: unknown): DbOperator;
  neq(value: unknown): DbOperator;
  gt(value: unknown): DbOperator;
  gte(value: unknown): DbOperator;
  lt(value: unknown): DbOperator;
  lte(value: unknown): DbOperator;
  in(values: unknown[]): DbOperator;
  nin(values: unknown[]): DbOperator;
  inc(by: number): DbOperator;
  push(value: unknown): DbOperator;
  pull(value: unknown): DbOperator;
  remove(): DbOperator;
  set(value: unknown): DbOperator;
}
