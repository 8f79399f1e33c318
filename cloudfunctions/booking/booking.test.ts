import type { SpaceOverview } from '../../src/domain/contract/booking';
import type { ServiceDoc, SpaceDoc } from '../_shared/collections';
import { defaultSpaceId } from '../_shared/data';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';

const RESIDENT = 'resident-0001';

function aSpace(overrides: Partial<SpaceDoc> = {}): SpaceDoc {
  return {
    _id: 'r29',
    name: '邻里一刻钟·29号院',
    address: '示例路 29 号',
    intro: '社区生活空间（示例数据）',
    location: { latitude: 31.2304, longitude: 121.4737 },
    sample: true,
    ...overrides,
  };
}

function aService(overrides: Partial<ServiceDoc> = {}): ServiceDoc {
  return {
    _id: 'r29-gym',
    spaceId: 'r29',
    name: '24小时健身房',
    category: 'gym',
    summary: '刷码进门',
    place: '一楼东侧',
    hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
    bookingKind: 'capacity',
    order: 1,
    ...overrides,
  };
}

let cloud: TestCloud;

async function seed(spaces: SpaceDoc[], services: ServiceDoc[]): Promise<void> {
  for (const s of spaces) await cloud.db.collection<SpaceDoc>('spaces').add({ data: s });
  for (const s of services) await cloud.db.collection<ServiceDoc>('services').add({ data: s });
}

const booking = (action: string, input: unknown, openid: string | null = RESIDENT) =>
  cloud.call('booking', action, input, openid);

describe('booking.space', () => {
  beforeEach(async () => {
    cloud = startTestCloud({ env: { LINLI_DEFAULT_SPACE: 'r29' } });
    await seed(
      [aSpace(), aSpace({ _id: 'r31', name: '31号院', sample: false })],
      [
        aService({
          _id: 'r29-cafe',
          name: '邻里咖啡',
          category: 'cafe',
          bookingKind: 'walk-in',
          order: 3,
        }),
        aService(),
        aService({
          _id: 'r29-living',
          name: '共享客厅',
          category: 'living-room',
          bookingKind: 'room',
          order: 2,
          hours: [{ days: [1, 2, 3, 4, 5], open: 540, close: 1260 }],
        }),
        aService({ _id: 'r31-gym', spaceId: 'r31', order: 1 }),
      ],
    );
  });

  afterEach(() => cloud.close());

  it('answers the default space with its services in display order', async () => {
    const overview = expectOk<SpaceOverview>(await booking('space', {}));
    expect(overview.space).toEqual({
      id: 'r29',
      name: '邻里一刻钟·29号院',
      address: '示例路 29 号',
      intro: '社区生活空间（示例数据）',
      location: { latitude: 31.2304, longitude: 121.4737 },
      sample: true,
    });
    expect(overview.services.map((s) => s.id)).toEqual(['r29-gym', 'r29-living', 'r29-cafe']);
    expect(overview.services[1]).toEqual({
      id: 'r29-living',
      spaceId: 'r29',
      name: '共享客厅',
      category: 'living-room',
      summary: '刷码进门',
      place: '一楼东侧',
      hours: [{ days: [1, 2, 3, 4, 5], open: 540, close: 1260 }],
      bookingKind: 'room',
      order: 2,
    });
  });

  it('answers a named space', async () => {
    const overview = expectOk<SpaceOverview>(await booking('space', { spaceId: 'r31' }));
    expect(overview.space).toMatchObject({ id: 'r31', sample: false });
    expect(overview.services.map((s) => s.id)).toEqual(['r31-gym']);
  });

  it('answers SPACE_NOT_FOUND for a space that does not exist', async () => {
    expect(await booking('space', { spaceId: 'r99' })).toMatchObject({
      ok: false,
      code: 'SPACE_NOT_FOUND',
    });
  });

  it('refuses a malformed space id', async () => {
    expect(await booking('space', { spaceId: 'R 29!' })).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '空间编号格式不正确',
    });
    expect(await cloud.count('users')).toBe(0);
  });

  it('needs a signed-in caller', async () => {
    expect(await booking('space', {}, null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

describe('booking.space default', () => {
  afterEach(() => cloud.close());

  it('follows LINLI_DEFAULT_SPACE', async () => {
    cloud = startTestCloud({ env: { LINLI_DEFAULT_SPACE: 'r31' } });
    await seed([aSpace({ _id: 'r31', name: '31号院' })], []);
    expect(expectOk<SpaceOverview>(await booking('space', {}))).toMatchObject({
      space: { id: 'r31' },
      services: [],
    });
  });
});

describe('defaultSpaceId', () => {
  const saved = process.env.LINLI_DEFAULT_SPACE;
  afterEach(() => {
    if (saved === undefined) delete process.env.LINLI_DEFAULT_SPACE;
    else process.env.LINLI_DEFAULT_SPACE = saved;
  });

  it('is the pilot space r29 unless configured', () => {
    delete process.env.LINLI_DEFAULT_SPACE;
    expect(defaultSpaceId()).toBe('r29');
    process.env.LINLI_DEFAULT_SPACE = ' r31 ';
    expect(defaultSpaceId()).toBe('r31');
  });
});
