/**
 * Issue "foundation": sign-in with a sample persona, 首页 with what is open now, the entrance
 * deep link, and the role on 我的.
 */
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import {
  expectSignInScreen,
  expectText,
  openTab,
  signInAs,
  visibleText,
  waitForHome,
} from '../app';

export const foundationScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'foundation: a resident signs in and 首页 shows what is open now',
    async run({ page }) {
      await page.goto('/');
      await expectSignInScreen(page);
      await signInAs(page, '居民 张三');
      const home = await waitForHome(page);
      expect(
        home.title.includes('R29'),
        `expected the space name to contain "R29", got "${home.title}"`,
      );
      expect(
        /\d+\s*\/\s*\d+ 项服务现在开放/.test(home.summary),
        `expected "N / M 项服务现在开放", got "${home.summary}"`,
      );
      const openRows = page.locator('[data-testid="service-row"][data-open="yes"]');
      await openRows.first().waitFor({ state: 'visible' });
      // The 24-hour gym is open at any hour, so at least one row is marked open.
      const gym = openRows.filter({ hasText: '健身房' });
      expect(
        (await gym.count()) === 1,
        `expected the 24-hour gym among the open services; page text: «${excerpt(await visibleText(page))}»`,
      );
      await expectText(page, '24小时开放', '首页');
      const openCount = Number(home.summary.match(/^(\d+)/)?.[1] ?? -1);
      expect(
        openCount === (await openRows.count()),
        `the summary says ${openCount} open but ${await openRows.count()} rows are marked open`,
      );
    },
  },
  {
    name: 'foundation: the entrance QR deep link lands on 首页 with a welcome',
    async run({ page }) {
      await page.goto('/#/pages/index/index?scene=s%3Dr29');
      await signInAs(page, '居民 张三');
      await waitForHome(page);
      await expectText(page, '欢迎来到', '首页 opened from the entrance code');
      const title = (await page.locator('.home__title:visible').innerText()).trim();
      expect(title.includes('R29'), `expected the R29 space after the deep link, got "${title}"`);
    },
  },
  {
    name: 'foundation: 我的 shows the role — 居民, then 社区书记 after switching persona',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '居民 张三');
      await waitForHome(page);
      await openTab(page, '我的');
      const role = page.getByTestId('role');
      await role.waitFor({ state: 'visible' });
      expect(
        (await role.innerText()).includes('居民'),
        `expected the role 居民 on 我的, got "${await role.innerText()}"`,
      );

      await page.getByText('切换示例身份').click();
      // Taro's H5 showModal: confirm "退出".
      await page.getByText('退出', { exact: true }).locator('visible=true').click();
      await signInAs(page, '社区书记 王五');
      await role.waitFor({ state: 'visible' });
      const secretary = (await role.innerText()).trim();
      expect(
        secretary.includes('社区书记'),
        `expected the role 社区书记 on 我的 after switching, got "${secretary}"`,
      );
    },
  },
  {
    name: 'foundation: every tab opened cold (signing in on that tab) loads its content',
    async run({ page }) {
      const tabs: Array<[string, string]> = [
        ['pages/circle/index', '生活圈'],
        ['pages/booking/index', '预约'],
        ['pages/volunteer/index', '志愿'],
        ['pages/me/index', '我的'],
      ];
      for (const [route, label] of tabs) {
        // A fresh start on that tab: no session, the app loaded at that route.
        await page.goto(`/#/${route}`);
        await page.evaluate(() => localStorage.clear());
        await page.reload();
        await signInAs(page, '志愿者 李四');
        try {
          // Content arrived: no loading block is left on the visible page.
          await page.waitForFunction(
            () =>
              [...document.querySelectorAll('.state-view--loading')].every(
                (el) => (el as HTMLElement).offsetParent === null,
              ) && document.querySelectorAll('.page-shell').length > 0,
            undefined,
            { timeout: 15_000 },
          );
        } catch {
          expect(
            false,
            `${label} opened cold stayed loading; page text: «${excerpt(await visibleText(page))}»`,
          );
        }
      }
    },
  },
];
