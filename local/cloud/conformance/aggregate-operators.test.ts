/**
 * Aggregation operators: TencentCloudBase/node-sdk test/database/unit/command.test.ts, ported to
 * wx-server-sdk (`aggregate().…end()` answers `{list}` instead of node-sdk's `{data}`).
 */
import { kase, nodeSdk, seed, type CaseContext } from './harness';

const F = 'unit/command.test.ts';
const src = (name: string): string => nodeSdk(F, name);

const agg = (c: CaseContext, coll: string) => c.db.collection(coll).aggregate();

describe('stdDevPop / stdDevSamp / sum / let', () => {
  kase(src('stdDevPop › 计算不同组的标准差'), async (c) => {
    await seed(c.db, 'test-students', [
      { group: 'a', score: 84 },
      { group: 'a', score: 96 },
      { group: 'b', score: 80 },
      { group: 'b', score: 100 },
    ]);
    const res = await agg(c, 'test-students')
      .group({ _id: '$group', stdDev: c.$.stdDevPop('$score') })
      .end();
    const stdDevs: Record<string, number> = {};
    for (const item of res.list) stdDevs[item._id] = item.stdDev;
    expect(stdDevs.a).toBe(6);
    expect(stdDevs.b).toBe(10);
  });

  kase(src('stdDevSamp › 计算标准样本偏差'), async (c) => {
    await seed(c.db, 'test-students', [{ score: 80 }, { score: 100 }]);
    const res = await agg(c, 'test-students')
      .group({ _id: null, ageStdDev: c.$.stdDevSamp('$score') })
      .end();
    expect(res.list[0].ageStdDev.toFixed(2)).toBe('14.14');
  });

  const goods = [
    { cost: -10, price: 100 },
    { cost: -15, price: 1 },
    { cost: -10, price: 10 },
  ];
  kase(src('sum › 参数为单独字段'), async (c) => {
    await seed(c.db, 'test-goods', goods);
    const res = await agg(c, 'test-goods')
      .group({ _id: null, totalPrice: c.$.sum('$price') })
      .end();
    expect(res.list[0].totalPrice).toBe(111);
  });

  kase(src('sum › 参数为字段列表'), async (c) => {
    await seed(c.db, 'test-goods', goods);
    const res = await agg(c, 'test-goods')
      .group({ _id: null, totalProfit: c.$.sum(c.$.sum(['$price', '$cost'])) })
      .end();
    expect(res.list[0].totalProfit).toBe(76);
  });

  kase(src('let › 参数为单独字段'), async (c) => {
    await seed(c.db, 'test-goods', [
      { cost: -10, discount: 0.95, price: 100 },
      { cost: -15, discount: 0.98, price: 1 },
      { cost: -10, discount: 1, price: 10 },
    ]);
    const res = await agg(c, 'test-goods')
      .project({
        profit: c.$.let({
          vars: { priceTotal: c.$.multiply(['$price', '$discount']) },
          in: c.$.sum(['$$priceTotal', '$cost']),
        }),
      })
      .end();
    expect(res.list.length).toBe(3);
  });
});

describe('条件操作符', () => {
  const data = [
    { name: 'a', amount: 100, desc: 'A' },
    { name: 'b', amount: 200, desc: null },
    { name: 'c', amount: 300 },
  ];
  kase(src('条件操作符 › cond'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({
        _id: 0,
        name: 1,
        discount: c.$.cond({ if: c.$.gte(['$amount', 200]), then: 0.7, else: 0.9 }),
      })
      .end();
    expect(res.list).toEqual([
      { name: 'a', discount: 0.9 },
      { name: 'b', discount: 0.7 },
      { name: 'c', discount: 0.7 },
    ]);
  });

  kase(src('条件操作符 › ifNull'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, name: 1, desc: c.$.ifNull(['$desc', 'Not defined']) })
      .end();
    expect(res.list).toEqual([
      { desc: 'A', name: 'a' },
      { desc: 'Not defined', name: 'b' },
      { desc: 'Not defined', name: 'c' },
    ]);
  });

  kase(src('条件操作符 › switch'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({
        _id: 0,
        name: 1,
        discount: c.$.switch({
          branches: [
            { case: c.$.gt(['$amount', 250]), then: 0.8 },
            { case: c.$.gt(['$amount', 150]), then: 0.9 },
          ],
          default: 1,
        }),
      })
      .end();
    expect(res.list).toEqual([
      { name: 'a', discount: 1 },
      { name: 'b', discount: 0.9 },
      { name: 'c', discount: 0.8 },
    ]);
  });
});

describe('group操作符', () => {
  const students = [
    { group: 'a', name: 'stu1', score: 84 },
    { group: 'a', name: 'stu2', score: 96 },
    { group: 'b', name: 'stu3', score: 80 },
    { group: 'b', name: 'stu4', score: 100 },
  ];
  const passages = [
    { category: 'web', tags: ['JavaScript', 'CSS'], title: 'title1' },
    { category: 'System', tags: ['C++', 'C'], title: 'title2' },
  ];

  kase(src('group操作符 › push'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .group({ _id: '$group', students: c.$.push({ name: '$name', score: '$score' }) })
      .end();
    expect(res.list.every((item: object) => 'students' in item)).toBe(true);
  });

  kase(src('group操作符 › max'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .group({ _id: '$group', maxScore: c.$.max('$score') })
      .end();
    expect(res.list.length).toBe(2);
  });

  kase(src('group操作符 › min'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .group({ _id: '$group', minScore: c.$.min('$score') })
      .end();
    expect(res.list.length).toBe(2);
  });

  // The originals write `assert(x, expected)` (truthiness only); the intended values are asserted.
  kase(src('group操作符 › last'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .sort({ score: 1 })
      .group({ _id: null, max: c.$.last('$score') })
      .end();
    expect(res.list[0].max).toBe(100);
  });

  kase(src('group操作符 › first'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .sort({ score: 1 })
      .group({ _id: null, min: c.$.first('$score') })
      .end();
    expect(res.list[0].min).toBe(80);
  });

  kase(src('group操作符 › avg'), async (c) => {
    await seed(c.db, 'test-students', students);
    const res = await agg(c, 'test-students')
      .group({ _id: null, average: c.$.avg('$score') })
      .end();
    expect(res.list[0].average).toBe(90);
  });

  kase(src('group操作符 › addToSet › 非数组字段'), async (c) => {
    await seed(c.db, 'test-passages', passages);
    const res = await agg(c, 'test-passages')
      .group({ _id: null, categories: c.$.addToSet('$category') })
      .end();
    expect(res.list[0].categories.length).toBe(2);
  });

  kase(src('group操作符 › addToSet › 数组字段'), async (c) => {
    await seed(c.db, 'test-passages', passages);
    const res = await agg(c, 'test-passages')
      .group({ _id: null, tagsList: c.$.addToSet('$tags') })
      .end();
    expect(res.list.some((item: { tagsList: unknown }) => Array.isArray(item.tagsList))).toBe(true);
  });
});

describe('字面量操作符', () => {
  const data = [{ price: '$1' }, { price: '$2.50' }, { price: '$3.60' }, { price: '$4.60' }];
  kase(src('字面量操作符 › 以字面量的形式使用$'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, isOneDollar: c.$.eq(['$price', c.$.literal('$1')]) })
      .end();
    expect(res.list).toEqual([
      { isOneDollar: true },
      { isOneDollar: false },
      { isOneDollar: false },
      { isOneDollar: false },
    ]);
  });

  kase(src('字面量操作符 › 投影一个字段，对应的值为1'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, price: 1, amount: c.$.literal(1) })
      .end();
    expect(res.list).toEqual([
      { amount: 1, price: '$1' },
      { amount: 1, price: '$2.50' },
      { amount: 1, price: '$3.60' },
      { amount: 1, price: '$4.60' },
    ]);
  });
});

describe('字符串操作符', () => {
  // The original builds `new Date('1999/12/12')` on a machine in Asia/Shanghai (its expected
  // '%Y-%m-%d' output is the UTC date before, and '%H:%M:%S' in Asia/Shanghai is 00:00:00).
  const students = [
    {
      birthday: '1999/12/12',
      date: new Date('1999-12-12T00:00:00+08:00'),
      firstName: 'Yuanxin',
      group: 'a',
      lastName: 'Dong',
      score: 84,
    },
    {
      birthday: '1998/11/11',
      date: new Date('1998-11-11T00:00:00+08:00'),
      firstName: 'Weijia',
      group: 'a',
      lastName: 'Wang',
      score: 96,
    },
    {
      birthday: '1997/10/10',
      date: new Date('1997-10-10T00:00:00+08:00'),
      firstName: 'Chengxi',
      group: 'b',
      lastName: 'Li',
      score: 80,
    },
  ];
  const project = async (c: CaseContext, p: object) => {
    await seed(c.db, 'test-students', students);
    return (await agg(c, 'test-students').project(p).end()).list;
  };

  kase(src('字符串操作符 › concat'), async (c) => {
    expect(
      await project(c, { _id: 0, fullName: c.$.concat(['$firstName', ' ', '$lastName']) }),
    ).toEqual([
      { fullName: 'Yuanxin Dong' },
      { fullName: 'Weijia Wang' },
      { fullName: 'Chengxi Li' },
    ]);
  });

  kase(src('字符串操作符 › dateToString › 格式化日期'), async (c) => {
    expect(
      await project(c, {
        _id: 0,
        formatDate: c.$.dateToString({ date: '$date', format: '%Y-%m-%d' }),
      }),
    ).toEqual([
      { formatDate: '1999-12-11' },
      { formatDate: '1998-11-10' },
      { formatDate: '1997-10-09' },
    ]);
  });

  kase(src('字符串操作符 › dateToString › 时区时间'), async (c) => {
    const list = await project(c, {
      _id: 0,
      formatDate: c.$.dateToString({
        date: '$date',
        format: '%H:%M:%S',
        timezone: 'Asia/Shanghai',
      }),
    });
    expect(list.every((item: { formatDate: string }) => item.formatDate === '00:00:00')).toBe(true);
  });

  kase(src('字符串操作符 › dateToString › 缺失情况的默认值'), async (c) => {
    const list = await project(c, {
      _id: 0,
      formatDate: c.$.dateToString({ date: '$empty', onNull: 'null' }),
    });
    expect(list.every((item: { formatDate: string }) => item.formatDate === 'null')).toBe(true);
  });

  kase(src('字符串操作符 › indexOfBytes'), async (c) => {
    expect(await project(c, { _id: 0, aStrIndex: c.$.indexOfBytes(['$firstName', 'a']) })).toEqual([
      { aStrIndex: 2 },
      { aStrIndex: 5 },
      { aStrIndex: -1 },
    ]);
  });

  kase(src('字符串操作符 › indexOfCP'), async (c) => {
    expect(await project(c, { _id: 0, aStrIndex: c.$.indexOfCP(['$firstName', 'a']) })).toEqual([
      { aStrIndex: 2 },
      { aStrIndex: 5 },
      { aStrIndex: -1 },
    ]);
  });

  kase(src('字符串操作符 › split'), async (c) => {
    expect(await project(c, { _id: 0, birthday: c.$.split(['$birthday', '/']) })).toEqual([
      { birthday: ['1999', '12', '12'] },
      { birthday: ['1998', '11', '11'] },
      { birthday: ['1997', '10', '10'] },
    ]);
  });

  kase(src('字符串操作符 › strcasecmp'), async (c) => {
    expect(
      await project(c, { _id: 0, result: c.$.strcasecmp(['$firstName', '$lastName']) }),
    ).toEqual([{ result: 1 }, { result: 1 }, { result: -1 }]);
  });

  kase(src('字符串操作符 › substr'), async (c) => {
    expect(
      await project(c, {
        _id: 0,
        year: c.$.substr(['$birthday', 0, 4]),
        month: c.$.substr(['$birthday', 5, 2]),
        day: c.$.substr(['$birthday', 8, -1]),
      }),
    ).toEqual([
      { day: '12', month: '12', year: '1999' },
      { day: '11', month: '11', year: '1998' },
      { day: '10', month: '10', year: '1997' },
    ]);
  });

  kase(src('字符串操作符 › substrBytes'), async (c) => {
    expect(
      await project(c, {
        _id: 0,
        year: c.$.substrBytes(['$birthday', 0, 4]),
        month: c.$.substrBytes(['$birthday', 5, 2]),
        day: c.$.substrBytes(['$birthday', 8, -1]),
      }),
    ).toEqual([
      { day: '12', month: '12', year: '1999' },
      { day: '11', month: '11', year: '1998' },
      { day: '10', month: '10', year: '1997' },
    ]);
  });

  kase(src('字符串操作符 › toLower'), async (c) => {
    expect(await project(c, { _id: 0, result: c.$.toLower('$firstName') })).toEqual([
      { result: 'yuanxin' },
      { result: 'weijia' },
      { result: 'chengxi' },
    ]);
  });

  kase(src('字符串操作符 › toUpper'), async (c) => {
    expect(await project(c, { _id: 0, result: c.$.toUpper('$lastName') })).toEqual([
      { result: 'DONG' },
      { result: 'WANG' },
      { result: 'LI' },
    ]);
  });
});

describe('mergeObjects', () => {
  const data = [
    { name: 'A', foo: { a: 1 }, bar: { b: 2 } },
    { name: 'A', foo: { c: 1 }, bar: { d: 2 } },
    { name: 'A', foo: { e: 1 }, bar: { f: 2 } },
  ];
  kase(src('mergeObjects › 在group中使用'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .group({
        _id: '$name',
        mergedFoo: c.$.mergeObjects('$foo'),
        mergeBar: c.$.mergeObjects('$bar'),
      })
      .end();
    expect(res.list).toEqual([
      { _id: 'A', mergedFoo: { a: 1, c: 1, e: 1 }, mergeBar: { b: 2, d: 2, f: 2 } },
    ]);
  });

  kase(src('mergeObjects › 在group以外使用'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, foobar: c.$.mergeObjects(['$foo', '$bar']) })
      .end();
    expect(res.list).toEqual([
      { foobar: { a: 1, b: 2 } },
      { foobar: { c: 1, d: 2 } },
      { foobar: { e: 1, f: 2 } },
    ]);
  });
});

describe('集合操作', () => {
  const data = [
    { arr: [true] },
    { arr: [] },
    { arr: [true, false] },
    { arr: [1] },
    { arr: [1, 0] },
    { arr: ['stark'] },
  ];
  kase(src('集合操作 › allElementsTrue'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, allElementsTrue: c.$.allElementsTrue(['$arr']) })
      .end();
    expect(res.list.map((x: { allElementsTrue: boolean }) => x.allElementsTrue)).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  kase(src('集合操作 › anyElementTrue'), async (c) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, anyElementTrue: c.$.anyElementTrue(['$arr']) })
      .end();
    expect(res.list.map((x: { anyElementTrue: boolean }) => x.anyElementTrue)).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('集合操作2', () => {
  const data = [
    { A: [1, 2], B: [1, 2] },
    { A: [1, 2], B: [2, 1, 2] },
    { A: [1, 2], B: [1, 2, 3] },
    { A: [1, 2], B: [3, 1] },
    { A: [1, 2], B: [] },
    { A: [1, 2], B: [{}, []] },
    { A: [], B: [] },
    { A: [], B: [1] },
  ];
  const project = async (c: CaseContext, field: string, op: unknown) => {
    await seed(c.db, 'test-goods', data);
    const res = await agg(c, 'test-goods')
      .project({ _id: 0, [field]: op })
      .end();
    return res.list.map((x: Record<string, unknown>) => x[field]);
  };

  kase(src('集合操作2 › setDifference'), async (c) => {
    expect(await project(c, 'isBOnly', c.$.setDifference(['$B', '$A']))).toEqual([
      [],
      [],
      [3],
      [3],
      [],
      [{}, []],
      [],
      [1],
    ]);
  });

  kase(src('集合操作2 › setEquals'), async (c) => {
    expect(await project(c, 'sameElements', c.$.setEquals(['$A', '$B']))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  kase(src('集合操作2 › setIntersection'), async (c) => {
    expect(await project(c, 'setIntersection', c.$.setIntersection(['$A', '$B']))).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1],
      [],
      [],
      [],
      [],
    ]);
  });

  kase(src('集合操作2 › setIsSubset'), async (c) => {
    expect(await project(c, 'setIsSubset', c.$.setIsSubset(['$A', '$B']))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  kase(src('集合操作2 › setUnion'), async (c) => {
    expect(await project(c, 'setUnion', c.$.setUnion(['$A', '$B']))).toEqual([
      [1, 2],
      [1, 2],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2],
      [1, 2, {}, []],
      [],
      [1],
    ]);
  });
});
