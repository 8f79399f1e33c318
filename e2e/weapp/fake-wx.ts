/**
 * The network edge of the mini-program, faked: `wx.cloud.callFunction` answers the app's
 * `{action, input}` requests from fixtures, and navigation calls are recorded. Everything else in
 * `wx` comes from miniprogram-simulate's own mock APIs.
 */
import type { WhoAmI } from '@/domain/contract/account';
import type { BookableServiceView, SpaceOverview } from '@/domain/contract/booking';
import { defaultRules } from '@/domain/booking/rules';

/** One bookable service as booking.listServices answers it. */
export function aBookableService(): BookableServiceView {
  return {
    id: 'r29-gym',
    spaceId: 'r29',
    name: '24小时健身房',
    category: 'gym',
    summary: '按时段预约',
    place: '二楼',
    kind: 'capacity',
    hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
    hoursText: '全天 24 小时',
    rules: defaultRules('capacity'),
    days: [
      { date: '2026-11-27', slots: 24, full: 2 },
      { date: '2026-11-28', slots: 24, full: 24 },
    ],
  };
}
import type { CloudRequest } from '@/domain/contract/define';
import type { Role } from '@/domain/account/roles';
import type { Space, SpaceService } from '@/domain/space/space';
import type { CircleCoverage, CirclePlaces } from '@/domain/contract/circle';
import type { CirclePlace } from '@/domain/circle/place';
import { coverage, nearbyPlaces } from '@/domain/circle/coverage';

export function anAccount(overrides: Partial<WhoAmI> = {}): WhoAmI {
  return {
    openid: 'o-resident-0001',
    role: 'resident' satisfies Role,
    profile: { nickname: '张三', avatarUrl: '', elderMode: false },
    createdAt: '2026-11-01T08:00:00.000Z',
    configuredSecretary: false,
    ...overrides,
  };
}

export function aSpace(overrides: Partial<Space> = {}): Space {
  return {
    id: 'r29',
    name: 'R29 邻里生活空间（模拟）',
    address: '示例路 29 号',
    intro: '一站式社区生活空间',
    location: { latitude: 31.2304, longitude: 121.4737 },
    sample: true,
    ...overrides,
  };
}

export function aService(overrides: Partial<SpaceService> & Pick<SpaceService, 'id' | 'name'>): SpaceService {
  return {
    spaceId: 'r29',
    category: 'gym',
    summary: '器械与有氧区',
    place: '一楼东侧',
    hours: [],
    bookingKind: 'walk-in',
    order: 0,
    ...overrides,
  };
}

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/**
 * Two services whose state never depends on the clock (always open / suspended) and one that
 * does (office hours), so the page shows both an open and a closed section at any time of day.
 */
export function aSpaceOverview(): SpaceOverview {
  return {
    space: aSpace(),
    services: [
      aService({
        id: 'gym',
        name: '24小时健身房',
        category: 'gym',
        hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
        bookingKind: 'capacity',
        order: 1,
      }),
      aService({
        id: 'gov',
        name: '政务服务点',
        category: 'government',
        summary: '社保、居住证办理',
        hours: [{ days: [1, 2, 3, 4, 5], open: 540, close: 1050 }],
        bookingKind: 'appointment',
        order: 2,
      }),
      aService({
        id: 'laundry',
        name: '共享洗衣房',
        category: 'laundry',
        summary: '设备检修中',
        hours: [],
        bookingKind: 'walk-in',
        order: 3,
      }),
    ],
  };
}

/** A few life-circle places around the space, as the circle function stores them. */
export function someCirclePlaces(origin: { latitude: number; longitude: number }): CirclePlace[] {
  const at = (dLat: number, dLng: number) => ({ latitude: origin.latitude + dLat, longitude: origin.longitude + dLng });
  const base = { hours: [], phone: '', address: '', note: '', sample: true };
  return [
    { ...base, id: 'p1', name: '街角便利店（示例）', category: 'convenience-store', location: at(0.001, 0.001) },
    { ...base, id: 'p2', name: '社区药房（示例）', category: 'pharmacy', location: at(-0.003, 0.002) },
    { ...base, id: 'p3', name: '早点铺（示例）', category: 'breakfast', location: at(0.005, -0.004) },
  ] as CirclePlace[];
}

/** circle.places and circle.coverage answers computed by the domain rules, as the function does. */
function circleAnswers(fake: FakeWx): { places: CirclePlaces; coverage: CircleCoverage } {
  const { space } = fake.overview;
  const originInfo = { point: space.location, kind: 'space' as const, spaceId: space.id, spaceName: space.name };
  return {
    places: { origin: originInfo, pace: 'adult', places: nearbyPlaces(space.location, fake.circlePlaces, 'adult').filter((p) => p.band !== null), truncated: false },
    coverage: { ...coverage(space.location, fake.circlePlaces, 'adult'), originInfo, myRequests: [] },
  };
}

export interface CloudCall {
  name: string;
  data: CloudRequest;
}

export interface FakeWx {
  /** Installed as `global.wx` before the simulator loads. */
  api: Record<string, unknown>;
  cloudCalls: CloudCall[];
  navigations: Array<{ api: string; url: string }>;
  /** Who `account.whoami` answers with. */
  account: WhoAmI;
  overview: SpaceOverview;
  /** What `booking.listServices` answers with. */
  bookable: BookableServiceView[];
  /** What the circle function holds. */
  circlePlaces: CirclePlace[];
}

type Answer = { ok: true; data: unknown } | { ok: false; code: string; message: string };

function answer(fake: FakeWx, name: string, request: CloudRequest): Answer {
  const key = `${name}.${request.action}`;
  switch (key) {
    case 'account.whoami':
      return { ok: true, data: fake.account };
    case 'account.updateProfile': {
      const update = (request.input ?? {}) as Partial<WhoAmI['profile']>;
      fake.account = { ...fake.account, profile: { ...fake.account.profile, ...update } };
      const { configuredSecretary: _configured, ...account } = fake.account;
      return { ok: true, data: account };
    }
    case 'booking.space': {
      const input = (request.input ?? {}) as { spaceId?: string };
      if (input.spaceId && input.spaceId !== fake.overview.space.id) {
        return { ok: false, code: 'SPACE_NOT_FOUND', message: '没有找到这个空间' };
      }
      return { ok: true, data: fake.overview };
    }
    case 'booking.listServices':
      return { ok: true, data: { services: fake.bookable } };
    case 'circle.places':
      return { ok: true, data: circleAnswers(fake).places };
    case 'circle.coverage':
      return { ok: true, data: circleAnswers(fake).coverage };
    default:
      return { ok: false, code: 'NOT_IMPLEMENTED', message: `fake cloud has no answer for ${key}` };
  }
}

export function createFakeWx(): FakeWx {
  const fake: FakeWx = {
    api: {},
    cloudCalls: [],
    navigations: [],
    account: anAccount(),
    overview: aSpaceOverview(),
    bookable: [aBookableService()],
    circlePlaces: [],
  };
  fake.circlePlaces = someCirclePlaces(fake.overview.space.location);
  const navigate = (api: string) => (options: { url: string; success?: () => void; complete?: () => void }) => {
    fake.navigations.push({ api, url: options.url });
    options.success?.();
    options.complete?.();
    return Promise.resolve({ errMsg: `${api}:ok` });
  };
  fake.api = {
    cloud: {
      init: () => undefined,
      callFunction(options: {
        name: string;
        data: CloudRequest;
        success?: (res: unknown) => void;
        fail?: (err: unknown) => void;
        complete?: () => void;
      }) {
        fake.cloudCalls.push({ name: options.name, data: options.data });
        // Like the real client: answered on a later tick, with `result` holding the function's value.
        return new Promise((resolve) => {
          setTimeout(() => {
            const res = { errMsg: 'cloud.callFunction:ok', result: answer(fake, options.name, options.data) };
            options.success?.(res);
            options.complete?.();
            resolve(res);
          }, 1);
        });
      },
    },
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    switchTab: navigate('switchTab'),
    reLaunch: navigate('reLaunch'),
  };
  return fake;
}
