/**
 * Smoke test of the built mini-program (dist/) in WeChat's simulator: `tsx e2e/weapp/run.ts`.
 * Build first with `npx taro build --type weapp`. Prints `N passed, N failed`; exit code 1 on failure.
 */
import path from 'node:path';
import { expect, runScenarios, selectScenarios, type Scenario } from '../support/runner';
import { anAccount, createFakeWx } from './fake-wx';
import { launchMiniProgram, trigger, waitForDom, waitForText, type MiniProgram } from './simulator';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

const scenarios: Array<Scenario<MiniProgram>> = [
  {
    name: '首页 shows the space and its services with open/closed labels',
    async run(mp) {
      const page = await mp.openPage('pages/index/index');
      const space = mp.fakeWx.overview.space;
      const text = await waitForText(page, (t) => t.includes(space.name), `the space name "${space.name}"`);
      expect(text.includes('现在开放'), `expected the section "现在开放" in «${text}»`);
      expect(/\d+\s*\/\s*3 项服务现在开放/.test(text), `expected the summary "N / 3 项服务现在开放" in «${text}»`);
      expect(text.includes('24小时健身房'), `expected the service "24小时健身房" in «${text}»`);
      expect(text.includes('24小时开放'), `expected the always-open label "24小时开放" in «${text}»`);
      expect(text.includes('暂未开放'), `expected the closed section "暂未开放" in «${text}»`);
      expect(text.includes('共享洗衣房') && text.includes('暂停开放'), `expected "共享洗衣房 … 暂停开放" in «${text}»`);
      expect(text.includes('政务服务点'), `expected the service "政务服务点" in «${text}»`);
      const order = ['24小时健身房', '暂未开放', '共享洗衣房'].map((s) => text.indexOf(s));
      expect(order[0] < order[1] && order[1] < order[2], `expected open services before closed ones in «${text}»`);
      const calls = mp.fakeWx.cloudCalls.map((c) => `${c.name}.${c.data.action}`);
      expect(calls.includes('account.whoami'), `expected a whoami call, saw ${calls.join(', ')}`);
      expect(calls.includes('booking.space'), `expected a booking.space call, saw ${calls.join(', ')}`);
    },
  },
  {
    name: '首页 opened from the entrance QR code welcomes the visitor',
    async run(mp) {
      const page = await mp.openPage('pages/index/index', { scene: encodeURIComponent('s=r29') });
      const text = await waitForText(page, (t) => t.includes('欢迎来到'), 'the welcome line "欢迎来到"');
      expect(text.includes(mp.fakeWx.overview.space.name), `expected the space name in «${text}»`);
      const spaceCall = mp.fakeWx.cloudCalls.filter((c) => c.name === 'booking').pop();
      expect(
        JSON.stringify(spaceCall?.data.input) === JSON.stringify({ spaceId: 'r29' }),
        `expected booking.space with {spaceId:"r29"}, saw ${JSON.stringify(spaceCall?.data)}`,
      );
    },
  },
  {
    name: '我的 shows the role 居民',
    async run(mp) {
      const page = await mp.openPage('pages/me/index');
      const text = await waitForText(page, (t) => t.includes('居民'), 'the role "居民"');
      expect(text.includes('张三'), `expected the nickname "张三" in «${text}»`);
      expect(text.includes('长辈模式'), `expected the elder-mode switch in «${text}»`);
      expect(!text.includes('切换示例身份'), `the H5-only sign-out button must not be in the weapp build: «${text}»`);
    },
  },
  {
    name: '我的: turning on 长辈模式 saves it and enlarges the page',
    async run(mp) {
      const page = await mp.openPage('pages/me/index');
      await waitForText(page, (t) => t.includes('长辈模式'), 'the elder-mode switch');
      const shell = () => page.dom.querySelector('[class*="page-shell"]')?.className ?? '';
      expect(!/--elder\b/.test(shell()), `elder mode should start off, page shell class "${shell()}"`);
      trigger(page, 'wx-switch', 'change', { value: true });
      await waitForDom(page, () => /--elder\b/.test(shell()), 'the page shell to switch to elder mode');
      const update = mp.fakeWx.cloudCalls.find((c) => c.name === 'account' && c.data.action === 'updateProfile');
      expect(
        JSON.stringify(update?.data.input) === JSON.stringify({ elderMode: true }),
        `expected account.updateProfile {elderMode:true}, saw ${JSON.stringify(update?.data)}`,
      );
      expect(mp.fakeWx.account.profile.elderMode, 'the fake cloud should now hold elderMode: true');
    },
  },
  {
    name: '预约 lists the bookable services with how full the next days are',
    async run(mp) {
      const page = await mp.openPage('pages/booking/index');
      const text = await waitForText(page, (t) => t.includes('24小时健身房'), 'the bookable gym');
      expect(text.includes('我的预约'), `expected the link 我的预约 in «${text}»`);
      expect(text.includes('今天 22 个时段有空') && text.includes('明天 已约满'), `expected today's free slots and tomorrow full in «${text}»`);
      const calls = mp.fakeWx.cloudCalls.map((c) => `${c.name}.${c.data.action}`);
      expect(calls.includes('booking.listServices'), `expected a booking.listServices call, saw ${calls.join(', ')}`);
    },
  },
  {
    name: '生活圈 renders the native map with the walking bands as circles and places as markers',
    async run(mp) {
      const page = await mp.openPage('pages/circle/index');
      const text = await waitForText(page, (t) => t.includes('街角便利店'), 'the nearest place in the list');
      expect(text.includes('社区药房') && text.includes('早点铺'), `expected every place within 15 minutes in «${text}»`);
      expect(page.dom.querySelector('wx-map') !== null, `expected a native <map> in the page; DOM «${page.dom.outerHTML.slice(0, 400)}»`);
      const props = mapProperties(page as unknown as { instance: { data?: unknown } });
      const circles = props.circles as Array<{ radius: number }> | undefined;
      const markers = props.markers as Array<{ title: string; iconPath: string }> | undefined;
      expect(Array.isArray(circles) && circles.length === 3, `expected 3 band circles, got ${JSON.stringify(circles)}`);
      const radii = (circles ?? []).map((c) => c.radius).sort((a, b) => a - b);
      expect(radii[0] < radii[1] && radii[1] < radii[2], `expected growing 5/10/15-minute radii, got ${radii.join(', ')}`);
      expect(Array.isArray(markers) && markers.length === 3, `expected 3 markers, got ${JSON.stringify(markers)}`);
      expect((markers ?? []).every((m) => m.iconPath === '/assets/map/pin.png'), 'every marker should use the bundled pin icon');
      const calls = mp.fakeWx.cloudCalls.map((c) => `${c.name}.${c.data.action}`);
      expect(calls.includes('circle.places') && calls.includes('circle.coverage'), `expected circle.places and circle.coverage, saw ${calls.join(', ')}`);
    },
  },
];

/**
 * The circles and markers Taro hands the native <map> (what WeChat would draw). Taro's data tree
 * keeps each node's props under short keys (`p14`, `p17`, …), so they are recognised by shape:
 * circles carry a `radius`, markers an `iconPath`.
 */
function mapProperties(page: { instance: { data?: unknown } }): { circles?: unknown[]; markers?: unknown[] } {
  const arrayOf = (node: Record<string, unknown>, field: string) =>
    Object.values(node).find(
      (v): v is unknown[] => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null && field in v[0],
    );
  const stack: unknown[] = [page.instance.data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (typeof record.cl === 'string' && record.cl.includes('circle-map--native')) {
      return { circles: arrayOf(record, 'radius'), markers: arrayOf(record, 'iconPath') };
    }
    for (const value of Object.values(record)) if (value && typeof value === 'object') stack.push(value);
  }
  return {};
}

async function main(): Promise<void> {
  const fakeWx = createFakeWx();
  fakeWx.account = anAccount();
  const started = Date.now();
  const mp = launchMiniProgram({ distDir: DIST, fakeWx });
  console.log(`launched ${path.relative(process.cwd(), DIST)}/app.js in miniprogram-simulate (${Date.now() - started} ms)`);
  await runScenarios(selectScenarios(scenarios, process.argv.slice(2)), {
    title: 'weapp simulator (miniprogram-simulate + wcc, dist/)',
    before: async () => mp,
    after: async (program) => program.closeAll(),
    timeoutMs: 20_000,
  });
  // Taro's and React's timers (use-now ticks every minute) would keep the process alive.
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
