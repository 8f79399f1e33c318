/**
 * Issue 13 items 3 and 4, at phone size on the real clock (any hour, late evening included):
 * the booking list counts only the slots one may still book, the slot page opens at the first of
 * them with weekdays on its date chips; the page states the rules that apply before booking (active
 * bookings left, minimum notice, each slot's cancel cut-off), asks before booking a slot past its
 * cut-off, and a room block past closing says when the room closes.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { openTab, signInAs, visibleText, postJson, tokenFor } from '../app';
import { addDays } from '../../../src/domain/booking/slots';
import {
  formatMinuteOfDay,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  shanghaiWeekday,
} from '../../../src/domain/shared/time';

const GYM = 'r29-gym';
const ROOM = 'r29-living-room';
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The gym's hourly slots (open all day, no minimum notice) that have not begun at `now`. */
function gymSlotsLeftToday(now: Date): number {
  const minute = shanghaiMinuteOfDay(now) + (now.getUTCSeconds() > 0 ? 1 : 0);
  return Array.from({ length: 24 }, (_, h) => h * 60).filter((m) => m >= minute).length;
}

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function openGymFromList(page: Page): Promise<void> {
  await page.goto('/');
  await signInAs(page, '居民 张三');
  await openTab(page, '预约');
  await page.locator('[data-testid="bookable-service"]:visible', { hasText: '健身房' }).click();
  await page.locator('[data-testid="slot"]:visible').first().waitFor({ state: 'visible' });
}

export const bookingRulesScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'booking rules: the list counts only bookable slots; the slot page opens at the first one, chips show weekdays',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '居民 张三');
      const before = gymSlotsLeftToday(new Date());
      await openTab(page, '预约');
      const gym = page.locator('[data-testid="bookable-service"]:visible', { hasText: '健身房' });
      await gym.waitFor({ state: 'visible' });
      const todayText = await text(gym.locator('.bk__day').first());
      const after = gymSlotsLeftToday(new Date());
      const expected = (n: number) => (n === 0 ? '今天 已无可约时段' : `今天 ${n} 个时段有空`);
      expect(
        todayText === expected(before) || todayText === expected(after),
        `the gym's day on the list should read «${expected(after)}» (slots not yet begun); got «${todayText}»`,
      );

      // The slot page opens at the first slot one may book: nothing 已截止 to scroll past.
      await gym.click();
      const first = page.locator('[data-testid="slot"]:visible').first();
      await first.waitFor({ state: 'visible' });
      const firstText = await text(first);
      expect(
        !firstText.includes('已截止') &&
          (await first.locator('[data-testid="book"]').count()) === 1,
        `the first slot shown should be bookable; got «${firstText}»`,
      );
      const box = await first.boundingBox();
      expect(
        box !== null && box.y >= 0 && box.y + box.height <= 844,
        `the first bookable slot should be on screen; its box: ${JSON.stringify(box)}`,
      );

      // Date chips: 今天 / 明天 / 周三 12月3日 (Asia/Shanghai).
      const chips = page.locator('.bk__chips:visible .bk__chip');
      const now = new Date();
      const today = shanghaiDate(now);
      const third = addDays(today, 2);
      const [, m, d] = third.split('-').map(Number);
      const thirdLabel = `${WEEKDAYS[shanghaiWeekday(shanghaiInstant(third, 720))]} ${m}月${d}日`;
      const labels = (await chips.allInnerTexts()).map((t) => t.trim());
      expect(
        labels[0] === '今天' && labels[1] === '明天' && labels[2] === thirdLabel,
        `expected date chips «今天, 明天, ${thirdLabel}, …»; got «${labels.slice(0, 4).join(', ')}»`,
      );

      // Today, at any hour: the first bookable slot, or (late evening) a way to the next day.
      await chips.first().click();
      if (gymSlotsLeftToday(new Date()) > 0) {
        const todayFirst = page.locator('[data-testid="slot"]:visible').first();
        await todayFirst.waitFor({ state: 'visible' });
        expect(
          (await todayFirst.getAttribute('data-slot'))?.includes(`@${today}T`) === true &&
            (await todayFirst.getAttribute('data-state')) !== 'closed',
          `today should open at its first bookable slot; got «${await text(todayFirst)}»`,
        );
      } else {
        await page.locator('[data-testid="day-over"]:visible').waitFor({ state: 'visible' });
        await page.locator('[data-testid="next-day"]:visible').click();
        await page
          .locator(`[data-testid="slot"][data-slot^="${GYM}@${addDays(today, 1)}T"]:visible`)
          .first()
          .waitFor({ state: 'visible' });
      }
    },
  },
  {
    name: 'booking rules: the slot page states what applies, asks before a slot past its cancel cut-off, and a room block says when it closes',
    async run({ page, baseUrl }) {
      await openGymFromList(page);
      const rules = page.locator('[data-testid="booking-rules"]:visible');
      const rulesText = await text(rules);
      for (const words of [
        '每人同时最多 3 个有效预约',
        '开始前均可预约',
        '开始前 60 分钟后不可取消',
      ])
        expect(rulesText.includes(words), `the rules should say «${words}»; got «${rulesText}»`);
      const leftOf = async () =>
        Number(
          /你还可预约 (\d+) 个/.exec(
            await text(page.locator('[data-testid="active-left"]:visible')),
          )?.[1] ?? -1,
        );
      const leftBefore = await leftOf();
      expect(leftBefore > 0, `expected 张三 to have bookings left; got «${rulesText}»`);

      // The first bookable gym hour starts within the hour: its cancel cut-off has passed.
      const late = page
        .locator('[data-testid="slot"][data-state="free"][data-cutoff-passed="true"]:visible')
        .first();
      await late.waitFor({ state: 'visible' });
      const lateId = (await late.getAttribute('data-slot')) ?? '';
      const lateText = await text(late);
      expect(
        lateText.includes('已过取消时间，约后不可取消'),
        `a slot past its cut-off should say so; got «${lateText}»`,
      );
      const slot = page.locator(`[data-slot="${lateId}"]:visible`);
      await slot.locator('[data-testid="book"]').click();
      await page
        .getByText(/开始前 60 分钟内不能取消/)
        .locator('visible=true')
        .first()
        .waitFor();
      await page.getByText('再想想', { exact: true }).locator('visible=true').last().click();
      await page.waitForTimeout(500);
      expect(
        (await slot.locator('[data-testid="slot-mine"]').count()) === 0,
        'declining the warning must not book',
      );
      await slot.locator('[data-testid="book"]').click();
      await page.getByText('仍要预约', { exact: true }).locator('visible=true').last().click();
      await slot.locator('[data-testid="slot-mine"]').waitFor({ state: 'visible' });
      await page
        .getByText(`你还可预约 ${leftBefore - 1} 个`)
        .locator('visible=true')
        .first()
        .waitFor({ state: 'visible' });

      // It cannot be cancelled by 张三 any more: the secretary gives the place back (clean-up).
      const zhangsan = await tokenFor(baseUrl, { persona: 'resident' });
      const mine = await postJson<{
        ok: boolean;
        data: { bookings: Array<{ id: string; slotIds: string[] }> };
      }>(baseUrl, '/api/cloud/booking', { action: 'mine', input: { scope: 'upcoming' } }, zhangsan);
      const booked = mine.data.bookings.find((b) => b.slotIds.includes(lateId));
      expect(booked !== undefined, `expected 张三's booking of ${lateId} in 我的预约`);
      const undone = await postJson<{ ok: boolean; code?: string }>(
        baseUrl,
        '/api/cloud/booking',
        { action: 'cancelBySecretary', input: { bookingId: booked?.id, reason: '测试后取消' } },
        await tokenFor(baseUrl, { persona: 'secretary' }),
      );
      expect(undone.ok, `the secretary could not cancel the test booking: ${undone.code}`);

      // Tomorrow 10:00: the cut-off is stated as a time.
      const tomorrow = addDays(shanghaiDate(new Date()), 1);
      await page.locator('.bk__chips:visible .bk__chip').nth(1).click();
      const ten = page.locator(`[data-slot="${GYM}@${tomorrow}T1000"]:visible`);
      await ten.waitFor({ state: 'visible' });
      const tenText = await text(ten);
      expect(
        tenText.includes(`${formatMinuteOfDay(9 * 60)} 后不可取消`),
        `tomorrow 10:00 should say «09:00 后不可取消»; got «${tenText}»`,
      );

      // The minimum notice of a service that has one.
      await page.goto('/#/packages/booking/slots/index?serviceId=r29-government');
      const govRules = page.locator('[data-testid="booking-rules"]:visible');
      await govRules.waitFor({ state: 'visible' });
      const govText = await text(govRules);
      expect(
        govText.includes('需至少提前 60 分钟预约') && govText.includes('每人同时最多 2 个有效预约'),
        `the government desk should state its notice and limit; got «${govText}»`,
      );

      // A 4-hour room block from 19:00 tomorrow would pass closing (21:00): the row says so.
      await page.goto(`/#/packages/booking/slots/index?serviceId=${ROOM}`);
      await page.locator(`.bk__chips:visible [data-date="${tomorrow}"]`).click();
      await page.locator('.bk__chip:visible', { hasText: '4 小时' }).click();
      const seven = page.locator(`[data-slot="${ROOM}@${tomorrow}T1900"]:visible`);
      await seven.waitFor({ state: 'visible' });
      const sevenText = await text(seven);
      expect(
        sevenText.includes('21:00 关门，最多可约到 21:00') &&
          (await seven.locator('[data-testid="book"]').count()) === 0,
        `the 19:00 row should say the room closes at 21:00; got «${sevenText}»`,
      );
      const five = page.locator(`[data-slot="${ROOM}@${tomorrow}T1700"]:visible`);
      expect(
        (await five.locator('[data-testid="book"]').count()) === 1,
        `a 4-hour block from 17:00 fits; got «${await text(five)}»`,
      );
      // The server says the same when asked anyway.
      const refused = await postJson<{ ok: boolean; code?: string; message?: string }>(
        baseUrl,
        '/api/cloud/booking',
        {
          action: 'create',
          input: {
            serviceId: ROOM,
            date: tomorrow,
            startMinute: 19 * 60,
            slots: 4,
            clientRequestId: `e2e-rules-room-${Date.now()}`,
          },
        },
        await tokenFor(baseUrl, { openid: 'e2e-rules-room' }),
      );
      expect(
        !refused.ok && refused.message?.startsWith('21:00 关门，最多可约到 21:00') === true,
        `the server should refuse with the closing time; got ${refused.code} «${refused.message}»`,
      );
      await seven.scrollIntoViewIfNeeded();
      expect(
        (await visibleText(page)).includes('会客厅'),
        `expected the room's page; got «${excerpt(await visibleText(page))}»`,
      );
    },
  },
];
