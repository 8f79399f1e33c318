/**
 * Issue 13 item 13 "A default that contradicts the story", at a phone viewport: the secretary sees
 * 一般 elders visited monthly by default, and adding an elder, living situation and health suggest
 * the risk level — pre-selected until the secretary chooses, never moving their choice after.
 */
import type { Page } from 'playwright-core';
import { expect, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { expectText, signInAs } from '../app';

const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

async function selectedRisk(page: Page): Promise<string[]> {
  const on: string[] = [];
  for (const r of ['high', 'key', 'general']) {
    const cls = await visible(page, `[data-testid="risk-${r}"]`).getAttribute('class');
    if (cls?.includes('vv__choice--on')) on.push(r);
  }
  return on;
}

async function expectSuggested(
  page: Page,
  level: string,
  picked: string,
  when: string,
): Promise<void> {
  const suggestion = visible(page, '[data-testid="risk-suggestion"]');
  const shown = await suggestion.getAttribute('data-level');
  const on = await selectedRisk(page);
  expect(
    shown === level && on.length === 1 && on[0] === picked,
    `${when}: suggested ${shown}, selected ${on.join(',')}; expected ${level} / ${picked} («${await suggestion.innerText()}»)`,
  );
}

export const cadenceScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'visits: 一般 elders are visited monthly by default; living situation and health suggest the risk level, the secretary decides',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await page.goto('/#/packages/visits/settings/index');
      const general = visible(page, '[data-testid="settings-level-general"]');
      await general.waitFor();
      const generalText = (await general.innerText()).replace(/\s+/g, ' ');
      expect(
        generalText.includes('现在：每月'),
        `一般 should default to monthly: «${generalText}»`,
      );

      await page.goto('/#/packages/visits/edit/index');
      await visible(page, '[data-testid="risk-suggestion"]').waitFor();
      await expectSuggested(page, 'key', 'key', '独居 (the default), health not given');
      await visible(page, '[data-testid="living-with-children"]').click();
      await expectSuggested(page, 'general', 'general', '与子女同住');
      await visible(page, '[data-testid="health-frail"]').click();
      await expectSuggested(page, 'high', 'high', '与子女同住 and 失能/行动不便');
      // The secretary decides: once they choose, a later suggestion does not move their choice.
      await visible(page, '[data-testid="risk-key"]').click();
      await visible(page, '[data-testid="health-well"]').click();
      await expectSuggested(page, 'general', 'key', 'after choosing 重点, then 身体尚好');
      await expectText(page, '您选择了重点', 'the suggestion line');
    },
  },
];
