/**
 * (b) The volunteer 李四 on his phone: registers with his real name, claims a post at the R29 space,
 * checks in by scanning the entrance code and checks out; once the secretary confirms the service
 * he sees the points on 我的志愿 and spends them on a reward.
 *
 * The scene, set through the real functions as the people who would set it: the seeded
 * registration of 李四 is removed (so he registers from the phone), and 王五 publishes a list with
 * one post at R29 on every day of this week (check-in only works on a service day).
 */
import { addDays } from '../../../src/domain/volunteer/opportunity';
import { claimId } from '../../../src/domain/volunteer/claims';
import { shanghaiDate } from '../../../src/domain/shared/time';
import { expect } from '../../support/runner';
import { eventually, openidOf, type Journey, type JourneyContext } from '../journey';
import { find, fire, press, tap, typeInto, waitForText } from '../simulator';

export const POST_TITLE = '楼道清洁（测试）';

/** 王五 publishes a one-post list at R29, daily this week; answers the post id. */
export async function publishDailyPost(
  ctx: JourneyContext,
  title: string,
  points: number,
): Promise<string> {
  const today = shanghaiDate(new Date());
  const secretary = openidOf('secretary');
  const saved = await ctx.as<{ id: string }>(secretary, 'volunteer', 'saveList', {
    clientRequestId: `weapp-list-${Date.now().toString(36)}`,
    draft: {
      title: '本周机会岗位（测试）',
      periodFrom: today,
      periodUntil: addDays(today, 6),
      categories: [{ id: 'block', name: '楼道服务' }],
      posts: [
        {
          categoryId: 'block',
          title,
          description: '清理楼道堆物',
          schedule: {
            kind: 'weekly',
            weekdays: [0, 1, 2, 3, 4, 5, 6],
            start: 0,
            end: 1439,
            from: today,
            until: addDays(today, 6),
          },
          capacity: 3,
          points,
          requirements: { partyMemberOnly: false, note: '' },
          location: { spaceId: 'r29', place: 'R29 社区生活空间' },
        },
      ],
    },
  });
  expect(saved.ok, `王五 could not save the list: ${saved.ok ? '' : saved.code}`);
  const listId = saved.ok ? saved.data.id : '';
  const published = await ctx.as(secretary, 'volunteer', 'publishList', { listId });
  expect(published.ok, `王五 could not publish: ${published.ok ? '' : published.code}`);
  const posts = await ctx.stored<{ _id: string; title: string }>('volunteer_posts', { listId });
  expect(posts.length === 1, `expected the one post stored, found ${posts.length}`);
  return posts[0]._id;
}

export const volunteerJourneys: Journey[] = [
  {
    name: 'volunteer: 李四 registers, claims a post, checks in by the entrance code and out, and sees the points once confirmed, then redeems a reward',
    persona: 'volunteer',
    async run(ctx) {
      const me = ctx.phone.openid;
      await ctx.cloud.host.database.collection('volunteers').doc(me).remove();
      const postId = await publishDailyPost(ctx, POST_TITLE, 12);

      const tab = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(
        tab,
        (t) => t.includes(POST_TITLE) && t.includes('成为社区志愿者'),
        'the post and the invitation to register',
      );
      await press(tab, POST_TITLE, '[class*="vol__post"]');
      let post = await ctx.mp.waitForPage('packages/volunteer/post/index');
      await waitForText(post, (t) => t.includes('认领') && t.includes('名额'), 'the post page');
      // Not registered yet: 认领 leads to the registration form.
      await press(post, /^认领$/);
      const form = await ctx.mp.waitForPage('packages/volunteer/register/index');
      await waitForText(form, (t) => t.includes('真实姓名'), 'the registration form');
      const inputs = [...form.dom.querySelectorAll('wx-input')];
      typeInto(inputs[0], '李四');
      typeInto(inputs[1], '13800000002');
      fire(find(form, '[class*="vp__row"]', '我已阅读并同意'), 'tap');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await press(form, '提交登记');
      await eventually(
        async () =>
          (await ctx.stored<{ status: string }>('volunteers', { _openid: me }))[0]?.status ===
          'approved',
        'an approved registration stored',
      );
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '登记成功' && t.icon === 'success'),
        'the 登记成功 toast',
      );
      post = await ctx.mp.waitForPage('packages/volunteer/post/index');

      // Back on the post: claim it (confirming in the dialog).
      await waitForText(post, (t) => t.includes('认领截止'), 'the post page again');
      ctx.phone.modalAnswers.push(true);
      await press(post, /^认领$/);
      await waitForText(
        post,
        (t) => t.includes('您已认领') && t.includes('扫码签到'),
        'the claimed post with 扫码签到',
      );
      const claim = await eventually(
        async () =>
          (
            await ctx.stored<{ _id: string; status: string }>('volunteer_claims', {
              _id: claimId(postId, me),
            })
          )[0],
        'the stored claim',
      );
      expect(claim.status === 'claimed', `claim status ${claim.status}`);

      // Check in by scanning the entrance code (a mini-program code: WeChat answers its path).
      ctx.phone.scanPath = `pages/index/index?scene=${encodeURIComponent('s=r29')}`;
      await press(post, '扫码签到');
      await waitForText(post, (t) => t.includes('签退'), 'the 签退 button after checking in');
      expect(ctx.phone.calls.includes('scanCode'), 'checking in at a space should scan its code');
      const services = () =>
        ctx.stored<{ _id: string; status: string; claimId: string; date: string }>(
          'volunteer_services',
          { claimId: claim._id },
        );
      expect(
        (await services())[0]?.status === 'open',
        'a service should be stored open after check-in',
      );
      await press(post, /^签退$/);
      await waitForText(post, (t) => t.includes('扫码签到'), 'the post after checking out');
      const closed = await eventually(
        async () => (await services()).find((s) => s.status === 'closed'),
        'the service stored closed',
      );

      // 王五 confirms an hour from his phone; 我的志愿 shows the points.
      const confirmed = await ctx.as<{ confirmed: number }>(
        openidOf('secretary'),
        'volunteer',
        'confirm',
        {
          clientRequestId: 'weapp-confirm-1',
          items: [{ claimId: claim._id, date: closed.date, hours: 1 }],
        },
      );
      expect(
        confirmed.ok && confirmed.data.confirmed === 1,
        `王五 could not confirm: ${JSON.stringify(confirmed)}`,
      );
      const tabAgain = await ctx.mp.reLaunch('pages/volunteer/index');
      await waitForText(tabAgain, (t) => t.includes('我的志愿'), 'the summary card');
      await press(tabAgain, '我的志愿', '[class*="vol__summary"]');
      const mine = await ctx.mp.waitForPage('packages/volunteer/mine/index');
      const text = await waitForText(
        mine,
        (t) => t.includes('服务确认'),
        'the confirmed service in the ledger',
      );
      const points = Number(/(\d+)\s*积分可用/.exec(text)?.[1]);
      expect(
        points === 12,
        `expected 12 points on 我的志愿, saw ${points}; «${text.slice(0, 300)}»`,
      );

      // 12 points buy the 咖啡券 (10): a one-time code, and 2 points left.
      await press(mine, '积分兑换', 'wx-view, wx-button, wx-text');
      const rewards = await ctx.mp.waitForPage('packages/volunteer/rewards/index');
      await waitForText(rewards, (t) => t.includes('咖啡券'), 'the rewards');
      ctx.phone.modalAnswers.push(true);
      await press(find(rewards, '[class*="vp__card"]', '咖啡券一张'), /^兑换$/);
      const shown = await waitForText(
        rewards,
        (t) => t.includes('兑换成功：咖啡券一张'),
        'the redemption code',
      );
      const [redemption] = await eventually(async () => {
        const r = await ctx.stored<{ code: string; rewardId: string }>('redemptions', {
          _openid: me,
        });
        return r.length > 0 ? r : null;
      }, 'the redemption stored');
      expect(
        shown.includes(redemption.code),
        `the stored code ${redemption.code} should be shown: «${shown.slice(0, 200)}»`,
      );
      expect(
        ctx.phone.modals.some((m) => m.title === '兑换奖励' && m.content.includes('10 积分')),
        'redeeming should ask first, with the cost',
      );
      await waitForText(
        rewards,
        () => find(rewards, '[class*="vp__big"]').textContent?.trim() === '2',
        'the points left (2)',
      );
      let refused = '';
      try {
        tap(rewards, '积分不足');
      } catch (e) {
        refused = (e as Error).message;
      }
      expect(
        /disabled/.test(refused),
        `a reward costing more than 2 points cannot be tapped: ${refused || 'it was'}`,
      );
    },
  },
];
