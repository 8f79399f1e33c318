/**
 * Database actions outside transactions: query, count, insert, modify, remove, aggregate.
 *
 * Query, update and aggregation semantics are mingo's; this module adds only storage, production
 * limits, `$tcb_server_date`, geo (see geo.ts) and unique-index enforcement. Every write runs in
 * one `BEGIN IMMEDIATE` transaction so its read-check-write is atomic across processes.
 */
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { Context, evalExpr } from 'mingo/core';
import { resolve } from 'mingo/util';
import { LocalDbError } from './errors';
import {
  extractNear,
  geoContext,
  parseGeoNear,
  runGeoNear,
  sortByDistance,
  type NearSpec,
} from './geo';
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

type ExprOp = (obj: unknown, expr: unknown, options: Parameters<typeof evalExpr>[2]) => unknown;

/** UTF-8 byte substring with MongoDB's rules: negative start → "", negative count → rest. */
const substrBytes: ExprOp = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options) as unknown[];
  if (!Array.isArray(args) || args.length !== 3)
    throw new LocalDbError('DATABASE_REQUEST_FAILED', '$substrBytes expects array(3)');
  const [s, index, count] = args;
  if (s === null || s === undefined) return '';
  if (typeof s !== 'string' || typeof index !== 'number' || typeof count !== 'number')
    throw new LocalDbError('DATABASE_REQUEST_FAILED', '$substrBytes expects [string, int, int]');
  if (index < 0) return '';
  const bytes = Buffer.from(s, 'utf8');
  const end = count < 0 ? bytes.length : Math.min(bytes.length, index + count);
  return bytes.subarray(Math.min(index, bytes.length), end).toString('utf8');
};

/** Code-point index of a substring (MongoDB `$indexOfCP`, optional start / end). */
const indexOfCP: ExprOp = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options) as unknown[];
  if (!Array.isArray(args) || args.length < 2 || args.length > 4)
    throw new LocalDbError('DATABASE_REQUEST_FAILED', '$indexOfCP expects array(2..4)');
  const [s, sub, start = 0, end] = args;
  if (s === null || s === undefined) return null;
  if (typeof s !== 'string' || typeof sub !== 'string')
    throw new LocalDbError('DATABASE_REQUEST_FAILED', '$indexOfCP expects strings');
  const cps = Array.from(s);
  const needle = Array.from(sub);
  const from = typeof start === 'number' ? start : 0;
  const to = typeof end === 'number' ? Math.min(end, cps.length) : cps.length;
  for (let i = from; i + needle.length <= to; i++) {
    if (needle.every((c, j) => cps[i + j] === c)) return i;
  }
  return -1;
};

/**
 * MongoDB `$week`: weeks start on Sunday; the first Sunday of the year starts week 1, days
 * before it are week 0 (strftime %U). mingo computes an ISO-based number instead.
 */
const week: ExprOp = (obj, expr, options) => {
  const doy = evalExpr(obj, { $dayOfYear: expr }, options);
  const dow = evalExpr(obj, { $dayOfWeek: expr }, options);
  if (typeof doy !== 'number' || typeof dow !== 'number') return null;
  return Math.floor((doy - dow + 7) / 7);
};

type QueryOp = (selector: string, value: unknown, options: unknown) => (obj: Doc) => boolean;

/**
 * `$elemMatch` with field conditions (`{value: {$gt: 0}}`): only array elements that are documents
 * can match, as in MongoDB. mingo also tests scalar elements against the field conditions and
 * matches e.g. `[1, 2]` with `{value: {$exists: true}}`.
 */
const elemMatchDocs: QueryOp = (selector, value) => {
  if (!isPlainObject(value))
    throw new LocalDbError('DATABASE_INVALID_OPERRATOR', '$elemMatch needs an object');
  const q = new Query(value, mingoOptions);
  return (obj) => {
    const arr = resolve(obj, selector, { unwrapArray: true }) as unknown;
    return Array.isArray(arr) && arr.some((e) => isPlainObject(e) && q.test(e));
  };
};

/**
 * A `$jsonSchema` validator for the keywords MongoDB documents most use: type / bsonType,
 * required, properties, additionalProperties (boolean), enum, minimum / maximum, minLength /
 * maxLength, minItems / maxItems, items, pattern. Other keywords fail loudly.
 */
export function jsonSchemaPredicate(schema: Doc): (value: unknown) => boolean {
  const known = new Set([
    'type',
    'bsonType',
    'required',
    'properties',
    'additionalProperties',
    'enum',
    'minimum',
    'maximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'items',
    'pattern',
    'title',
    'description',
  ]);
  for (const k of Object.keys(schema)) {
    if (!known.has(k))
      throw new LocalDbError(
        'DATABASE_INVALID_OPERRATOR',
        `$jsonSchema keyword ${k} is not supported locally`,
      );
  }
  const typeOk = (v: unknown, t: string): boolean => {
    switch (t) {
      case 'object':
        return isPlainObject(v);
      case 'array':
        return Array.isArray(v);
      case 'string':
        return typeof v === 'string';
      case 'number':
      case 'double':
      case 'decimal':
        return typeof v === 'number';
      case 'int':
      case 'long':
      case 'integer':
        return Number.isInteger(v);
      case 'bool':
      case 'boolean':
        return typeof v === 'boolean';
      case 'null':
        return v === null;
      case 'date':
        return v instanceof Date;
      case 'regex':
        return v instanceof RegExp;
      default:
        throw new LocalDbError(
          'DATABASE_INVALID_OPERRATOR',
          `$jsonSchema type ${t} is not supported locally`,
        );
    }
  };
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const sub = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, jsonSchemaPredicate(v as Doc)]),
  );
  const items = isPlainObject(schema.items) ? jsonSchemaPredicate(schema.items) : null;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : null;
  return (v) => {
    const types = schema.bsonType ?? schema.type;
    if (types !== undefined) {
      const list = Array.isArray(types) ? (types as string[]) : [types as string];
      if (!list.some((t) => typeOk(v, t))) return false;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => encode(e) === encode(v)))
      return false;
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) return false;
      if (typeof schema.maximum === 'number' && v > schema.maximum) return false;
    }
    if (typeof v === 'string') {
      if (typeof schema.minLength === 'number' && v.length < schema.minLength) return false;
      if (typeof schema.maxLength === 'number' && v.length > schema.maxLength) return false;
      if (pattern && !pattern.test(v)) return false;
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) return false;
      if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) return false;
      if (items && !v.every(items)) return false;
    }
    if (isPlainObject(v)) {
      if (Array.isArray(schema.required) && !schema.required.every((k) => k in v)) return false;
      for (const [k, test] of Object.entries(sub)) if (k in v && !test(v[k])) return false;
      if (schema.additionalProperties === false && Object.keys(v).some((k) => !(k in sub)))
        return false;
    }
    return true;
  };
}

/** Operators mingo lacks or computes differently, under private names (see `normaliseOperators`). */
const localContext = Context.from(
  geoContext,
  Context.init({
    expression: {
      $indexOfCP: indexOfCP,
      $localSubstrBytes: substrBytes,
      $localWeek: week,
    } as unknown as NonNullable<Parameters<typeof Context.init>[0]>['expression'],
    query: { $localElemMatch: elemMatchDocs } as unknown as NonNullable<
      Parameters<typeof Context.init>[0]
    >['query'],
  }),
);

const mingoOptions = {
  context: localContext,
  jsonSchemaValidator: (schema: Doc) => jsonSchemaPredicate(schema) as (o: unknown) => boolean,
};

/** Expression operators renamed to the local implementations above (mingo's own take precedence). */
const RENAMED: Record<string, string> = {
  $substr: '$localSubstrBytes',
  $substrBytes: '$localSubstrBytes',
  $week: '$localWeek',
};
/** Operators whose single argument MongoDB also accepts without the array. */
const ARRAY_OPTIONAL = new Set(['$trunc', '$round']);

/**
 * Rewrites a pipeline stage or query for mingo: renames the operators in RENAMED and wraps the
 * one-argument form of `$trunc` / `$round`. `$literal` values are left alone.
 */
export function normaliseOperators(value: unknown, inQuery = false): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseOperators(v, inQuery));
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$literal') {
      out[k] = v;
    } else if (ARRAY_OPTIONAL.has(k) && !Array.isArray(v)) {
      out[k] = [normaliseOperators(v)];
    } else if (
      inQuery &&
      k === '$elemMatch' &&
      isPlainObject(v) &&
      Object.keys(v).some((f) => !f.startsWith('$'))
    ) {
      out.$localElemMatch = normaliseOperators(v, true);
    } else {
      // `$match` holds a query; `$expr` and `$project` hold expressions.
      const q = k === '$match' ? true : k === '$expr' || k === '$project' ? false : inQuery;
      out[RENAMED[k] ?? k] = normaliseOperators(v, q);
    }
  }
  return out;
}

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
