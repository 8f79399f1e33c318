/**
 * The simulated wx refuses what WeChat refuses, the way WeChat answers it (through `fail` and a
 * rejected promise, or a throw for …Sync), and flags what WeChat would show wrongly. This is the
 * one scenario that calls wx directly instead of walking the app: it keeps the checks honest, since
 * a walk only shows that the app's own calls pass them.
 */
import { expect } from '../../support/runner';
import type { Journey } from '../journey';

type Api = Record<string, (options?: unknown, ...rest: unknown[]) => unknown>;

async function refusal(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (e) {
    return (e as { errMsg?: string; message?: string }).errMsg ?? (e as Error).message;
  }
  return '(accepted)';
}

export const wxCheckJourneys: Journey[] = [
  {
    name: "wx checks: WeChat's parameter errors and display limits, as the simulated wx answers them",
    persona: 'resident',
    async run({ phone, mp }) {
      // One page open: navigateBack has nowhere to go.
      await mp.reLaunch('pages/me/index');
      const wx = phone.api as Api;
      const cases: Array<[string, () => unknown, RegExp]> = [
        [
          'addPhoneCalendar endTime as a string',
          () =>
            wx.addPhoneCalendar({ title: '健身', startTime: 1764900000, endTime: '1764903600' }),
          /^addPhoneCalendar:fail parameter error: parameter\.endTime should be Number instead of String;$/,
        ],
        [
          'addPhoneCalendar in milliseconds',
          () => wx.addPhoneCalendar({ title: '健身', startTime: 1764900000000 }),
          /unix timestamp in seconds/,
        ],
        [
          'showModal content as a number',
          () => wx.showModal({ title: '提示', content: 3 }),
          /^showModal:fail parameter error: parameter\.content should be String instead of Number;$/,
        ],
        [
          'showModal confirmText over 4 characters',
          () => wx.showModal({ title: '提示', content: '确定？', confirmText: '确认并发布' }),
          /confirmText length/,
        ],
        [
          'showActionSheet with 7 items',
          () => wx.showActionSheet({ itemList: ['1', '2', '3', '4', '5', '6', '7'] }),
          /itemList should not be large than 6/,
        ],
        [
          'showToast without a title',
          () => wx.showToast({ icon: 'none' }),
          /parameter\.title should be String instead of Undefined/,
        ],
        [
          'navigateTo a tab page',
          () => wx.navigateTo({ url: '/pages/me/index' }),
          /^navigateTo:fail can not navigateTo a tabbar page$/,
        ],
        [
          'navigateTo a page that does not exist',
          () => wx.navigateTo({ url: '/packages/nowhere/index' }),
          /is not found/,
        ],
        [
          'switchTab to a page without a tab',
          () => wx.switchTab({ url: '/packages/booking/mine/index' }),
          /can not switch to no-tabBar page/,
        ],
        [
          'setStorageSync with a number key',
          () => wx.setStorageSync(1, 'x'),
          /^setStorageSync:fail parameter error: parameter\.key should be String instead of Number;$/,
        ],
        [
          'setStorage over 1 MB',
          () => wx.setStorage({ key: 'big', data: 'x'.repeat(1024 * 1024 + 1) }),
          /exceed storage item max length/,
        ],
        [
          'requestSubscribeMessage with 4 templates',
          () => wx.requestSubscribeMessage({ tmplIds: ['a', 'b', 'c', 'd'] }),
          /Templates count out of max bounds/,
        ],
        [
          'navigateTo a relative path to a tab page (from pages/me/index)',
          () => wx.navigateTo({ url: '../index/index' }),
          /^navigateTo:fail can not navigateTo a tabbar page$/,
        ],
        [
          'navigateBack on the first page',
          () => wx.navigateBack({}),
          /^navigateBack:fail cannot navigate back at first page\.$/,
        ],
        [
          'openLocation with a string latitude',
          () => wx.openLocation({ latitude: '30.59', longitude: 104.12 }),
          /parameter\.latitude should be Number instead of String/,
        ],
      ];
      const wrong: string[] = [];
      for (const [what, call, expected] of cases) {
        const message = await refusal(call);
        if (!expected.test(message))
          wrong.push(`${what}: expected ${String(expected)}, WeChat-like answer was «${message}»`);
      }
      // The callback form fails through `fail`, as WeChat's base library does.
      const viaCallback = await new Promise<string>((resolve) => {
        wx.showModal({
          title: 1,
          content: '',
          fail: (e: { errMsg: string }) => resolve(e.errMsg),
          success: () => resolve('(accepted)'),
        });
      });
      if (!/parameter\.title should be String instead of Number/.test(viaCallback))
        wrong.push(`showModal fail callback: «${viaCallback}»`);

      // Shown wrong, not refused: WeChat answers ok, the test fails.
      const before = phone.findings.length;
      const shown = await wx.showToast({ title: '登记成功，欢迎加入志愿者队伍', icon: 'success' });
      if ((shown as { errMsg?: string }).errMsg !== 'showToast:ok')
        wrong.push(
          `an over-long toast should still answer showToast:ok, got ${JSON.stringify(shown)}`,
        );
      const display = phone.findings.slice(before).filter((f) => f.kind === 'display');
      if (!display.some((f) => /at most 7 Chinese characters/.test(f.message)))
        wrong.push('a success toast of 14 characters should be flagged');
      await wx.showToast({ title: '紧急情况会立即通知社区书记', icon: 'none' });
      if (phone.findings.slice(before).length !== display.length)
        wrong.push('icon "none" allows more than 7 characters (two lines)');
      await wx.showToast({ title: '已确认 3 条', icon: 'success' });
      if (phone.findings.slice(before).length !== display.length)
        wrong.push('«已确认 3 条» is 5.5 Chinese characters wide and fits');

      expect(
        wrong.length === 0,
        `the simulated wx does not answer like WeChat:\n  ${wrong.join('\n  ')}`,
      );
      // Every call above was meant to be wrong: they are not the app's findings.
      phone.findings.length = 0;
    },
  },
];
