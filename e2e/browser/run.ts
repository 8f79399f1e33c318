/**
 * Browser tests of the H5 build against the local cloud: `tsx e2e/browser/run.ts [filter…]`.
 * Build first (`npx taro build --type h5`, and the functions with `tsx scripts/build-functions.ts`;
 * without dist-functions/ the functions run from source). Needs /usr/bin/chromium.
 *
 * Starts the local server in this process on a free port with a fresh, seeded data directory,
 * runs the scenarios one by one in system Chromium at a phone viewport, saves a screenshot of
 * each to test-results/browser/, prints `N passed, N failed` and exits 1 on any failure.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { excerpt, expect, runScenarios, selectScenarios, type Scenario } from '../support/runner';
import { launchChromium, openPhone, screenshot, type ScenarioContext } from './browser';
import { startLocalCloud, type LocalCloud } from './local-cloud';
import { foundationScenarios } from './scenarios/foundation';
import { volunteerScenarios } from './scenarios/volunteer';
import { circleScenarios } from './scenarios/circle';
import { bookingScenarios } from './scenarios/booking';
import { visitsScenarios } from './scenarios/visits';
import { elderScenarios } from './scenarios/elder';
import { cadenceScenarios } from './scenarios/cadence';
import { wayAroundScenarios } from './scenarios/way-around';
import { pickerScenarios } from './scenarios/pickers';
import { dayOneScenarios } from './scenarios/day-one';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'browser');

/** Every scenario also fails on an uncaught page error, a console error or a request off the local server. */
function strict(scenario: Scenario<ScenarioContext>): Scenario<ScenarioContext> {
  return {
    name: scenario.name,
    async run(context) {
      await scenario.run(context);
      expect(
        context.problems.length === 0,
        `the page reported problems:\n${context.problems.join('\n')}`,
      );
    },
  };
}

const scenarios: Array<Scenario<ScenarioContext>> = [
  ...foundationScenarios,
  ...circleScenarios,
  ...bookingScenarios,
  ...volunteerScenarios,
  ...visitsScenarios,
  ...elderScenarios,
  ...cadenceScenarios,
  ...wayAroundScenarios,
  ...pickerScenarios,
  ...dayOneScenarios,
].map(strict);

async function main(): Promise<void> {
  const started = Date.now();
  let cloud: LocalCloud | undefined;
  let browser: Browser | undefined;
  try {
    cloud = await startLocalCloud();
    browser = await launchChromium();
    console.log(
      `local cloud ${cloud.url} and Chromium ${browser.version()} ready (${Date.now() - started} ms)`,
    );
    const server = cloud;
    const chromium = browser;
    await runScenarios(selectScenarios(scenarios, process.argv.slice(2)), {
      title: 'browser (H5 build + local cloud, Chromium 390×844)',
      before: () => openPhone(chromium, server.url),
      async after({ page, context, problems }, name, error) {
        const file = await screenshot(page, SCREENSHOTS, name).catch(() => null);
        if (error !== null) {
          if (file) console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
          console.log(`      url: ${page.url()}`);
          for (const p of problems) console.log(`      ${excerpt(p, 300)}`);
          const tail = server.log.slice(-8);
          if (tail.length > 0)
            console.log(
              `      server log (last ${tail.length}):\n${tail.map((l) => `        ${l}`).join('\n')}`,
            );
        }
        await context.close();
      },
      timeoutMs: 45_000,
    });
  } finally {
    await browser?.close();
    await cloud?.close();
  }
  console.log(
    `browser tests took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), SCREENSHOTS)}/`,
  );
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
