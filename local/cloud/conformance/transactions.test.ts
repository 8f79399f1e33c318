/**
 * Transactions: TencentCloudBase/node-sdk test/database/unit/transaction.test.ts, ported to
 * wx-server-sdk. Conversions: `transaction.collection(c)` is wx-server-sdk's wrapper, whose
 * `add` answers `{_id}` / `{_ids}` (node-sdk: `{id, inserted: 1}`), `doc().remove()` stands for
 * node-sdk's `delete()`, `doc().get()` answers `{data: doc | null}` (with `throwOnNotFound: false`
 * for missing documents), and errors raised inside the callback reach the caller as
 * `{errCode: -501001, errMsg: '<api>:fail … <CloudBase message>'}` (wx-server-sdk drops the
 * CloudBase `code`; only commit errors keep it). Where wx-server-sdk hides a field the original
 * asserts (set's `upserted`), the wrapped node-sdk object (`_document`) is used.
 *
 * Tencent's "mongodb 原生事务操作支持" case uses node-sdk's `options({raw: true})`, which
 * wx-server-sdk does not expose; it is not ported.
 */
import { kase, nodeSdk, rejection, type CaseContext, type Loose } from './harness';

const src = (name: string): string => nodeSdk('unit/transaction.test.ts', `transaction › ${name}`);
const COLL = 'db-test-transactions';
const offset = 60 * 1000;
const CONFLICT =
  '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.';
const NOT_EXIST =
  '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.';

/** The original's beforeEach: four documents, returned as they are expected to read back. */
async function fixture(c: CaseContext): Promise<Loose[]> {
  const date = new Date();
  const data = [
    {
      _id: '1',
      category: 'Web',
      tags: ['JavaScript', 'C#'],
      date,
      geo: c.db.Geo.Point(90, 23),
      num: 2,
    },
    { _id: '2', category: 'Web', tags: ['Go', 'C#'] },
    { _id: '3', category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
    { _id: '4', serverDate1: c.db.serverDate(), serverDate2: c.db.serverDate({ offset }) },
  ];
  for (const d of data) await c.db.collection(COLL).add({ data: d });
  return data;
}

/** A database that answers `data: null` for a missing document (as the original's tx get does). */
const lenient = { throwOnNotFound: false };

describe('transaction', () => {
  kase(src('发起事务'), async (c) => {
    await fixture(c);
    const tx = await c.db.startTransaction();
    expect(typeof tx._transaction._id).toBe('string');
    await tx.rollback();
  });

  kase(src('提交事务'), async (c) => {
    await fixture(c);
    const tx = await c.db.startTransaction();
    const res = await tx.commit();
    expect(typeof res.requestId).toBe('string');
  });

  kase(src('runTransaction'), async (c) => {
    const data = await fixture(c);
    await c.db.runTransaction(async (tx: Loose) => {
      const insertDoc = { _id: 'lluke', date: data[0].date, geo: c.db.Geo.Point(90, 23) };
      const insertRes = await tx.collection(COLL).add({ data: insertDoc });
      expect(insertRes._id).toBe('lluke');
      const doc = await tx.collection(COLL).doc('lluke').get();
      expect(doc.data).toBeTruthy();
      const doc1 = await tx.collection(COLL).doc('1').get();
      const doc4 = await tx.collection(COLL).doc('4').get();
      expect(doc1.data).toStrictEqual(data[0]);
      expect(doc4.data.serverDate1.getTime() + offset).toBe(doc4.data.serverDate2.getTime());
    });
  });

  kase(
    src('事务内批量插入 条件查询'),
    async (c) => {
      await fixture(c);
      const tx = await c.db.startTransaction();
      const addRes = await tx.collection(COLL).add({ data: [{ name: 'a' }, { name: 'b' }] });
      expect(addRes._ids.length).toBe(2);
      const q = await tx
        .collection(COLL)
        .where(c._.or([{ name: 'a' }, { name: 'b' }]))
        .get();
      expect(q.data.length).toBe(2);
      const res = await tx.commit();
      expect(typeof res.requestId).toBe('string');
    },
    {
      exception: 'tx-where-query',
      local: async (c) => {
        await fixture(c);
        const tx = await c.db.startTransaction();
        const addRes = await tx.collection(COLL).add({ data: [{ name: 'a' }, { name: 'b' }] });
        expect(addRes._ids.length).toBe(2);
        const err = await rejection(
          tx
            .collection(COLL)
            .where(c._.or([{ name: 'a' }, { name: 'b' }]))
            .get(),
        );
        expect(err.errMsg).toMatch(/single-document operations only/);
      },
    },
  );

  kase(
    src('事务内批量插入1000条文档'),
    async (c) => {
      await fixture(c);
      const tx = await c.db.startTransaction();
      const docs = Array.from({ length: 1001 }, (_v, i) => ({ name: `luketest${i + 1}` }));
      const addRes = await tx.collection(COLL).add({ data: docs });
      expect(addRes._ids.length).toBe(1001);
      const q = await tx
        .collection(COLL)
        .where({ name: /^luketest/ })
        .limit(1000)
        .get();
      expect(q.data.length).toBe(1000);
      const res = await tx.commit();
      expect(typeof res.requestId).toBe('string');
    },
    {
      exception: 'tx-where-query-1000',
      local: async (c) => {
        await fixture(c);
        const tx = await c.db.startTransaction();
        const docs = Array.from({ length: 1001 }, (_v, i) => ({ name: `luketest${i + 1}` }));
        const addRes = await tx.collection(COLL).add({ data: docs });
        expect(addRes._ids.length).toBe(1001);
        const err = await rejection(
          tx
            .collection(COLL)
            .where({ name: /^luketest/ })
            .limit(1000)
            .get(),
        );
        expect(err.errMsg).toMatch(/single-document operations only/);
      },
    },
  );

  kase(src('事务内更新含特殊类型 字段文档'), async (c) => {
    await fixture(c);
    await c.db.runTransaction(async (tx: Loose) => {
      const newDate = new Date();
      const newGeo = c.db.Geo.Point(90, 23);
      const upd = await tx
        .collection(COLL)
        .doc('1')
        .update({ data: { num: c._.inc(1), date: newDate, geo: newGeo } });
      expect(upd.stats.updated).toBe(1);
      const res = await tx.collection(COLL).doc('1').get();
      expect(res.data.num).toBe(3);
      expect(res.data.date).toEqual(newDate);
      expect(res.data.geo).toStrictEqual(newGeo);
    });
  });

  kase(src('insert'), async (c) => {
    const data = await fixture(c);
    const tx = await c.db.startTransaction();
    const res = await tx
      .collection(COLL)
      .add({ data: { category: 'Web', tags: ['JavaScript', 'C#'], date: data[0].date } });
    expect(res._id).toBeDefined();
    const done = await tx.commit();
    expect(typeof done.requestId).toBe('string');
  });

  kase(src('insert with custom docid'), async (c) => {
    const data = await fixture(c);
    const docId = +new Date();
    const tx = await c.db.startTransaction();
    const res = await tx.collection(COLL).add({
      data: { _id: docId, category: 'Web', tags: ['JavaScript', 'C#'], date: data[0].date },
    });
    expect(res._id == docId).toBe(true);
    const del = await tx.collection(COLL).doc(docId).remove();
    expect(del.stats.removed).toBe(1);
    const done = await tx.commit();
    expect(typeof done.requestId).toBe('string');
  });

  kase(src('get'), async (c) => {
    const data = await fixture(c);
    const tx = await c.db.startTransaction();
    const doc = await tx.collection(COLL).doc('1').get();
    expect(doc.data).toStrictEqual(data[0]);
    expect((await tx.commit()).requestId).toBeTruthy();
  });

  kase(
    src('get不存在的文档，返回null'),
    async (c) => {
      await fixture(c);
      const tx = await c.db.startTransaction();
      const doc = await tx.collection(COLL).doc('114514').get();
      expect(doc.data).toBe(null);
      expect((await tx.commit()).requestId).toBeTruthy();
    },
    lenient,
  );

  kase(src('事务回滚'), async (c) => {
    const data = await fixture(c);
    const tx = await c.db.startTransaction();
    const doc = await tx.collection(COLL).doc('1').get();
    const addDoc = await tx.collection(COLL).add({ data: { _id: '5', category: 'hope' } });
    expect(addDoc._id).toBe('5');
    expect(doc.data).toStrictEqual(data[0]);
    expect((await tx.rollback()).requestId).toBeTruthy();
  });

  kase(src('update'), async (c) => {
    const data = await fixture(c);
    const tx = await c.db.startTransaction();
    let doc = await tx.collection(COLL).doc('1').get();
    expect(doc.data).toStrictEqual(data[0]);
    const date = new Date();
    const upd = await tx
      .collection(COLL)
      .doc('1')
      .update({ data: { category: 'Node.js', date } });
    expect(upd.stats.updated).toBe(1);
    doc = await tx.collection(COLL).doc('1').get();
    expect(doc.data).toStrictEqual({ ...data[0], date, category: 'Node.js' });
    expect((await tx.commit()).requestId).toBeTruthy();
  });

  const andReturn = async (c: CaseContext) => {
    await fixture(c);
    const tx = await c.db.startTransaction();
    // node-sdk's updateAndReturn, reached through wx-server-sdk's wrapped query.
    return {
      tx,
      res: tx
        .collection(COLL)
        .where({ category: 'Web' })
        ._query.updateAndReturn({ category: 'web' }),
    };
  };
  kase(
    src('modifyAndReturnDoc'),
    async (c) => {
      const { tx, res } = await andReturn(c);
      const modified = await res;
      await tx.commit();
      expect(modified.doc.category).toBe('web');
    },
    {
      exception: 'tx-update-and-return',
      local: async (c) => {
        const { tx, res } = await andReturn(c);
        const err = await rejection(res);
        expect(err.message).toMatch(/not available in transactions/);
        await tx.rollback();
      },
    },
  );

  kase(src('set doc'), async (c) => {
    const data = await fixture(c);
    const tx = await c.db.startTransaction();
    await tx.collection(COLL).doc('1').get();
    const date = new Date();
    const { _id: _omit, ...newData } = data[0];
    const upd = await tx
      .collection(COLL)
      .doc('1')
      .set({ data: { ...newData, date, category: 'Node.js' } });
    expect(upd.stats.updated).toBe(1);
    const doc = await tx.collection(COLL).doc('1').get();
    expect(doc.data).toStrictEqual({ ...data[0], date, category: 'Node.js' });
    expect((await tx.commit()).requestId).toBeTruthy();
  });

  kase(
    src('upsert doc'),
    async (c) => {
      await fixture(c);
      const tx = await c.db.startTransaction();
      let doc = await tx.collection(COLL).doc('114514').get();
      expect(doc.data).toBe(null);
      const date = new Date();
      const data = { category: 'Node.js', date };
      // wx-server-sdk reports `created` from node-sdk's `upsertedId`, which a transaction's set
      // does not carry; the original asserts node-sdk's `upserted` list.
      const res = await tx.collection(COLL).doc('114514')._document.set(data);
      expect(res.upserted.length).toBe(1);
      doc = await tx.collection(COLL).doc('114514').get();
      expect(doc.data).toStrictEqual({ _id: '114514', ...data });
      expect((await tx.rollback()).requestId).toBeTruthy();
    },
    lenient,
  );

  kase(
    src('delete doc'),
    async (c) => {
      const data = await fixture(c);
      const tx = await c.db.startTransaction();
      let doc = await tx.collection(COLL).doc('2').get();
      expect(doc.data).toStrictEqual(data[1]);
      const del = await tx.collection(COLL).doc('2').remove();
      expect(del.stats.removed).toBe(1);
      doc = await tx.collection(COLL).doc('2').get();
      expect(doc.data).toBe(null);
      await tx.commit();
    },
    lenient,
  );

  kase(src('runTransaction with customResult'), async (c) => {
    const data = await fixture(c);
    const result = await c.db.runTransaction(async (tx: Loose) => {
      const doc = await tx.collection(COLL).doc('1').get();
      expect(doc.data).toStrictEqual(data[0]);
      return 'luke';
    });
    expect(result).toBe('luke');
  });

  // The original runs four try blocks in one test; each is a case here.
  kase(src('rollback within runTransaction (1/4: rollback with a reason)'), async (c) => {
    const data = await fixture(c);
    const err = await rejection(
      c.db.runTransaction(async (tx: Loose) => {
        const doc = await tx.collection(COLL).doc('1').get();
        expect(doc.data).toStrictEqual(data[0]);
        await tx.rollback('luke');
      }),
    );
    expect(err).toBe('luke');
  });

  kase(src('rollback within runTransaction (2/4: rollback without a reason)'), async (c) => {
    const data = await fixture(c);
    let rejected = false;
    let reason: unknown = 'not set';
    try {
      await c.db.runTransaction(async (tx: Loose) => {
        const doc = await tx.collection(COLL).doc('1').get();
        expect(doc.data).toStrictEqual(data[0]);
        await tx.rollback();
      });
    } catch (e) {
      rejected = true;
      reason = e;
    }
    expect(rejected).toBe(true);
    expect(reason).toBe(undefined);
  });

  kase(src('rollback within runTransaction (3/4: conflict thrown by the callback)'), async (c) => {
    const data = await fixture(c);
    let runs = 0;
    const err = await rejection(
      c.db.runTransaction(async (tx: Loose) => {
        runs++;
        const doc = await tx.collection(COLL).doc('1').get();
        expect(doc.data).toStrictEqual(data[0]);
        throw { code: 'DATABASE_TRANSACTION_CONFLICT', message: CONFLICT };
      }),
    );
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT');
    // runTransaction(fn, times = 3) runs the callback again on a conflict: 1 + 3 retries.
    expect(runs).toBe(4);
  });

  kase(src('rollback within runTransaction (4/4: document changed after the read)'), async (c) => {
    await fixture(c);
    const docRef1 = c.db.collection(COLL).doc('1');
    const err = await rejection(
      c.db.runTransaction(async (tx: Loose) => {
        await tx.collection(COLL).doc('1').get();
        await docRef1.set({ data: { category: 'wwwwwwwwwwwwwwwww' } });
        await tx
          .collection(COLL)
          .doc('1')
          .update({ data: { category: 'transactiontransactiontransaction' } });
      }),
    );
    // "mongo write conflict 时会自动rollback, 兜底的rollback会报错 非conflict错误": some code.
    expect(err.code ?? err.errCode).toBeTruthy();
  });

  kase(
    src('delete doc and abort'),
    async (c) => {
      const data = await fixture(c);
      const docRef = c.db.collection(COLL).doc('3');
      const tx = await c.db.startTransaction();
      await tx.collection(COLL).doc('3').get();
      const del = await tx.collection(COLL).doc('3').remove();
      expect(del.stats.removed).toBe(1);
      expect((await tx.collection(COLL).doc('3').get()).data).toBe(null);
      await tx.rollback();
      const res = await docRef.get();
      expect(res.data).toStrictEqual(data[2]);
    },
    lenient,
  );

  kase(src('事务提交后, 不能进行其它操作'), async (c) => {
    await fixture(c);
    const tx = await c.db.startTransaction();
    await tx.commit();
    const err = await rejection(
      tx
        .collection(COLL)
        .doc('1')
        .set({ data: { category: 'Node.js' } }),
    );
    // code DATABASE_TRANSACTION_FAIL, unknown to wx-server-sdk → errCode -501001; message kept.
    expect(err.errCode).toBe(-501001);
    expect(err.errMsg).toContain(NOT_EXIST);
  });

  kase(src('冲突检测'), async (c) => {
    await fixture(c);
    const tx1 = await c.db.startTransaction();
    const tx2 = await c.db.startTransaction();
    const doc = await tx1.collection(COLL).doc('1').get();
    await tx2
      .collection(COLL)
      .doc('1')
      .update({ data: { category: '冲突检测' } });
    const err = await rejection(
      tx1
        .collection(COLL)
        .doc('1')
        .update({ data: { category: doc.data.category + '冲突检测' } }),
    );
    // code DATABASE_TRANSACTION_CONFLICT → errCode -501001 with CloudBase's conflict message.
    expect(err.errCode).toBe(-501001);
    expect(err.errMsg).toContain(CONFLICT);
    await tx2.commit();
  });

  kase(src('读快照'), async (c) => {
    const data = await fixture(c);
    const docRef = c.db.collection(COLL).doc('1');
    const tx = await c.db.startTransaction();
    await tx
      .collection(COLL)
      .doc('1')
      .update({ data: { category: 'update in transaction' } });
    const result = await docRef.get();
    const docNew = await tx.collection(COLL).doc('1').get();
    expect(result.data).toStrictEqual(data[0]);
    expect(docNew.data).toStrictEqual({ ...data[0], category: 'update in transaction' });
    await tx.rollback();
  });

  kase(src('读偏'), async (c) => {
    const data = await fixture(c);
    const docRef1 = c.db.collection(COLL).doc('1');
    const docRef2 = c.db.collection(COLL).doc('2');
    const tx = await c.db.startTransaction();
    await tx.collection(COLL).doc('1').get();
    await docRef1.set({ data: { category: 'wwwwwwwwwwwwwwwww' } });
    await docRef2.set({ data: { category: 'hhhhhhhhhhhhhhh' } });
    const snapshot1 = await tx.collection(COLL).doc('1').get();
    const snapshot2 = await tx.collection(COLL).doc('2').get();
    expect(snapshot1.data).toStrictEqual(data[0]);
    expect(snapshot2.data).toStrictEqual(data[1]);
    const err = await rejection(
      tx
        .collection(COLL)
        .doc('1')
        .update({ data: { category: 'transactiontransactiontransaction' } }),
    );
    expect(err.errCode).toBe(-501001);
    expect(err.errMsg).toContain(CONFLICT);
  });

  kase(src('write skew'), async (c) => {
    await fixture(c);
    const docRef1 = c.db.collection(COLL).doc('1');
    const docRef2 = c.db.collection(COLL).doc('2');
    const tx1 = await c.db.startTransaction();
    const tx2 = await c.db.startTransaction();
    const doc1 = await tx1.collection(COLL).doc('1').get();
    const doc2 = await tx2.collection(COLL).doc('2').get();
    await tx1
      .collection(COLL)
      .doc('2')
      .set({ data: { category: doc1.data.category + 'doc1' } });
    await tx2
      .collection(COLL)
      .doc('1')
      .set({ data: { category: doc2.data.category + 'doc2' } });
    // The original only logs the outcome. Snapshot isolation lets both commit (a document that is
    // only read is not checked): WeChat's transaction guide, 快照隔离.
    await tx1.commit();
    await tx2.commit();
    expect((await docRef1.get()).data).toEqual({ _id: '1', category: 'Webdoc2' });
    expect((await docRef2.get()).data).toEqual({ _id: '2', category: 'Webdoc1' });
  });
});
