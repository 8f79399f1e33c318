import Taro from '@tarojs/taro';
import { showOutcome, toastWidth } from './toast';

describe('showOutcome', () => {
  beforeEach(() => jest.mocked(Taro.showToast).mockClear());

  it('counts half-width characters as half a Chinese character', () => {
    expect(toastWidth('已确认 3 条')).toBe(5.5);
    expect(toastWidth('登记成功')).toBe(4);
  });

  it('shows a short success with the icon', () => {
    showOutcome({ ok: true, message: '已确认 12 条' });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已确认 12 条', icon: 'success' });
  });

  it('shows a success longer than 7 characters without the icon, so it is not cut off', () => {
    showOutcome({ ok: true, message: '已确认 2 条，1 条已确认过或无效' });
    expect(Taro.showToast).toHaveBeenCalledWith({
      title: '已确认 2 条，1 条已确认过或无效',
      icon: 'none',
    });
  });

  it('shows a failure without the icon', () => {
    showOutcome({ ok: false, message: '网络不给力' });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '网络不给力', icon: 'none' });
  });
});
