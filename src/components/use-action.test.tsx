import Taro from '@tarojs/taro';
import { act, renderHook } from '@testing-library/react';
import type { Outcome } from '@/stores/outcome';
import { useAction } from './use-action';

describe('useAction', () => {
  beforeEach(() => jest.mocked(Taro.showToast).mockClear());

  it('busy while the call runs, toasts the outcome, then goes on with the data', async () => {
    const { result } = renderHook(() => useAction());
    let finish: (o: Outcome<number>) => void = () => undefined;
    const then = jest.fn();
    let running: Promise<void> = Promise.resolve();
    act(() => {
      running = result.current.run(() => new Promise<Outcome<number>>((r) => (finish = r)), {
        then,
      });
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      finish({ ok: true, message: '已报名', data: 7 });
      await running;
    });
    expect(result.current.busy).toBe(false);
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已报名', icon: 'success' });
    expect(then).toHaveBeenCalledWith(7);
  });

  it('a refusal is toasted without the icon and does not go on; a second tap while busy does nothing', async () => {
    const { result } = renderHook(() => useAction());
    const call = jest.fn(async (): Promise<Outcome> => ({
      ok: false,
      message: '名额已满',
      code: 'POST_FULL',
    }));
    const then = jest.fn();
    await act(async () => {
      await Promise.all([result.current.run(call, { then }), result.current.run(call, { then })]);
    });
    expect(call).toHaveBeenCalledTimes(1);
    expect(then).not.toHaveBeenCalled();
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '名额已满', icon: 'none' });
  });

  it('a stopped action (null) says nothing; a refusal beside the form is not toasted', async () => {
    const { result } = renderHook(() => useAction());
    const then = jest.fn();
    const otherwise = jest.fn();
    await act(async () => {
      await result.current.run(async () => null, { then, otherwise });
    });
    expect(Taro.showToast).not.toHaveBeenCalled();
    await act(async () => {
      await result.current.run(async (): Promise<Outcome> => ({ ok: false, message: '名称太长' }), {
        toast: 'success',
        then,
        otherwise,
      });
    });
    expect(Taro.showToast).not.toHaveBeenCalled();
    expect(otherwise).toHaveBeenCalledWith({ ok: false, message: '名称太长' });
    await act(async () => {
      await result.current.run(async (): Promise<Outcome> => ({ ok: true, message: '已保存' }), {
        toast: 'success',
        then,
      });
    });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已保存', icon: 'success' });
    expect(then).toHaveBeenCalledTimes(1);
  });
});
