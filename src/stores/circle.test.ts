import Taro from '@tarojs/taro';
import { callCloud } from '@/cloud/client';
import { resetCircleAdminStore, resetCircleStore, useCircleAdminStore, useCircleStore } from './circle';

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
    data: action === 'importPlaces' ? { written: 0, acceptedCount: 0, rejected: [], dryRun: true, system: 'wgs84' } : {},
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
  expect(mockedCall).toHaveBeenCalledWith('circle', 'places', { pace: 'adult', origin: AT, originSystem: 'wgs84' });
  expect(mockedCall).toHaveBeenCalledWith('circle', 'coverage', { pace: 'adult', origin: AT, originSystem: 'wgs84' });
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
  expect(mockedCall).toHaveBeenCalledWith('circle', 'importPlaces', { format: 'geojson', text: '{}', system: 'wgs84', dryRun: true, acceptedOnly: false });
});
