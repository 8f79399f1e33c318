/**
 * Issue 13 item 2, at a phone viewport: an urgent flag is always visible to the secretary in the
 * app itself, whatever messages WeChat may send. 李四 logs an urgent visit and is told who has it;
 * 王五 (no message allowed) sees it lead 首页 and 我的 and badge the 我的 tab, taps the banner, is
 * asked for the next message there, reads who it reached in the inbox and acknowledges it.
 */
import type { Page } from 'playwright-core';
import { eventually } from '../../support/eventually';
import { expect, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import {
  openTab,
  postJson,
  signInAs,
  tokenFor,
  visibleText,
  type PersonaLabel,
  switchTo,
} from '../app';

const ELDER = '赵奶奶（示例）';
const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

/** The number in the banner's "有 N 条紧急情况待处理", or null when there is no banner. */
async function bannerCount(page: Page): Promise<number | null> {
  const banner = page.locator('[data-testid="urgent-banner"]:visible');
  if ((await banner.count()) === 0) return null;
  const m = /有 (\d+) 条紧急情况待处理/.exec(await banner.first().innerText());
  return m ? Number(m[1]) : null;
}

/** The badge Taro's H5 tab bar shows on 我的 (null when none). */
async function tabBadge(page: Page): Promise<string | null> {
  const badge = page.locator('.weui-tabbar__item', { hasText: '我的' }).locator('.weui-badge');
  if ((await badge.count()) === 0 || !(await badge.first().isVisible())) return null;
  return (await badge.first().innerText()).trim();
}

export const dayOneScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'urgent: 李四 is told who has his urgent flag; 王五 sees it on 首页, 我的 and the tab badge, is asked for the next message there, and acknowledges it',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '志愿者 李四');
      await openTab(page, '志愿');
      await visible(page, '[data-testid="visits-entry"]').click();
      const card = page.locator(`[data-testid="my-elder"][data-elder="${ELDER}"]:visible`).first();
      await card.locator('[data-testid="log-visit"]').click();
      await visible(page, '[data-testid="visit-submit"]').waitFor();
      await visible(page, '[data-testid="visit-urgent"]').click();
      await page
        .locator('input[placeholder="简要说明（必填），如：老人摔倒"]:visible')
        .fill('老人摔倒，膝盖肿痛');
      await visible(page, '[data-testid="visit-submit"]').click();

      // The notice waits to be read: who has it, and how.
      const reached = page.getByText('紧急情况已上报').locator('visible=true');
      try {
        await reached.waitFor({ timeout: 8_000 });
      } catch {
        expect(
          false,
          `no 紧急情况已上报 notice after the urgent visit: «${await visibleText(page)}»`,
        );
      }
      const told = await visibleText(page);
      expect(
        /已送达 \d+ 位社区书记的应用内待办（[^）]+）/.test(told),
        `the notice should name the secretaries who have it in the app: «${told}»`,
      );
      expect(told.includes('没有人开启微信提醒'), `nobody allowed a message, say so: «${told}»`);
      await page.getByText('知道了', { exact: true }).locator('visible=true').click();

      await switchTo(page, '社区书记 王五');
      const onHome = await eventually(() => bannerCount(page), 'the urgent banner on 首页');
      expect(onHome >= 1, `首页 should show the open flag, shows ${onHome}`);
      const badge = await eventually(() => tabBadge(page), 'the badge on 我的 in the tab bar');
      expect(badge === String(onHome), `the tab badge should say ${onHome}, says ${badge}`);
      const grants = await visible(page, '[data-testid="urgent-grants"]').innerText();
      expect(
        grants.includes('微信提醒已用完'),
        `王五 has no message left, the banner says «${grants}»`,
      );

      await openTab(page, '我的');
      expect(
        (await eventually(() => bannerCount(page), 'the urgent banner on 我的')) === onHome,
        '我的 should show the same open flags',
      );

      // The tap that matters asks for the next message (the local stand-in of WeChat's prompt).
      await visible(page, '[data-testid="urgent-banner"]').click();
      await page.getByText('允许', { exact: true }).locator('visible=true').click();
      await page.waitForURL(/packages\/visits\/flags\/index/, { timeout: 8_000 });
      const flag = page
        .locator('[data-testid="flag"]:visible', { hasText: '老人摔倒，膝盖肿痛' })
        .first();
      await flag.waitFor();
      const reach = await flag.locator('[data-testid="flag-reach"]').innerText();
      expect(
        /应用内已送达 \d+ 位书记，0 位收到微信提醒/.test(reach),
        `the inbox should say who the flag reached: «${reach}»`,
      );
      await page
        .locator('[data-testid="inbox-grants"]:visible', { hasText: '还可接收 1 条' })
        .waitFor({ timeout: 8_000 });

      await flag.getByText('确认处理').click();
      await page.getByText('确定', { exact: true }).locator('visible=true').last().click();
      await flag.getByText('已确认').first().waitFor({ timeout: 8_000 });

      await page.goto('/#/pages/index/index');
      await page.locator('[data-testid="open-summary"]:visible').waitFor();
      const left = await bannerCount(page);
      expect(
        left === null || left === onHome - 1,
        `after acknowledging, 首页 should show ${onHome - 1} open, shows ${left}`,
      );
    },
  },
];

/** Entries of the access log for one elder and action, as the secretary reads them. */
async function logged(baseUrl: string, elderId: string, action: string): Promise<number> {
  const answer = await postJson<{ ok: boolean; data?: { entries: Array<{ action: string }> } }>(
    baseUrl,
    '/api/cloud/visits',
    { action: 'accessLog', input: { elderId, page: 0 } },
    await tokenFor(baseUrl, { persona: 'secretary' }),
  );
  if (!answer.ok || !answer.data) throw new Error('the secretary could not read the access log');
  return answer.data.entries.filter((e) => e.action === action).length;
}

dayOneScenarios.push({
  name: 'access log: opening an elder’s record once is one read and one entry (it was written twice)',
  async run({ page, baseUrl }) {
    const elderId = 'elder_sample_zhao';
    await page.goto('/');
    await signInAs(page, '社区书记 王五');
    const before = await logged(baseUrl, elderId, 'view');
    await page.goto(`/#/packages/visits/elder/index?id=${elderId}`);
    await page.getByText(ELDER).locator('visible=true').first().waitFor();
    // Whatever a second show would read has been asked by the time the network is quiet.
    await page.waitForLoadState('networkidle');
    const after = await logged(baseUrl, elderId, 'view');
    expect(after === before + 1, `one opening wrote ${after - before} view entries, expected 1`);
  },
});

dayOneScenarios.push({
  name: 'forms only for who may save them: residents and volunteers are told why instead of a form they cannot save',
  async run({ page }) {
    const cases: Array<{ who: PersonaLabel; url: string; why: string }> = [
      {
        who: '居民 张三',
        url: '/#/packages/visits/settings/index',
        why: '只有社区书记可以修改探访周期',
      },
      {
        who: '居民 张三',
        url: '/#/packages/visits/log/index?elderId=elder_sample_zhao',
        why: '只有与老人结对的志愿者可以记录探访',
      },
      {
        who: '志愿者 李四',
        url: '/#/packages/volunteer/compose/index',
        why: '只有社区书记可以发布机会清单',
      },
      {
        who: '志愿者 李四',
        url: '/#/packages/visits/settings/index',
        why: '只有社区书记可以修改探访周期',
      },
    ];
    let signedIn: PersonaLabel | null = null;
    for (const c of cases) {
      if (signedIn !== c.who) {
        if (signedIn) await switchTo(page, c.who);
        else {
          await page.goto('/');
          await signInAs(page, c.who);
        }
        signedIn = c.who;
      }
      await page.goto(c.url);
      try {
        await page.getByText(c.why).locator('visible=true').first().waitFor({ timeout: 8_000 });
      } catch {
        expect(false, `${c.who} at ${c.url} should read «${c.why}»: «${await visibleText(page)}»`);
      }
      const inputs = await page
        .locator('input:visible, textarea:visible, button:visible', { hasNotText: '返回' })
        .count();
      expect(inputs === 0, `${c.who} at ${c.url} still sees ${inputs} form controls`);
    }
  },
});
