/**
 * Database actions outside transactions: query, count, insert, modify, remove, aggregate.
 *
 * Query, update and aggregation semantics are mingo's, corrected where MongoDB differs (see
 * operators.ts); this module adds storage, production limits (100 / 1000 documents per get, 20
 * rows per aggregate without `$limit`), `$tcb_server_date`, geo (see geo.ts) and unique-index
 * enforcement. Every write runs in one `BEGIN IMMEDIATE` transaction so its read-check-write is
 * atomic across processes. Tested against Tencent's and WeChat's documented results in
 * conformance/.
 */
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { LocalDbError } from './errors';
import { extractNear, parseGeoNear, runGeoNear, sortByDistance, type NearSpec } from './geo';
import { mingoOptions, normaliseOperators } from './operators';
import { idKey, newDocId, prefilterOf, type CollectionInfo, type Store } from './store';
import { decode, encode, isPlainObject, type Doc } from './values';

/** Documents per `get()` when the caller sets no limit (the SDK sends 100 itself). */
export const DEFAULT_LIMIT = 100;
/** Hard cap per `get()` in production. */
export const MAX_LIMIT = 1000;
/**
 * Rows an aggregation returns when its pipeline has no `$limit` stage. Production (cloud function
 * side) answers at most 20 (WeChat community reports, e.g.
 * developers.weixin.qq.com/community/develop/article/doc/000624c67c8b48611dba2b12058c13): always
 * end a pipeline with `.limit(n)`.
 */
export const AGGREGATE_DEFAULT_LIMIT = 20;

/** Decodes an EJSON parameter (query, data, order…) with server dates resolved to now. */
export function decodeParam(text: unknown, what: string, serverNow: number): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string')
    throw new LocalDbError('INVALID_PARAM', `${what} must be an EJSON string`);
  try {
    return decode(text, { serverNow });
  } catch (e) {
    throw new LocalDbError('INVALID_PARAM', `${what} is not valid EJSON: ${(e as Error).message}`);
  }
}

export function decodeQuery(text: unknown, serverNow: number): Doc {
  const q = decodeParam(text, 'query', serverNow);
  if (q === undefined) return {};
  if (!isPlainObject(q)) throw new LocalDbError('INVALID_PARAM', 'query must be an object');
  return q;
}

/** Wraps mingo failures (unknown operators, bad expressions) as database errors. */
export function mingoGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LocalDbError) throw e;
    const message = (e as Error).message ?? String(e);
    const code = /operator/i.test(message)
      ? 'DATABASE_INVALID_OPERRATOR'
      : 'DATABASE_REQUEST_FAILED';
    throw new LocalDbError(code, message);
  }
}

/** MongoDB requires a 2dsphere index for `$nearSphere` / `$geoNear`; production does too. */
export function geoIndexField(info: CollectionInfo, wanted?: string): string {
  const fields = info.indexes.flatMap((i) =>
    Object.entries(i.keys)
      .filter(([, kind]) => kind === '2dsphere')
      .map(([f]) => f),
  );
  if (wanted !== undefined) {
    if (!fields.includes(wanted)) {
      throw new LocalDbError(
        'DATABASE_REQUEST_FAILED',
        `unable to find index for $geoNear query: no 2dsphere index on ${info.name}.${wanted} (declare it in indexes.json)`,
      );
    }
    return wanted;
  }
  if (fields.length !== 1) {
    throw new LocalDbError(
      'DATABASE_REQUEST_FAILED',
      fields.length === 0
        ? `$geoNear requires a 2dsphere index on ${info.name}`
        : `more than one 2dsphere index on ${info.name}; give $geoNear a key`,
    );
  }
  return fields[0];
}

interface Matcher {
  query: Doc;
  near?: NearSpec;
  test(doc: Doc): boolean;
}

function matcherOf(info: CollectionInfo, rawQuery: Doc): Matcher {
  const { query, near } = mingoGuard(() => extractNear(rawQuery));
  if (near) geoIndexField(info, near.field);
  const q = mingoGuard(() => new Query(normaliseOperators(query, true) as Doc, mingoOptions));
  return { query, near, test: (doc) => mingoGuard(() => q.test(doc)) };
}

/** Matching documents in natural order (nearest first for `$nearSphere`), up to `max`. */
function matching(store: Store, info: CollectionInfo, m: Matcher, max = Infinity): Doc[] {
  const out: Doc[] = [];
  if (max <= 0) return out;
  const stopEarly = !m.near;
  for (const row of store.scan(info.name, prefilterOf(m.query))) {
    const doc = decode(row.doc) as Doc;
    if (!m.test(doc)) continue;
    out.push(doc);
    if (stopEarly && out.length >= max) break;
  }
  return m.near ? sortByDistance(out, m.near).slice(0, max) : out;
}

export interface FindOptions {
  offset?: number;
  limit?: number;
  order?: Record<string, 1 | -1>;
  projection?: Doc;
}

export function clampLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) return DEFAULT_LIMIT;
  return Math.min(Math.floor(limit), MAX_LIMIT);
}

function project(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return mingoGuard(() => new Query({}, mingoOptions).find<Doc>(docs, projection).all());
}

export function find(store: Store, coll: string, query: Doc, opts: FindOptions): Doc[] {
  const info = store.requireCollection(coll);
  const m = matcherOf(info, query);
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const limit = clampLimit(opts.limit);
  const hasOrder = opts.order !== undefined && Object.keys(opts.order).length > 0;
  if (!hasOrder)
    return project(
      matching(store, info, m, offset + limit).slice(offset, offset + limit),
      opts.projection,
    );
  const all = matching(store, info, m);
  const order = opts.order ?? {};
  return mingoGuard(() =>
    new Query({}, mingoOptions)
      .find<Doc>(
        all,
        opts.projection && Object.keys(opts.projection).length > 0 ? opts.projection : undefined,
      )
      .sort(order)
      .skip(offset)
      .limit(limit)
      .all(),
  );
}

export function count(store: Store, coll: string, query: Doc): number {
  const info = store.requireCollection(coll);
  const m = matcherOf(info, query);
  let n = 0;
  for (const row of store.scan(info.name, prefilterOf(m.query))) {
    if (m.test(decode(row.doc) as Doc)) n++;
  }
  return n;
}

/** A document as inserted: plain object, `_id` generated like production when missing. */
export function prepareNewDoc(raw: unknown): Doc {
  if (!isPlainObject(raw)) throw new LocalDbError('INVALID_PARAM', 'document must be an object');
  const { _id: id, ...rest } = raw;
  if (id === undefined || id === null) return { _id: newDocId(), ...rest };
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new LocalDbError('INVALID_PARAM', '_id must be a string or a number');
  }
  // MongoDB stores _id as the first field.
  return { _id: id, ...rest };
}

export function insert(store: Store, coll: string, docs: unknown[]): string[] {
  return store.write(() => {
    const info = store.requireCollection(coll);
    const ids: string[] = [];
    for (const raw of docs) {
      const doc = prepareNewDoc(raw);
      store.insert(info, doc);
      ids.push(doc._id as string);
    }
    return ids;
  });
}

const hasOperators = (spec: Doc): boolean => Object.keys(spec).some((k) => k.startsWith('$'));

/**
 * The document after an update. `merge` applies update operators with mingo (a spec without
 * operators means `$set`); otherwise the document is replaced, keeping its `_id`.
 */
export function applyUpdate(doc: Doc, spec: Doc, merge: boolean): Doc {
  if (!merge) {
    if (hasOperators(spec))
      throw new LocalDbError('INVALID_PARAM', 'set() data cannot contain update operators');
    return { _id: doc._id, ...withoutId(spec) };
  }
  const modifier = hasOperators(spec) ? spec : { $set: spec };
  const next = decode(encode(doc)) as Doc;
  mingoGuard(() =>
    mingoUpdate(next, modifier, undefined, undefined, {
      cloneMode: 'deep',
      queryOptions: mingoOptions,
    }),
  );
  if (encode(next._id) !== encode(doc._id)) {
    throw new LocalDbError(
      'DATABASE_REQUEST_FAILED',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return next;
}

function withoutId(doc: Doc): Doc {
  const { _id: _ignored, ...rest } = doc;
  void _ignored;
  return rest;
}

/** Top-level equality fields of a query, the seed of an upserted document (MongoDB rule). */
function equalityFields(query: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('$') || k.includes('.')) continue;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$eq') out[k] = v.$eq;
      else if (!keys.some((x) => x.startsWith('$'))) out[k] = v;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** The document an upsert creates. */
export function upsertDoc(query: Doc, spec: Doc, merge: boolean): Doc {
  const seed = equalityFields(query);
  const id = seed._id !== undefined ? seed._id : newDocId();
  if (!merge) return prepareNewDoc({ ...withoutId(spec), _id: id });
  const base: Doc = { ...seed, _id: id };
  const modifier = hasOperators(spec) ? spec : { $set: spec };
  mingoGuard(() =>
    mingoUpdate(base, modifier, undefined, undefined, {
      cloneMode: 'deep',
      queryOptions: mingoOptions,
    }),
  );
  return prepareNewDoc(base);
}

export interface ModifyResult {
  updated: number;
  upsertId?: string;
  doc?: Doc;
}

export function modify(
  store: Store,
  coll: string,
  query: Doc,
  spec: Doc,
  opts: { multi: boolean; merge: boolean; upsert: boolean },
): ModifyResult {
  return store.write(() => {
    const info = store.requireCollection(coll);
    const m = matcherOf(info, query);
    const targets = matching(store, info, m, opts.multi ? Infinity : 1);
    let updated = 0;
    let last: Doc | undefined;
    for (const doc of targets) {
      const next = applyUpdate(doc, spec, opts.merge);
      last = next;
      // A replacement (`doc().set()`) counts even when the data is identical, as production
      // answers (Tencent's geo CRUD tests); merge updates count changed documents only.
      if (opts.merge && encode(next) === encode(doc)) continue;
      store.replace(info, next);
      updated++;
    }
    if (targets.length === 0 && opts.upsert) {
      const doc = upsertDoc(m.query, spec, opts.merge);
      store.insert(info, doc);
      return { updated: 0, upsertId: doc._id as string, doc };
    }
    return { updated, doc: last };
  });
}

export function remove(store: Store, coll: string, query: Doc, multi: boolean): number {
  return store.write(() => {
    const info = store.requireCollection(coll);
    const m = matcherOf(info, query);
    const targets = matching(store, info, m, multi ? Infinity : 1);
    for (const doc of targets) store.remove(info, idKey(doc._id));
    return targets.length;
  });
}

export interface Stage {
  stageKey: string;
  stageValue: string;
}

function allDocs(store: Store, coll: string): Doc[] {
  const info = store.requireCollection(coll);
  const out: Doc[] = [];
  for (const row of store.scan(info.name, { sql: [], params: [] }))
    out.push(decode(row.doc) as Doc);
  return out;
}

export function aggregate(
  store: Store,
  coll: string,
  rawStages: unknown,
  serverNow: number,
): Doc[] {
  const info = store.requireCollection(coll);
  if (!Array.isArray(rawStages)) throw new LocalDbError('INVALID_PARAM', 'stages must be an array');
  const pipeline: Doc[] = rawStages.map((s: unknown, i: number) => {
    if (!isPlainObject(s) || typeof s.stageKey !== 'string' || typeof s.stageValue !== 'string') {
      throw new LocalDbError('INVALID_PARAM', `stage ${i} must be {stageKey, stageValue}`);
    }
    return { [s.stageKey]: decodeParam(s.stageValue, s.stageKey, serverNow) };
  });
  const capped = !pipeline.some((stage) => '$limit' in stage);
  pipeline.forEach((stage, i) => {
    if ('$geoNear' in stage && i > 0) {
      throw new LocalDbError(
        'DATABASE_REQUEST_FAILED',
        '$geoNear is only valid as the first stage in a pipeline',
      );
    }
  });
  let input: Doc[];
  let rest = pipeline;
  const first = pipeline[0];
  if (first && '$geoNear' in first) {
    const stage = parseGeoNear(first.$geoNear);
    const field = geoIndexField(info, stage.key);
    const filter = stage.query ? matcherOf(info, stage.query) : undefined;
    input = filter ? matching(store, info, filter) : allDocs(store, coll);
    input = runGeoNear(input, stage, field);
    rest = pipeline.slice(1);
  } else if (first && isPlainObject(first.$match)) {
    // The SQL prefilter narrows the scan; the $match stage itself still runs in mingo.
    input = [];
    for (const row of store.scan(info.name, prefilterOf(first.$match)))
      input.push(decode(row.doc) as Doc);
  } else {
    input = allDocs(store, coll);
  }
  const collectionResolver = (name: string): Doc[] => allDocs(store, name);
  const out = mingoGuard(
    () =>
      new Aggregator(normaliseOperators(rest) as Doc[], {
        ...mingoOptions,
        collectionResolver,
      }).run(input) as Doc[],
  );
  return capped ? out.slice(0, AGGREGATE_DEFAULT_LIMIT) : out;
}
