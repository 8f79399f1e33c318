/**
 * (c) The volunteer 李四 logs a visit to 赵奶奶（示例） in a stairwell with no network: the phone
 * reports no network (getNetworkType "none", onNetworkStatusChange), callFunction fails, the visit
 * is kept in the phone's storage and shown as waiting; when the network returns it is sent by
 * itself, and the cloud stores it exactly once — with the photo taken (and uploaded to cloud
 * storage) while the signal still held.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '../../support/runner';
import { eventually, type Journey } from '../journey';
import { find, press, waitForText } from '../simulator';

const ELDER = '赵奶奶（示例）';
const ELDER_ID = 'elder_sample_zhao';
const QUEUE_KEY = 'linli.visits.queue';

export const visitsJourneys: Journey[] = [
  {
    name: 'visits: 李四 logs a visit with no network; it waits on the phone and is sent exactly once when the network returns',
    persona: 'volunteer',
    async run(ctx) {
      const stored = () =>
        ctx.stored<{
          _id: string;
          _openid: string;
          checklist: Record<string, string>;
          photo: string;
        }>('elder_visits', { elderId: ELDER_ID, _openid: ctx.phone.openid });
      const before = (await stored()).length;

      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tab, (t) => t.includes('我的结对'), 'the 我的结对 entry');
      await press(tab, '我的结对', 'wx-view');
      const mine = await ctx.mp.waitForPage('packages/visits/mine/index');
      await waitForText(mine, (t) => t.includes(ELDER), `${ELDER} among 李四's elders`);
      const card = find(mine, '[class*="vv__card"]', ELDER);
      expect(
        (card.textContent ?? '').includes('逾期'),
        `${ELDER} should start overdue: «${card.textContent}»`,
      );
      await press(card, '记录探访');
      const log = await ctx.mp.waitForPage('packages/visits/log/index');
      await waitForText(log, (t) => t.includes(`探访 ${ELDER}`), 'the visit form');
      // One tap per concern: 精神情绪 良好 → 需关注.
      await press(find(log, '[class*="vv__row"]', '精神情绪'), '良好');
      await waitForText(
        log,
        (t) => t.includes('精神情绪需关注') || !t.includes('精神情绪良好'),
        'the mood marked',
      );

      // A photo, taken while the signal still holds: uploaded to cloud storage at once.
      ctx.phone.photo = 'wxfile://tmp/visit-zhao.jpg';
      await press(log, '拍照（选填）');
      await waitForText(log, (t) => t.includes('已添加照片'), 'the photo added');
      expect(
        [...ctx.phone.uploads.values()].includes(ctx.phone.photo),
        'the photo should be uploaded with wx.cloud.uploadFile',
      );

      // The stairwell: no network.
      ctx.phone.setOnline(false);
      const calls = ctx.phone.cloudCalls.length;
      await press(log, '保存探访');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已保存，联网后发送'),
        'the 已保存，联网后发送 toast',
      );
      const back = await ctx.mp.waitForPage('packages/visits/mine/index');
      await waitForText(back, (t) => t.includes('待发送 1 条'), 'the queue on 我的结对');
      const attempts = ctx.phone.cloudCalls.slice(calls).filter((c) => c.action === 'log');
      expect(
        attempts.length >= 1 && attempts.every((c) => c.ok === null),
        `the offline send should have been tried and failed, saw ${JSON.stringify(attempts)}`,
      );
      const queued = JSON.parse(ctx.phone.storage.get(QUEUE_KEY) ?? '[]') as Array<{
        visitId: string;
        state: string;
      }>;
      expect(
        queued.length === 1,
        `the visit should wait in the phone's storage (${QUEUE_KEY}), found ${JSON.stringify(queued)}`,
      );
      expect((await stored()).length === before, 'nothing may reach the cloud while offline');

      // The network returns: the visit goes by itself, once.
      const sentFrom = ctx.phone.cloudCalls.length;
      ctx.phone.setOnline(true);
      await waitForText(back, (t) => !t.includes('待发送'), 'the queue to empty', 10_000);
      const after = await eventually(async () => {
        const now = await stored();
        return now.length > before ? now : null;
      }, 'the visit stored');
      expect(
        after.length === before + 1,
        `expected exactly one new visit stored, found ${after.length - before}`,
      );
      expect(
        after.some((v) => v._id === queued[0].visitId),
        `the stored visit should keep the phone's visit id ${queued[0].visitId}`,
      );
      const storedVisit = after.find((v) => v._id === queued[0].visitId);
      expect(
        storedVisit?.photo.startsWith('cloud://') === true,
        `the stored visit should carry the uploaded photo's file id, got «${storedVisit?.photo}»`,
      );
      expect(
        after.find((v) => v._id === queued[0].visitId)?.checklist.mood === 'concern',
        'the stored visit should carry 精神情绪 需关注',
      );
      // The signal flaps once more: nothing is sent again.
      ctx.phone.setOnline(false);
      ctx.phone.setOnline(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        (await stored()).length === before + 1,
        'a second network change must not store the visit again',
      );
      const sends = ctx.phone.cloudCalls.slice(sentFrom).filter((c) => c.action === 'log');
      expect(
        sends.length === 1 && sends[0].ok === true,
        `expected one visits.log when the network returned, saw ${JSON.stringify(sends)}`,
      );
      expect(!ctx.phone.storage.has(QUEUE_KEY), "the phone's queue should be empty after sending");
      const cardAfter = find(back, '[class*="vv__card"]', ELDER);
      await waitForText(
        back,
        () => !(find(back, '[class*="vv__card"]', ELDER).textContent ?? '').includes('逾期'),
        `${ELDER} no longer overdue`,
      );
      expect(cardAfter !== null, 'the card is still shown');
    },
  },
  {
    name: 'visits: a visit whose answers are lost on the way back stays on the phone, and 重新发送 stores it still once',
    persona: 'volunteer',
    async run(ctx) {
      const elder = '钱爷爷（示例）';
      const elderId = 'elder_sample_qian';
      const stored = () =>
        ctx.stored<{ _id: string }>('elder_visits', { elderId, _openid: ctx.phone.openid });
      const before = (await stored()).length;

      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tab, (t) => t.includes('我的结对'), 'the 我的结对 entry');
      await press(tab, '我的结对', 'wx-view');
      const mine = await ctx.mp.waitForPage('packages/visits/mine/index');
      await waitForText(mine, (t) => t.includes(elder), `${elder} among 李四's elders`);
      await press(find(mine, '[class*="vv__card"]', elder), '记录探访');
      const log = await ctx.mp.waitForPage('packages/visits/log/index');
      await waitForText(log, (t) => t.includes(`探访 ${elder}`), 'the visit form');

      // The visit reaches the cloud, but every answer to it is lost (on saving, and whenever
      // 我的结对 sends what waits): the phone keeps it as unsent.
      ctx.phone.loseAnswers.set('visits.log', 1_000);
      await press(log, '保存探访');
      const back = await ctx.mp.waitForPage('packages/visits/mine/index');
      await waitForText(back, (t) => t.includes('待发送 1 条'), 'the visit waiting on the phone');
      expect(
        (await stored()).length === before + 1,
        'the cloud stored the visit whose answer was lost',
      );

      // The signal is good again once nothing is in flight; then the person taps 重新发送.
      await eventually(async () => ctx.phone.inFlight === 0, 'the calls in flight to end');
      await waitForText(back, (t) => t.includes('待发送 1 条'), 'the visit still waiting');
      ctx.phone.loseAnswers.clear();
      await press(back, '重新发送');
      await waitForText(back, (t) => !t.includes('待发送'), 'the queue to empty after 重新发送');
      const sends = ctx.phone.cloudCalls.filter((c) => c.action === 'log');
      expect(
        sends.length >= 2,
        `the visit was sent again by 重新发送 after its answers were lost, saw ${sends.length} sends`,
      );
      expect(
        (await stored()).length === before + 1,
        `the resend must not store it again: ${(await stored()).length - before} stored`,
      );
    },
  },
  {
    name: 'visits: the visit form’s subpackage is fetched ahead on 志愿, 我的 and 首页 (preloadRule), so it opens with no signal',
    persona: 'volunteer',
    async run() {
      // The simulator refuses an app.json whose preloadRule WeChat would refuse (pages, packages, 2 MB).
      const appJson = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'dist', 'app.json'), 'utf8'),
      ) as { preloadRule?: Record<string, { network?: string; packages: string[] }> };
      for (const page of ['pages/volunteer/index', 'pages/me/index', 'pages/index/index']) {
        const rule = appJson.preloadRule?.[page];
        expect(
          rule?.packages.includes('packages/visits') === true && rule.network === 'all',
          `${page} should preload packages/visits on any network, has ${JSON.stringify(rule)}`,
        );
      }
    },
  },
];
