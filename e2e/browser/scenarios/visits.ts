/**
 * Issue 5 "Elder home visits", at a phone viewport: the secretary sees 赵奶奶（示例） overdue; the
 * volunteer logs a visit while the network is cut (saved on the phone, shown as waiting); the
 * network returns and the visit is sent by itself; the secretary sees 赵奶奶 visited.
 */
import type { Page } from 'playwright-core';
import { expect, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { expectText, openTab, signInAs, switchTo } from '../app';

const ELDER = '赵奶奶（示例）';
const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

/** The waiting-visits box has gone: everything queued was sent (up to 15 s). */
async function queueSent(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[data-testid="visit-queue"]')].some(
        (e) => (e as HTMLElement).offsetParent !== null,
      ),
    undefined,
    { timeout: 15_000 },
  );
}

/** Requests refused while the network was cut are the point of these tests, not a fault. */
function forgiveOffline(problems: string[]): void {
  for (let i = problems.length - 1; i >= 0; i--)
    if (/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(problems[i])) problems.splice(i, 1);
}

/** The secretary's coverage dashboard: the elder's state there, and the first row's state. */
async function coverageState(page: Page): Promise<{ elder: string | null; first: string | null }> {
  await openTab(page, '志愿');
  await visible(page, '[data-testid="visits-entry"]').click();
  await visible(page, '[data-testid="open-coverage"]').click();
  await visible(page, '[data-testid="coverage-rate"]').waitFor();
  const row = page.locator(`[data-testid="coverage-elder"][data-elder="${ELDER}"]:visible`).first();
  await row.waitFor();
  return {
    elder: await row.getAttribute('data-state'),
    first: await visible(page, '[data-testid="coverage-elder"]').getAttribute('data-state'),
  };
}

export const visitsScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'visits: a visit logged with the network cut is sent when it returns; the secretary sees the elder move from overdue to visited',
    async run({ page, context, problems }) {
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      const before = await coverageState(page);
      expect(before.elder === 'overdue', `${ELDER} should start overdue, was ${before.elder}`);
      expect(
        before.first === 'overdue',
        `overdue elders should come first, first row was ${before.first}`,
      );

      await switchTo(page, '志愿者 李四');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="visits-entry"]').click();
      const card = page.locator(`[data-testid="my-elder"][data-elder="${ELDER}"]:visible`).first();
      await card.locator('[data-testid="due-tag"][data-state="overdue"]').waitFor();
      expect(
        (await visible(page, '[data-testid="my-elder"] [data-testid="due-tag"]').getAttribute(
          'data-state',
        )) === 'overdue',
        '我的结对 should list the most due first',
      );
      await card.locator('[data-testid="log-visit"]').click();
      await visible(page, '[data-testid="visit-submit"]').waitFor();
      await visible(page, '[data-testid="check-mood"]').click();

      await context.setOffline(true);
      await visible(page, '[data-testid="visit-submit"]').click();
      // Back on 我的结对: the visit waits on the phone.
      const queue = visible(page, '[data-testid="visit-queue"]');
      await queue.waitFor();
      await expectText(page, '待发送 1 条', '我的结对 while offline');
      expect(
        (await card.locator('[data-testid="due-tag"]').getAttribute('data-state')) === 'overdue',
        'nothing reached the server while offline',
      );

      await context.setOffline(false);
      // The network's return sends it without a tap; the elder is now visited.
      await queueSent(page);
      await card.locator('[data-testid="due-tag"][data-state="visited"]').waitFor();
      forgiveOffline(problems);

      await switchTo(page, '社区书记 王五');
      const after = await coverageState(page);
      expect(after.elder === 'visited', `${ELDER} should now be visited, was ${after.elder}`);
    },
  },
  {
    name: 'visits: with no signal from the start, the app opens, 我的结对 shows the saved list and the visit form (never opened before) opens and queues the visit',
    async run({ page, context, problems }) {
      await page.goto('/');
      await signInAs(page, '志愿者 李四');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="visits-entry"]').click();
      await page
        .locator(`[data-testid="my-elder"][data-elder="${ELDER}"]:visible`)
        .first()
        .waitFor();
      // The build's files are on the phone once its service worker is active.
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.active?.state;
      });

      await context.setOffline(true);
      // The app is opened again with no signal: the page and the visits screens come from the phone.
      await page.reload();
      await page.goto('/#/packages/visits/mine/index');
      await visible(page, '[data-testid="mine-offline"]').waitFor();
      const card = page.locator(`[data-testid="my-elder"][data-elder="${ELDER}"]:visible`).first();
      await card.locator('[data-testid="log-visit"]').click();
      await visible(page, '[data-testid="visit-submit"]').click();
      await visible(page, '[data-testid="visit-queue"]').waitFor();
      await expectText(page, '待发送 1 条', '我的结对 while offline');

      await context.setOffline(false);
      // Sent by itself: the waiting visits are tried again even when no network event arrives.
      await queueSent(page);
      await card.locator('[data-testid="due-tag"][data-state="visited"]').waitFor();
      forgiveOffline(problems);
    },
  },
];
