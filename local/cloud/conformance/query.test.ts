/**
 * Query commands, logic, regex, dates, projection, order and limits: TencentCloudBase/node-sdk
 * test/database (advanced-operator, logic-operators, regex-query, query-date, projection, order,
 * query.limit, collection) plus the WeChat reference's elemMatch examples. node-sdk's
 * `where().get()` answers `{data}` as wx-server-sdk does.
 */
import { onRequest } from '../index';
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
const where = async (c: CaseContext, q: object) => {
  await seed(c.db, ADV, passages);
  return (await c.db.collection(ADV).where(q).get()).data;
};
const categories = (docs: { category: string }[]) => docs.map((d) => d.category);

describe('advanced-operator: query commands', () => {
  kase(adv('all › all'), async (c) => {
    expect((await where(c, { tags: c._.all(['Go']) })).length).toBe(4);
  });

  kase(adv('elemMatch › Element Match'), async (c) => {
    expect((await where(c, { tags: c._.elemMatch(c._.gt(2)) }))[0].category).toBe('number');
  });

  kase(adv('elemMatch › Element Match neq'), async (c) => {
    const docs = await where(c, { tags: c._.elemMatch(c._.neq('Go')) });
    const oneGo = docs.some(
      (item: { tags?: unknown[] }) => item.tags?.length === 1 && item.tags[0] === 'Go',
    );
    expect(oneGo).toBe(false);
  });

  kase(adv('elemMatch › Array of Embedded Documents'), async (c) => {
    const docs = await where(c, { tags: c._.elemMatch({ value: c._.gt(0) }) });
    expect(docs[0].category).toBe('embedded');
  });

  kase(adv('size › size'), async (c) => {
    expect((await where(c, { tags: c._.size(2) })).length).toBe(3);
  });

  kase(adv('exists › exists'), async (c) => {
    expect((await where(c, { tags: c._.exists(true) })).length).toBe(passages.length);
  });

  kase(adv('exists › Array of Embedded Documents'), async (c) => {
    const docs = await where(c, { tags: c._.elemMatch({ value: c._.exists(true) }) });
    expect(categories(docs)).toEqual(['embedded']);
  });

  kase(adv('mod › Array of Embedded Documents'), async (c) => {
    const docs = await where(c, { tags: c._.elemMatch({ value: c._.mod([4, 3]) }) });
    expect(categories(docs)).toEqual(['embedded']);
  });

  kase(adv('mod - mp compatibility › Array of Embedded Documents'), async (c) => {
    const docs = await where(c, { tags: c._.elemMatch({ value: c._.mod(4, 3) }) });
    expect(categories(docs)).toEqual(['embedded']);
  });

  kase(adv('not › match with gt'), async (c) => {
    expect((await where(c, { index: c._.not(c._.gt(1)) })).length).toBe(4);
  });

  kase(adv('expr › with gte'), async (c) => {
    await seed(c.db, ADV, passages);
    const res = await c.db
      .collection(ADV)
      .where(c._.expr(c.$.gte(['$index', 3])))
      .get();
    expect(res.data.length).toBe(2);
  });

  kase(adv('jsonSchema › where'), async (c) => {
    await seed(c.db, ADV, passages);
    const res = await c.db
      .collection(ADV)
      .where(c._.jsonSchema({ required: ['category'] }))
      .get();
    expect(res.data.length).toBe(passages.length);
  });

  kase(adv('jsonSchema › nor'), async (c) => {
    await seed(c.db, ADV, passages);
    const res = await c.db
      .collection(ADV)
      .where(c._.nor([c._.jsonSchema({ required: ['category'] })]))
      .get();
    expect(res.data.length).toBe(0);
  });

  kase(adv('aggregation $match with query › max'), async (c) => {
    await seed(c.db, ADV, passages);
    const res = await c.db
      .collection(ADV)
      .aggregate()
      .match({ category: c._.eq('Web') })
      .end();
    expect(res.list.length).toBeGreaterThan(0);
    for (const item of res.list) expect(item.category).toBe('Web');
  });
});

describe('logic-operators', () => {
  const lo = (name: string): string => nodeSdk('unit/logic-operators.test.ts', name);
  const date = new Date();
  const data = [
    { category: 'Web', tags: ['JavaScript', 'C#'], date },
    { category: 'Web', tags: ['Go', 'C#'] },
    { category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
  ];
  const get = async (c: CaseContext, q: object) => {
    await seed(c.db, 'db-test-logic-operators', data);
    return (await c.db.collection('db-test-logic-operators').where(q).get()).data;
  };

  kase(lo('逻辑操作符 › 验证多字段or'), async (c) => {
    expect((await get(c, c._.or({ category: 'Life' }, { date }))).length).toBe(2);
  });

  kase(lo('逻辑操作符 › nor'), async (c) => {
    expect(await get(c, { category: c._.nor(c._.eq('Life'), c._.eq('Web')) })).toEqual([]);
  });

  kase(lo('逻辑操作符 › or date'), async (c) => {
    const docs = await get(c, { date: c._.or(date, new Date(date.getTime() + 10000)) });
    expect(docs.length).toBeGreaterThan(0);
  });
});

describe('index.test.ts queries', () => {
  const ix = (name: string): string => nodeSdk('index.test.ts', name);
  kase(ix('Document - query'), async (c) => {
    const coll = c.db.collection('db-test-index');
    expect((await coll.add({ data: { a: 1, b: 100 } }))._id).toBeTruthy();
    expect((await coll.add({ data: { a: 10, b: 1 } }))._id).toBeTruthy();
    const _ = c._;
    const query = _.or({ b: _.and(_.gte(1), _.lte(10)) }, { b: _.and(_.gt(99), _.lte(101)) });
    expect((await coll.where(query).get()).data.length).toBeGreaterThanOrEqual(2);
    expect((await coll.where(query).remove()).stats.removed).toBe(2);
  });

  kase(ix('复合and'), async (c) => {
    const _ = c._;
    const res = await c.db
      .collection('db-test-index')
      .where({ date: _.gt(20190401).and(_.lte(20190430)), hour: _.gt(8).and(_.lte(12)) })
      .get();
    expect(res.errMsg).toBe('collection.get:ok');
  });

  kase(ix('验证 无 query count'), async (c) => {
    expect((await c.db.collection('db-test-index').count()).total).toBeGreaterThanOrEqual(0);
  });
});

describe('regex-query', () => {
  kase(nodeSdk('unit/regex-query.test.ts', '正则表达式查询 › Document - CRUD'), async (c) => {
    const coll = c.db.collection('db-test-regex');
    const res = await coll.add({
      data: {
        name: 'AbCdEfxxxxxxxxxxxxxx1234结尾',
        name2: 'fffffffffffffffffff',
        array: [1, 2, 3, [4, 5, 6], { a: 1, b: { c: 'fjasklfljkas', d: false } }],
        deepObject: {
          'l-02-01': { 'l-03-01': { 'l-04-01': { level: 1, name: 'l-01', flag: '0' } } },
        },
      },
    });
    expect(res._id).toBeTruthy();
    const re = () => c.db.RegExp({ regexp: '^abcdef.*\\d+结尾$', options: 'i' });
    const count = async (q: object) => (await coll.where(q).get()).data.length;
    expect(await count({ name: /^abcdef.*\d+结尾$/i })).toBeGreaterThan(0);
    expect(
      await count({ name: new c.db.RegExp({ regexp: '^abcdef.*\\d+结尾$', options: 'i' }) }),
    ).toBeGreaterThan(0);
    expect(await count({ name: re() })).toBeGreaterThan(0);
    expect(await count({ name: re(), name2: /fff/ })).toBeGreaterThan(0);
    expect(
      await count(c._.or({ name: re(), name2: c.db.RegExp({ regexp: 'fffffff', options: 'i' }) })),
    ).toBeGreaterThan(0);
    const either = {
      name: c._.or(re(), c.db.RegExp({ regexp: '^fffffff$', options: 'i' })),
    };
    expect(await count(either)).toBeGreaterThan(0);
    const upd = await coll.where(either).update({ data: { name: 'ABCDEFxxxx5678结尾' } });
    expect(upd.stats.updated).toBeGreaterThan(0);
    expect((await coll.where({ name: re() }).remove()).stats.removed).toBeGreaterThan(0);
  });
});

describe('query-date', () => {
  const qd = (name: string): string => nodeSdk('unit/query-date.test.ts', name);
  const get = async (c: CaseContext, q: object) => {
    await seed(c.db, 'db-test-query-date', [
      { date: new Date(1565314149491) },
      { date: new Date(1565314249491) },
      { date: new Date(1565314349491) },
      { date: c.db.serverDate() },
    ]);
    return (await c.db.collection('db-test-query-date').where(q).get()).data;
  };
  // The originals write `assert(length, n)` (truthiness); the intended counts are asserted.
  kase(qd('query date › 直接匹配'), async (c) => {
    expect((await get(c, { date: new Date(1565314149491) })).length).toBe(1);
  });
  kase(qd('query date › eq'), async (c) => {
    expect((await get(c, { date: c._.eq(new Date(1565314149491)) })).length).toBe(1);
  });
  kase(qd('query date › gte'), async (c) => {
    expect((await get(c, { date: c._.lte(new Date(1565314349491)) })).length).toBe(3);
  });
});

describe('projection', () => {
  const pj = (name: string): string => nodeSdk('unit/projection.test.ts', name);
  const data = [
    { category: 'Web', tags: ['JavaScript', 'C#'] },
    { category: 'Web', tags: ['Go', 'C#'] },
    { category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
  ];
  const field = async (c: CaseContext, f: object) => {
    await seed(c.db, 'db-test-projection', data);
    return (await c.db.collection('db-test-projection').field(f).get()).data;
  };
  kase(pj('projection › slice'), async (c) => {
    const docs = await field(c, { tags: c._.project.slice(1) });
    expect(docs.length).toBe(3);
    for (const item of docs) expect(item.tags.length).toBe(1);
  });
  kase(pj('projection › projection true false'), async (c) => {
    const docs = await field(c, { category: true });
    expect(docs.length).toBe(3);
    for (const item of docs) expect(item.category).toBeTruthy();
  });
  kase(pj('projection › projection 1 0'), async (c) => {
    const docs = await field(c, { category: 0 });
    expect(Object.keys(docs[0])).not.toContain('category');
  });
});

describe('order', () => {
  kase(nodeSdk('unit/order.test.ts', '正则表达式查询 › Document - OrderBy'), async (c) => {
    const coll = c.db.collection('db-test-order');
    await coll.where({ category: /^类别/ }).remove();
    for (const category of ['类别B', '类别C', '类别A'])
      expect((await coll.add({ data: { category, value: Math.random() } }))._id).toBeTruthy();
    const res = await coll.where({ category: /^类别/i }).orderBy('category', 'asc').get();
    expect(res.data[0].category).toBe('类别A');
    expect(res.data[res.data.length - 1].category).toBe('类别C');
    const del = await coll.where({ category: c.db.RegExp({ regexp: '^类别' }) }).remove();
    expect(del.stats.removed).toBeGreaterThanOrEqual(1);
  });
});

describe('query.limit', () => {
  const ql = (name: string): string => nodeSdk('unit/query.limit.test.ts', name);
  const fill = async (c: CaseContext) => {
    const docs = Array.from({ length: 1001 }, () => ({ luke: 'luke-limit-test' }));
    const res = await c.db.collection('db-test-limit').add({ data: docs });
    expect(res._ids.length).toBe(1001);
    return c.db.collection('db-test-limit').where({});
  };
  kase(ql('test/unit/query.limit.test.ts › query with limit 1000'), async (c) => {
    expect((await (await fill(c)).limit(1000).get()).data.length).toBe(1000);
  });
  kase(ql('test/unit/query.limit.test.ts › query with limit > 1000'), async (c) => {
    expect((await (await fill(c)).limit(1001).get()).data.length).toBe(1000);
  });
  kase(ql('test/unit/query.limit.test.ts › query with limit < 1000'), async (c) => {
    expect((await (await fill(c)).limit(101).get()).data.length).toBe(101);
  });
  kase(ql('test/unit/query.limit.test.ts › query with limit default 100'), async (c) => {
    expect((await (await fill(c)).get()).data.length).toBe(100);
  });
});

describe('collection', () => {
  const co = (name: string): string => nodeSdk('unit/collection.test.ts', name);
  const COLL = 'db-test-collection';
  const filled = async (c: CaseContext) => {
    await seed(c.db, COLL, [{ name: 'A' }, { name: 'B' }]);
    return c.db.collection(COLL);
  };
  kase(co('test/unit/collection.test.ts › API - get all data'), async (c) => {
    expect((await (await filled(c)).get()).data.map((d: { name: string }) => d.name)).toEqual([
      'A',
      'B',
    ]);
  });
  kase(co('test/unit/collection.test.ts › API - use orderBy'), async (c) => {
    await seed(c.db, COLL, [{ name: 'B' }, { name: 'A' }]);
    const res = await c.db.collection(COLL).orderBy('name', 'asc').get();
    expect(res.data.map((d: { name: string }) => d.name)).toEqual(['A', 'B']);
  });
  kase(co('test/unit/collection.test.ts › API - use limit'), async (c) => {
    expect((await (await filled(c)).limit(1).get()).data.length).toBe(1);
  });
  kase(co('test/unit/collection.test.ts › API - use offset'), async (c) => {
    expect(Array.isArray((await (await filled(c)).skip(2).get()).data)).toBe(true);
  });
  kase(co('test/unit/collection.test.ts › API - use field'), async (c) => {
    const res = await (await filled(c)).field({ age: 1 }).get();
    expect(Array.isArray(res.data)).toBe(true);
  });
  kase(co('test/unit/collection.test.ts › API - use where'), async (c) => {
    const coll = c.db.collection(COLL);
    expect(() => coll.where()).toThrow();
    expect(() => coll.where({ a: undefined })).toThrow();
    await coll.add({ data: [{ name: 'aaa' }] });
    expect((await coll.where({ name: 'aaa' }).get()).data.length).toBeGreaterThan(0);
    expect((await coll.where({}).get()).data.length).toBeGreaterThan(0);
  });
});

describe('WeChat reference: Command.elemMatch', () => {
  const page = wxRef('command/Command.elemMatch');
  // 示例代码：数组是对象数组的情况 — plus a document whose conditions hold only on different
  // elements, which the page's 注意 says elemMatch must not match (and the plain form does).
  kase(`${page} › 数组是对象数组的情况`, async (c) => {
    await seed(c.db, 'todos', [
      {
        _id: 'a0',
        city: 'x0',
        places: [
          { type: 'garden', area: 300, age: 1 },
          { type: 'theatre', area: 50, age: 15 },
        ],
      },
      {
        _id: 'a1',
        city: 'x1',
        places: [
          { type: 'garden', area: 300, age: 15 },
          { type: 'theatre', area: 50, age: 1 },
        ],
      },
    ]);
    const _ = c._;
    const ids = async (q: object) =>
      (await c.db.collection('todos').where(q).get()).data.map((d: { _id: string }) => d._id);
    expect(await ids({ places: _.elemMatch({ area: _.gt(100), age: _.lt(2) }) })).toEqual(['a0']);
    expect(await ids({ places: { area: _.gt(100), age: _.lt(2) } })).toEqual(['a0', 'a1']);
  });

  const scalars = async (c: CaseContext) => {
    await seed(c.db, 'todos', [
      { _id: 'a0', scores: [60, 80, 90] },
      { _id: 'a1', scores: [60, 80, 100] },
    ]);
  };
  kase(
    `${page} › 数组元素都是普通数据类型的情况`,
    async (c) => {
      await scalars(c);
      const res = await c.db
        .collection('todos')
        .where({ scores: c._.elemMatch(c._.gt(80).lt(100)) })
        .get();
      expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['a0']);
    },
    {
      exception: 'elemMatch-chained-command',
      local: async (c) => {
        await scalars(c);
        const sent: unknown[] = [];
        const stop = onRequest((action, params) => {
          if (action === 'database.getDocument') sent.push(JSON.parse(params.query as string));
        });
        const res = await c.db
          .collection('todos')
          .where({ scores: c._.elemMatch(c._.gt(80).lt(100)) })
          .get();
        stop();
        // wx-server-sdk 4.0.2 does not serialise the chained command inside elemMatch.
        expect(sent).toEqual([
          {
            scores: {
              $elemMatch: expect.objectContaining({ operator: 'and', fieldName: 'scores' }),
            },
          },
        ]);
        expect(res.data).toEqual([]);
        // The same condition written as one operator object is serialised and matches.
        const plain = await c.db
          .collection('todos')
          .where({ scores: c._.elemMatch({ $gt: 80, $lt: 100 }) })
          .get();
        expect(plain.data.map((d: { _id: string }) => d._id)).toEqual(['a0']);
      },
    },
  );
});

describe('WeChat reference: Command.all', () => {
  const page = wxRef('command/Command.all');
  kase(`${page} › 示例代码 1：普通数组`, async (c) => {
    await seed(c.db, 'todos', [
      { _id: 'both', tags: ['cloud', 'database', 'mini-program'] },
      { _id: 'one', tags: ['cloud'] },
      { _id: 'none', tags: ['web'] },
    ]);
    const res = await c.db
      .collection('todos')
      .where({ tags: c._.all(['cloud', 'database']) })
      .get();
    expect(res.data.map((d: { _id: string }) => d._id)).toEqual(['both']);
  });

  // 找出数组字段中至少同时包含一个满足 “area 大于 100 且 age 小于 2” 的元素和一个满足
  // “type 为 mall 且 age 大于 5” 的元素.
  const places = async (c: CaseContext) => {
    await seed(c.db, 'todos', [
      {
        _id: 'both',
        places: [
          { type: 'garden', area: 300, age: 1 },
          { type: 'mall', area: 50, age: 8 },
        ],
      },
      { _id: 'first-only', places: [{ type: 'garden', area: 300, age: 1 }] },
      // each condition half-met by different elements: neither elemMatch holds
      {
        _id: 'split',
        places: [
          { type: 'mall', area: 300, age: 3 },
          { type: 'garden', area: 50, age: 8 },
        ],
      },
      { _id: 'scalars', places: [300, 1, 'mall', 8] },
    ]);
  };
  const ids = async (c: CaseContext, q: object) =>
    (await c.db.collection('todos').where(q).get()).data.map((d: { _id: string }) => d._id);
  kase(
    `${page} › 示例代码 2：对象数组`,
    async (c) => {
      await places(c);
      const _ = c._;
      const q = {
        places: _.all([
          _.elemMatch({ area: _.gt(100), age: _.lt(2) }),
          _.elemMatch({ type: 'mall', age: _.gt(5) }),
        ]),
      };
      expect(await ids(c, q)).toEqual(['both']);
    },
    {
      exception: 'all-elemMatch-commands',
      local: async (c) => {
        await places(c);
        const _ = c._;
        const sent: string[] = [];
        const stop = onRequest((action, params) => {
          if (action === 'database.getDocument') sent.push(params.query as string);
        });
        const q = {
          places: _.all([
            _.elemMatch({ area: _.gt(100), age: _.lt(2) }),
            _.elemMatch({ type: 'mall', age: _.gt(5) }),
          ]),
        };
        expect(await ids(c, q)).toEqual([]);
        stop();
        // wx-server-sdk 4.0.2 leaves the commands inside all([elemMatch]) unserialised.
        expect(sent[0]).toContain('"operator":"gt"');
        // Written with operator objects, the same condition is serialised and matches.
        const plain = {
          places: _.all([
            _.elemMatch({ area: { $gt: 100 }, age: { $lt: 2 } }),
            _.elemMatch({ type: 'mall', age: { $gt: 5 } }),
          ]),
        };
        expect(await ids(c, plain)).toEqual(['both']);
      },
    },
  );
});
