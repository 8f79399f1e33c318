/** jest only: the parts of @tarojs/taro the app uses, with in-memory storage and recorded navigation. */
const storage = new Map<string, unknown>();
let routerParams: Record<string, string> = {};

export function __setRouterParams(params: Record<string, string>): void {
  routerParams = params;
}

export function __resetTaro(): void {
  storage.clear();
  routerParams = {};
  Taro.showModal.mockClear();
  Taro.switchTab.mockClear();
  Taro.navigateTo.mockClear();
}

const Taro = {
  getStorageSync: (key: string): unknown => storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown): void => void storage.set(key, value),
  removeStorageSync: (key: string): void => void storage.delete(key),
  showModal: jest.fn(async () => ({ confirm: true, cancel: false })),
  showToast: jest.fn(async () => ({})),
  switchTab: jest.fn(async () => ({})),
  navigateTo: jest.fn(async () => ({})),
  stopPullDownRefresh: jest.fn(),
  pageScrollTo: jest.fn(async () => ({})),
  setTabBarBadge: jest.fn(async () => ({})),
  removeTabBarBadge: jest.fn(async () => ({})),
  cloud: {
    init: jest.fn(),
    callFunction: jest.fn(async () => {
      throw new Error('no network in unit tests');
    }),
  },
};

export const useRouter = () => ({ params: routerParams, path: '' });
export const usePullDownRefresh = (_fn: () => void): void => undefined;
export const useLaunch = (_fn: () => void): void => undefined;
export const useDidShow = (_fn: () => void): void => undefined;
export const useDidHide = (_fn: () => void): void => undefined;
export default Taro;
