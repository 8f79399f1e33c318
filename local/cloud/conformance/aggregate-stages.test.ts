/**
 * Aggregation stages: TencentCloudBase/node-sdk test/database/unit/aggregation.test.ts and
 * lookup-pipeline.test.ts, plus example results from the WeChat cloud database reference.
 */
import { kase, nodeSdk, seed, withoutIds, wxRef, type CaseContext } from './harness';

const src = (name: string): string => nodeSdk('unit/aggregation.test.ts', name);
const agg = (c: CaseContext, coll: string) => c.db.collection(coll).aggregate();

const articles = [
  { author: 'stark', score: 80 },
  { author: 'stark', score: 85 },
  { author: 'bob', score: 60 },
  { author: 'li', score: 55 },
  { author: 'jimmy', score: 60 },
  { author: 'li', score: 94 },
  { author: 'justan', score: 95 },
];

describe('sample / sortByCount / match', () => {
  kase(src('sample › sample'), async (c) => {
    await seed(c.db, 'test-users', [{ name: 'a' }, { name: 'b' }]);
    const res = await agg(c, 'test-users').sample({ size: 1 }).end();
    expect(res.list.length).toBe(1);
  });

  const passages = [
    { category: 'Web', tags: ['JavaScript', 'C#'] },
    { category: 'Web', tags: ['Go', 'C#'] },
    { category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
  ];
  kase(src('sortByCount › 统计基础类型'), async (c) => {
    await seed(c.db, 'test-sortByCount', passages);
    const res = await agg(c, 'test-sortByCount').sortByCount('$category').end();
    expect(res.list.length).toBe(2);
  });

  kase(src('sortByCount › 解构数组类型'), async (c) => {
    await seed(c.db, 'test-sortByCount', passages);
    const res = await agg(c, 'test-sortByCount').unwind('$tags').sortByCount('$tags').end();
    expect(res.list.length).toBe(4);
  });

  kase(src('match › 匹配 字段 or 逻辑'), async (c) => {
    await seed(c.db, 'articles', articles);
    const res = await agg(c, 'articles')
      .match({ author: c._.or(c._.eq('stark'), c._.neq('stark')) })
      .end();
    expect(res.list.length).toBe(articles.length);
  });

  kase(src('match › 匹配'), async (c) => {
    await seed(c.db, 'articles', articles);
    const res = await agg(c, 'articles').match({ author: 'stark' }).end();
    expect(res.list[0].author).toBe('stark');
  });

  kase(src('match › 计数'), async (c) => {
    await seed(c.db, 'articles', articles);
    const res = await agg(c, 'articles')
      .match({ score: c._.gt(80) })
      .group({ _id: null, count: c.$.sum(1) })
      .end();
    expect(res.list[0].count).toBe(3);
  });
});

describe('project / replaceRoot / skip / sort', () => {
  const book = {
    title: 'This is title',
    author: 'Nobody',
    isbn: '123456789',
    introduction: '......',
  };
  kase(src('project › 指定包含某些字段'), async (c) => {
    await seed(c.db, 'articles', [book]);
    const res = await agg(c, 'articles').project({ title: 1, author: 1 }).end();
    expect(res.list[0].author).toBeTruthy();
    expect(res.list[0].title).toBeTruthy();
    expect(res.list[0].isbn).toBeFalsy();
  });

  kase(src('project › 去除输出中的 _id 字段'), async (c) => {
    await seed(c.db, 'articles', [book]);
    const res = await agg(c, 'articles').project({ _id: 0, title: 1, author: 1 }).end();
    expect(res.list[0]).toEqual({ author: 'Nobody', title: 'This is title' });
  });

  kase(src('project › 加入计算出的新字段'), async (c) => {
    await seed(c.db, 'test-users', [
      { name: '小明', scores: { chinese: 80, math: 90, english: 70 } },
    ]);
    const res = await agg(c, 'test-users')
      .project({
        _id: 0,
        name: 1,
        totalScore: c.$.sum(['$scores.chinese', '$scores.math', '$scores.english']),
      })
      .end();
    expect(res.list[0]).toEqual({ name: '小明', totalScore: 240 });
  });

  kase(src('project › 加入新的数组字段'), async (c) => {
    await seed(c.db, 'test-users', [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ]);
    const res = await agg(c, 'test-users')
      .project({ _id: 0, coordinate: ['$x', '$y'] })
      .end();
    expect(res.list[0]).toEqual({ coordinate: [1, 1] });
  });

  kase(src('replaceRoot › 使用已有字段作为根节点'), async (c) => {
    await seed(c.db, 'test-users', [
      { name: 'SFLS', teachers: { chinese: 22, math: 18, english: 21, other: 123 } },
    ]);
    const res = await agg(c, 'test-users').replaceRoot({ newRoot: '$teachers' }).end();
    expect(res.list[0]).toEqual({ chinese: 22, math: 18, english: 21, other: 123 });
  });

  kase(src('replaceRoot › 使用计算出的新字段作为根节点'), async (c) => {
    await seed(c.db, 'test-users', [
      { first_name: '四郎', last_name: '黄' },
      { first_name: '邦德', last_name: '马' },
      { first_name: '牧之', last_name: '张' },
    ]);
    const res = await agg(c, 'test-users')
      .replaceRoot({ newRoot: { full_name: c.$.concat(['$last_name', '$first_name']) } })
      .end();
    expect(res.list[0]).toEqual({ full_name: '黄四郎' });
  });

  kase(src('skip › 跳过一定数量的文档'), async (c) => {
    await seed(c.db, 'articles', articles);
    const res = await agg(c, 'articles').skip(6).project({ _id: 0 }).end();
    expect(res.list[0]).toEqual({ author: 'justan', score: 95 });
  });

  kase(src('sort › 根据已有字段排序'), async (c) => {
    await seed(c.db, 'articles', [
      { author: 'stark', score: 80, age: 18 },
      { author: 'bob', score: 60, age: 18 },
      { author: 'li', score: 55, age: 19 },
      { author: 'jimmy', score: 60, age: 22 },
      { author: 'justan', score: 95, age: 33 },
    ]);
    const res = await agg(c, 'articles').sort({ age: -1, score: -1 }).project({ _id: 0 }).end();
    expect(res.list[0]).toEqual({ author: 'justan', score: 95, age: 33 });
    expect(res.list[res.list.length - 1]).toEqual({ author: 'bob', score: 60, age: 18 });
  });
});

describe('unwind', () => {
  const products = [
    { product: 'tshirt', size: ['S', 'M', 'L'] },
    { product: 'pants', size: [] },
    { product: 'socks', size: null },
    { product: 'trousers', size: ['S'] },
    { product: 'sweater', size: ['M', 'L'] },
  ];
  kase(src('unwind › 解构'), async (c) => {
    await seed(c.db, 'articles', products);
    const res = await agg(c, 'articles').unwind('$size').project({ _id: 0 }).end();
    expect(res.list.length).toBe(6);
    expect(res.list[0]).toEqual({ product: 'tshirt', size: 'S' });
  });

  kase(src('unwind › 解构后，保留原数组索引'), async (c) => {
    await seed(c.db, 'articles', products);
    const res = await agg(c, 'articles')
      .unwind({ path: '$size', includeArrayIndex: 'arrayIndex' })
      .project({ _id: 0 })
      .end();
    expect(res.list.length).toBe(6);
    expect(res.list[0]).toEqual({ arrayIndex: 0, product: 'tshirt', size: 'S' });
  });

  kase(src('unwind › 保留空值'), async (c) => {
    await seed(c.db, 'articles', products);
    const res = await agg(c, 'articles')
      .unwind({ path: '$size', preserveNullAndEmptyArrays: true })
      .project({ _id: 0 })
      .end();
    expect(res.list.length).toBe(8);
    expect(res.list[0]).toEqual({ product: 'tshirt', size: 'S' });
  });
});

describe('Date', () => {
  const date = new Date(1557826731686); // 2019-05-14T09:38:51.686Z
  kase(src('Date › Date类型'), async (c) => {
    await seed(c.db, 'articles', [{ date }]);
    const res = await agg(c, 'articles').project({ _id: 0 }).end();
    expect(res.list[0]).toEqual({ date });
  });

  // The original computes year/month/day/minute/second with local getters on a UTC+8 machine;
  // for this instant they equal the UTC values written here.
  kase(src('Date › Date的各种操作符'), async (c) => {
    await seed(c.db, 'articles', [{ date }]);
    const $ = c.$;
    const res = await agg(c, 'articles')
      .project({
        _id: 0,
        date: 1,
        dayOfWeek: $.dayOfWeek('$date'),
        dayOfYear: $.dayOfYear('$date'),
        dayOfMonth: $.dayOfMonth('$date'),
        year: $.year('$date'),
        month: $.month('$date'),
        hour: $.hour('$date'),
        minute: $.minute('$date'),
        second: $.second('$date'),
        millisecond: $.millisecond('$date'),
        week: $.week('$date'),
        dateFromParts: $.dateFromParts({
          year: 2017,
          month: 2,
          day: 8,
          hour: 12,
          timezone: 'America/New_York',
        }),
        dateFromString: $.dateFromString({ dateString: date.toISOString() }),
        isoDayOfWeek: $.isoDayOfWeek('$date'),
        isoWeek: $.isoWeek('$date'),
        isoWeekYear: $.isoWeekYear('$date'),
      })
      .end();
    expect(res.list[0]).toEqual({
      date,
      year: 2019,
      month: 5,
      dayOfMonth: 14,
      hour: 9,
      minute: 38,
      second: 51,
      millisecond: 686,
      dayOfYear: 134,
      dayOfWeek: 3,
      week: 19,
      dateFromParts: new Date('2017-02-08T17:00:00.000Z'),
      dateFromString: date,
      isoDayOfWeek: 2,
      isoWeek: 20,
      isoWeekYear: 2019,
    });
  });
});

describe('lookup', () => {
  kase(src('lookup › lookup'), async (c) => {
    await seed(c.db, 'join1', [
      { name: 'stark', age: 24 },
      { name: 'justan', age: 24 },
      { name: 'jimmy', age: 24 },
    ]);
    await seed(c.db, 'join2', [
      { name: 'stark', gender: 'male' },
      { name: 'justan', gender: 'male' },
      { name: 'jimmy', gender: 'male' },
    ]);
    const res = await agg(c, 'join1')
      .lookup({ from: 'join2', localField: 'name', foreignField: 'name', as: 'join' })
      .end();
    expect(res.list[0].name).toBe('stark');
    expect(res.list[0].age).toBe(24);
    expect(res.list[0].join[0].gender).toBe('male');
  });

  const lp = (name: string): string => nodeSdk('unit/lookup-pipeline.test.ts', name);
  const data = [
    { category: 'Web', tags: ['JavaScript', 'C#'] },
    { category: 'Web', tags: ['Go', 'C#'] },
    { category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
  ];
  kase(lp('projection › lookup'), async (c) => {
    await seed(c.db, 'test-lookup-pipeline1', data);
    await seed(c.db, 'test-lookup-pipeline2', data);
    const res = await agg(c, 'test-lookup-pipeline1')
      .lookup({
        from: 'test-lookup-pipeline2',
        localField: 'category',
        foreignField: 'category',
        as: 'docs',
      })
      .end();
    expect(res.list[0].docs.length).toBe(2);
  });

  kase(lp('projection › lookup with pipeline'), async (c) => {
    await seed(c.db, 'test-lookup-pipeline1', data);
    await seed(c.db, 'test-lookup-pipeline2', data);
    const res = await agg(c, 'test-lookup-pipeline1')
      .lookup({
        from: 'test-lookup-pipeline2',
        pipeline: c.$.pipeline().match({ category: 'Web' }).done(),
        as: 'docs',
      })
      .end();
    expect(res.list.map((d: { docs: unknown[] }) => d.docs.length)).toEqual([2, 2, 2]);
  });
});

describe('geoNear', () => {
  // Distances depend on the Earth radius: Tencent's expected value is MongoDB's 6 378 100 m sphere.
  kase(src('geoNear › geoNear'), async (c) => {
    const date = new Date();
    await seed(c.db, 'attractions', [
      {
        _id: 'geoNear.0',
        city: 'Guangzhou',
        docType: 'geoNear',
        date,
        location: c.db.Geo.Point(113.30593, 23.1361155),
        name: 'Canton Tower',
      },
      {
        _id: 'geoNear.1',
        city: 'Hangzhou',
        docType: 'geoNear',
        date: new Date(date.getTime() - 1000),
        location: c.db.Geo.Point(113.306789, 23.1564721),
        name: 'Baiyun Mountain',
      },
      {
        _id: 'geoNear.2',
        city: 'Beijing',
        docType: 'geoNear',
        date: new Date(date.getTime() + 1000),
        location: c.db.Geo.Point(116.3949659, 39.9163447),
        name: 'The Palace Museum',
      },
      {
        _id: 'geoNear.3',
        city: 'Beijing',
        docType: 'geoNear',
        location: c.db.Geo.Point(116.2328567, 40.242373),
        name: 'Great Wall',
      },
    ]);
    const res = await agg(c, 'attractions')
      .geoNear({
        distanceField: 'distance',
        spherical: true,
        near: c.db.Geo.Point(113.3089506, 23.0968251),
        query: { city: /zhou/, date: c._.lt(date) },
        key: 'location',
        includeLocs: 'location',
      })
      .end();
    expect(res.list.length).toBe(1);
    expect(res.list[0].city).toBe('Hangzhou');
    // The original asserts === 6643.521654040738; a haversine on the same sphere agrees to 1e-9 m.
    expect(res.list[0].distance).toBeCloseTo(6643.521654040738, 6);
  });
});

describe('WeChat reference examples', () => {
  kase(wxRef('command/aggregate/AggregateCommand.week'), async (c) => {
    await seed(c.db, 'dates', [{ _id: 1, date: new Date('2019-05-14T09:38:51.686Z') }]);
    const res = await agg(c, 'dates')
      .project({ _id: 0, week: c.$.week('$date') })
      .end();
    expect(res.list).toEqual([{ week: 19 }]);
  });

  kase(
    'https://docs.cloudbase.net/api-reference/server/node-sdk/database/aggregate/operators/dayOfWeek',
    async (c) => {
      await seed(c.db, 'dates', [{ _id: 1, date: new Date('2019-05-14T09:38:51.686Z') }]);
      const res = await agg(c, 'dates')
        .project({ _id: 0, dayOfWeek: c.$.dayOfWeek('$date') })
        .end();
      expect(res.list).toEqual([{ dayOfWeek: 3 }]);
    },
  );

  const students = [
    { birthday: '1999/12/12', firstName: 'Yuanxin', group: 'a', lastName: 'Dong', score: 84 },
    { birthday: '1998/11/11', firstName: 'Weijia', group: 'a', lastName: 'Wang', score: 96 },
    { birthday: '1997/10/10', firstName: 'Chengxi', group: 'b', lastName: 'Li', score: 80 },
  ];
  kase(wxRef('aggregate/Aggregate.count'), async (c) => {
    await seed(c.db, 'items', [
      { _id: '1', price: 10.5 },
      { _id: '2', price: 50.3 },
      { _id: '3', price: 20.8 },
      { _id: '4', price: 80.2 },
      { _id: '5', price: 200.3 },
    ]);
    const res = await agg(c, 'items')
      .match({ price: c._.gt(50) })
      .count('expensiveCount')
      .end();
    expect(res.list).toEqual([{ expensiveCount: 3 }]);
  });

  kase(wxRef('command/aggregate/AggregateCommand.substr'), async (c) => {
    await seed(c.db, 'students', students);
    const res = await agg(c, 'students')
      .project({
        _id: 0,
        year: c.$.substr(['$birthday', 0, 4]),
        month: c.$.substr(['$birthday', 5, 2]),
        day: c.$.substr(['$birthday', 8, -1]),
      })
      .end();
    expect(res.list).toEqual([
      { day: '12', month: '12', year: '1999' },
      { day: '11', month: '11', year: '1998' },
      { day: '10', month: '10', year: '1997' },
    ]);
  });

  kase(
    'https://docs.cloudbase.net/en/api-reference/server/node-sdk/database/aggregate/operators/indexOfCP',
    async (c) => {
      await seed(c.db, 'students', students);
      const res = await agg(c, 'students')
        .project({ _id: 0, aStrIndex: c.$.indexOfCP(['$firstName', 'a']) })
        .end();
      expect(res.list).toEqual([{ aStrIndex: 2 }, { aStrIndex: 5 }, { aStrIndex: -1 }]);
    },
  );

  // The page projects `int` but prints the results under `value` (a typo on the page); the
  // truncated numbers are what it documents.
  kase(wxRef('command/aggregate/AggregateCommand.trunc'), async (c) => {
    await seed(c.db, 'scores', [
      { _id: 1, value: 1.21 },
      { _id: 2, value: 3.83 },
      { _id: 3, value: -4.94 },
    ]);
    const res = await agg(c, 'scores')
      .project({ int: c.$.trunc('$value') })
      .end();
    expect(res.list).toEqual([
      { _id: 1, int: 1 },
      { _id: 2, int: 3 },
      { _id: 3, int: -4 },
    ]);
  });

  kase(
    'https://developers.weixin.qq.com/community/develop/article/doc/000624c67c8b48611dba2b12058c13',
    async (c) => {
      // “云函数端聚合操作默认数据上限为20条”; with .limit(100) more rows come back.
      await seed(
        c.db,
        'items',
        Array.from({ length: 30 }, (_v, i) => ({ i, owner: 'test user openid' })),
      );
      const all = await agg(c, 'items').match({ owner: 'test user openid' }).end();
      expect(all.list.length).toBe(20);
      const limited = await agg(c, 'items').match({ owner: 'test user openid' }).limit(100).end();
      expect(limited.list.length).toBe(30);
      expect(withoutIds(limited.list).map((d) => d.i)).toEqual(
        Array.from({ length: 30 }, (_v, i) => i),
      );
    },
  );
});
