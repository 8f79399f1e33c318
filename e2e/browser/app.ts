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
}

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
