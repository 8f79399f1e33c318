/**
 * Issue 4 "Opportunity lists, claims and the points ledger", at a phone viewport: the secretary
 * publishes a list, a volunteer claims a post, the secretary confirms the service, and the
 * volunteer sees the points and redeems a reward.
 */
import type { Page } from 'playwright-core';
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { expectText, openTab, signInAs, visibleText, switchTo } from '../app';

const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

async function fill(page: Page, testId: string, value: string): Promise<void> {
  const input = page
    .locator(`[data-testid="${testId}"] input:visible, input[data-testid="${testId}"]:visible`)
    .first();
  await input.fill(value);
}

async function confirmModal(page: Page, label: string): Promise<void> {
  await page.getByText(label, { exact: true }).locator('visible=true').last().click();
}

export const volunteerScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'volunteer: secretary publishes, volunteer claims, secretary confirms, volunteer redeems',
    async run({ page }) {
      const title = `楼道清洁${Date.now().toString(36).slice(-4)}`;
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="vol-admin"]').click();
      await visible(page, '[data-testid="admin-compose"]').click();
      await fill(page, 'compose-title', '本周机会岗位清单（测试）');
      await fill(page, 'compose-post-title', title);
      await fill(page, 'compose-post-points', '10');
      await visible(page, '[data-testid="compose-add-post"]').click();
      await expectText(page, title, 'the composed list');
      await visible(page, '[data-testid="compose-publish"]').click();
      await confirmModal(page, '发布');
      await visible(page, '[data-testid="admin-list"]').waitFor();

      await switchTo(page, '志愿者 李四');
      await openTab(page, '志愿');
      await page.locator('[data-testid="vol-post"]:visible', { hasText: title }).click();
      await visible(page, '[data-testid="post-claim"]').click();
      await confirmModal(page, '认领');
      await visible(page, '[data-testid="post-claimed"]').waitFor();

      await switchTo(page, '社区书记 王五');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="vol-admin"]').click();
      await page
        .locator('[data-testid="admin-list"]:visible', { hasText: '本周机会岗位清单（测试）' })
        .first()
        .locator('[data-testid="admin-claims"]')
        .click();
      await visible(page, '[data-testid="claim-row"]').waitFor();
      await page.getByText('全选', { exact: true }).locator('visible=true').click();
      await visible(page, '[data-testid="claims-confirm"]').click();
      await confirmModal(page, '确定');
      await expectText(page, '已确认', 'the claims page after confirming');

      await switchTo(page, '志愿者 李四');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="vol-summary"]').click();
      const points = visible(page, '[data-testid="mine-points"]');
      await points.waitFor();
      await page.waitForFunction(() => {
        const el = [...document.querySelectorAll('[data-testid="mine-points"]')].find(
          (e) => (e as HTMLElement).offsetParent !== null,
        );
        return el !== undefined && Number(el.textContent) >= 10;
      });
      await expectText(page, '服务确认', '我的志愿 ledger');
      await visible(page, '[data-testid="mine-rewards"]').click();
      await page
        .locator('[data-testid="reward"]:visible', { hasText: '咖啡券' })
        .getByText('兑换', { exact: true })
        .click();
      await confirmModal(page, '兑换');
      const code = visible(page, '[data-testid="redeem-code"]');
      await code.waitFor();
      const text = await code.innerText();
      expect(
        /[2-9A-HJKMNP-Z]{8}/.test(text),
        `expected an 8-character redemption code, got «${excerpt(text)}»; page: «${excerpt(await visibleText(page))}»`,
      );
    },
  },
];
