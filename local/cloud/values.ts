/**
 * Extended-JSON codec for the local database.
 *
 * The SDK sends queries, documents and update specs as canonical EJSON strings (bson 4.x) and
 * parses answers with `EJSON.parse` (relaxed). `bson`'s own parser costs ~80 µs per document, so
 * this module decodes with `JSON.parse` plus a walk that understands the wrappers the SDK and the
 * store actually produce (`$numberInt`, `$numberDouble`, `$numberLong`, `$date`,
 * `$regularExpression`); any other EJSON wrapper (`$oid`, `$binary`, `$numberDecimal`, …) falls back
 * to `bson`'s EJSON for that one value.
 *
 * Query operators such as `$gt` or the legacy `$regex` are never EJSON wrappers here: the SDK
 * always encodes regular expressions as `$regularExpression`, so `$regex` stays a mingo operator.
 */
import { EJSON } from 'bson';

/** A stored document: a plain object whose `_id` is a string (or, rarely, a number). */
export type Doc = Record<string, unknown>;

/** EJSON type wrappers recognised by key; values are converted to native JS where possible. */
const NATIVE_WRAPPERS = new Set([
  '$numberInt',
  '$numberDouble',
  '$numberLong',
  '$date',
  '$regularExpression',
]);
/** Wrappers kept as bson objects (decoded by bson itself). */
const BSON_WRAPPERS = new Set([
  '$oid',
  '$binary',
  '$numberDecimal',
  '$timestamp',
  '$symbol',
  '$code',
  '$minKey',
  '$maxKey',
  '$undefined',
  '$dbPointer',
  '$uuid',
]);

/** The marker `db.serverDate({offset})` serialises to; offset in milliseconds. */
const SERVER_DATE_KEY = '$tcb_server_date';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** JavaScript flags for BSON regex options (i, m, s, u survive; x and l have no JS meaning). */
function jsRegexFlags(options: string): string {
  return [...options].filter((c) => 'imsu'.includes(c)).join('');
}

function decodeWrapper(
  key: string,
  o: Record<string, unknown>,
): { ok: true; value: unknown } | { ok: false } {
  const inner = o[key];
  switch (key) {
    case '$numberInt':
    case '$numberDouble':
    case '$numberLong':
      if (typeof inner === 'string') return { ok: true, value: Number(inner) };
      return { ok: false };
    case '$date': {
      if (typeof inner === 'string' || typeof inner === 'number')
        return { ok: true, value: new Date(inner) };
      if (isPlainObject(inner) && typeof inner.$numberLong === 'string') {
        return { ok: true, value: new Date(Number(inner.$numberLong)) };
      }
      return { ok: false };
    }
    case '$regularExpression': {
      if (isPlainObject(inner) && typeof inner.pattern === 'string') {
        const options = typeof inner.options === 'string' ? inner.options : '';
        return { ok: true, value: new RegExp(inner.pattern, jsRegexFlags(options)) };
      }
      return { ok: false };
    }
    default:
      return { ok: false };
  }
}

export interface ReviveOptions {
  /** When set, `{$tcb_server_date:{offset}}` becomes `new Date(serverNow + offset)` (ms). */
  serverNow?: number;
}

/** Converts parsed JSON (EJSON wrappers still as objects) to native values, in place where possible. */
export function revive(value: unknown, options: ReviveOptions = {}): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], options);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length >= 1 && keys.length <= 2 && keys[0].charCodeAt(0) === 36 /* $ */) {
    const key = keys[0];
    if (keys.length === 1 && NATIVE_WRAPPERS.has(key)) {
      const decoded = decodeWrapper(key, o);
      if (decoded.ok) return decoded.value;
    }
    if (BSON_WRAPPERS.has(key)) {
      return EJSON.parse(JSON.stringify(o), { relaxed: true });
    }
    if (keys.length === 1 && key === SERVER_DATE_KEY && options.serverNow !== undefined) {
      const spec = o[key];
      const offset = isPlainObject(spec) ? Number(revive(spec.offset, options) ?? 0) : 0;
      return new Date(options.serverNow + (Number.isFinite(offset) ? offset : 0));
    }
  }
  for (const k of keys) o[k] = revive(o[k], options);
  return o;
}

/** Parses an EJSON string (canonical or relaxed) into native values. */
export function decode(text: string, options: ReviveOptions = {}): unknown {
  return revive(JSON.parse(text) as unknown, options);
}

/** JSON.stringify replacer writing EJSON for the types JSON cannot carry. */
function ejsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) {
    const ms = raw.getTime();
    return { $date: { $numberLong: String(Number.isNaN(ms) ? 0 : ms) } };
  }
  if (raw instanceof RegExp)
    return { $regularExpression: { pattern: raw.source, options: raw.flags } };
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { $numberDouble: String(raw) };
  if (raw !== null && typeof raw === 'object' && '_bsontype' in raw) {
    return JSON.parse(
      EJSON.stringify(raw as Parameters<typeof EJSON.stringify>[0], { relaxed: false }),
    ) as unknown;
  }
  return value;
}

/**
 * Writes EJSON that bson's `EJSON.parse` reads back to the same native values: numbers as plain
 * JSON numbers (relaxed form), dates as `{$date:{$numberLong}}` (valid for any year).
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, ejsonReplacer);
}

/** Deep copy through the codec (documents only ever hold codec-representable values). */
export function cloneValue<T>(value: T): T {
  return decode(encode(value)) as T;
}
