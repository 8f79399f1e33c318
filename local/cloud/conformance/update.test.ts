/**
 * Update commands and document / collection writes: TencentCloudBase/node-sdk test/database
 * (advanced-operator, document, collection, index, date). Conversions to wx-server-sdk: node-sdk
 * `add(doc)` → `add({data: doc})` answering `{_id}` / `{_ids}`; `update(d)` / `set(d)` →
 * `update({data: d})` / `set({data: d})` answering `{stats: {updated}}` (set also `created`);
 * `remove()` answers `{stats: {removed}}`; `doc().get()` answers `{data: doc}` (node-sdk: `[doc]`).
 */
import { kase, nodeSdk, seed, wxRef, type CaseContext } from './harness';

const adv = (name: string): string => nodeSdk('unit/advanced-operator.test.ts', name);
const ADV = 'db-test-advanced-operator';
const passages = [
  { category: 'Web', tags: ['JavaScript', 'C#'], index: 0, tags2: [1, 2, 3] },
  { category: 'Web', tags: ['Go', 'C#'], index: 1, tags2: [1, 2, 3] },
  { category: 'luke', tags: ['Go'] },
  { category: 'Life', tags: ['Go', 'Python', 'JavaScript'], index: 2, tags2: [1, 2, 3] },
  { category: 'number', tags: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 3, tags2: [1, 2, 3] },
  { category: 'embedded', tags: [{ value: 1 }, { value: 7 }], index: 4, tags2: [1, 2, 3] },
  {
    category: 'float',
    tags: ['Go', 'Python', 'JavaScript'],
    index: 0.2,
    arr: [
      { name: 'A', subObj: {} },
      { name: 'B', subObj: {} },
      { name: 'C', subObj: {} },
    ],
  },
];

/** Seeds, updates `{category}` with `data`, expects `updated: 1`, returns the document after. */
async function updateOne(c: CaseContext, category: string, data: object) {
  await seed(c.db, ADV, passages);
  const res = await c.db.collection(ADV).where({ category }).update({ data });
  expect(res.stats.updated).toBe(1);
  return (await c.db.collection(ADV).where({ category }).get()).data[0];
}

describe('advanced-operator: update commands', () => {
  kase(adv('operator › addToSet'), async (c) => {
    const doc = await updateOne(c, 'Life', { tags: c._.addToSet('Java') });
    expect(doc.tags).toContain('Java');
  });

  kase(adv('operator › pullAll'), async (c) => {
    const doc = await updateOne(c, 'Life', { tags: c._.pullAll(['Go']) });
    expect(doc.tags).toEqual(['Python', 'JavaScript']);
  });

  kase(adv('pull › pull'), async (c) => {
    const doc = await updateOne(c, 'Life', { tags: c._.pull('Go') });
    expect(doc.tags).toEqual(['Python', 'JavaScript']);
  });

  kase(adv('pull › pull with _.in'), async (c) => {
    const doc = await updateOne(c, 'Life', { tags: c._.pull(c._.in(['Go', 'Python'])) });
    expect(doc.tags).toEqual(['JavaScript']);
  });

  kase(adv('pull › pull多个字段'), async (c) => {
    const doc = await updateOne(c, 'Life', {
      tags: c._.pull(c._.in(['Go', 'Python'])),
      tags2: c._.pull(1),
    });
    expect(doc.tags).toEqual(['JavaScript']);
    expect(doc.tags2).toEqual([2, 3]);
  });

  kase(adv('pull › pull with _.gte'), async (c) => {
    const doc = await updateOne(c, 'number', { tags: c._.pull(c._.gte(5)) });
    expect(doc.tags).toEqual([1, 2, 3, 4]);
  });

  kase(adv('rename › rename'), async (c) => {
    await seed(c.db, ADV, passages);
    const res = await c.db
      .collection(ADV)
      .where({ category: 'Life' })
      .update({ data: { category: c._.rename('cat') } });
    expect(res.stats.updated).toBe(1);
    const after = await c.db.collection(ADV).where({ cat: 'Life' }).get();
    expect(after.data[0].cat).toBe('Life');
  });

  kase(adv('max › max'), async (c) => {
    expect((await updateOne(c, 'Life', { index: c._.max(100) })).index).toBe(100);
  });

  kase(adv('max › min'), async (c) => {
    expect((await updateOne(c, 'Life', { index: c._.min(0) })).index).toBe(0);
  });

  kase(adv('push › push array'), async (c) => {
    expect((await updateOne(c, 'Life', { tags2: c._.push([1, 2, 3]) })).tags2).toEqual([
      1, 2, 3, 1, 2, 3,
    ]);
  });

  kase(adv('push › push single item'), async (c) => {
    expect((await updateOne(c, 'Life', { tags2: c._.push(1) })).tags2).toEqual([1, 2, 3, 1]);
  });

  kase(adv('push › push multiple item'), async (c) => {
    expect((await updateOne(c, 'Life', { tags2: c._.push(1, 2, 3) })).tags2).toEqual([
      1, 2, 3, 1, 2, 3,
    ]);
  });

  kase(adv('push › push with options'), async (c) => {
    const doc = await updateOne(c, 'Life', {
      tags2: c._.push({ each: [4, 5, 6], sort: -1, slice: 3 }),
    });
    expect(doc.tags2).toEqual([6, 5, 4]);
  });

  kase(adv('浮点数inc › 浮点数inc'), async (c) => {
    expect((await updateOne(c, 'float', { index: c._.inc(-0.05) })).index).toBe(0.2 - 0.05);
  });

  kase(adv('remove数组内 › 浮点数inc'), async (c) => {
    const doc = await updateOne(c, 'float', {
      arr: { [0]: { subObj: c._.remove() }, [1]: c._.remove() },
    });
    expect(doc.arr[1]).toBe(null);
    expect(doc.arr[0]).toEqual({ name: 'A' });
  });
});

describe('document', () => {
  const dt = (name: string): string =>
    nodeSdk('unit/document.test.ts', `test/unit/document.test.ts › ${name}`);
  const DOC = 'db-test-document';
  const data = [
    { category: 'Web', tags: ['JavaScript', 'C#'] },
    { category: 'Web', tags: ['Go', 'C#'] },
    { category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
  ];

  kase(dt('API - set data in empty document'), async (c) => {
    await c.db.collection(DOC).add({ data });
    const res = await c.db
      .collection(DOC)
      .doc('123123123')
      .set({ data: { name: 'jude' } });
    expect(res.stats.created).toBe(1);
    const docs = await c.db
      .collection(DOC)
      .where({ name: c._.eq('jude') })
      .get();
    expect(docs.data).toEqual([{ _id: '123123123', name: 'jude' }]);
  });

  kase(dt('API - set data in document existed'), async (c) => {
    await c.db.collection(DOC).add({ data });
    const first = await c.db.collection(DOC).limit(1).get();
    const id = first.data[0]._id;
    let res = await c.db
      .collection(DOC)
      .doc(id)
      .set({ data: { data: { type: 'set' } } });
    expect(res.stats.updated).toBe(1);
    res = await c.db
      .collection(DOC)
      .doc(id)
      .set({ data: { data: { arr: [1, 2, 3], foo: 123 }, array: [0, 0, 0] } });
    expect(res.stats.updated).toBe(1);
    const upd = await c.db
      .collection(DOC)
      .doc(id)
      .update({
        data: {
          data: { arr: c._.push([4, 5, 6]), foo: c._.inc(1) },
          array: c._.pop(),
        },
      });
    expect(upd.stats.updated).toBe(1);
  });

  kase(dt('API - remove document that not exist'), async (c) => {
    const res = await c.db.collection(DOC).doc('5b2509efdc9c81268a7348d4').remove();
    expect(res.stats.removed).toBeFalsy();
  });

  kase(dt('API - remove document should success'), async (c) => {
    await c.db.collection(DOC).add({ data });
    const docs = await c.db.collection(DOC).get();
    const res = await c.db.collection(DOC).doc(docs.data[0]._id).remove();
    expect(res.stats.removed).toBe(1);
  });
});

describe('collection writes', () => {
  const co = (name: string): string =>
    nodeSdk('unit/collection.test.ts', `test/unit/collection.test.ts › ${name}`);
  const COLL = 'db-test-collection';

  kase(co('API - add one doc, update and remove'), async (c) => {
    const coll = c.db.collection(COLL);
    expect((await coll.add({ data: { name: 'huming' } }))._id).toBeTruthy();
    const upd = await coll.where({ name: c._.eq('huming') }).update({ data: { age: 18 } });
    expect(upd.stats.updated).toBeGreaterThan(0);
    const rm = await coll.where({ name: c._.eq('huming') }).remove();
    expect(rm.stats.removed).toBeGreaterThan(0);
  });

  kase(co('API - add and remove with skip'), async (c) => {
    const coll = c.db.collection(COLL);
    const text = 'test for add and remove with skip';
    for (let i = 0; i < 10; i++) await coll.add({ data: { text } });
    expect((await coll.where({ text }).get()).data.length).toBeGreaterThan(0);
    // remove() ignores orderBy / skip (the SDK warns): every match is removed.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await coll.where({ text }).orderBy('text', 'asc').skip(3).remove();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not supported in remove/));
    warn.mockRestore();
    expect((await coll.where({ text }).get()).data.length).toBe(0);
  });
});

describe('index.test.ts writes', () => {
  const ix = (name: string): string => nodeSdk('index.test.ts', `test/index.test.ts › ${name}`);
  const IDX = 'db-test-index';

  kase(ix('插入字段null'), async (c) => {
    const add = await c.db.collection(IDX).add({ data: { name: null } });
    expect(add._id).toBeDefined();
    const res = await c.db.collection(IDX).where({ _id: add._id }).get();
    expect(res.data).toEqual([{ _id: add._id, name: null }]);
  });

  kase(ix('更新字段为空数组'), async (c) => {
    const add = await c.db.collection(IDX).add({ data: { a: 1 } });
    await c.db
      .collection(IDX)
      .where({ _id: add._id })
      .update({ data: { a: [] } });
    const res = await c.db.collection(IDX).where({ _id: add._id }).get();
    expect(Array.isArray(res.data[0].a)).toBe(true);
  });

  kase(ix('验证插入24位可转objid 的id'), async (c) => {
    await c.db.collection(IDX).where({ a: 'test' }).remove();
    await c.db.collection(IDX).add({ data: { a: 'test', _id: '5e7b474a5e54c773b58d7b39' } });
    const res = await c.db.collection(IDX).where({ _id: '5e7b474a5e54c773b58d7b39' }).get();
    expect(res.data.length).toBe(1);
  });

  kase(ix('mock 插入多条 / 清楚mock数据'), async (c) => {
    const mock = Array.from({ length: 10 }, () => ({ string: 'a', int: -1 }));
    const add = await c.db.collection(IDX).add({ data: mock });
    expect(add._ids.length).toBe(10);
    const rm = await c.db.collection(IDX).where({ int: -1 }).remove();
    expect(rm.stats.removed).toBe(10);
  });

  kase(ix('验证 无 query update'), async (c) => {
    // The original only asserts the code when the call fails.
    try {
      await c.db.collection(IDX).update({ data: { a: 1 } });
    } catch (e) {
      expect((e as { errCode: number }).errCode).toBe(-501007);
    }
  });

  kase(ix('Document - CRUD'), async (c) => {
    const coll = c.db.collection(IDX);
    const add = await coll.add({ data: { 'key.': '1' } });
    expect(add._id).toBeTruthy();
    const upd = await coll
      .where({ _id: add._id })
      .update({ data: { data: { a: null, b: null, c: null } } });
    expect(upd.stats.updated).toBeGreaterThan(0);
    const res = await coll.where({ _id: add._id }).get();
    expect(res.data[0].data).toEqual({ a: null, b: null, c: null });
    expect((await coll.doc(add._id).remove()).stats.removed).toBe(1);
  });

  kase(ix('Document - doc().option().update()'), async (c) => {
    const coll = c.db.collection(IDX);
    const add = await coll.add({ data: [{ testNum: 1 }, { testNum: 1 }, { testNum: 1 }] });
    expect(add._ids.length).toBe(3);
    const single = await coll
      .where({ testNum: 1 })
      .update({ data: { testNum: c._.inc(1) }, multi: false });
    expect(single.stats.updated).toBe(1);
    const multi = await coll
      .where({ testNum: c._.gt(0) })
      .update({ data: { testNum: c._.inc(1) }, multi: true });
    expect(multi.stats.updated).toBe(3);
    const plain = await coll
      .where({ testNum: c._.gt(0) })
      .update({ data: { testNum: c._.inc(1) } });
    expect(plain.stats.updated).toBe(3);
  });

  kase(ix('Document - doc().option().delete()'), async (c) => {
    const coll = c.db.collection(IDX);
    await coll.add({ data: [{ testNum: 1 }, { testNum: 1 }, { testNum: 1 }] });
    const single = await coll.where({ testNum: c._.gt(0) }).remove({ multi: false });
    expect(single.stats.removed).toBe(1);
    const rest = await coll.where({ testNum: c._.gt(0) }).remove({});
    expect(rest.stats.removed).toBe(2);
  });
});

describe('date', () => {
  const dd = (name: string): string => nodeSdk('unit/date.test.ts', `Date类型 › ${name}`);
  const DATE = 'db-test-date';

  kase(dd('验证 long 值offset'), async (c) => {
    const offset = 31536000000; // one year of milliseconds
    const now = new Date();
    const add = await c.db
      .collection(DATE)
      .add({ data: { name: 'longOffsetTest', serverDate1: c.db.serverDate({ offset }) } });
    const res = await c.db.collection(DATE).where({ _id: add._id }).get();
    const stored = res.data[0].serverDate1 as Date;
    expect(stored.getTime() - now.getTime()).toBeGreaterThanOrEqual(offset - 5000);
    expect(stored.getTime() - now.getTime()).toBeLessThan(offset + 5000);
  });

  kase(dd('Document - CRUD'), async (c) => {
    const coll = c.db.collection(DATE);
    const _ = c._;
    const date = new Date();
    const offset = 60 * 1000;
    const add = await coll.add({
      data: {
        name: 'test',
        date,
        serverDate1: c.db.serverDate(),
        serverDate2: c.db.serverDate({ offset }),
        innerServerDate: [c.db.serverDate({ offset })],
        emptyArray: [],
        emptyObject: {},
        foo: { bar: c.db.serverDate({ offset }) },
      },
    });
    const id = add._id;
    expect(id).toBeTruthy();
    let res = await coll.where({ _id: id }).get();
    const doc = res.data[0];
    expect(doc.date.getTime()).toBe(date.getTime());
    expect(doc.foo.bar).toBeInstanceOf(Date);
    expect(doc.innerServerDate[0]).toBeInstanceOf(Date);
    expect(doc.serverDate1.getTime() + offset).toBe(doc.serverDate2.getTime());
    expect(doc.emptyArray).toEqual([]);
    expect(doc.emptyObject).toEqual({});

    res = await coll.where({ date: _.eq(date) }).get();
    expect(res.data[0].date.getTime()).toBe(date.getTime());
    expect((await coll.where({ date: _.lte(date) }).get()).data.length).toBeGreaterThan(0);
    const exact = { date: _.lte(date).and(_.gte(date)) };
    expect((await coll.where(exact).get()).data.length).toBeGreaterThan(0);

    const newDate = new Date(date.getTime() + 1);
    const upd = await coll.where(exact).update({
      data: {
        date: newDate,
        serverDate2: c.db.serverDate({ offset: 1000 * 60 * 60 }),
        innerServerDate: _.push(c.db.serverDate({ offset })),
      },
    });
    expect(upd.stats.updated).toBe(1);
    res = await coll.where({ _id: id }).get();
    expect(res.data[0].date.getTime()).toBe(newDate.getTime());
    expect(res.data[0].serverDate2.getTime() - res.data[0].serverDate1.getTime()).toBeGreaterThan(
      1000 * 60 * 60,
    );
    expect(res.data[0].innerServerDate.length).toBe(2);
    expect((await coll.doc(id).remove()).stats.removed).toBe(1);
  });
});

describe('updateAndReturn (node-sdk API under the wx-server-sdk wrapper)', () => {
  // wx-server-sdk's Query does not expose updateAndReturn; its wrapped node-sdk query (`_query`)
  // does and sends database.modifyAndReturnDoc, which the local cloud serves.
  const ix = (name: string): string => nodeSdk('index.test.ts', `test/index.test.ts › ${name}`);
  const IDX = 'db-test-index';
  const andReturn = (c: CaseContext, q: object, data: object) =>
    c.db.collection(IDX).where(q)._query.updateAndReturn(data);

  kase(ix('验证findAndModify'), async (c) => {
    await c.db.collection(IDX).add({ data: [{ a: 1 }, { a: 1 }] });
    const res = await andReturn(c, { a: 1 }, { a: 2 });
    expect(res.doc.a).toBe(2);
  });

  const sameValue = async (c: CaseContext) => {
    await c.db.collection(IDX).add({ data: [{ a: 1 }] });
    return andReturn(c, { a: 1 }, { a: 1 });
  };
  kase(
    ix('验证findAndModify 更新相同值'),
    async (c) => {
      expect((await sameValue(c)).updated).toBe(1);
    },
    {
      exception: 'updateAndReturn-same-value',
      local: async (c) => {
        const res = await sameValue(c);
        expect(res.updated).toBe(0);
        expect(res.doc.a).toBe(1);
      },
    },
  );

  kase(ix('验证findAndModify 更新失败'), async (c) => {
    const res = await andReturn(c, { a: -1 }, { a: 1 });
    expect(res.updated).toBe(0);
    expect(res.doc).toBe(null);
  });
});

describe('WeChat reference: update operators', () => {
  const setPage = wxRef('command/Command.set');
  const style = async (c: CaseContext, data: object) => {
    await c.db.collection('todos').add({
      data: { _id: 'doc-id', style: { color: 'blue', size: 'small', weight: 'bold' } },
    });
    await c.db.collection('todos').doc('doc-id').update({ data });
    return (await c.db.collection('todos').doc('doc-id').get()).data.style;
  };
  kase(`${setPage} › 只会更新 style.color 为 red，不影响 style 中的其他字段`, async (c) => {
    expect(await style(c, { style: { color: 'red' } })).toEqual({
      color: 'red',
      size: 'small',
      weight: 'bold',
    });
  });
  kase(`${setPage} › 更新 style 为 { color: 'red', size: 'large' }`, async (c) => {
    expect(await style(c, { style: c._.set({ color: 'red', size: 'large' }) })).toEqual({
      color: 'red',
      size: 'large',
    });
  });

  // Command.push: the page's parameter rules (position / sort / slice), applied to a 3-element
  // array; each expected array follows from the rule quoted in the case name.
  const pushPage = wxRef('command/Command.push');
  const push = async (c: CaseContext, spec: object) => {
    await c.db.collection('todos').add({ data: { _id: 'doc-id', tags: ['a', 'b', 'c'] } });
    await c.db
      .collection('todos')
      .doc('doc-id')
      .update({ data: { tags: c._.push(spec) } });
    return (await c.db.collection('todos').doc('doc-id').get()).data.tags;
  };
  const each = ['mini-program', 'cloud'];
  kase(`${pushPage} › 示例 1：尾部添加元素`, async (c) => {
    expect(await push(c, each)).toEqual(['a', 'b', 'c', 'mini-program', 'cloud']);
  });
  kase(`${pushPage} › 示例 2：从第二个位置开始插入 (position: 1)`, async (c) => {
    expect(await push(c, { each, position: 1 })).toEqual(['a', 'mini-program', 'cloud', 'b', 'c']);
  });
  kase(`${pushPage} › position 负数：-1 代表倒数第二个元素的位置`, async (c) => {
    expect(await push(c, { each, position: -1 })).toEqual(['a', 'b', 'mini-program', 'cloud', 'c']);
  });
  kase(`${pushPage} › position 大于等于数组长度：视为在尾部添加`, async (c) => {
    expect(await push(c, { each, position: 10 })).toEqual(['a', 'b', 'c', 'mini-program', 'cloud']);
  });
  kase(`${pushPage} › position 负数绝对值大于等于数组长度：视为从数组头部添加`, async (c) => {
    expect(await push(c, { each, position: -10 })).toEqual([
      'mini-program',
      'cloud',
      'a',
      'b',
      'c',
    ]);
  });
  kase(`${pushPage} › 示例 3：插入后对整个数组做排序 (sort: 1)`, async (c) => {
    expect(await push(c, { each, sort: 1 })).toEqual(['a', 'b', 'c', 'cloud', 'mini-program']);
  });
  kase(`${pushPage} › 不插入，只对数组做排序 (each: [], sort: -1)`, async (c) => {
    expect(await push(c, { each: [], sort: -1 })).toEqual(['c', 'b', 'a']);
  });
  kase(`${pushPage} › slice 0：将字段更新为空数组`, async (c) => {
    expect(await push(c, { each, slice: 0 })).toEqual([]);
  });
  kase(`${pushPage} › slice 正数：数组只保留前 n 个元素`, async (c) => {
    expect(await push(c, { each, slice: 2 })).toEqual(['a', 'b']);
  });
  kase(`${pushPage} › slice 负数：数组只保留后 n 个元素`, async (c) => {
    expect(await push(c, { each, slice: -2 })).toEqual(['mini-program', 'cloud']);
  });
});
