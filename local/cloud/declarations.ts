/**
 * Collection declarations kept in the repo: `cloudfunctions/database/indexes.json` and
 * `cloudfunctions/database/rules/<collection>.json`.
 *
 * indexes.json: `{ "collections": { "<name>": { "indexes": [ { "name", "keys": {field: 1 | -1 |
 * "2dsphere"}, "unique"?, "sparse"? } ] } } }`. Only declared collections exist locally, as in
 * production where a collection must be created before use. Unique indexes are enforced;
 * `2dsphere` indexes are required by `$nearSphere` and `geoNear` (as in production); other indexes
 * are recorded for the deploy script only.
 *
 * Permission rules (`{"read": <bool | expression>, "write": <bool | expression>}`) govern
 * client-side database access only and never apply to cloud functions. The local cloud runs only
 * cloud functions, so rules are just validated as JSON here and listed for the deploy script.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Sort direction 1 / -1, or a geo index. */
export type IndexKeyKind = 1 | -1 | '2dsphere';

export interface IndexDeclaration {
  name: string;
  /** Field paths in order; dotted paths allowed. */
  keys: Record<string, IndexKeyKind>;
  unique?: boolean;
  /** Unique indexes only: documents missing every key field are not indexed. */
  sparse?: boolean;
}

export interface CollectionDeclaration {
  indexes: IndexDeclaration[];
}

export interface Declarations {
  collections: Record<string, CollectionDeclaration>;
}

/** A permission rule: a boolean or a rule expression such as `doc._openid == auth.openid`. */
export type RuleValue = boolean | string;
export type SecurityRules = Record<string, RuleValue>;

/** Collection names as CloudBase accepts them: letters, digits, `_` and `-`, up to 32 characters. */
const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,32}$/;

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

function parseIndex(file: string, coll: string, raw: unknown): IndexDeclaration {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    fail(file, `${coll}: each index must be an object`);
  const o = raw as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') fail(file, `${coll}: index needs a "name"`);
  if (o.keys === null || typeof o.keys !== 'object' || Array.isArray(o.keys)) {
    fail(file, `${coll}.${o.name}: "keys" must be an object`);
  }
  const keys: Record<string, IndexKeyKind> = {};
  for (const [field, kind] of Object.entries(o.keys as Record<string, unknown>)) {
    if (kind !== 1 && kind !== -1 && kind !== '2dsphere') {
      fail(file, `${coll}.${o.name}: key ${field} must be 1, -1 or "2dsphere"`);
    }
    keys[field] = kind;
  }
  if (Object.keys(keys).length === 0) fail(file, `${coll}.${o.name}: "keys" is empty`);
  if (o.unique !== undefined && typeof o.unique !== 'boolean')
    fail(file, `${coll}.${o.name}: "unique" must be boolean`);
  if (o.sparse !== undefined && typeof o.sparse !== 'boolean')
    fail(file, `${coll}.${o.name}: "sparse" must be boolean`);
  return { name: o.name, keys, unique: o.unique === true, sparse: o.sparse === true };
}

/** Reads and validates indexes.json; throws with the file name on any problem. */
export function loadDeclarations(file: string): Declarations {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    fail(file, `cannot read: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object') fail(file, 'must be an object');
  const colls = (raw as Record<string, unknown>).collections;
  if (colls === null || typeof colls !== 'object' || Array.isArray(colls))
    fail(file, '"collections" must be an object');
  const collections: Record<string, CollectionDeclaration> = {};
  for (const [name, decl] of Object.entries(colls as Record<string, unknown>)) {
    if (!COLLECTION_NAME.test(name)) fail(file, `bad collection name "${name}"`);
    const indexesRaw =
      decl !== null && typeof decl === 'object'
        ? (decl as Record<string, unknown>).indexes
        : undefined;
    if (indexesRaw !== undefined && !Array.isArray(indexesRaw))
      fail(file, `${name}: "indexes" must be an array`);
    const indexes = (indexesRaw ?? []).map((i: unknown) => parseIndex(file, name, i));
    const names = new Set<string>();
    for (const i of indexes) {
      if (names.has(i.name)) fail(file, `${name}: duplicate index name ${i.name}`);
      names.add(i.name);
    }
    collections[name] = { indexes };
  }
  return { collections };
}

/**
 * Reads every `<collection>.json` in the rules folder. Validation only: a rules file must be a JSON
 * object of booleans / rule strings and must name a declared collection.
 */
export function loadRules(dir: string, declared: Iterable<string>): Record<string, SecurityRules> {
  const known = new Set(declared);
  const out: Record<string, SecurityRules> = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir).sort()) {
    if (!entry.endsWith('.json')) continue;
    const file = path.join(dir, entry);
    const coll = entry.slice(0, -'.json'.length);
    if (!known.has(coll)) fail(file, `rules for undeclared collection "${coll}"`);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      fail(file, `invalid JSON: ${(e as Error).message}`);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      fail(file, 'rules must be a JSON object');
    const rules: SecurityRules = {};
    for (const [op, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'boolean' && typeof v !== 'string')
        fail(file, `rule "${op}" must be a boolean or an expression string`);
      rules[op] = v;
    }
    if (!('read' in rules) || !('write' in rules)) fail(file, 'rules need both "read" and "write"');
    out[coll] = rules;
  }
  return out;
}
