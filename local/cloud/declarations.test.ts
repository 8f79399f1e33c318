/** The repo's collection declarations and rule files load; bad ones are refused with the file name. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_INDEXES_FILE, installLocalCloud } from './index';
import { loadDeclarations, loadRules } from './declarations';
import { freshCloud, writeDeclarations } from './test-support/fixture';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-decl-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the repo declarations and rule files are valid', () => {
  const decl = loadDeclarations(DEFAULT_INDEXES_FILE);
  for (const name of ['users', 'outbox', 'audit']) expect(decl.collections).toHaveProperty(name);
  const rules = loadRules(
    path.join(path.dirname(DEFAULT_INDEXES_FILE), 'rules'),
    Object.keys(decl.collections),
  );
  for (const name of ['users', 'outbox', 'audit'])
    expect(rules[name]).toEqual({ read: false, write: false });

  const local = installLocalCloud({ dataDir: path.join(tmp, 'data') });
  expect(local.collections()).toEqual(expect.arrayContaining(['users', 'outbox', 'audit']));
  expect(local.rules().users).toEqual({ read: false, write: false });
  local.close();
});

test('bad index declarations are refused', () => {
  const file = path.join(tmp, 'indexes.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ collections: { a: { indexes: [{ name: 'x', keys: { f: 2 } }] } } }),
  );
  expect(() => loadDeclarations(file)).toThrow(/key f must be 1, -1 or "2dsphere"/);
  fs.writeFileSync(file, JSON.stringify({ collections: { 'bad name!': {} } }));
  expect(() => loadDeclarations(file)).toThrow(/bad collection name/);
});

test('rules must be JSON objects for declared collections', () => {
  const dir = path.join(tmp, 'rules');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'a.json'),
    '{"read": "doc._openid == auth.openid", "write": false}',
  );
  expect(loadRules(dir, ['a'])).toEqual({
    a: { read: 'doc._openid == auth.openid', write: false },
  });
  fs.writeFileSync(path.join(dir, 'b.json'), '{"read": true, "write": true}');
  expect(() => loadRules(dir, ['a'])).toThrow(/undeclared collection "b"/);
  fs.writeFileSync(path.join(dir, 'b.json'), '{"read": 1, "write": true}');
  expect(() => loadRules(dir, ['a', 'b'])).toThrow(/must be a boolean or an expression/);
});

test('declaring a unique index over existing duplicates fails at install', async () => {
  const f = freshCloud({ declarations: { collections: { people: { indexes: [] } } } });
  await f.db.collection('people').add({ data: { phone: '1' } });
  await f.db.collection('people').add({ data: { phone: '1' } });
  f.local.close();
  writeDeclarations(path.dirname(f.indexesFile), {
    collections: { people: { indexes: [{ name: 'phone_1', keys: { phone: 1 }, unique: true }] } },
  });
  expect(() => installLocalCloud({ dataDir: f.dataDir, indexesFile: f.indexesFile })).toThrow(
    /duplicate key/,
  );
  f.cleanup();
});

test('installLocalCloud is idempotent for the same options and switches folders otherwise', () => {
  const first = installLocalCloud({ dataDir: path.join(tmp, 'one') });
  expect(installLocalCloud({ dataDir: path.join(tmp, 'one') })).toBe(first);
  const second = installLocalCloud({ dataDir: path.join(tmp, 'two') });
  expect(first.closed).toBe(true);
  expect(second.file).toBe(path.join(tmp, 'two', 'cloud.sqlite'));
  second.close();
});
