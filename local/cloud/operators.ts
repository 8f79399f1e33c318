/**
 * What the local database adds to mingo's query / aggregation semantics so they match MongoDB
 * (and so production): operators mingo lacks or computes differently, and the options every
 * mingo call in engine.ts uses.
 *
 * mingo's own operators take precedence over a context's, so a differing operator is replaced by
 * renaming it in the request (`normaliseOperators`) to a private local implementation:
 * - `$week` → `$localWeek` (MongoDB's Sunday-based week; mingo returns an ISO-like number).
 * - `$substr` / `$substrBytes` → `$localSubstrBytes` (a negative length means "to the end").
 * - `$elemMatch` with field conditions, in queries → `$localElemMatch` (only document elements
 *   match; mingo also tests scalars against the fields); `$all` of `$elemMatch`es →
 *   `$localAllElemMatch` (each condition met by some element).
 * - `$trunc` / `$round` with one argument (not an array) → wrapped in an array.
 * Added: `$indexOfCP`, and a `$jsonSchema` validator for common keywords.
 */
import { Query } from 'mingo';
import { Context, evalExpr } from 'mingo/core';
import { resolve } from 'mingo/util';
import { LocalDbError } from './errors';
import { geoContext } from './geo';
import { encode, isPlainObject, type Doc } from './values';

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
 * The test one array element must pass for `$elemMatch` criteria, as MongoDB applies them: with
 * field conditions (`{value: {$gt: 0}}`) only elements that are documents can match (mingo also
 * tests scalars against the fields and matches `[1, 2]` with `{value: {$exists: true}}`).
 */
function elementPredicate(criteria: unknown): (e: unknown) => boolean {
  if (!isPlainObject(criteria))
    throw new LocalDbError('DATABASE_INVALID_OPERRATOR', '$elemMatch needs an object');
  const hasFields = Object.keys(criteria).some((k) => !k.startsWith('$'));
  if (hasFields) {
    const q = new Query(criteria, mingoOptions);
    return (e) => isPlainObject(e) && q.test(e);
  }
  // Operator-only criteria (`{$gt: 2}`) apply to the element itself.
  const q = new Query({ v: criteria }, mingoOptions);
  return (e) => q.test({ v: e });
}

/** `$elemMatch` with field conditions (see `elementPredicate`). */
const elemMatchDocs: QueryOp = (selector, value) => {
  const test = elementPredicate(value);
  return (obj) => {
    const arr = resolve(obj, selector, { unwrapArray: true }) as unknown;
    return Array.isArray(arr) && arr.some(test);
  };
};

/** `$all` of `$elemMatch` conditions: each condition is met by some element. */
const allElemMatch: QueryOp = (selector, value) => {
  if (!Array.isArray(value))
    throw new LocalDbError('DATABASE_INVALID_OPERRATOR', '$all needs an array');
  const tests = value.map(elementPredicate);
  return (obj) => {
    const arr = resolve(obj, selector, { unwrapArray: true }) as unknown;
    return Array.isArray(arr) && tests.every((t) => arr.some(t));
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
    query: {
      $localElemMatch: elemMatchDocs,
      $localAllElemMatch: allElemMatch,
    } as unknown as NonNullable<Parameters<typeof Context.init>[0]>['query'],
  }),
);

export const mingoOptions = {
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
      k === '$all' &&
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((x) => isPlainObject(x) && Object.keys(x).length === 1 && '$elemMatch' in x)
    ) {
      out.$localAllElemMatch = v.map((x) => normaliseOperators((x as Doc).$elemMatch, true));
    } else if (inQuery && k === '$all') {
      out[k] = v;
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
