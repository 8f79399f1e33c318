/**
 * (d) The secretary 王五 on her phone: composes and publishes an opportunity list with a post on
 * every day of the week; once 李四 (from his own phone, through the real functions) has claimed
 * it and served, she confirms the service on 认领与确认, and the points reach 李四's ledger. She
 * turns on urgent-visit notifications (WeChat's one-time consent); 李四's urgent visit is sent to
 * her once, and she acknowledges it with a note.
 */
import { claimId } from '../../../src/domain/volunteer/claims';
import { expect } from '../../support/runner';
import { eventually, openidOf, type Journey } from '../journey';
import { find, inputAfter, press, renderedText, typeInto, waitForText } from '../simulator';

const LIST_TITLE = '本周楼道服务清单（测试）';
const POST_TITLE = '楼道清洁（书记发布）';

export const secretaryJourneys: Journey[] = [
  {
    name: 'secretary: 王五 publishes an opportunity list and, after 李四 has served, confirms the service and exports the hours as CSV',
    persona: 'secretary',
    async run(ctx) {
      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tab, (t) => t.includes('管理'), "the secretary's admin button");
      await press(tab, '管理');
      const admin = await ctx.mp.waitForPage('packages/volunteer/admin/index');
      await waitForText(
        admin,
        (t) => t.includes('新建清单') || t.includes('清单'),
        'the admin page',
      );
      await press(admin, '新建');
      const compose = await ctx.mp.waitForPage('packages/volunteer/compose/index');
      await waitForText(compose, (t) => t.includes('清单标题'), 'the compose form');
      typeInto(inputAfter(compose, '清单标题'), LIST_TITLE);
      typeInto(inputAfter(compose, '岗位名称'), POST_TITLE);
      await press(compose, '每周重复', '[class*="vp__chip"]');
      await waitForText(compose, (t) => t.includes('每周哪几天'), 'the weekday chips');
      // One tap at a time, as a finger does: each waits for the page to show it.
      for (const day of ['一', '二', '三', '四', '五', '六', '日']) {
        await press(compose, `周${day}`, '[class*="vp__chip"]');
        await eventually(
          async () =>
            (find(compose, '[class*="vp__chip"]', `周${day}`).getAttribute('class') ?? '').includes(
              'vp__chip--on',
            ),
          `周${day} chosen`,
        );
      }
      await waitForText(
        compose,
        (t) => t.includes('每周日、一、二、三、四、五、六'),
        'the schedule preview of every day',
      );
      await press(compose, '添加岗位');
      await waitForText(compose, (t) => t.includes('岗位（1）'), 'the post added to the list');
      ctx.phone.modalAnswers.push(true);
      await press(compose, '保存并发布');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已发布'),
        'the 已发布 toast',
      );
      const lists = await eventually(async () => {
        const found = await ctx.stored<{ _id: string; status: string }>('volunteer_lists', {
          title: LIST_TITLE,
        });
        return found[0]?.status === 'published' ? found : null;
      }, 'the list stored published');
      expect(
        ctx.phone.modals.some((m) => m.title === '发布清单'),
        'publishing should ask first',
      );
      const posts = await ctx.stored<{ _id: string; title: string }>('volunteer_posts', {
        listId: lists[0]._id,
      });
      expect(
        posts.length === 1 && posts[0].title === POST_TITLE,
        `expected the one post stored, found ${JSON.stringify(posts)}`,
      );

      // 李四, on his own phone: claims the post, starts and ends the service.
      const lisi = openidOf('volunteer');
      for (const [action, input] of [
        ['claim', { postId: posts[0]._id, clientRequestId: 'weapp-sec-claim' }],
        ['checkIn', { postId: posts[0]._id, clientRequestId: 'weapp-sec-in' }],
        ['checkOut', { postId: posts[0]._id, clientRequestId: 'weapp-sec-out' }],
      ] as const) {
        const r = await ctx.as(lisi, 'volunteer', action, input);
        expect(r.ok, `李四's ${action} failed: ${JSON.stringify(r)}`);
      }

      await ctx.mp.waitForPage('packages/volunteer/admin/index', 5_000);
      const adminAgain = ctx.mp.current();
      await waitForText(
        adminAgain,
        (t) => t.includes(LIST_TITLE),
        'the published list on the admin page',
      );
      await press(find(adminAgain, '[class*="vp__card"]', LIST_TITLE), '认领与确认');
      const claims = await ctx.mp.waitForPage('packages/volunteer/claims/index');
      await waitForText(claims, (t) => t.includes('李') && t.includes('确认所选'), "李四's claim");
      await press(claims, /^全选$/);
      await waitForText(claims, (t) => t.includes('确认所选（1）'), 'one claim selected');
      ctx.phone.modalAnswers.push(true);
      await press(claims, '确认所选');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title.startsWith('已确认')),
        'the 已确认 toast',
      );
      const id = claimId(posts[0]._id, lisi);
      const services = await eventually(async () => {
        const s = await ctx.stored<{ status: string; confirmedMinutes?: number }>(
          'volunteer_services',
          { claimId: id },
        );
        return s[0]?.status === 'confirmed' ? s : null;
      }, 'the service stored confirmed');
      expect(services.length === 1, `one service for the claim, found ${services.length}`);
      const ledger = await ctx.stored<{ type: string; points?: number }>('ledger', {
        _openid: lisi,
      });
      expect(
        ledger.some((e) => e.type === 'points' || (e.points ?? 0) > 0),
        `expected points in 李四's ledger, found ${JSON.stringify(ledger.map((e) => e.type))}`,
      );

      // Back on 管理: the month's confirmed hours exported as CSV (copied to the clipboard on a phone).
      const adminPage = await ctx.mp.back();
      await waitForText(adminPage, (t) => t.includes('导出 CSV'), 'the export card');
      await press(adminPage, '导出 CSV');
      const csv = await eventually(
        async () => ctx.phone.clipboard[ctx.phone.clipboard.length - 1],
        'the CSV on the clipboard',
      );
      expect(
        csv.includes('李四') && csv.includes(POST_TITLE),
        `the CSV should hold 李四's confirmed ${POST_TITLE}: «${csv.slice(0, 300)}»`,
      );
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title.startsWith('共 ')),
        'the export toast',
      );
    },
  },
  {
    name: "secretary: 王五 turns on urgent-visit notifications; 李四's urgent visit reaches her and she acknowledges it",
    persona: 'secretary',
    async run(ctx) {
      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tab, (t) => t.includes('老人探访'), 'the visits entry for the secretary');
      await press(tab, '老人探访', 'wx-view');
      const roster = await ctx.mp.waitForPage('packages/visits/roster/index');
      await waitForText(roster, (t) => t.includes('紧急情况'), 'the roster');
      await press(roster, '紧急情况');
      const flags = await ctx.mp.waitForPage('packages/visits/flags/index');
      await waitForText(flags, (t) => t.includes('开启紧急通知'), 'the flags page');
      await press(flags, '开启紧急通知');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已开启通知' && t.icon === 'success'),
        'the 已开启通知 toast',
      );
      expect(
        ctx.phone.calls.includes('requestSubscribeMessage'),
        'turning notifications on should ask WeChat for consent',
      );

      // 李四, from his phone, logs an urgent visit to 赵奶奶（示例）.
      const end = new Date(Date.now() - 5 * 60_000);
      const visitId = `v-${Date.now().toString(36)}-weapp-urgent`;
      const logged = await ctx.as(openidOf('volunteer'), 'visits', 'log', {
        visitId,
        elderId: 'elder_sample_zhao',
        startAt: new Date(end.getTime() - 30 * 60_000).toISOString(),
        endAt: end.toISOString(),
        outcome: 'visited',
        checklist: { health: 'concern', mood: 'ok', homeSafety: 'ok', needs: 'ok' },
        notes: '',
        photo: '',
        urgent: true,
        urgentNote: '老人摔倒，腿疼',
      });
      expect(logged.ok, `李四 could not log the urgent visit: ${JSON.stringify(logged)}`);
      const sent = await ctx.stored<{ touser: string }>('outbox', { touser: ctx.phone.openid });
      expect(
        sent.length === 1,
        `the urgent flag should be sent to 王五 once (she allowed one message), outbox has ${sent.length}`,
      );

      const notice = (
        logged as { data?: { notice?: { secretaries: string[]; messaged: string[] } } }
      ).data?.notice;
      expect(
        notice?.secretaries.length === 1 && notice.messaged.length === 1,
        `李四 should be told 王五 has it in the app and got a message: ${JSON.stringify(notice)}`,
      );

      // 首页 leads with the open flag and the 我的 tab carries its badge; her one message is used.
      const home = await ctx.mp.reLaunch('pages/index/index');
      await waitForText(
        home,
        (t) => t.includes('有 1 条紧急情况待处理') && t.includes('微信提醒已用完'),
        'the urgent banner on 首页',
      );
      await eventually(
        async () => (ctx.phone.tabBadges.get(4) === '1' ? true : null),
        'the badge "1" on the 我的 tab',
      );

      const again = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(again, (t) => t.includes('老人探访'), 'the visits entry');
      await press(again, '老人探访', 'wx-view');
      const roster2 = await ctx.mp.waitForPage('packages/visits/roster/index');
      await waitForText(roster2, (t) => t.includes('紧急情况'), 'the roster');
      await press(roster2, '紧急情况');
      const flags2 = await ctx.mp.waitForPage('packages/visits/flags/index');
      await waitForText(
        flags2,
        (t) => t.includes('老人摔倒，腿疼') && t.includes('确认处理'),
        'the open flag',
      );
      ctx.phone.modalAnswers.push({ confirm: true, content: '已联系家属送医' });
      await press(flags2, '确认处理');
      const flag = await eventually(async () => {
        const [f] = await ctx.stored<{ status: string; acknowledgeNote?: string }>('elder_flags', {
          visitId,
        });
        return f?.status === 'acknowledged' ? f : null;
      }, 'the flag stored acknowledged');
      expect(
        flag.acknowledgeNote === '已联系家属送医',
        `the note should be stored, got ${JSON.stringify(flag)}`,
      );
      await waitForText(
        flags2,
        (t) => t.includes('已联系家属送医'),
        'the acknowledged flag with its note',
      );
      const after = await ctx.mp.reLaunch('pages/index/index');
      await waitForText(after, (t) => t.includes('项服务现在开放'), '首页 after acknowledging');
      await eventually(
        async () => (ctx.phone.tabBadges.has(4) ? null : true),
        'the 我的 badge gone once the flag is acknowledged',
      );
      expect(
        !renderedText(after).includes('紧急情况待处理'),
        'no urgent banner once the flag is acknowledged',
      );
    },
  },
  {
    name: 'secretary: 王五 pairs 郑爷爷（示例）, not yet paired, with 李四 from the volunteers WeChat offers in an action sheet',
    persona: 'secretary',
    async run(ctx) {
      const elderId = 'elder_sample_zheng';
      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tab, (t) => t.includes('老人探访'), 'the visits entry for the secretary');
      await press(tab, '老人探访', 'wx-view');
      const roster = await ctx.mp.waitForPage('packages/visits/roster/index');
      await waitForText(roster, (t) => t.includes('郑爷爷（示例）'), 'the roster with 郑爷爷');
      await press(roster, '郑爷爷（示例）', '[class*="vv__card"]');
      const elder = await ctx.mp.waitForPage('packages/visits/elder/index');
      await waitForText(
        elder,
        (t) => t.includes('尚未结对') && t.includes('结对'),
        'the elder, not yet paired',
      );
      ctx.phone.actionSheetAnswer = 0;
      await press(elder, /^结对$/);
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已结对'),
        'the 已结对 toast',
      );
      const sheet = ctx.phone.actionSheets[ctx.phone.actionSheets.length - 1] ?? [];
      expect(
        sheet.length >= 1 && sheet.length <= 6,
        `the action sheet should offer 1–6 volunteers, offered ${JSON.stringify(sheet)}`,
      );
      const pairings = await ctx.stored<{ openid: string; active: boolean }>('elder_pairings', {
        elderId,
        active: true,
      });
      expect(
        pairings.length === 1 && pairings[0].openid === openidOf('volunteer'),
        `郑爷爷 should now be paired with 李四, stored ${JSON.stringify(pairings)}`,
      );
      await waitForText(
        elder,
        (t) => !t.includes('尚未结对'),
        'the elder page showing the pairing',
      );
    },
  },
];
