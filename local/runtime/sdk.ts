import type * as WxServerSdk from 'wx-server-sdk';

/** The wx-server-sdk export object, as the cloud functions see it. */
export type Sdk = typeof WxServerSdk;
/** A plain stored document. */
export type DocData = Record<string, unknown>;

/**
 * The promise-style parts of `cloud.database()` host-level code uses, typed as the SDK really
 * answers them (its own typings return `Promise | void | string`).
 */
export interface DbQuery {
  where(condition: DocData): DbQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): DbQuery;
  skip(n: number): DbQuery;
  /** At most 100 documents per get() from server code. */
  limit(n: number): DbQuery;
  get(): Promise<{ data: DocData[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: DocData }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface DbCollection extends DbQuery {
  add(options: { data: DocData }): Promise<{ _id: string | number }>;
  doc(id: string): {
    get(): Promise<{ data: DocData | null }>;
    set(options: { data: DocData }): Promise<{ stats: { updated: number } }>;
    update(options: { data: DocData }): Promise<{ stats: { updated: number } }>;
    remove(): Promise<{ stats: { removed: number } }>;
  };
}

/** An operator built by `db.command`; opaque to the caller. */
export type DbOperator = object;

export interface Database {
  collection(name: string): DbCollection;
  /** Creates a collection not declared in indexes.json (tests only; production needs the console). */
  createCollection(name: string): Promise<unknown>;
  command: { inc(n: number): DbOperator; gt(n: number): DbOperator };
  serverDate(options?: { offset?: number }): DbOperator;
}

/** The undocumented-in-types parts of the SDK export object the local runtime uses. */
interface SdkInternals {
  createNewInstance(config: { env?: string; throwOnNotFound?: boolean }): Sdk;
  openapi: object;
  getWXContext: () => object;
}

/**
 * Load the one wx-server-sdk instance the functions also load (the repo's node_modules copy).
 * A `require` rather than an import: it must happen after `installLocalCloud` has replaced the
 * database transport.
 */
export function loadSdk(): Sdk & SdkInternals {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('wx-server-sdk') as Sdk & SdkInternals;
}

/** Where this process resolves wx-server-sdk from. */
export function sdkPath(fromDir?: string): string {
  return fromDir
    ? require.resolve('wx-server-sdk', { paths: [fromDir] })
    : require.resolve('wx-server-sdk');
}

/** Environment name reported in getWXContext().ENV locally. */
export const LOCAL_ENV_ID = 'linli-local';
/** AppID reported in getWXContext().APPID locally (not a real AppID). */
export const LOCAL_APPID = 'wx-local-linli';

/**
 * A database handle for host-level code (openapi outbox, seed, dev endpoints) from a private SDK
 * instance, so the host never calls `cloud.init` on the instance the functions initialise
 * themselves (the first `init` wins and would override their options).
 */
export function hostDatabase(sdk: Sdk & SdkInternals): Database {
  const instance = sdk.createNewInstance({ env: LOCAL_ENV_ID, throwOnNotFound: false });
  const config = { throwOnNotFound: false } as Parameters<Sdk['database']>[0];
  return instance.database(config) as unknown as Database;
}
