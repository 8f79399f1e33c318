import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import MePage from './index';
import { resetSessionStore, useSessionStore } from '@/stores/session';
import type { WhoAmI } from '@/domain/contract';
import { __resetTaro } from '@/test-support/taro';

const secretary: WhoAmI = {
  openid: 'sample-secretary',
  role: 'secretary',
  profile: { nickname: '王五', avatarUrl: '', elderMode: false },
  createdAt: '2026-11-01T00:00:00.000Z',
  configuredSecretary: true,
};

describe('我的', () => {
  const prevEnv = process.env.TARO_ENV;
  beforeEach(() => {
    __resetTaro();
    resetSessionStore();
    process.env.TARO_ENV = 'h5';
  });
  afterEach(() => {
    process.env.TARO_ENV = prevEnv;
  });

  it('shows the role, and says when it comes from configuration', async () => {
    useSessionStore.setState({ status: 'ready', account: secretary });
    await act(async () => {
      render(<MePage />);
    });
    expect(screen.getByTestId('role').textContent).toBe('社区书记（由配置授予）');
    expect(screen.getByText('王五')).toBeTruthy();
  });

  it('turns elder mode on through the store and enlarges the page', async () => {
    const setElderMode = jest.fn(async (on: boolean) => {
      useSessionStore.setState({
        account: { ...secretary, profile: { ...secretary.profile, elderMode: on } },
      });
    });
    useSessionStore.setState({ status: 'ready', account: secretary, setElderMode });
    const { container } = await act(async () => render(<MePage />));
    await act(async () => {
      fireEvent.click(screen.getByRole('switch'));
    });
    expect(setElderMode).toHaveBeenCalledWith(true);
    expect(container.querySelector('.page-shell')?.className).toContain('elder');
  });

  it('asks before switching persona, and only then signs out', async () => {
    useSessionStore.setState({ status: 'ready', account: secretary });
    await act(async () => {
      render(<MePage />);
    });
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true });
    await act(async () => {
      fireEvent.click(screen.getByText('切换示例身份'));
    });
    expect(useSessionStore.getState().status).toBe('ready');
    await act(async () => {
      fireEvent.click(screen.getByText('切换示例身份'));
    });
    expect(Taro.showModal).toHaveBeenCalledTimes(2);
    expect(useSessionStore.getState().status).toBe('signed-out');
    expect(screen.getByText('选择身份登录')).toBeTruthy();
  });
});
