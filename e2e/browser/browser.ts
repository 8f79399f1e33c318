/**
 * System Chromium driven by playwright-core, at a phone viewport. Each scenario gets its own
 * browser context (fresh storage: no session carried over from the previous scenario).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.LINLI_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone: 390×844 CSS pixels at 2× (iPhone 12–14 class), touch, Simplified Chinese. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found: install it with "apt-get install -y chromium fonts-noto-cjk" (or set LINLI_CHROMIUM)`,
    );
  }
  // `launch` starts Chromium with a fresh temporary user-data-dir, removed again on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface ScenarioContext {
  context: BrowserContext;
  page: Page;
  /** The app's root URL on the local server, ending in "/". */
  baseUrl: string;
  /** Uncaught page errors and console errors seen so far. */
  problems: string[];
}

export async function openPhone(browser: Browser, baseUrl: string): Promise<ScenarioContext> {
  const context = await browser.newContext({ ...PHONE, baseURL: baseUrl });
  context.setDefaultTimeout(10_000);
  const origin = new URL(baseUrl).origin;
  const problems: string[] = [];
  // The app must work offline against the local cloud: anything else is refused and reported.
  await context.route(
    (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
    async (route) => {
      problems.push(`request outside the local server refused: ${route.request().url()}`);
      await route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { context, page, baseUrl, problems };
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9\u4e00-\u9fff]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'scenario'
  );
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
