/** Transactions through the SDK's own runTransaction / startTransaction. */
import { spawn } from 'child_process';
import * as path from 'path';
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

const CONFLICT = /\[ResourceUnavailable\.TransactionConflict\]/;
const NOT_EXIST = /\[ResourceUnavailable\.TransactionNotExist\]/;

test('a write on a document another open transaction has written fails at the write (first writer wins)', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const first = await f.db.startTransaction();
  const second = await f.db.startTransaction();
  const seen = (await second.collection('counters').doc('c').get()).data as Doc;
  await first
    .collection('counters')
    .doc('c')
    .update({ data: { value: 2 } });
  const err = await sdkError(
    second
      .collection('counters')
      .doc('c')
      .update({ data: { value: (seen.value as number) + 10 } }),
  );
  // Through wx-server-sdk the conflict arrives as SYS_ERR with production's message.
  expect(err.errCode).toBe(-501001);
  expect(err.errMsg).toMatch(CONFLICT);
  // The server aborted the loser: it cannot commit or roll back any more.
  await expect(second.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
  await first.commit();
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 2 });
});

test('a write on a document changed since the snapshot fails at the write', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const tx = await f.db.startTransaction();
  await tx.collection('counters').doc('c').get();
  await f.db
    .collection('counters')
    .doc('c')
    .set({ data: { value: 50 } });
  const err = await sdkError(
    tx
      .collection('counters')
      .doc('c')
      .update({ data: { value: 2 } }),
  );
  expect(err.errMsg).toMatch(CONFLICT);
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 50 });
});

test('snapshot isolation: documents only read never abort a commit (write skew is allowed)', async () => {
  await f.db.collection('counters').add({ data: { _id: 'a', value: 1 } });
  await f.db.collection('counters').add({ data: { _id: 'b', value: 1 } });
  const t1 = await f.db.startTransaction();
  const t2 = await f.db.startTransaction();
  const a = (await t1.collection('counters').doc('a').get()).data as Doc;
  const b = (await t2.collection('counters').doc('b').get()).data as Doc;
  await t1
    .collection('counters')
    .doc('b')
    .set({ data: { value: (a.value as number) + 1 } });
  await t2
    .collection('counters')
    .doc('a')
    .set({ data: { value: (b.value as number) + 1 } });
  await t1.commit();
  await t2.commit();
  const all = (await f.db.collection('counters').orderBy('_id', 'asc').get()).data;
  expect(all).toEqual([
    { _id: 'a', value: 2 },
    { _id: 'b', value: 2 },
  ]);
});

test('set() with identical data answers updated: 1 inside a transaction', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
  const tx = await f.db.startTransaction();
  const inside = await tx
    .collection('counters')
    .doc('c')
    .set({ data: { value: 1 } });
  expect(inside.stats.updated).toBe(1);
  await tx.commit();
});

test('runTransaction does not run the callback again after a write conflict (wx-server-sdk drops the code)', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 0 } });
  let attempts = 0;
  const counted = async (tx: TestTransaction): Promise<number> => {
    attempts++;
    return increment(tx);
  };
  const settled = await Promise.allSettled(
    Array.from({ length: 20 }, () => f.db.runTransaction(counted, 25)),
  );
  const ok = settled.filter((s) => s.status === 'fulfilled').length;
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  // All read 0 together; the first write holds the counter, the other 19 conflict at their write.
  expect(ok).toBe(1);
  expect(attempts).toBe(20);
  for (const r of failed) {
    expect((r.reason as { errMsg: string }).errMsg).toMatch(CONFLICT);
    expect((r.reason as { code?: string }).code).toBeUndefined();
  }
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 1 });
});

test('a conflict at commit keeps its code, so runTransaction runs the callback again', async () => {
  await f.db.collection('counters').add({ data: { _id: 'c', value: 0 } });
  let attempts = 0;
  const result = await f.db.runTransaction(async (tx) => {
    attempts++;
    const next = await increment(tx);
    // A write outside any transaction lands while we hold the counter (first attempt only).
    if (attempts === 1)
      await f.db
        .collection('counters')
        .doc('c')
        .update({ data: { value: 100 } });
    return next;
  });
  expect(attempts).toBe(2);
  expect(result).toBe(101);
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 101 });
});

test('a transaction that ended cannot be used: TransactionNotExist (Tencent: 事务提交后, 不能进行其它操作)', async () => {
  const tx = await f.db.startTransaction();
  await tx.commit();
  const err = await sdkError(
    tx
      .collection('counters')
      .doc('c')
      .set({ data: { value: 1 } }),
  );
  expect(err.errMsg).toMatch(NOT_EXIST);
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
  await expect(tx.commit()).rejects.toMatchObject({ message: expect.stringMatching(NOT_EXIST) });
  expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 1 });
});

describe('across processes sharing one data file', () => {
  const REPO_ROOT = path.resolve(__dirname, '..', '..');
  const WORKER = path.join(__dirname, 'test-support', 'tx-hold-worker.ts');

  /** Starts the worker; resolves once its transaction holds the document. */
  function holdInOtherProcess(args: string[]): {
    held: Promise<void>;
    release(): void;
    done: Promise<string>;
  } {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
      cwd: REPO_ROOT,
    });
    let out = '';
    let err = '';
    let onHeld: () => void = () => undefined;
    const held = new Promise<void>((r) => (onHeld = r));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('held\n')) onHeld();
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const done = new Promise<string>((resolve, reject) => {
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}: ${err}`)),
      );
    });
    return { held, release: () => child.stdin.write('go\n'), done };
  }

  test("another process's uncommitted write makes ours conflict at the write", async () => {
    await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
    const other = holdInOtherProcess([f.dataDir, f.indexesFile, 'c']);
    await other.held;
    const tx = await f.db.startTransaction();
    const err = await sdkError(
      tx
        .collection('counters')
        .doc('c')
        .update({ data: { value: 2 } }),
    );
    expect(err.errMsg).toMatch(CONFLICT);
    other.release();
    expect(await other.done).toContain('committed');
    expect((await f.db.collection('counters').doc('c').get()).data).toEqual({
      _id: 'c',
      value: 1000,
    });
  }, 30_000);

  test('a hold left by a killed process stops counting when its transaction would have expired', async () => {
    await f.db.collection('counters').add({ data: { _id: 'c', value: 1 } });
    const dead = holdInOtherProcess([f.dataDir, f.indexesFile, 'c', 'die', '1000']);
    await dead.done;
    const early = await f.db.startTransaction();
    expect(
      (
        await sdkError(
          early
            .collection('counters')
            .doc('c')
            .update({ data: { value: 2 } }),
        )
      ).errMsg,
    ).toMatch(CONFLICT);
    await new Promise((r) => setTimeout(r, 1100));
    const later = await f.db.startTransaction();
    await later
      .collection('counters')
      .doc('c')
      .update({ data: { value: 3 } });
    await later.commit();
    expect((await f.db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', value: 3 });
  }, 30_000);
});
