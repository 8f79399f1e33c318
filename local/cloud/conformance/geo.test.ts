/**
 * Geo: TencentCloudBase/node-sdk test/database/unit/geo.test.ts and geo-advanced.test.ts, and the
 * WeChat reference's geoIntersects page. wx-server-sdk's `db.Geo.X` are factories over node-sdk's
 * classes (`db._db.Geo.X`), which is what documents read back are instances of.
 */
import { kase, nodeSdk, wxRef, type CaseContext, type Loose } from './harness';

describe('geo.test.ts', () => {
  kase(nodeSdk('unit/geo.test.ts', 'GEO类型 › GEO Point - CRUD'), async (c) => {
    const coll = c.db.collection('db-test-geo');
    const longitude = -180;
    const latitude = 20;
    const point = c.db.Geo.Point(longitude, latitude);
    const initialData = {
      point,
      pointArr: [point, point, point],
      uuid: '416a4700-e0d3-11e8-911a-8888888888',
      string: '新增单个string字段1。新增单个string字段1。',
      due: new Date('2018-09-01'),
      int: 100,
      geo: c.db.Geo.Point(90, 23),
      array: [
        { string: '99999999', due: new Date('2018-09-01'), geo: c.db.Geo.Point(90, 23) },
        { string: '0000000', geo: c.db.Geo.Point(90, 23), null: null },
      ],
    };
    const add = await coll.add({ data: initialData });
    expect(add._id).toBeTruthy();
    // Setting the same data again: production answers updated 1.
    const set = await coll.doc(add._id).set({ data: initialData });
    expect(set.stats.updated).toBe(1);
    const res = await coll.where({ _id: add._id }).get();
    expect(res.data.length).toBeGreaterThan(0);
    expect(res.data[0].point).toEqual({ longitude, latitude });
    expect((await coll.where({ _id: add._id }).remove()).stats.removed).toBe(1);
  });
});

describe('geo-advanced.test.ts', () => {
  const ga = (name: string): string =>
    nodeSdk('unit/geo-advanced.test.ts', `GEO高级功能 › ${name}`);
  const COLL = 'db-test-geo-advanced';

  /** The original's shapes (its random points fixed to deterministic ones). */
  function shapes(c: CaseContext) {
    const { Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon } = c.db.Geo;
    let n = 0;
    const somePoint = () => {
      n++;
      return Point(((n * 37) % 360) - 180, ((n * 23) % 180) - 90);
    };
    const p = [Point(-2, -2), Point(2, -2), Point(2, 2), Point(-2, 2)];
    const q = [Point(-1, -1), Point(1, -1), Point(1, 1), Point(-1, 1)];
    const outer = LineString([p[0], p[1], p[2], p[3], p[0]]);
    const inner = LineString([q[0], q[1], q[2], q[3], q[0]]);
    return {
      Point,
      LineString,
      Polygon,
      points: { p, q },
      initialData: {
        point: somePoint(),
        geoNearPoint: Point(0, 0),
        line: LineString([somePoint(), somePoint()]),
        polygon: Polygon([outer, inner]),
        multiPoint: MultiPoint([somePoint(), somePoint(), somePoint(), somePoint()]),
        multiLineString: MultiLineString([
          LineString([somePoint(), somePoint()]),
          LineString([somePoint(), somePoint()]),
          LineString([somePoint(), somePoint()]),
          LineString([somePoint(), somePoint()]),
        ]),
        multiPolygon: MultiPolygon([Polygon([outer]), Polygon([inner])]),
      },
    };
  }

  kase(ga('GEO Advanced - CRUD'), async (c) => {
    const { initialData } = shapes(c);
    const coll = c.db.collection(COLL);
    const add = await coll.add({ data: initialData });
    expect(add._id).toBeTruthy();
    const read = await coll.where({ _id: add._id }).get();
    const data = read.data[0];
    const G = c.db._db.Geo as Loose;
    expect(data.point).toBeInstanceOf(G.Point);
    expect(data.line).toBeInstanceOf(G.LineString);
    expect(data.polygon).toBeInstanceOf(G.Polygon);
    expect(data.multiPoint).toBeInstanceOf(G.MultiPoint);
    expect(data.multiLineString).toBeInstanceOf(G.MultiLineString);
    expect(data.multiPolygon).toBeInstanceOf(G.MultiPolygon);
    expect(data.point).toStrictEqual(initialData.point);
    expect(data.line).toStrictEqual(initialData.line);
    expect(data.polygon).toStrictEqual(initialData.polygon);
    expect(data.multiPoint).toStrictEqual(initialData.multiPoint);
    expect(data.multiLineString).toStrictEqual(initialData.multiLineString);
    expect(data.multiPolygon).toStrictEqual(initialData.multiPolygon);
    const set = await coll.doc(add._id).set({ data: initialData });
    expect(set.stats.updated).toBe(1);
    expect((await coll.where({ _id: add._id }).remove()).stats.removed).toBe(1);
  });

  kase(ga('GEO - bad create'), async (c) => {
    const G = c.db._db.Geo as Loose;
    const { p, q } = shapes(c).points;
    const make =
      (cls: Loose, ...args: unknown[]) =>
      () =>
        new cls(...args);
    expect(make(G.Point)).toThrow();
    expect(make(G.Point, [], {})).toThrow();
    expect(make(G.LineString, {})).toThrow();
    expect(make(G.LineString, [])).toThrow();
    expect(make(G.LineString, [123, []])).toThrow();
    expect(make(G.Polygon, null)).toThrow();
    expect(make(G.Polygon, [])).toThrow();
    expect(make(G.Polygon, [666, 789])).toThrow();
    expect(make(G.Polygon, [new G.LineString([p[0], p[1], p[2], p[3], q[3]])])).toThrow();
    expect(make(G.MultiPoint, {})).toThrow();
    expect(make(G.MultiPoint, [])).toThrow();
    expect(make(G.MultiPoint, [{}, {}])).toThrow();
    expect(make(G.MultiLineString, {})).toThrow();
    expect(make(G.MultiLineString, [])).toThrow();
    expect(make(G.MultiLineString, [123, null])).toThrow();
    expect(make(G.MultiPolygon, 123)).toThrow();
    expect(make(G.MultiPolygon, [])).toThrow();
    expect(make(G.MultiPolygon, [666, 666])).toThrow();
  });

  kase(ga('GEO - geoNear'), async (c) => {
    const { initialData, Point } = shapes(c);
    const coll = c.db.collection(COLL);
    const geoPoint = Point(22, 33);
    expect((await coll.add({ data: { ...initialData, point: geoPoint } }))._id).toBeTruthy();
    const near = await coll
      .where({ point: c._.geoNear({ geometry: geoPoint, maxDistance: 1, minDistance: 0 }) })
      .get();
    expect(near.data.length).toBeGreaterThan(0);
    expect(near.data[0].point).toStrictEqual(geoPoint);
    const any = await coll.where({ point: c._.geoNear({ geometry: geoPoint }) }).get();
    expect(any.data.length).toBeGreaterThan(0);
    expect(any.data[0].point).toStrictEqual(geoPoint);
  });

  kase(ga('GEO - geoWithin geometry'), async (c) => {
    const { initialData, Point, LineString, Polygon, points } = shapes(c);
    const { p } = points;
    const coll = c.db.collection(COLL);
    expect((await coll.add({ data: { ...initialData, point: Point(0, 0) } }))._id).toBeTruthy();
    const square = () => Polygon([LineString([p[0], p[1], p[2], p[3], p[0]])]);
    const res = await coll.where({ point: c._.geoWithin({ geometry: square() }) }).get();
    expect(res.data.length).toBeGreaterThan(0);
    expect(res.data[0].point).toStrictEqual(Point(0, 0));
    const rm = await coll.where({ point: c._.geoWithin({ geometry: square() }) }).remove();
    expect(rm.stats.removed).toBeGreaterThanOrEqual(1);
  });

  kase(ga('GEO - geoWithin centerSphere'), async (c) => {
    const { initialData, Point } = shapes(c);
    const coll = c.db.collection(COLL);
    await coll.add({ data: { ...initialData, point: Point(-88, 30.001) } });
    const a = await coll
      .where({ point: c._.geoWithin({ centerSphere: [Point(-88, 30), 10 / 6378.1] }) })
      .get();
    expect(a.data.length).toBeGreaterThan(0);
    expect(a.data[0].point).toStrictEqual(Point(-88, 30.001));
    const b = await coll
      .where({ point: c._.geoWithin({ centerSphere: [[-88, 30], 10 / 6378.1] }) })
      .get();
    expect(b.data.length).toBeGreaterThan(0);
    expect(b.data[0].point).toStrictEqual(Point(-88, 30.001));
    // The original checks only that these fail when they fail (bad longitude, non-number radius).
    for (const centerSphere of [
      [[-288, 30], 10 / 6378.1],
      [Point(-88, 30), '10'],
    ]) {
      try {
        await coll.where({ point: c._.geoWithin({ centerSphere }) }).get();
      } catch (e) {
        expect(e).toBeDefined();
      }
    }
  });
});

describe('WeChat reference: Command.geoIntersects', () => {
  const page = wxRef('command/Command.geoIntersects');
  // 示例代码：找出和一个多边形相交的记录. The page gives no result set; the expected ids follow
  // from the geometry (the triangle (0,0) (3,2) (2,3)).
  async function restaurants(c: CaseContext) {
    const { Point, LineString, Polygon } = c.db.Geo;
    const square = (x0: number, y0: number, x1: number, y1: number) =>
      Polygon([
        LineString([Point(x0, y0), Point(x1, y0), Point(x1, y1), Point(x0, y1), Point(x0, y0)]),
      ]);
    const rows = [
      { _id: 'inside-point', location: Point(2, 2) },
      { _id: 'outside-point', location: Point(5, 5) },
      { _id: 'crossing-line', location: LineString([Point(-1, 1), Point(4, 1)]) },
      { _id: 'missing-line', location: LineString([Point(-1, 2), Point(-0.5, 3)]) },
      { _id: 'covering-square', location: square(-1, -1, 4, 4) },
      { _id: 'far-square', location: square(10, 10, 11, 11) },
    ];
    for (const data of rows) await c.db.collection('restaurants').add({ data });
    return { Point, LineString, Polygon };
  }
  const ids = async (c: CaseContext, geometry: unknown) =>
    (
      await c.db
        .collection('restaurants')
        .where({ location: c._.geoIntersects({ geometry }) })
        .get()
    ).data.map((d: { _id: string }) => d._id);

  kase(`${page} › 找出和一个多边形相交的记录`, async (c) => {
    const { Point, LineString, Polygon } = await restaurants(c);
    const triangle = Polygon([LineString([Point(0, 0), Point(3, 2), Point(2, 3), Point(0, 0)])]);
    expect(await ids(c, triangle)).toEqual(['inside-point', 'crossing-line', 'covering-square']);
  });

  kase(`${page} › geometry 为 Point（与存储的多边形、线相交）`, async (c) => {
    const { Point } = await restaurants(c);
    expect(await ids(c, Point(0.5, 3.5))).toEqual(['covering-square']);
    expect(await ids(c, Point(1, 1))).toEqual(['crossing-line', 'covering-square']);
  });

  kase(`${page} › geometry 为 LineString`, async (c) => {
    const { Point, LineString } = await restaurants(c);
    const line = LineString([Point(5, -1), Point(5, 6)]);
    expect(await ids(c, line)).toEqual(['outside-point']);
  });
});
