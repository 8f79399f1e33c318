import Taro from '@tarojs/taro';

/**
 * WeChat shows at most 7 Chinese characters of a toast's title beside its icon (wx.showToast:
 * "success / error / loading：此时 title 文本最多显示 7 个汉字长度"; "none：最多可显示两行").
 * A success message built from data (counts, names) may run longer: then it goes without the icon,
 * so it is shown whole. Half-width characters count as half.
 */
export const TOAST_ICON_TITLE_MAX = 7;

export function toastWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u0000-\u00ff]/.test(ch) ? 0.5 : 1;
  return width;
}

/** A request's outcome as a toast: the success icon when it fits, otherwise text only. */
export function showOutcome(o: { ok: boolean; message: string }): void {
  const icon = o.ok && toastWidth(o.message) <= TOAST_ICON_TITLE_MAX ? 'success' : 'none';
  void Taro.showToast({ title: o.message, icon });
}

/** A short notice that is not a request's outcome (a form not yet complete, a missing permission). */
export function showHint(message: string): void {
  void Taro.showToast({ title: message, icon: 'none' });
}
