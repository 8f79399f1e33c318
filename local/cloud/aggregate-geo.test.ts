/** Aggregation and geo queries through the real wx-server-sdk. */
import { distanceMeters } from './geo';
import { freshCloud, sdkError, type Doc, type Fixture } from './test-support/fixture';

let f: Fixture;
beforeEach(() => {
  f = freshCloud();
});
afterEach(() => f.cleanup());

describe('aggregation', () => {
  beforeEach(async () => {
    const rows = [
      { category: 'gym', minutes: 30, openid: 'u1' },
      { category: 'gym', minutes: 60, openid: 'u2' },
      { category: 'care', minutes: 45, openid: 'u1' },
      { category: 'care', minutes: 15, openid: 'u3' },
      { category: 'room', minutes: 120, openid: 'u2' },
    ];
    for (const data of rows) await f.db.collection('items').add({ data });
    await f.db.collection('members').add({ data: { _id: 'u1', phone: '1', name: '王阿姨' } });
    await f.db.collection('members').add({ data: { _id: 'u2', phone: '2', name: '李叔' } });
  });

  test('match, group, sort', async () => {
    const _ = f.db.command;
    const $ = _.aggregate;
    const res = await f.db
      .collection('items')
      .aggregate()
      .match({ minutes: _.gte(30) })
      .group({ _id: '$category', total: $.sum('$minutes'), n: $.sum(1) })
      .sort({ total: -1 })
      .end();
    expect(res.list).toEqual([
      { _id: 'room', total: 120, n: 1 },
      { _id: 'gym', total: 90, n: 2 },
      { _id: 'care', total: 45, n: 1 },
    ]);
  });

  test('lookup joins another collection', async () => {
    const res = await f.db
      .collection('items')
      .aggregate()
      .match({ category: 'gym' })
      .lookup({ from: 'members', localField: 'openid', foreignField: '_id', as: 'who' })
      .project({ _id: 0, minutes: 1, name: '$who.name' })
      .sort({ minutes: 1 })
      .end();
    expect(res.list).toEqual([
      { minutes: 30, name: ['王阿姨'] },
      { minutes: 60, name: ['李叔'] },
    ]);
  });

  test('an undeclared collection fails', async () => {
    const err = await sdkError(f.db.collection('nope').aggregate().match({}).end());
    // The SDK's aggregate().end() does not map database codes to errCode (-1); the message carries it.
    expect(err.errMsg).toMatch(/not exist/);
  });
});

describe('geo', () => {
  // Around 珠江新城, Guangzhou: [longitude, latitude].
  const center: [number, number] = [113.3245, 23.1181];
  const spots: { name: string; at: [number, number] }[] = [
    { name: 'here', at: [113.3245, 23.1181] },
    { name: 'near', at: [113.328, 23.1181] }, // ≈ 358 m east
    { name: 'mid', at: [113.3245, 23.1271] }, // ≈ 1 001 m north
    { name: 'far', at: [113.36, 23.1181] }, // ≈ 3.6 km east
  ];

  beforeEach(async () => {
    for (const s of [...spots].reverse()) {
      await f.db
        .collection('places')
        .add({ data: { name: s.name, location: f.db.Geo.Point(s.at[0], s.at[1]) } });
    }
  });

  test('nearSphere filters by metres and sorts nearest first', async () => {
    const _ = f.db.command;
    const res = await f.db
      .collection('places')
      .where({
        location: _.geoNear({
          geometry: f.db.Geo.Point(center[0], center[1]),
          maxDistance: 1500,
          minDistance: 0,
        }),
      })
      .get();
    expect(res.data.map((d) => d.name)).toEqual(['here', 'near', 'mid']);

    const ring = await f.db
      .collection('places')
      .where({
        location: _.geoNear({ geometry: f.db.Geo.Point(center[0], center[1]), minDistance: 500 }),
      })
      .get();
    expect(ring.data.map((d) => d.name)).toEqual(['mid', 'far']);
  });

  test('nearSphere needs a 2dsphere index, as in production', async () => {
    const _ = f.db.command;
    await f.db
      .collection('plain')
      .add({ data: { location: f.db.Geo.Point(center[0], center[1]) } });
    const err = await sdkError(
      f.db
        .collection('plain')
        .where({ location: _.geoNear({ geometry: f.db.Geo.Point(center[0], center[1]) }) })
        .get(),
    );
    expect(err.errMsg).toMatch(/2dsphere/);
  });

  test('geoWithin a centerSphere (radians) and a polygon', async () => {
    const _ = f.db.command;
    const radius = 1200 / 6378100; // 1.2 km in radians
    const inCircle = await f.db
      .collection('places')
      .where({
        location: _.geoWithin({ centerSphere: [f.db.Geo.Point(center[0], center[1]), radius] }),
      })
      .get();
    expect(inCircle.data.map((d) => d.name).sort()).toEqual(['here', 'mid', 'near']);

    const P = (lng: number, lat: number): object => f.db.Geo.Point(lng, lat);
    const box = f.db.Geo.Polygon([
      f.db.Geo.LineString([
        P(113.32, 23.11),
        P(113.33, 23.11),
        P(113.33, 23.122),
        P(113.32, 23.122),
        P(113.32, 23.11),
      ]),
    ]);
    const inBox = await f.db
      .collection('places')
      .where({ location: _.geoWithin({ geometry: box }) })
      .get();
    expect(inBox.data.map((d) => d.name).sort()).toEqual(['here', 'near']);
  });

  test('aggregate geoNear adds the distance in metres', async () => {
    const _ = f.db.command;
    const res = await f.db
      .collection('places')
      .aggregate()
      .geoNear({
        near: f.db.Geo.Point(center[0], center[1]),
        spherical: true,
        distanceField: 'distance',
        maxDistance: 2000,
        query: { name: _.neq('here') },
      })
      .project({ _id: 0, name: 1, distance: 1 })
      .end();
    expect(res.list.map((d: Doc) => d.name)).toEqual(['near', 'mid']);
    const near = res.list[0].distance as number;
    expect(near).toBeCloseTo(distanceMeters(center, [113.328, 23.1181]), 6);
    expect(near).toBeGreaterThan(340);
    expect(near).toBeLessThan(370);
  });
});
