/**
 * Elder mode (长辈模式): turned on from 我的, it grows type and touch targets on tab pages and on
 * subpackage screens alike (the shared mixins in src/components/ui.scss). Screenshots of a few
 * screens in elder mode land in test-results/browser/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, type Scenario } from '../../support/runner';
import { screenshot, type ScenarioContext } from '../browser';
import { openTab, signInAs, waitForHome } from '../app';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-results', 'browser');

/** Computed font size (CSS px) of the first visible element matching `selector`. */
async function fontSize(page: Page, selector: string): Promise<number> {
  const el = page.locator(`${selector}:visible`).first();
  await el.waitFor({ state: 'visible' });
  return el.evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
}

async function minHeight(page: Page, selector: string): Promise<number> {
  const el = page.locator(`${selector}:visible`).first();
  await el.waitFor({ state: 'visible' });
  return el.evaluate((node) => node.getBoundingClientRect().height);
}

async function setElderMode(page: Page, on: boolean): Promise<void> {
  await openTab(page, '我的');
  const toggle = page
    .locator('.me__row:visible')
    .filter({ hasText: '长辈模式' })
    .locator('input[type="checkbox"], .weui-switch, taro-switch-core')
    .first();
  await toggle.click();
  await page
    .locator(on ? '.page-shell.elder:visible' : '.page-shell:not(.elder):visible')
    .first()
    .waitFor({ state: 'visible' });
}

export const elderScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'elder: 长辈模式 on 我的 grows text and buttons on tab pages and subpackage screens',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '居民 张三');
      await waitForHome(page);
      await openTab(page, '志愿');
      const titleBefore = await fontSize(page, '.vol__title, .vol__section');
      const hintBefore = await fontSize(page, '.vol__hint, .vol__stat-label');
      await page.goto('/#/packages/booking/mine/index');
      const bookingBefore = await fontSize(page, '.bk__title, .bk__section, .bk__link');

      await page.goto('/');
      await waitForHome(page);
      await setElderMode(page, true);
      try {
        const bodyElder = await fontSize(page, '.page-shell.elder');
        await openTab(page, '志愿');
        const titleAfter = await fontSize(page, '.vol__title, .vol__section');
        const hintAfter = await fontSize(page, '.vol__hint, .vol__stat-label');
        expect(
          titleAfter > titleBefore,
          `志愿 title did not grow in elder mode: ${titleBefore} → ${titleAfter}px`,
        );
        expect(
          hintAfter > hintBefore,
          `志愿 hint did not grow in elder mode: ${hintBefore} → ${hintAfter}px`,
        );
        const tab = await minHeight(page, '.vol__tab');
        expect(
          tab >= bodyElder * 2.5,
          `志愿 category tab is ${tab}px tall in elder mode, expected a large touch target`,
        );
        await screenshot(page, SCREENSHOTS, 'elder-volunteer-tab');

        await openTab(page, '生活圈');
        await page.locator('.place-row:visible').first().waitFor({ state: 'visible' });
        await screenshot(page, SCREENSHOTS, 'elder-circle-tab');

        await page.goto('/#/packages/booking/mine/index');
        const bookingAfter = await fontSize(page, '.bk__title, .bk__section, .bk__link');
        expect(
          bookingAfter > bookingBefore,
          `我的预约 text did not grow in elder mode: ${bookingBefore} → ${bookingAfter}px`,
        );
        await screenshot(page, SCREENSHOTS, 'elder-my-bookings');

        await page.goto('/#/packages/volunteer/register/index');
        const vpTitle = await fontSize(page, '.vp__title, .vp__label');
        expect(
          vpTitle >= bodyElder * 0.85,
          `志愿者登记 text is ${vpTitle}px in elder mode (page body ${bodyElder}px)`,
        );
        await screenshot(page, SCREENSHOTS, 'elder-volunteer-register');
      } finally {
        // Leave 张三 as the other scenarios expect him.
        await page.goto('/');
        await waitForHome(page);
        await setElderMode(page, false);
      }
    },
  },
];
