import fs from 'node:fs';
import path from 'node:path';
import { freshCloud, type Fixture } from '../../local/cloud/test-support/fixture';
import type { Declarations } from '../../local/cloud';
import { COLLECTIONS } from './collections';
import {
  PAGE_MAX,
  batches,
  byIds,
  getOrNull,
  isDuplicateKey,
  readAll,
  readAllOrPart,
  whereIn,
} from './data';
import type { Database, StoredDoc } from './db';

/** The app's own declarations: the toolkit runs against the collections as deployed. */
const INDEXES = path.join(__dirname, '..', 'database', 'indexes.json');
const declarations = JSON.parse(fs.readFileSync(INDEXES, 'utf8')) as Declarations;

interface Reward extends StoredDoc {
  title: string;
  cost: number;
  stock: number | null;
}

let f: Fixture;
let db: Database;
beforeEach(() => {
  f = freshCloud({ declarations });
  // Opened as openDatabase() opens it in a function: a missing document reads as null.
  const open = f.sdk.database as unknown as (config: { throwOnNotFound: boolean }) => Database;
  db = open.call(f.sdk, { throwOnNotFound: false });
});
afterEach(() => f.cleanup());

const id = (n: number) => `r${String(n).padStart(4, '0')}`;

async function addRewards(n: number, cost = (i: number) => i % 3): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.collection<Reward>(COLLECTIONS.rewards).add({
      data: { _id: id(i), title: `奖励 ${i}`, cost: cost(i), stock: null },
    });
  }
}

it('the registry names exactly the collections indexes.json declares', () => {
  const declared = Object.keys(declarations.collections).filter(
    // Written by the local cloud only (dev sign-in outbox, consents, seed marker).
    (name) => !['outbox', 'subscriptions', 'meta'].includes(name),
  );
  expect([...Object.values(COLLECTIONS)].sort()).toEqual(declared.sort());
});

it('getOrNull: the document, or null when there is none', async () => {
  await addRewards(1);
  expect((await getOrNull<Reward>(db, COLLECTIONS.rewards, id(0)))?.title).toBe('奖励 0');
  expect(await getOrNull<Reward>(db, COLLECTIONS.rewards, 'missing')).toBeNull();
});

it('readAll walks every page (production answers at most 100 a get) up to its bound', async () => {
  await addRewards(PAGE_MAX * 2 + 5);
  const query = db.collection<Reward>(COLLECTIONS.rewards).orderBy('_id', 'asc');
  const all = await readAll(query);
  expect(all).toHaveLength(205);
  expect(new Set(all.map((r) => r._id)).size).toBe(205);
  expect(await readAll(query, 150)).toHaveLength(150);
});

it('readAllOrPart: complete only when a page came back short of what was asked', async () => {
  await addRewards(PAGE_MAX * 2);
  const query = db.collection<Reward>(COLLECTIONS.rewards).orderBy('_id', 'asc');
  const all = await readAllOrPart(query);
  expect(all.complete).toBe(true);
  expect(all.items).toHaveLength(200);
  // Stopped at the bound on a full page: there may be more.
  const part = await readAllOrPart(query, 200);
  expect(part).toMatchObject({ complete: false });
  expect(part.items).toHaveLength(200);
  const cut = await readAllOrPart(query, 150);
  expect(cut.complete).toBe(false);
  expect(cut.items.map((r) => r._id)).toEqual(all.items.slice(0, 150).map((r) => r._id));
  expect(await readAllOrPart(query, 201)).toMatchObject({ complete: true });
});

it('byIds: batches of 100 ids, duplicates and empty ids ignored, missing ids absent', async () => {
  await addRewards(130);
  const ids = [...Array.from({ length: 130 }, (_, i) => id(i)), id(0), '', 'missing'];
  expect(batches(ids).map((b) => b.length)).toEqual([100, 31]);
  const found = await byIds<Reward>(db, COLLECTIONS.rewards, ids);
  expect(found.size).toBe(130);
  expect(found.get(id(129))?.title).toBe('奖励 129');
  expect(found.has('missing')).toBe(false);
});

it('whereIn: every document whose field is one of the values, with the extra condition', async () => {
  await addRewards(120, (i) => (i < 110 ? 1 : 2));
  await db
    .collection<Reward>(COLLECTIONS.rewards)
    .doc(id(5))
    .update({ data: { stock: 0 } });
  const ones = await whereIn<Reward>(db, COLLECTIONS.rewards, 'title', [
    ...Array.from({ length: 120 }, (_, i) => `奖励 ${i}`),
  ]);
  expect(ones).toHaveLength(120);
  const inStock = await whereIn<Reward>(
    db,
    COLLECTIONS.rewards,
    'title',
    ['奖励 5', '奖励 6', '奖励 115'],
    { stock: null },
  );
  expect(inStock.map((r) => r._id).sort()).toEqual([id(6), id(115)]);
});

it('isDuplicateKey: true for the store refusing a taken _id, false for other failures', async () => {
  await addRewards(1);
  const taken = await db
    .collection<Reward>(COLLECTIONS.rewards)
    .add({ data: { _id: id(0), title: 'again', cost: 0, stock: null } })
    .catch((error: unknown) => error);
  expect(isDuplicateKey(taken)).toBe(true);
  expect(isDuplicateKey(new Error('collection not exists'))).toBe(false);
  expect(isDuplicateKey(undefined)).toBe(false);
});
