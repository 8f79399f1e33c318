import { act, render, screen } from '@testing-library/react';
import HomePage from './index';
import { useSessionStore, resetSessionStore } from '@/stores/session';
import { useSpaceStore, resetSpaceStore } from '@/stores/space';
import type { SpaceOverview, WhoAmI } from '@/domain/contract';
import { __resetTaro, __setRouterParams } from '@/test-support/taro';

const account: WhoAmI = {
  openid: 'sample-resident',
  role: 'resident',
  profile: { nickname: '张三', avatarUrl: '', elderMode: false },
  createdAt: '2026-11-01T00:00:00.000Z',
  configuredSecretary: false,
};

const overview: SpaceOverview = {
  space: {
    id: 'r29',
    name: 'R29社区生活空间（示例）',
    address: '锦江大道（示例）',
    intro: '',
    location: { latitude: 30.59, longitude: 104.13 },
    sample: true,
  },
  services: [
    {
      id: 'gym',
      spaceId: 'r29',
      name: '24小时健身房',
      category: 'gym',
      summary: '器械训练',
      place: '二楼',
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
      bookingKind: 'capacity',
      order: 1,
    },
    {
      id: 'never',
      spaceId: 'r29',
      name: '暂停的服务',
      category: 'cafe',
      summary: '',
      place: '一楼',
      hours: [],
      bookingKind: 'walk-in',
      order: 2,
    },
  ],
};

describe('首页', () => {
  beforeEach(() => {
    __resetTaro();
    resetSessionStore();
    resetSpaceStore();
  });

  it('shows the space, who is signed in and which services are open now', async () => {
    useSessionStore.setState({ status: 'ready', account });
    const load = jest.fn(async () => undefined);
    useSpaceStore.setState({ status: 'ready', overview, load });
    __setRouterParams({ scene: 's%3Dr29' });
    await act(async () => {
      render(<HomePage />);
    });
    expect(load).toHaveBeenCalledWith('r29', 'entrance');
    expect(screen.getByText('R29社区生活空间（示例）')).toBeTruthy();
    expect(screen.getByText('张三 · 居民')).toBeTruthy();
    expect(screen.getByText('24小时开放')).toBeTruthy();
    expect(screen.getByText('暂停开放')).toBeTruthy();
    expect(screen.getByTestId('open-summary').textContent).toBe('1 / 2 项服务现在开放');
  });

  it('offers a retry when the space cannot be loaded', async () => {
    useSessionStore.setState({ status: 'ready', account });
    const load = jest.fn(async () => undefined);
    useSpaceStore.setState({ status: 'error', error: '网络不给力，请检查网络后重试', load });
    await act(async () => {
      render(<HomePage />);
    });
    expect(screen.getByText('网络不给力，请检查网络后重试')).toBeTruthy();
    await act(async () => {
      screen.getByText('重试').click();
    });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('asks an H5 tester to pick a persona when signed out', async () => {
    const prev = process.env.TARO_ENV;
    process.env.TARO_ENV = 'h5';
    try {
      useSessionStore.setState({ status: 'signed-out' });
      await act(async () => {
        render(<HomePage />);
      });
      expect(screen.getByText('选择身份登录')).toBeTruthy();
      expect(screen.getByText('居民 张三（示例）')).toBeTruthy();
    } finally {
      process.env.TARO_ENV = prev;
    }
  });
});
