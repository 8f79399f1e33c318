/**
 * Conformance harness: cases ported from Tencent's own database tests and from the WeChat cloud
 * database reference, run through the unmodified wx-server-sdk against the local store.
 *
 * Each case is registered with `kase(source, body)`; `source` names where it comes from
 * (`TencentCloudBase/node-sdk@<commit>:<path> › <test name>` or a reference page URL) and the body
 * asserts what the source says production returns. A case whose source behaviour the local cloud
 * does not reproduce names its entry in exceptions.ts (`{exception: id, local}`): the harness then
 * requires the production assertions to FAIL locally (so an exception that starts passing breaks
 * the suite and the list stays honest) and runs `local`, which pins what we do instead.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installLocalCloud, type Declarations, type LocalCloud } from '../index';
import { writeDeclarations, loadSdk } from '../test-support/fixture';
import { EXCEPTIONS } from './exceptions';

export { NODE_SDK_COMMIT, nodeSdk, wxRef } from './sources';

/** The ported cases drive the SDK dynamically, as the JavaScript originals do. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** Collections the ported cases use (names as in the original tests). */
const COLLECTIONS = [
  'test-students',
  'test-goods',
  'test-passages',
  'test-person',
  'test-users',
  'test-sortByCount',
  'articles',
  'join1',
  'join2',
  'mongoraw',
  'db-test-advanced-operator',
  'db-test-collection',
  'db-test-document',
  'db-test-date',
  'db-test-index',
  'db-test-logic-operators',
  'test-lookup-pipeline1',
  'test-lookup-pipeline2',
  'db-test-order',
  'db-test-projection',
  'db-test-query-date',
  'db-test-limit',
  'db-test-regex',
  'db-test-transactions',
  'dates',
  'students',
  'scores',
  'todos',
  'items',
  'avatar',
  'orders',
  'inventory',
];
const GEO_COLLECTIONS = ['attractions', 'db-test-geo', 'db-test-geo-advanced', 'restaurants'];

export const CONFORMANCE_DECLARATIONS: Declarations = {
  collections: {
    ...Object.fromEntries(COLLECTIONS.map((c) => [c, { indexes: [] }])),
    ...Object.fromEntries(
      GEO_COLLECTIONS.map((c) => [
        c,
        { indexes: [{ name: 'location_2dsphere', keys: { location: '2dsphere' as const } }] },
      ]),
    ),
  },
};
// Geo collections index the fields their cases query.
CONFORMANCE_DECLARATIONS.collections['db-test-geo-advanced'].indexes = [
  { name: 'point_2dsphere', keys: { point: '2dsphere' } },
];

export interface CaseContext {
  local: LocalCloud;
  /** `cloud.database()` (throwOnNotFound as the case asks). */
  db: Loose;
  /** `db.command` */
  _: Loose;
  /** `db.command.aggregate` */
  $: Loose;
  /** wx-server-sdk itself. */
  cloud: Loose;
}

export interface CaseOptions {
  /** `cloud.database({throwOnNotFound: false})` */
  throwOnNotFound?: boolean;
  /** An id in exceptions.ts: production behaviour the local cloud does not reproduce. */
  exception?: string;
  /** With `exception`: asserts what the local cloud does instead. */
  local?: (c: CaseContext) => Promise<void>;
  timeout?: number;
}

let root: string | null = null;
let local: LocalCloud | null = null;

function open(): LocalCloud {
  if (!root) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-conformance-'));
    writeDeclarations(path.join(root, 'decl'), CONFORMANCE_DECLARATIONS);
  }
  if (local && !local.closed) {
    local.reset();
    return local;
  }
  local = installLocalCloud({
    dataDir: path.join(root, 'data'),
    indexesFile: path.join(root, 'decl', 'indexes.json'),
  });
  return local;
}

afterAll(() => {
  if (local && !local.closed) local.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
  local = null;
  root = null;
});

function context(opts: CaseOptions): CaseContext {
  const l = open();
  const cloud = loadSdk() as Loose;
  const db =
    opts.throwOnNotFound === false ? cloud.database({ throwOnNotFound: false }) : cloud.database();
  return { local: l, db, _: db.command, $: db.command.aggregate, cloud };
}

/** Registers one conformance case (a jest test named by its source). */
export function kase(
  source: string,
  body: (c: CaseContext) => Promise<void>,
  opts: CaseOptions = {},
): void {
  if (opts.exception === undefined) {
    test(source, () => body(context(opts)), opts.timeout);
    return;
  }
  const id = opts.exception;
  const entry = EXCEPTIONS.find((e) => e.id === id);
  test(
    `[documented exception ${id}] ${source}`,
    async () => {
      if (!entry) throw new Error(`exception ${id} is not listed in exceptions.ts`);
      if (entry.source !== source)
        throw new Error(`exception ${id} lists source ${entry.source}, the case is ${source}`);
      if (!opts.local) throw new Error(`exception ${id} needs a local() assertion`);
      let matchesProduction = true;
      try {
        await body(context(opts));
      } catch {
        matchesProduction = false;
      }
      if (matchesProduction) {
        throw new Error(
          `exception ${id} now behaves as production: remove it from exceptions.ts and README.md`,
        );
      }
      await opts.local(context(opts));
    },
    opts.timeout,
  );
}

/** Inserts documents one by one (keeps insertion order, like Tencent's `create(data)` helper). */
export async function seed(db: Loose, collection: string, docs: object[]): Promise<string[]> {
  const ids: string[] = [];
  for (const d of docs) ids.push((await db.collection(collection).add({ data: d }))._id);
  return ids;
}

/** Strips `_id` from documents (for comparisons with sources that omit it). */
export function withoutIds(docs: Loose[]): Loose[] {
  return docs.map((d) => {
    const { _id: _omit, ...rest } = d;
    return rest;
  });
}

/** Awaits a promise that must reject; returns the error. */
export async function rejection(p: Promise<unknown>): Promise<Loose> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}
