import Taro from '@tarojs/taro';
import { callCloud } from '@/cloud/client';
import {
  resetCircleAdminStore,
  resetCircleStore,
  useCircleAdminStore,
  useCircleStore,
} from './circle';

/** Where the device location enters: each platform's system is asked for and declared to the function. */
jest.mock('@/cloud/client', () => ({
  callCloud: jest.fn(),
  requestSubscription: jest.fn(),
  readLocalSession: () => null,
}));

const mockedCall = callCloud as unknown as jest.Mock;
const taro = Taro as unknown as { getLocation?: jest.Mock };
const env = process.env.TARO_ENV;
const AT = { latitude: 30.5747262, longitude: 104.0640437 };

beforeEach(() => {
  resetCircleStore();
  resetCircleAdminStore();
  mockedCall.mockReset();
  mockedCall.mockImplementation(async (_fn: string, action: string) => ({
    ok: true,
    data:
      action === 'importPlaces'
        ? { written: 0, acceptedCount: 0, rejected: [], dryRun: true, system: 'wgs84' }
        : {},
  }));
  taro.getLocation = jest.fn(async () => ({ ...AT, accuracy: 10 }));
});

afterEach(() => {
  process.env.TARO_ENV = env;
  delete taro.getLocation;
});

it('on H5 asks the browser for WGS-84 (all it has) and tells the function so', async () => {
  process.env.TARO_ENV = 'h5';
  expect(await useCircleStore.getState().locateHere()).toBe(true);
  expect(taro.getLocation).toHaveBeenCalledWith({ type: 'wgs84' });
  expect(mockedCall).toHaveBeenCalledWith('circle', 'places', {
    pace: 'adult',
    origin: AT,
    originSystem: 'wgs84',
  });
  expect(mockedCall).toHaveBeenCalledWith('circle', 'coverage', {
    pace: 'adult',
    origin: AT,
    originSystem: 'wgs84',
  });
});

it('on weapp asks for GCJ-02, the stored system, and sends it as it is', async () => {
  process.env.TARO_ENV = 'weapp';
  expect(await useCircleStore.getState().locateHere()).toBe(true);
  expect(taro.getLocation).toHaveBeenCalledWith({ type: 'gcj02' });
  expect(mockedCall).toHaveBeenCalledWith('circle', 'places', { pace: 'adult', origin: AT });
});

it('stays on the space when the location is refused', async () => {
  taro.getLocation = jest.fn(async () => {
    throw new Error('getLocation:fail auth deny');
  });
  expect(await useCircleStore.getState().locateHere()).toBe(false);
  expect(useCircleStore.getState().here).toBeNull();
  expect(mockedCall).not.toHaveBeenCalled();
});

it('sends the coordinate system the secretary chose with an import', async () => {
  await useCircleAdminStore.getState().importPlaces('geojson', '{}', 'dry-run', 'wgs84');
  expect(mockedCall).toHaveBeenCalledWith('circle', 'importPlaces', {
    format: 'geojson',
    text: '{}',
    system: 'wgs84',
    dryRun: true,
    acceptedOnly: false,
    clientRequestId: expect.any(String),
  });
});

it('sends one request id for a new place until the server answers, and a new one for the next submission', async () => {
  const draft = {
    name: '张三便利店',
    category: 'convenience-store',
    location: AT,
    hours: [],
    phone: '',
    address: '',
    note: '',
  } as const;
  const answers = [
    { ok: false, code: 'NETWORK', message: '网络不给力' },
    { ok: false, code: 'NETWORK', message: '网络不给力' },
    { ok: true, data: { id: 'place_x', ...draft, sample: false } },
    { ok: true, data: { id: 'place_y', ...draft, sample: false } },
  ];
  mockedCall.mockImplementation(async () => answers.shift());
  const save = () => useCircleAdminStore.getState().savePlace(null, { ...draft, hours: [] });
  expect(await save()).toMatchObject({ ok: false });
  expect(await save()).toMatchObject({ ok: false });
  expect(await save()).toMatchObject({ ok: true });
  expect(await save()).toMatchObject({ ok: true });
  const ids = mockedCall.mock.calls
    .filter((c) => c[1] === 'addPlace')
    .map((c) => (c[2] as { clientRequestId: string }).clientRequestId);
  expect(ids).toHaveLength(4);
  expect(ids[1]).toBe(ids[0]);
  expect(ids[2]).toBe(ids[0]);
  expect(ids[3]).not.toBe(ids[0]);
  expect(mockedCall.mock.calls[0][2]).toMatchObject({
    name: '张三便利店',
    clientRequestId: ids[0],
  });
});

it('sends a removal again with its request id after a network failure', async () => {
  const answers = [
    { ok: false, code: 'NETWORK', message: '网络不给力' },
    { ok: true, data: { id: 'place_x' } },
    { ok: true, data: { id: 'place_y' } },
  ];
  mockedCall.mockImplementation(async () => answers.shift());
  await useCircleAdminStore.getState().removePlace('place_x');
  await useCircleAdminStore.getState().removePlace('place_x');
  await useCircleAdminStore.getState().removePlace('place_y');
  const ids = mockedCall.mock.calls.map(
    (c) => (c[2] as { clientRequestId: string }).clientRequestId,
  );
  expect(ids[1]).toBe(ids[0]);
  expect(ids[2]).not.toBe(ids[0]);
});

it('asks for a missing service with one request id per tap, reused after a network failure', async () => {
  const answers = [
    { ok: false, code: 'NETWORK', message: '网络不给力' },
    { ok: true, data: { category: 'laundry', created: true } },
    { ok: true, data: { category: 'laundry', created: false } },
  ];
  mockedCall.mockImplementation(async () => answers.shift());
  expect(await useCircleStore.getState().requestService('laundry')).toMatchObject({ ok: false });
  expect(await useCircleStore.getState().requestService('laundry')).toEqual({
    ok: true,
    message: '已提交需求',
  });
  expect(await useCircleStore.getState().requestService('laundry')).toEqual({
    ok: true,
    message: '之前已提交过',
  });
  const ids = mockedCall.mock.calls.map(
    (c) => (c[2] as { clientRequestId: string }).clientRequestId,
  );
  expect(ids[1]).toBe(ids[0]);
  expect(ids[2]).not.toBe(ids[0]);
});

it('sends a change to a place with its own request id, reused after a network failure', async () => {
  const draft = {
    name: '张三便利店',
    category: 'convenience-store',
    location: AT,
    hours: [],
    phone: '',
    address: '',
    note: '',
  } as const;
  const answers = [
    { ok: false, code: 'NETWORK', message: '网络不给力' },
    { ok: true, data: { id: 'place_x', ...draft, sample: false } },
  ];
  mockedCall.mockImplementation(async () => answers.shift());
  await useCircleAdminStore.getState().savePlace('place_x', { ...draft, hours: [] });
  await useCircleAdminStore.getState().savePlace('place_x', { ...draft, hours: [] });
  const calls = mockedCall.mock.calls.filter((c) => c[1] === 'updatePlace');
  expect(calls).toHaveLength(2);
  expect(calls[0][2]).toMatchObject({ id: 'place_x', clientRequestId: expect.any(String) });
  expect((calls[1][2] as { clientRequestId: string }).clientRequestId).toBe(
    (calls[0][2] as { clientRequestId: string }).clientRequestId,
  );
});
