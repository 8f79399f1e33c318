/**
 * Issue 13 item 7 "dates and times are typed as text", at a phone viewport: the secretary sets a
 * blackout date on the booking rules and a list's period, a post's date and its start time in the
 * list composer through the platform pickers, typing no date or time, and the server keeps what
 * was picked.
 */
import type { Page } from 'playwright-core';
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import {
  dateColumns,
  openTab,
  pickInPicker,
  postJson,
  signInAs,
  tokenFor,
  visibleText,
} from '../app';
import { addDays } from '../../../src/domain/booking/slots';
import { shanghaiDate } from '../../../src/domain/shared/time';

const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

/** Ask a function as the secretary (the server's view of what was picked). */
async function api<T>(baseUrl: string, fn: string, action: string, input: unknown): Promise<T> {
  const token = await tokenFor(baseUrl, { persona: 'secretary' });
  return postJson<T>(baseUrl, `/api/cloud/${fn}`, { action, input }, token);
}

async function confirmModal(page: Page, label: string): Promise<void> {
  await page.getByText(label, { exact: true }).locator('visible=true').last().click();
}

export const pickerScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'pickers: the secretary picks a blackout date on the booking rules, no typing',
    async run({ page, baseUrl }) {
      const blackout = addDays(shanghaiDate(new Date()), 3);
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await page.goto('/#/packages/booking/admin/index');
      await page.getByText('规则', { exact: true }).locator('visible=true').first().click();
      await pickInPicker(page, 'blackout-add', dateColumns(blackout));
      await visible(page, `[data-testid="blackout-add-chip"][data-date="${blackout}"]`).waitFor();
      await page.getByText('保存规则', { exact: true }).locator('visible=true').first().click();
      await confirmModal(page, '保存');
      // The save is confirmed by a short toast: read the server until it has the picked date.
      type Services = {
        ok: boolean;
        data: { services: Array<{ name: string; rules: { blackoutDates: string[] } }> };
      };
      let first: Services['data']['services'][number] | undefined;
      for (let i = 0; i < 20; i++) {
        first = (await api<Services>(baseUrl, 'booking', 'listServices', {})).data.services[0];
        if (first.rules.blackoutDates.includes(blackout)) break;
        await page.waitForTimeout(250);
      }
      expect(
        first?.rules.blackoutDates.includes(blackout),
        `${first?.name}'s blackout dates are ${JSON.stringify(first?.rules.blackoutDates)}, not with the picked ${blackout}`,
      );
      const typed = await page.locator('input:visible').count();
      expect(
        typed === NUMBER_INPUTS,
        `the rules tab still has ${typed} text inputs (only its ${NUMBER_INPUTS} numbers are typed); page: «${excerpt(await visibleText(page))}»`,
      );
    },
  },
  {
    name: 'pickers: the secretary picks a list period, a post date and a start time, no typing',
    async run({ page, baseUrl }) {
      const today = shanghaiDate(new Date());
      const from = addDays(today, 1);
      const until = addDays(today, 20);
      const on = addDays(today, 5);
      const title = `选日期清单${Date.now().toString(36).slice(-4)}`;
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="vol-admin"]').click();
      await visible(page, '[data-testid="admin-compose"]').click();
      await visible(page, '[data-testid="compose-title"] input').fill(title);
      await pickInPicker(page, 'compose-period-from', dateColumns(from));
      await pickInPicker(page, 'compose-period-until', dateColumns(until));
      await visible(page, '[data-testid="compose-post-title"] input').fill('选日期岗位');
      await pickInPicker(page, 'compose-date', dateColumns(on));
      await pickInPicker(page, 'compose-start', ['08', '30']);
      await visible(page, '[data-testid="compose-add-post"]').click();
      await page.getByText('选日期岗位').locator('visible=true').first().waitFor();
      await visible(page, '[data-testid="compose-publish"]').click();
      await confirmModal(page, '发布');
      await visible(page, '[data-testid="admin-list"]').waitFor();

      const lists = await api<{
        ok: boolean;
        data: Array<{ id: string; title: string; periodFrom: string; periodUntil: string }>;
      }>(baseUrl, 'volunteer', 'lists', {});
      const list = lists.data.find((l) => l.title === title);
      expect(list !== undefined, `no list "${title}" on the server`);
      if (!list) return;
      expect(
        list.periodFrom === from && list.periodUntil === until,
        `the list's period is ${list.periodFrom} – ${list.periodUntil}, not the picked ${from} – ${until}`,
      );
      const got = await api<{
        ok: boolean;
        data: {
          draft: { posts: Array<{ schedule: { kind: string; date?: string; start: number } }> };
        };
      }>(baseUrl, 'volunteer', 'getList', { listId: list.id });
      const schedule = got.data.draft.posts[0]?.schedule;
      expect(
        schedule?.date === on && schedule.start === 8 * 60 + 30,
        `the post's schedule is ${JSON.stringify(schedule)}, not ${on} 08:30`,
      );
    },
  },
];

/** The booking rules' number fields (each rule typed as a number, as before). */
const NUMBER_INPUTS = 12;
