/**
 * One phone: `tsx e2e/weapp/phone.ts <persona> [filter…]`. Starts a fresh seeded local cloud, runs
 * the built mini-program (dist/) in the simulator as that persona (resident 张三, volunteer 李四,
 * secretary 王五 from local/seed) and walks that persona's journeys. A WeChat user is one person
 * on one phone, so each persona gets its own process (./run.ts starts them one after another).
 * Prints `N passed, N failed`.
 */
import path from 'node:path';
import { PERSONA_NAMES, type PersonaName } from '../../local/seed/data';
import { excerpt, expect, runScenarios, selectScenarios, type Scenario } from '../support/runner';
import { createPhone, describeFindings } from './fake-wx';
import { contextFor, openidOf, type JourneyContext } from './journey';
import { JOURNEYS } from './journeys';
import { startFunctionsCloud } from './local-cloud';
import { launchMiniProgram, renderedText } from './simulator';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

async function main(): Promise<void> {
  const [persona, ...filters] = process.argv.slice(2);
  if (!PERSONA_NAMES.includes(persona as PersonaName))
    throw new Error(`usage: phone.ts <${PERSONA_NAMES.join('|')}> [filter…]`);
  const started = Date.now();
  const cloud = await startFunctionsCloud();
  const phone = createPhone({ host: cloud.host, openid: openidOf(persona as PersonaName) });
  const mp = launchMiniProgram({ distDir: DIST, phone });
  const ctx = contextFor(mp, cloud);
  console.log(
    `${persona}: local cloud (${cloud.host.functionNames().join(', ')}) and dist/app.js ready (${Date.now() - started} ms)`,
  );

  const scenarios: Array<Scenario<JourneyContext>> = JOURNEYS.filter(
    (j) => j.persona === persona,
  ).map((j) => ({
    name: j.name,
    async run(context) {
      await j.run(context);
      expect(
        phone.findings.length === 0,
        `WeChat would not accept or show these calls as meant:\n${describeFindings(phone.findings)}`,
      );
    },
  }));
  try {
    await runScenarios(selectScenarios(scenarios, filters), {
      title: `weapp simulator as ${persona} (dist/ + built functions on a fresh local cloud)`,
      async before() {
        phone.findings.length = 0;
        phone.setOnline(true);
        phone.loseAnswers.clear();
        return ctx;
      },
      async after(context, _name, error) {
        if (error !== null) {
          console.log(`      pages: ${context.mp.stack().join(' › ') || '(none)'}`);
          try {
            console.log(`      page text: «${excerpt(renderedText(context.mp.current()), 500)}»`);
          } catch {
            // no page open
          }
          if (context.phone.findings.length > 0)
            console.log(
              `      wx findings:\n${describeFindings(context.phone.findings).replace(/^/gm, '    ')}`,
            );
          const toasts = context.phone.toasts.slice(-3).map((t) => `${t.title} (${t.icon})`);
          if (toasts.length > 0) console.log(`      last toasts: ${toasts.join(' | ')}`);
          const calls = context.phone.cloudCalls
            .slice(-6)
            .map((c) => `${c.name}.${c.action}${c.ok === false ? ' ✗' : ''}`);
          console.log(`      last calls: ${calls.join(', ')}`);
          const tail = cloud.log.slice(-6);
          if (tail.length > 0)
            console.log(`      server log:\n${tail.map((l) => `        ${l}`).join('\n')}`);
        }
        if (context.phone.findings.length > 0 && error === null) context.phone.findings.length = 0;
      },
      timeoutMs: 30_000,
    });
  } finally {
    mp.closeAll();
    await cloud.close();
    if (process.env.LINLI_WEAPP_CALLS === '1')
      console.log(`wx APIs called: ${[...new Set(phone.calls)].sort().join(', ')}`);
  }
}

main()
  // Taro's and React's timers (use-now ticks every minute) would keep the process alive.
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
