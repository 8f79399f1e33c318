/**
 * Issue 13 items 1 and 5, at phone size: the entrance check-in card follows the clock (the 签到
 * button appears when the window opens, with no reload), and a way around — 首页's bookable
 * service rows open their slots, H5 subpages have a back bar, and 我的 is the hub with each link
 * only for the roles that may use it.
 */
import type { Page } from 'playwright-core';
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { openTab, signInAs, visibleText, waitForHome, type PersonaLabel } from '../app';
import type { BookingView, CheckInOption } from '../../../src/domain/contract';

const visible = (page: Page, testId: string) => page.getByTestId(testId).locator('visible=true');

async function expectShown(page: Page, testId: string, what: string): Promise<void> {
  try {
    await visible(page, testId).first().waitFor({ state: 'visible', timeout: 8_000 });
  } catch {
    expect(false, `expected ${what}; page text: «${excerpt(await visibleText(page))}»`);
  }
}

/** "M月D日 HH:mm" in Asia/Shanghai, as the server words a check-in time. */
function words(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

/** Today's gym booking whose check-in window opens at `opens` (15 min before the start). */
function gymBooking(opens: Date): BookingView {
  const start = new Date(opens.getTime() + 15 * 60_000);
  const end = new Date(start.getTime() + 60 * 60_000);
  return {
    id: 'e2e-way-around-booking',
    serviceId: 'r29-gym',
    serviceName: '24小时共享健身房（示例）',
    place: '一楼',
    kind: 'capacity',
    state: 'confirmed',
    stateLabel: '已预约',
    slotIds: ['r29-gym@e2e'],
    date: start.toISOString().slice(0, 10),
    start: start.toISOString(),
    end: end.toISOString(),
    when: `今天 ${words(start).split(' ')[1]}`,
    checkInOpens: opens.toISOString(),
    checkInCloses: new Date(start.getTime() + 15 * 60_000).toISOString(),
    canCancel: true,
    createdAt: new Date(opens.getTime() - 86_400_000).toISOString(),
  };
}

/** Tap the back bar and wait for the subpage to leave (H5 removes it after its animation). */
async function goBack(page: Page): Promise<void> {
  // Taro's H5 router mishandles a 返回 tapped while the page is still sliding in.
  await visible(page, 'back-bar').waitFor({ state: 'visible' });
  await page.waitForTimeout(500);
  await visible(page, 'back-bar').click();
  try {
    await page.locator('[data-testid="back-bar"]:visible').waitFor({ state: 'hidden' });
  } catch {
    expect(false, `the back bar is still shown after going back (${page.url()})`);
  }
}

async function signedInOn(page: Page, persona: PersonaLabel): Promise<void> {
  await page.goto('/');
  await signInAs(page, persona);
  await waitForHome(page);
}

const hubLinks = async (page: Page) =>
  (
    await page
      .locator('.me__link[data-testid]:visible')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))
  ).sort();

const ADMIN_LINKS = [
  'admin-access',
  'admin-booking',
  'admin-coverage',
  'admin-flags',
  'admin-places',
  'admin-roster',
  'admin-settings',
  'admin-volunteer',
];

export const wayAroundScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'way around: the entrance check-in card shows 签到 when the window opens, with no reload',
    async run({ page }) {
      // The phone's clock is fake; the check-in server answers as it would at that clock, so the
      // window can be reached in the test without waiting.
      const start = Date.now();
      await page.clock.install({ time: start });
      const opens = new Date(Math.ceil((start + 3 * 60_000) / 60_000) * 60_000);
      const booking = gymBooking(opens);
      let asked = 0;
      await page.route('**/api/cloud/booking', async (route) => {
        const body = route.request().postDataJSON() as { action?: string };
        if (body.action !== 'checkInOptions') return route.fallback();
        asked += 1;
        const now = await page.evaluate(() => Date.now());
        const option: CheckInOption =
          now < opens.getTime()
            ? { booking, kind: 'not-yet', reason: `签到将于 ${words(opens)} 开始` }
            : { booking, kind: 'open', reason: '' };
        return route.fulfill({ json: { ok: true, data: { options: [option] } } });
      });

      await page.goto('/#/pages/index/index?scene=s%3Dr29');
      await signInAs(page, '居民 张三');
      await waitForHome(page);
      await expectShown(
        page,
        'check-in-card',
        'the check-in card on 首页 opened from the entrance',
      );
      const card = visible(page, 'check-in-card');
      const before = await card.innerText();
      expect(
        before.includes(`签到将于 ${words(opens)} 开始`),
        `expected "签到将于 ${words(opens)} 开始" before the window, got «${before}»`,
      );
      expect((await visible(page, 'check-in').count()) === 0, 'a 签到 button before the window');

      // The window opens while the page stays on screen: no reload, no tap.
      await page.clock.fastForward(opens.getTime() - start + 2_000);
      await expectShown(page, 'check-in', 'the 签到 button once the window opened (no reload)');
      const after = await card.innerText();
      expect(!after.includes('签到将于'), `the card still says when it opens: «${after}»`);
      expect(asked >= 2, `the card asked the server ${asked} time(s); expected again at opening`);

      // Returning to the tab reads the card again.
      const seen = asked;
      await openTab(page, '我的');
      // 首页 is hidden only once 我的 is on screen and 首页's content is not: only then can it be
      // shown again (on a loaded machine the address changes well before the pages switch).
      await page.locator('[data-testid="role"]:visible').waitFor({ timeout: 8_000 });
      await page.locator('[data-testid="open-summary"]').first().waitFor({ state: 'hidden' });
      await openTab(page, '首页');
      // The show handler's read may take a moment on a loaded machine: wait for it (up to 5 s).
      for (let waited = 0; asked <= seen && waited < 5_000; waited += 100)
        await page.waitForTimeout(100);
      expect(asked > seen, 'returning to 首页 did not read the check-in card again');
    },
  },
  {
    name: 'way around: a bookable 首页 row opens its slots, and the back bar returns to 首页',
    async run({ page }) {
      await signedInOn(page, '居民 张三');
      await page
        .locator('[data-testid="service-row"]:visible', { hasText: '24小时共享健身房' })
        .click();
      try {
        await page.waitForURL(/packages\/booking\/slots\/index\?serviceId=r29-gym/, {
          timeout: 8_000,
        });
        await page.getByText('每时段').locator('visible=true').first().waitFor();
      } catch {
        expect(
          false,
          `tapping the gym row did not open its slots (${page.url()}); page text: «${excerpt(await visibleText(page))}»`,
        );
      }
      const back = visible(page, 'back-bar');
      await expectShown(page, 'back-bar', 'a back bar on the slots page');
      const label = (await back.innerText()).trim();
      expect(label === '‹ 返回', `expected "‹ 返回", got "${label}"`);
      await goBack(page);
      await waitForHome(page);
      // Walk-in services have no slots: their rows are not links.
      const walkIn = page.locator('[data-testid="service-row"][data-bookable="no"]:visible');
      expect((await walkIn.count()) > 0, 'expected walk-in rows (not bookable) on 首页');
    },
  },
  {
    name: 'way around: a subpage opened directly offers 首页',
    async run({ page }) {
      await page.goto('/#/packages/booking/mine/index');
      await signInAs(page, '居民 张三');
      await expectShown(page, 'back-bar', 'a back bar on 我的预约 opened directly');
      const label = (await visible(page, 'back-bar').innerText()).trim();
      expect(label === '‹ 首页', `expected "‹ 首页" with nothing to go back to, got "${label}"`);
      await goBack(page);
      await waitForHome(page);
    },
  },
  {
    name: 'way around: 我的 is the hub, each link only for the roles that may use it',
    async run({ page }) {
      await signedInOn(page, '居民 张三');
      await openTab(page, '我的');
      await expectShown(page, 'me-bookings', '我的预约 on 我的');
      const resident = await hubLinks(page);
      expect(
        JSON.stringify(resident) === JSON.stringify(['me-bookings', 'me-privacy', 'me-register']),
        `a resident's links: ${resident.join(', ')}`,
      );
      await visible(page, 'me-privacy').click();
      const notice = await visible(page, 'privacy-notice').innerText();
      expect(notice.includes('导出或删除'), `the privacy notice says how to ask: «${notice}»`);
      await visible(page, 'me-bookings').click();
      await page.waitForURL(/packages\/booking\/mine\/index/);
      await goBack(page);
      await expectShown(page, 'me-bookings', 'back on 我的 after 返回');

      await page.getByText('切换示例身份').click();
      await page.getByText('退出', { exact: true }).locator('visible=true').click();
      await signInAs(page, '志愿者 李四');
      await expectShown(page, 'me-pairs', '我的结对 for a volunteer');
      const volunteer = await hubLinks(page);
      expect(
        JSON.stringify(volunteer) ===
          JSON.stringify(['me-bookings', 'me-pairs', 'me-privacy', 'me-rewards', 'me-volunteer']),
        `a volunteer's links: ${volunteer.join(', ')}`,
      );
      await visible(page, 'me-pairs').click();
      await page.waitForURL(/packages\/visits\/mine\/index/);
      await goBack(page);

      await expectShown(page, 'me-pairs', 'back on 我的');
      await page.getByText('切换示例身份').click();
      await page.getByText('退出', { exact: true }).locator('visible=true').click();
      await signInAs(page, '社区书记 王五');
      await expectShown(page, 'admin-booking', '管理 links for the secretary');
      const secretary = await hubLinks(page);
      const expected = [...ADMIN_LINKS, 'me-bookings', 'me-notify-flags', 'me-privacy'].sort();
      expect(
        JSON.stringify(secretary) === JSON.stringify(expected),
        `the secretary's links: ${secretary.join(', ')}`,
      );
      for (const [testId, url] of [
        ['admin-places', /packages\/circle\/places\/index/],
        ['admin-roster', /packages\/visits\/roster\/index/],
      ] as const) {
        await visible(page, testId).click();
        await page.waitForURL(url);
        await goBack(page);
        await expectShown(page, testId, `back on 我的 from ${testId}`);
      }
    },
  },
];
