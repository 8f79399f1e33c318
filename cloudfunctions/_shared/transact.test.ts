import { setRequestJitter } from '../../local/cloud';
import { freshCloud, type Fixture } from '../../local/cloud/test-support/fixture';
import type { Database, StoredDoc, Transaction } from './db';
import { TRANSACTION_ATTEMPTS, isTransactionConflict, transact } from './transact';

interface Counter extends StoredDoc {
  value: number;
}

let f: Fixture;
let db: Database;
let previousJitter = 0;
beforeAll(() => {
  previousJitter = setRequestJitter(4);
});
afterAll(() => setRequestJitter(previousJitter));
beforeEach(async () => {
  f = freshCloud();
  db = f.db as unknown as Database;
  await db.collection<Counter>('counters').add({ data: { _id: 'c', value: 0 } });
});
afterEach(() => f.cleanup());

/** Read-modify-write of one counter: every concurrent run conflicts with every other. */
async function increment(tx: Transaction): Promise<number> {
  const c = tx.collection<Counter>('counters').doc('c');
  const { data } = await c.get();
  const next = (data?.value ?? 0) + 1;
  await c.update({ data: { value: next } });
  return next;
}

const value = async () => (await db.collection<Counter>('counters').doc('c').get()).data?.value;

it("the SDK's own retry count does not help: concurrent conflicting runs fail (production behaviour)", async () => {
  const settled = await Promise.allSettled(
    Array.from({ length: 12 }, () => db.runTransaction(increment, 10)),
  );
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  expect(failed.length).toBeGreaterThan(0);
  for (const r of failed) expect(isTransactionConflict(r.reason)).toBe(true);
  expect(await value()).toBe(12 - failed.length);
});

it('transact reruns conflicting work until each of 6 concurrent runs commits once', async () => {
  const results = await Promise.all(Array.from({ length: 6 }, () => transact(db, increment)));
  expect([...results].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await value()).toBe(6);
});

it('transact hands on a conflict that outlasts its attempts, and any other error at once', async () => {
  let runs = 0;
  const holder = await f.db.startTransaction();
  await holder
    .collection('counters')
    .doc('c')
    .update({ data: { value: 100 } });
  const err = await transact(
    db,
    async (tx) => {
      runs++;
      return increment(tx);
    },
    { attempts: 3 },
  ).catch((e: unknown) => e);
  expect(isTransactionConflict(err)).toBe(true);
  expect(runs).toBe(3);
  await holder.rollback();

  runs = 0;
  await expect(
    transact(db, async () => {
      runs++;
      throw new Error('SLOT_TAKEN');
    }),
  ).rejects.toThrow('SLOT_TAKEN');
  expect(runs).toBe(1);
  expect(TRANSACTION_ATTEMPTS).toBeGreaterThanOrEqual(runs);
});
