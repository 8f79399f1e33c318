/**
 * What a person does in the H5 app, in the product's words, for the scenarios to compose.
 * Selectors lean on visible text and the app's data-* hooks (data-persona, data-testid, data-open).
 */
import type { Page } from 'playwright-core';
import { expect, excerpt } from '../support/runner';

export type PersonaLabel = '居民 张三' | '志愿者 李四' | '社区书记 王五';

/**
 * The persona sign-in screen (H5 + local cloud only). Taro keeps visited tab pages in the DOM,
 * hidden, so every tab page that was open shows its own copy: only the visible one counts.
 */
const SIGN_IN_SCREEN = '.dev-sign-in:visible';

export async function expectSignInScreen(page: Page): Promise<void> {
  try {
    await page.locator(SIGN_IN_SCREEN, { hasText: '选择身份登录' }).waitFor({ state: 'visible' });
  } catch {
    expect(
      false,
      `expected the persona sign-in screen "选择身份登录"; page text: «${excerpt(await visibleText(page))}»`,
    );
  }
}

export async function signInAs(page: Page, persona: PersonaLabel): Promise<void> {
  await expectSignInScreen(page);
  await page.locator(`${SIGN_IN_SCREEN} [data-persona]`, { hasText: persona }).click();
  await page.locator(SIGN_IN_SCREEN).waitFor({ state: 'hidden' });
}

export async function openTab(
  page: Page,
  label: '首页' | '生活圈' | '预约' | '志愿' | '我的',
): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click();
  // The switch is done when the tab's page is the one in the address: a second tap before then
  // (我的 and straight back to 首页) can land while the first switch is still under way, and the
  // page it left is never hidden, so it is never shown again.
  await page.waitForURL((url) => url.hash.startsWith(`#/${TAB_PAGES[label]}`), { timeout: 8_000 });
}

const TAB_PAGES = {
  首页: 'pages/index/index',
  生活圈: 'pages/circle/index',
  预约: 'pages/booking/index',
  志愿: 'pages/volunteer/index',
  我的: 'pages/me/index',
} as const;

/** The text a person sees on the current page, whitespace collapsed. */
export async function visibleText(page: Page): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ').trim();
}

/** 首页 has loaded its space: the title and the open-now summary are shown. */
export async function waitForHome(page: Page): Promise<{ title: string; summary: string }> {
  const title = page.locator('.home__title:visible');
  const summary = page.locator('[data-testid="open-summary"]:visible');
  try {
    await summary.waitFor({ state: 'visible' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `首页 did not show its open-now summary (${reason}); page text: «${excerpt(await visibleText(page))}»`,
    );
  }
  return {
    title: (await title.innerText()).trim(),
    summary: (await summary.innerText()).replace(/\s+/g, ' ').trim(),
  };
}

export async function expectText(page: Page, text: string, where = 'the page'): Promise<void> {
  try {
    await page.getByText(text).locator('visible=true').first().waitFor({ state: 'visible' });
  } catch {
    expect(
      false,
      `expected "${text}" on ${where}; page text: «${excerpt(await visibleText(page))}»`,
    );
  }
}

/** Taro H5's picker: one row is 34 px, the selected row's offset is 102 px. */
const PICKER_ROW = 34;
const PICKER_TOP = 102;

/**
 * Picks a value as a person does in the H5 build: taps the field (`data-testid`), drags each
 * column of Taro's picker overlay a few rows at a time until its indicator shows the wanted item
 * (`2026年`, `12月`, `05日`; `08`, `30` for a time), then taps 确定. Nothing is typed.
 */
export async function pickInPicker(page: Page, testId: string, items: string[]): Promise<void> {
  await page.locator(`[data-testid="${testId}"]:visible`).first().click();
  // The overlay itself has no box (its mask and sheet are fixed): the sheet shown is the one open.
  const overlay = page.locator('.weui-picker:visible').first();
  await overlay.waitFor({ state: 'visible' });
  const groups = overlay.locator('.weui-picker__group');
  for (const [column, wanted] of items.entries()) {
    const group = groups.nth(column);
    for (let step = 0; ; step++) {
      const { current, target, shown } = await group.evaluate(
        (g, args) => {
          const content = g.querySelector<HTMLElement>('.weui-picker__content');
          const m = /translate3d\(0(?:px)?,\s*(-?[\d.]+)px/.exec(content?.style.transform ?? '');
          const y = m ? Number(m[1]) : args.top;
          const texts = Array.from(g.querySelectorAll('.weui-picker__item')).map(
            (i) => i.textContent?.trim() ?? '',
          );
          const at = Math.round((args.top - y) / args.row);
          let best = -1;
          texts.forEach((t, i) => {
            if (t === args.wanted && (best < 0 || Math.abs(i - at) < Math.abs(best - at))) best = i;
          });
          return { current: at, target: best, shown: texts[at] ?? '' };
        },
        { wanted, top: PICKER_TOP, row: PICKER_ROW },
      );
      expect(target >= 0, `the picker's column ${column} has no "${wanted}" (shows "${shown}")`);
      if (current === target) break;
      expect(step < 60, `the picker's column ${column} did not reach "${wanted}" (at "${shown}")`);
      const rows = Math.max(-3, Math.min(3, current - target));
      const box = await group.boundingBox();
      expect(box !== null, `the picker's column ${column} is not on screen`);
      if (box === null) return;
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y + (rows * PICKER_ROW) / 2);
      await page.mouse.move(x, y + rows * PICKER_ROW);
      await page.mouse.up();
    }
  }
  await overlay.locator('.weui-picker__action', { hasText: '确定' }).click();
  await overlay.waitFor({ state: 'hidden' });
}

/** The columns of a date picker showing `YYYY-MM-DD`. */
export function dateColumns(date: string): string[] {
  const [y, m, d] = date.split('-');
  return [`${y}年`, `${m}月`, `${d}日`];
}

/** A POST to the local server as a test sets a scene: the JSON answer. */
export async function postJson<T>(
  baseUrl: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(new URL(route, baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** A session token for an openid or a sample persona (the local server's dev sign-in). */
export async function tokenFor(
  baseUrl: string,
  who: { openid?: string; persona?: string },
): Promise<string> {
  return (await postJson<{ token: string }>(baseUrl, '/api/dev/sign-in', who)).token;
}

/** Sign out and in as `persona`, from 我的 (subpackage pages have no tab bar; the session survives in local storage). */
export async function switchTo(page: Page, persona: PersonaLabel): Promise<void> {
  await page.goto('/#/pages/me/index');
  await page.reload();
  await page.getByText('切换示例身份').locator('visible=true').click();
  await page.getByText('退出', { exact: true }).locator('visible=true').last().click();
  await signInAs(page, persona);
}
