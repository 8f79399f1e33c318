/** Transactions through the SDK's own runTransaction / startTransaction. */
import {
  freshCloud,
  sdkError,
  type Doc,
  type Fixture,
  type TestTransaction,
} from './test-support/fixture';

let f: Fixture;
beforeEach(() => {
  f = freshCloud({ transactionTimeoutMs: 1500 });
});
afterEach(() => f.cleanup());

/** Reads the counter inside the transaction and writes it back + 1 (read-modify-write). */
async function increment(tx: TestTransaction): Promise<number> {
  const doc = (await tx.collection('counters').doc('c').get()).data as Doc;
  const next = (doc.value as number) + 1;
  await tx
    .collection('counters')
    .doc('c')
    .update({ data: { value: next } });
  return next;
}

test('runTransaction commits every write of the callback together', async () => {
  await f.db.collection('stock').add({ data: { _id: 'gym', left: 2 } });
  const result = await f.db.runTransaction(async (tx) => {
    const slot = (await tx.collection('stock').doc('gym').get()).data as Doc;
    await tx
      .collection('stock')
      .doc('gym')
      .update({ data: { left: (slot.left as number) - 1 } });
    const booking = await tx.collection('items').add({ data: { slot: 'gym', by: 'u1' } });
    await tx
      .collection('plain')
      .doc('log')
      .set({ data: { last: booking._id } });
    return booking._id;
  });
  expect((await f.db.collection('stock').doc('gym').get()).data).toEqual({ _id: 'gym', left: 1 });
  expect((await f.db.collection('items').doc(result).get()).data).toMatchObject({
    slot: 'gym',
    by: 'u1',
  });
  expect((await f.db.collection('plain').doc('log').get()).data).toEqual({
    _id: 'log',
    last: result,
  });
});

test('a transaction sees its own writes before commit; others do not', async () => {
  await f.db.collection('stock').add({ data: { _id: 'gym', left: 2 } });
  const tx = await f.db.startTransaction();
  await tx
    .collection('stock')
    .doc('gym')
    .update({ data: { left: 7 } });
  expect((await tx.collection('stock').doc('gym').get()).data).toEqual({ _id: 'gym', left: 7 });
  expect((await f.db.collection('stock').doc('gym').get()).data).toEqual({ _id: 'gym', left: 2 });
  await tx.commit();
  expect((await f.db.collection('stock').doc('gym').get()).data).toEqual({ _id: 'gym', left: 7 });
});

test('an error thrown in the callback rolls everything back', async () => {
  await f.db.collection('stock').add({ data: { _id: 'gym', left: 2 } });
  await expect(
    f.db.runTransaction(async (tx) => {
      await tx
        .collection('stock')
        .doc('gym')
        .update({ data: { left: 0 } });
      await tx.collection('items').add({ data: { _id: 'booking-1' } });
      await tx.collection('plain').doc('x').remove();
      throw new Error('SLOT_TAKEN');
    }),
  ).rejects.toThrow('SLOT_TAKEN');
  expect((await f.db.collection('stock').doc('gym').get()).data).toEqual({ _id: 'gym', left: 2 });
  expect((await f.db.collection('items').count()).total).toBe(0);
});

test('startTransaction + rollback leaves nothing behind', async () => {
  const tx = await f.db.startTransaction();
  await tx.collection('items').add({ data: { _id: 'draft' } });
  await tx.rollback();
  const lenient = f.sdk.database({ throwOnNotFound: false });
  expect((await lenient.collection('items').doc('draft').get()).data).toBeNull();
  // The ended transaction cannot be used any more.
  await expect(tx.collection('items').doc('draft').get()).rejects.toBeTruthy();
});

test('reads inside a transaction come from its start-time snapshot', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const tx = await f.db.startTransaction();
  expect((await tx.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 1 });
  await f.db
    .collection('counters')
    .doc('c')
    .update({ data: { value: 2 } });
  await f.db.collection('counters').add({ data: { _id: 'new', value: 9 } });
  expect((await tx.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 1 });
  // Missing in the snapshot: the SDK throws as for any missing doc (throwOnNotFound).
  expect((await sdkError(tx.collection('counters').doc('new').get())).errMsg).toMatch(
    /does not exist/,
  );
  await tx.rollback();
});

test('a write conflicting with a commit made since the snapshot fails at commit', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const tx = await f.db.startTransaction();
  await increment(tx);
  await f.db
    .collection('counters')
    .doc('c')
    .update({ data: { value: 10 } });
  const err = await sdkError(tx.commit());
  expect((err as unknown as { code: string }).code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 10 });
});

test('20 concurrent runTransaction increments: retries make every one count', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 0 } });
  const results = await Promise.all(
    Array.from({ length: 20 }, () => f.db.runTransaction(increment, 25)),
  );
  expect(new Set(results).size).toBe(20);
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 20 });
});

test('with the default 3 retries some of 20 concurrent increments fail, and the counter equals the successes', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 0 } });
  const settled = await Promise.allSettled(
    Array.from({ length: 20 }, () => f.db.runTransaction(increment)),
  );
  const ok = settled.filter((s) => s.status === 'fulfilled').length;
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  // All start together, so each round commits one: the SDK's 1 + 3 attempts let 4 succeed.
  expect(ok).toBe(4);
  for (const r of failed)
    expect((r.reason as { code: string }).code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: ok });
});

test('where() is not available inside a transaction', async () => {
  await f.db.collection('stock').add({ data: { _id: 'gym', left: 2 } });
  const tx = await f.db.startTransaction();
  const err = await sdkError(tx.collection('stock').where({ left: 2 }).get());
  expect(err.errMsg).toMatch(/single-document operations only/);
  await tx.rollback();
});

test('unique indexes hold inside transactions', async () => {
  await f.db.collection('members').add({ data: { phone: '1' } });
  const err = await sdkError(
    f.db.runTransaction(async (tx) => {
      await tx.collection('members').add({ data: { phone: '1' } });
    }),
  );
  expect(err.errMsg).toMatch(/duplicate key/);
  expect((await f.db.collection('members').count()).total).toBe(1);
});

test('a transaction older than its time limit is aborted', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const tx = await f.db.startTransaction();
  await tx
    .collection('counters')
    .doc('c')
    .update({ data: { value: 5 } });
  await new Promise((r) => setTimeout(r, 1700));
  await expect(tx.commit()).rejects.toMatchObject({ message: expect.stringMatching(/aborted/) });
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 1 });
});
