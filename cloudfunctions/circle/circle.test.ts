import type { CircleCoverage, CirclePlaces, ImportOutcome } from '../../src/domain/contract/circle';
import type { CirclePlace } from '../../src/domain/circle/place';
import {
  METRES_PER_DEGREE,
  bandRadiusMetres,
  distanceMetres,
  walkingMinutes,
} from '../../src/domain/circle/walking';
import type { SpaceDoc } from '../_shared/collections';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { rid } from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { COLLECTIONS } from '../_shared/collections';
import { type PlaceDoc, pointOf } from './docs';

const RESIDENT = 'resident-0001';
const NEIGHBOUR = 'resident-0002';
const SECRETARY = 'secretary-01';
const SPACE = { latitude: 30.5906, longitude: 104.1286 };
const M_PER_DEG_LAT = METRES_PER_DEGREE;

let cloud: TestCloud;

interleaveDatabaseRequests();

/** Actions that take a client request id: each call here is a new request unless it names one. */
const WITH_REQUEST_ID = new Set([
  'requestService',
  'addPlace',
  'updatePlace',
  'removePlace',
  'importPlaces',
]);

const circle = (action: string, input: unknown, openid: string | null = RESIDENT) =>
  cloud.call(
    'circle',
    action,
    WITH_REQUEST_ID.has(action) &&
      typeof input === 'object' &&
      input !== null &&
      !('clientRequestId' in input)
      ? { ...input, clientRequestId: rid() }
      : input,
    openid,
  );

/** A point `north` and `east` metres from the space. */
function offset(north: number, east = 0) {
  return {
    latitude: SPACE.latitude + north / M_PER_DEG_LAT,
    longitude:
      SPACE.longitude + east / (M_PER_DEG_LAT * Math.cos((SPACE.latitude * Math.PI) / 180)),
  };
}

interface Geo {
  Geo: { Point(lng: number, lat: number): unknown };
}

async function addPlace(
  id: string,
  name: string,
  category: string,
  at: { latitude: number; longitude: number },
) {
  const db = cloud.db as unknown as Geo & typeof cloud.db;
  await cloud.db.collection(COLLECTIONS.circlePlaces).add({
    data: {
      _id: id,
      name,
      category,
      location: db.Geo.Point(at.longitude, at.latitude),
      hours: [],
      phone: '',
      address: '',
      note: '',
      sample: true,
      updatedBy: 'seed',
      createdAt: new Date(),
      updatedAt: new Date(),
    } as never,
  });
}

const space: SpaceDoc = {
  _id: 'r29',
  name: 'R29 社区生活空间',
  address: '锦江大道',
  intro: '示例',
  location: SPACE,
  sample: true,
};

const r15 = bandRadiusMetres(15);

beforeEach(async () => {
  cloud = startTestCloud({
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY, LINLI_DEFAULT_SPACE: 'r29' },
  });
  await cloud.db.collection<SpaceDoc>('spaces').add({ data: space });
  await addPlace('store', '张三便利店', 'convenience-store', offset(100));
  await addPlace('pharmacy', '李四药房', 'pharmacy', offset(0, 450));
  await addPlace('gym', '王五健身', 'fitness', offset(-800));
  await addPlace('market-far', '赵六菜市场', 'wet-market', offset(r15 + 300));
  await addPlace('cafe-far', '远处咖啡', 'cafe', offset(5000));
});

afterEach(() => cloud.close());

describe('circle.places (geo query through the SDK and the local store)', () => {
  it('answers the places within 15 walking minutes of the space, nearest first, with minutes', async () => {
    const res = expectOk<CirclePlaces>(await circle('places', {}));
    expect(res.origin).toMatchObject({ kind: 'space', spaceId: 'r29', point: SPACE });
    expect(res.places.map((p) => p.id)).toEqual(['store', 'pharmacy', 'gym']);
    expect(res.places[0].location.latitude).toBeCloseTo(offset(100).latitude, 9);
    expect(res.places[0].minutes).toBeCloseTo(walkingMinutes(SPACE, offset(100)), 9);
    expect(res.places.map((p) => p.band)).toEqual([5, 10, 15]);
    expect(res.truncated).toBe(false);
  });

  it('filters by category, uses the elder pace, and centres on a point the resident gives', async () => {
    expect(
      expectOk<CirclePlaces>(await circle('places', { category: 'pharmacy' })).places.map(
        (p) => p.id,
      ),
    ).toEqual(['pharmacy']);
    const elder = expectOk<CirclePlaces>(await circle('places', { pace: 'elder' }));
    expect(elder.places.map((p) => p.id)).toEqual(['store', 'pharmacy']);
    const there = expectOk<CirclePlaces>(await circle('places', { origin: offset(r15 + 300) }));
    expect(there.origin.kind).toBe('point');
    expect(there.places[0].id).toBe('market-far');
  });

  it('refuses bad coordinates, unknown categories and unknown spaces', async () => {
    const bad = await circle('places', { origin: { latitude: 200, longitude: 104 } });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await circle('places', { category: 'bank' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: '未知的服务类别',
    });
    expect(await circle('places', { spaceId: 'nowhere' })).toMatchObject({
      ok: false,
      code: 'SPACE_NOT_FOUND',
    });
  });

  it('pages past 100 documents and stops at the cap', async () => {
    const db = cloud.db as unknown as Geo & typeof cloud.db;
    const many = Array.from({ length: 120 }, (_, i) => ({
      name: `样例店${i}`,
      category: 'restaurant',
      location: db.Geo.Point(offset(10 + i).longitude, offset(10 + i).latitude),
      hours: [],
      phone: '',
      address: '',
      note: '',
      sample: true,
      updatedBy: 'seed',
      createdAt: new Date(),
      updatedAt: new Date(),
    }));
    await (
      cloud.db.collection(COLLECTIONS.circlePlaces).add as unknown as (o: {
        data: unknown[];
      }) => Promise<unknown>
    )({ data: many });
    const res = expectOk<CirclePlaces>(await circle('places', {}));
    expect(res.places).toHaveLength(123);
    const minutes = res.places.map((p) => p.minutes);
    expect([...minutes].sort((a, b) => a - b)).toEqual(minutes);
  });
});

describe('circle.coverage', () => {
  it('reports present and missing categories per band with the nearest instance outside', async () => {
    const report = expectOk<CircleCoverage>(await circle('coverage', {}));
    const band = (m: number) => report.bands.find((b) => b.minutes === m)!;
    const cat = (m: number, id: string) => band(m).categories.find((c) => c.category === id)!;
    expect(cat(5, 'convenience-store')).toMatchObject({ present: true, nearest: { id: 'store' } });
    expect(cat(5, 'pharmacy')).toMatchObject({ present: false, nearest: { id: 'pharmacy' } });
    expect(cat(10, 'pharmacy').present).toBe(true);
    expect(cat(15, 'wet-market')).toMatchObject({
      present: false,
      nearest: { id: 'market-far', name: '赵六菜市场' },
    });
    expect(cat(15, 'cafe').nearest?.id).toBe('cafe-far');
    expect(cat(15, 'pet-service').nearest).toBeNull();
    expect(band(15).presentCount).toBe(3);
    expect(report.myRequests).toEqual([]);
  });
});

describe('circle.requestService and serviceRequests', () => {
  it('keeps one request per person per category and counts them for the secretary', async () => {
    expect(expectOk(await circle('requestService', { category: 'wet-market' }))).toEqual({
      category: 'wet-market',
      created: true,
    });
    expect(expectOk(await circle('requestService', { category: 'wet-market' }))).toEqual({
      category: 'wet-market',
      created: false,
    });
    await Promise.all([
      circle('requestService', { category: 'wet-market' }, NEIGHBOUR),
      circle('requestService', { category: 'wet-market' }, NEIGHBOUR),
      circle('requestService', { category: 'pet-service' }, NEIGHBOUR),
    ]);
    expect(await cloud.count(COLLECTIONS.circleRequests)).toBe(3);
    const mine = expectOk<CircleCoverage>(await circle('coverage', {}));
    expect(mine.myRequests).toEqual(['wet-market']);

    expect(await circle('serviceRequests', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(expectOk(await circle('serviceRequests', {}, SECRETARY))).toEqual({
      counts: [
        { category: 'wet-market', count: 2 },
        { category: 'pet-service', count: 1 },
      ],
      total: 3,
    });
  });

  it('answers every copy and retry of the request that asked created: true, and another request false', async () => {
    const input = { category: 'laundry', clientRequestId: rid() };
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => circle('requestService', input)),
    );
    expect(copies.map((c) => expectOk(c))).toEqual(
      copies.map(() => ({ category: 'laundry', created: true })),
    );
    expect(expectOk(await circle('requestService', input))).toEqual({
      category: 'laundry',
      created: true,
    });
    expect(expectOk(await circle('requestService', { category: 'laundry' }))).toEqual({
      category: 'laundry',
      created: false,
    });
    expect(await cloud.count(COLLECTIONS.circleRequests)).toBe(1);
  });

  it('refuses an unknown category, and a request without a request id, and writes nothing', async () => {
    expect(await circle('requestService', { category: 'casino' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await cloud.call('circle', 'requestService', { category: 'laundry' }, RESIDENT),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await cloud.count(COLLECTIONS.circleRequests)).toBe(0);
  });
});

const draft = {
  name: '孙七修鞋',
  category: 'repair',
  location: offset(200, 200),
  hours: [{ days: [1, 2, 3, 4, 5], open: 540, close: 1080 }],
  phone: '028-1234567',
  address: '示例路 1 号',
  note: '',
};

describe('place management', () => {
  it('lets only secretaries change places', async () => {
    for (const [action, input] of [
      ['addPlace', draft],
      ['updatePlace', { id: 'store', place: draft }],
      ['removePlace', { id: 'store' }],
      ['importPlaces', { format: 'csv', text: '名称,类别,纬度,经度\n店,便利店,30.59,104.12' }],
      ['listPlaces', {}],
    ] as const) {
      expect(await circle(action, input)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
    const store = expectOk<CirclePlaces>(await circle('places', { category: 'convenience-store' }))
      .places[0];
    expect(store.name).toBe('张三便利店');
  });

  it('adds, updates (moving it on the map) and removes a place', async () => {
    const added = expectOk<CirclePlace>(await circle('addPlace', draft, SECRETARY));
    expect(added).toMatchObject({ name: '孙七修鞋', category: 'repair', sample: false });
    let nearby = expectOk<CirclePlaces>(await circle('places', { category: 'repair' }));
    expect(nearby.places.map((p) => p.id)).toEqual([added.id]);

    const moved = expectOk<CirclePlace>(
      await circle(
        'updatePlace',
        { id: added.id, place: { ...draft, location: offset(r15 + 500) } },
        SECRETARY,
      ),
    );
    expect(moved.location.latitude).toBeCloseTo(offset(r15 + 500).latitude, 9);
    nearby = expectOk<CirclePlaces>(await circle('places', { category: 'repair' }));
    expect(nearby.places).toEqual([]);

    expect(expectOk(await circle('removePlace', { id: added.id }, SECRETARY))).toEqual({
      id: added.id,
    });
    expect(await circle('removePlace', { id: added.id }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'PLACE_NOT_FOUND',
    });
    expect(await circle('updatePlace', { id: added.id, place: draft }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'PLACE_NOT_FOUND',
    });
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
  });

  it('refuses bad coordinates and unknown categories with clear messages, changing nothing', async () => {
    const swapped = await circle(
      'addPlace',
      { ...draft, location: { latitude: 104.1, longitude: 30.5 } },
      SECRETARY,
    );
    expect(swapped).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: '坐标不在中国境内，可能把经度和纬度写反了',
    });
    const nan = await circle(
      'addPlace',
      { ...draft, location: { latitude: 'x', longitude: 104 } },
      SECRETARY,
    );
    expect(nan).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '纬度必须是数字' });
    const unknown = await circle('addPlace', { ...draft, category: 'bank' }, SECRETARY);
    expect(unknown).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '未知的服务类别' });
    const update = await circle(
      'updatePlace',
      { id: 'store', place: { ...draft, location: { latitude: 0, longitude: 0 } } },
      SECRETARY,
    );
    expect(update).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '坐标不在中国境内' });
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
    const store = expectOk<CirclePlaces>(await circle('places', { category: 'convenience-store' }))
      .places[0];
    expect(store.location.latitude).toBeCloseTo(offset(100).latitude, 9);
  });

  it('lists every place for the secretary, 20 a page', async () => {
    const page = expectOk<{ places: CirclePlace[]; hasMore: boolean }>(
      await circle('listPlaces', {}, SECRETARY),
    );
    expect(page.places).toHaveLength(5);
    expect(page.hasMore).toBe(false);
  });
});

describe('circle.importPlaces', () => {
  const good =
    '名称,类别,纬度,经度,营业时间\n周八早餐,早餐店,30.5912,104.1290,每天 06:30-10:30\n吴九快递,邮政快递综合服务点,30.5920,104.1280,\n';
  const mixed = `${good}郑十银行,银行,30.59,104.12,\n`;

  it('refuses a malformed file and writes nothing', async () => {
    const res = await circle('importPlaces', { format: 'geojson', text: '{not json' }, SECRETARY);
    expect(res).toEqual({
      ok: false,
      code: 'IMPORT_MALFORMED',
      message: 'GeoJSON 不是有效的 JSON',
    });
    const noHeader = await circle(
      'importPlaces',
      { format: 'csv', text: '店,便利店,30.59,104.12' },
      SECRETARY,
    );
    expect(noHeader).toMatchObject({ ok: false, code: 'IMPORT_MALFORMED' });
    expect(await circle('importPlaces', { format: 'xlsx', text: 'x' }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
  });

  it('is all-or-nothing by default: one rejected row means nothing is written', async () => {
    const res = await circle('importPlaces', { format: 'csv', text: mixed }, SECRETARY);
    expect(res).toMatchObject({ ok: false, code: 'IMPORT_ROWS_REJECTED' });
    if (!res.ok) expect(res.message).toContain('第 4 行：未知的类别“银行”');
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
  });

  it('reports without writing on a dry run, and writes only accepted rows when asked', async () => {
    const dry = expectOk<ImportOutcome>(
      await circle('importPlaces', { format: 'csv', text: mixed, dryRun: true }, SECRETARY),
    );
    expect(dry).toEqual({
      written: 0,
      acceptedCount: 2,
      rejected: [{ row: 4, name: '郑十银行', reason: '未知的类别“银行”' }],
      dryRun: true,
      system: 'gcj02',
    });
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);

    const done = expectOk<ImportOutcome>(
      await circle('importPlaces', { format: 'csv', text: mixed, acceptedOnly: true }, SECRETARY),
    );
    expect(done.written).toBe(2);
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(7);
    const breakfast = expectOk<CirclePlaces>(
      await circle('places', { category: 'breakfast' }),
    ).places;
    expect(breakfast.map((p) => p.name)).toEqual(['周八早餐']);
    expect(breakfast[0].hours).toEqual([{ days: [0, 1, 2, 3, 4, 5, 6], open: 390, close: 630 }]);
  });

  it('imports GeoJSON points found by the geo query', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [104.1296, 30.5916] },
          properties: { name: '冯一宠物', category: '宠物服务站' },
        },
      ],
    });
    expect(
      expectOk<ImportOutcome>(await circle('importPlaces', { format: 'geojson', text }, SECRETARY))
        .written,
    ).toBe(1);
    const pets = expectOk<CirclePlaces>(await circle('places', { category: 'pet-service' })).places;
    expect(pets.map((p) => p.name)).toEqual(['冯一宠物']);
  });
});

describe('one Earth radius for the geo query and the walking minutes', () => {
  it('keeps a place just inside the 15-minute edge in, and one just outside out', async () => {
    // Due north, `offset` gives exactly these haversine metres on the shared sphere; a second
    // radius 0.11% apart would move the edge by about 1 m and flip one of them.
    await addPlace('edge-in', '边内小店', 'repair', offset(r15 - 0.3));
    await addPlace('edge-out', '边外小店', 'repair', offset(r15 + 0.3));
    const res = expectOk<CirclePlaces>(await circle('places', { category: 'repair' }));
    expect(res.places.map((p) => [p.id, p.band])).toEqual([['edge-in', 15]]);
    expect(res.places[0].minutes).toBeLessThanOrEqual(15);
  });
});

/**
 * A known point pair from gcoord's fixture test/fixtures/china-cities.json (四川省 成都市 武侯区,
 * github.com/hujiulong/gcoord @ fedbaa1): the same place in WGS-84, GCJ-02 and BD-09. See
 * coordinates.test.ts.
 */
const CHENGDU = {
  wgs84: { latitude: 30.5747262, longitude: 104.0640437 },
  gcj02: { latitude: 30.5722732, longitude: 104.0665489 },
  bd09: { latitude: 30.5783237, longitude: 104.0730134 },
};

describe('coordinate systems', () => {
  async function stored(name: string) {
    const docs = await cloud.all<PlaceDoc & { _id: string }>(COLLECTIONS.circlePlaces);
    const doc = docs.find((d) => d.name === name);
    if (!doc) throw new Error(`${name} was not written`);
    return pointOf(doc.location);
  }

  it('stores a WGS-84 GeoJSON point (RFC 7946) at its GCJ-02 position', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Point',
            coordinates: [CHENGDU.wgs84.longitude, CHENGDU.wgs84.latitude],
          },
          properties: { name: '武侯便利店', category: '便利店' },
        },
      ],
    });
    const outcome = expectOk<ImportOutcome>(
      await circle('importPlaces', { format: 'geojson', text }, SECRETARY),
    );
    expect(outcome).toMatchObject({ written: 1, system: 'wgs84' });
    const at = await stored('武侯便利店');
    expect(distanceMetres(at, CHENGDU.gcj02)).toBeLessThan(1);
    // Found by the geo query at the GCJ-02 point itself, not 360 m away.
    const there = expectOk<CirclePlaces>(
      await circle('places', { origin: CHENGDU.gcj02, category: 'convenience-store' }),
    );
    expect(there.places.map((p) => p.name)).toEqual(['武侯便利店']);
    expect(there.places[0].metres).toBeLessThan(1);
  });

  it('reads a CSV in the system the secretary declares, and each row in its own 坐标系 when given', async () => {
    const row = (p: { latitude: number; longitude: number }, system = '') =>
      `甲店,便利店,${p.latitude},${p.longitude},${system}`;
    // The same shop twice: once in the declared WGS-84, once in BD-09; converted, they are one place.
    const csv = ['名称,类别,纬度,经度,坐标系', row(CHENGDU.wgs84), row(CHENGDU.bd09, 'BD-09')].join(
      '\n',
    );
    const dry = expectOk<ImportOutcome>(
      await circle(
        'importPlaces',
        { format: 'csv', text: csv, system: 'WGS-84', dryRun: true },
        SECRETARY,
      ),
    );
    expect(dry).toEqual({
      written: 0,
      acceptedCount: 1,
      system: 'wgs84',
      dryRun: true,
      rejected: [{ row: 3, name: '甲店', reason: '与第 2 行重复' }],
    });
    expect(
      await circle('importPlaces', { format: 'csv', text: csv, system: 'WGS-84' }, SECRETARY),
    ).toMatchObject({
      ok: false,
      code: 'IMPORT_ROWS_REJECTED',
    });
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
  });

  it('writes CSV rows at their GCJ-02 positions, default GCJ-02 unchanged', async () => {
    const csv = [
      '名称,类别,纬度,经度,坐标系',
      `甲店,便利店,${CHENGDU.wgs84.latitude},${CHENGDU.wgs84.longitude},wgs84`,
      `乙店,药店,${CHENGDU.bd09.latitude},${CHENGDU.bd09.longitude},百度`,
      `丙店,咖啡店,${CHENGDU.gcj02.latitude},${CHENGDU.gcj02.longitude},`,
    ].join('\n');
    const outcome = expectOk<ImportOutcome>(
      await circle('importPlaces', { format: 'csv', text: csv }, SECRETARY),
    );
    expect(outcome).toMatchObject({ written: 3, system: 'gcj02' });
    expect(distanceMetres(await stored('甲店'), CHENGDU.gcj02)).toBeLessThan(1);
    expect(distanceMetres(await stored('乙店'), CHENGDU.gcj02)).toBeLessThan(1);
    expect(await stored('丙店')).toEqual(CHENGDU.gcj02);
  });

  it('refuses an unknown system with a clear code and writes nothing', async () => {
    const csv = `名称,类别,纬度,经度\n甲店,便利店,${CHENGDU.wgs84.latitude},${CHENGDU.wgs84.longitude}\n`;
    for (const acceptedOnly of [false, true]) {
      expect(
        await circle(
          'importPlaces',
          { format: 'csv', text: csv, system: 'UTM', acceptedOnly },
          SECRETARY,
        ),
      ).toEqual({
        ok: false,
        code: 'UNKNOWN_COORDINATE_SYSTEM',
        message: '未知的坐标系“UTM”，请填写 WGS-84、GCJ-02 或 BD-09',
      });
    }
    const inRow = `名称,类别,纬度,经度,坐标系\n甲店,便利店,${CHENGDU.wgs84.latitude},${CHENGDU.wgs84.longitude},北京54\n`;
    const res = await circle('importPlaces', { format: 'csv', text: inRow }, SECRETARY);
    expect(res).toMatchObject({ ok: false, code: 'IMPORT_ROWS_REJECTED' });
    if (!res.ok) expect(res.message).toContain('第 2 行：未知的坐标系“北京54”');
    expect(await cloud.count(COLLECTIONS.circlePlaces)).toBe(5);
  });

  it('centres the circle on a browser (WGS-84) location converted to GCJ-02', async () => {
    const res = expectOk<CirclePlaces>(
      await circle('places', { origin: CHENGDU.wgs84, originSystem: 'wgs84' }),
    );
    expect(res.origin.kind).toBe('point');
    expect(distanceMetres(res.origin.point, CHENGDU.gcj02)).toBeLessThan(1);
    const report = expectOk<CircleCoverage>(
      await circle('coverage', { origin: CHENGDU.wgs84, originSystem: 'wgs84' }),
    );
    expect(distanceMetres(report.originInfo.point, CHENGDU.gcj02)).toBeLessThan(1);
    // weapp's getLocation({ type: 'gcj02' }) is taken as it is.
    expect(
      expectOk<CirclePlaces>(await circle('places', { origin: CHENGDU.gcj02 })).origin.point,
    ).toEqual(CHENGDU.gcj02);
    expect(await circle('places', { origin: CHENGDU.wgs84, originSystem: 'utm' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });
});
