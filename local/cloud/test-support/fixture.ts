/**
 * Test fixture: a fresh local cloud in a temp folder, reached through the real wx-server-sdk.
 *
 * The SDK's own typings answer `Promise | void | string`; the interfaces below describe what it
 * really returns for the calls the tests make.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installLocalCloud, type Declarations, type LocalCloud } from '../index';

export type Doc = Record<string, unknown>;
/** An operator built by `db.command` (opaque). */
export type Cmd = object;

export interface TestQuery {
  where(condition: Doc | Cmd): TestQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): TestQuery;
  skip(n: number): TestQuery;
  limit(n: number): TestQuery;
  field(projection: Record<string, boolean | number>): TestQuery;
  get(): Promise<{ data: Doc[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: Doc }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface TestDocRef {
  field(projection: Record<string, boolean | number>): TestDocRef;
  get(): Promise<{ data: Doc | null }>;
  set(options: {
    data: Doc;
  }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  update(options: { data: Doc }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface TestAggregate {
  match(q: Doc): TestAggregate;
  group(g: Doc): TestAggregate;
  sort(s: Doc): TestAggregate;
  project(p: Doc): TestAggregate;
  limit(n: number): TestAggregate;
  lookup(l: Doc): TestAggregate;
  geoNear(g: Doc): TestAggregate;
  end(): Promise<{ list: Doc[] }>;
}

export interface TestCollection extends TestQuery {
  doc(id: string | number): TestDocRef;
  add(options: { data: Doc }): Promise<{ _id: string }>;
  aggregate(): TestAggregate;
}

type Op = (...args: unknown[]) => Cmd;

export interface TestCommand {
  eq: Op;
  neq: Op;
  gt: Op;
  gte: Op;
  lt: Op;
  lte: Op;
  in: Op;
  nin: Op;
  and: Op;
  or: Op;
  exists: Op;
  inc: Op;
  mul: Op;
  push: Op;
  pull: Op;
  set: Op;
  remove: Op;
  geoNear: Op;
  geoWithin: Op;
  aggregate: { sum: Op; avg: Op; max: Op; push: Op };
}

export interface TestTransaction {
  collection(name: string): TestCollection;
}

export interface TestStartedTransaction extends TestTransaction {
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

export interface TestDb {
  collection(name: string): TestCollection;
  command: TestCommand;
  serverDate(options?: { offset?: number }): Cmd;
  RegExp(options: { regexp: string; options?: string }): Cmd;
  Geo: {
    Point(longitude: number, latitude: number): Cmd;
    LineString(points: Cmd[]): Cmd;
    Polygon(lines: Cmd[]): Cmd;
  };
  createCollection(name: string): Promise<unknown>;
  runTransaction<T>(fn: (tx: TestTransaction) => Promise<T>, times?: number): Promise<T>;
  startTransaction(): Promise<TestStartedTransaction>;
}

export interface TestSdk {
  init(config: { env: unknown }): void;
  database(config?: { throwOnNotFound?: boolean }): TestDb;
  DYNAMIC_CURRENT_ENV: unknown;
}

/** The SDK error shape (wx-server-sdk's CloudSDKError). */
export interface SdkError {
  errCode: number;
  errMsg: string;
}

/** Collections every test database declares. */
export const TEST_DECLARATIONS: Declarations = {
  collections: {
    items: { indexes: [{ name: 'category_1', keys: { category: 1 } }] },
    stock: { indexes: [] },
    counters: { indexes: [] },
    members: { indexes: [{ name: 'phone_1', keys: { phone: 1 }, unique: true }] },
    places: { indexes: [{ name: 'location_2dsphere', keys: { location: '2dsphere' } }] },
    plain: { indexes: [] },
  },
};

let sdk: TestSdk | null = null;

/** wx-server-sdk, initialised once per test file like a cloud function does. */
export function loadSdk(): TestSdk {
  if (!sdk) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require('wx-server-sdk') as TestSdk;
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  }
  return sdk;
}

export interface Fixture {
  local: LocalCloud;
  dataDir: string;
  indexesFile: string;
  sdk: TestSdk;
  db: TestDb;
  /** Reopens the same data folder (close + install). */
  reopen(): LocalCloud;
  /** Closes the database and deletes the temp folder. */
  cleanup(): void;
}

/** Writes declarations to a temp indexes.json (with an empty rules folder beside it). */
export function writeDeclarations(dir: string, decl: Declarations): string {
  const file = path.join(dir, 'indexes.json');
  fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(decl, null, 2));
  return file;
}

export function freshCloud(
  options: { declarations?: Declarations; transactionTimeoutMs?: number } = {},
): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-cloud-'));
  const dataDir = path.join(root, 'data');
  const indexesFile = writeDeclarations(
    path.join(root, 'decl'),
    options.declarations ?? TEST_DECLARATIONS,
  );
  const open = (): LocalCloud =>
    installLocalCloud({ dataDir, indexesFile, transactionTimeoutMs: options.transactionTimeoutMs });
  const fixture: Fixture = {
    local: open(),
    dataDir,
    indexesFile,
    sdk: loadSdk(),
    db: loadSdk().database(),
    reopen: () => {
      fixture.local.close();
      fixture.local = open();
      return fixture.local;
    },
    cleanup: () => {
      fixture.local.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Awaits a promise expected to reject with an SDK error and returns that error. */
export async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}
