/**
 * Issue 3 "booking": at phone size, 张三 books the last place of a gym hour, sees it in 我的预约 and
 * cancels it (with the confirmation); 李四, waiting for that hour, is promoted with a hold and
 * confirms it.
 */
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { openTab, signInAs, visibleText, postJson, tokenFor } from '../app';
import { addDays } from '../../../src/domain/booking/slots';
import { shanghaiDate } from '../../../src/domain/shared/time';
import { bookingRulesScenarios } from './booking-rules';

const GYM = 'r29-gym';
const HOUR = 10 * 60;

export const bookingScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'booking: a resident books, sees and cancels; the next on the waitlist is promoted',
    async run({ page, baseUrl }) {
      const date = addDays(shanghaiDate(new Date()), 2);
      const slotId = `${GYM}@${date}T1000`;
      const input = (i: string) => ({
        serviceId: GYM,
        date,
        startMinute: HOUR,
        clientRequestId: `e2e-booking-${i}-${Date.now()}`,
      });
      // Other (fictional) neighbours take all but one place of that hour.
      const slots = await postJson<{
        ok: boolean;
        data: { slots: Array<{ id: string; left: number }> };
      }>(
        baseUrl,
        '/api/cloud/booking',
        { action: 'listSlots', input: { serviceId: GYM, date } },
        await tokenFor(baseUrl, { openid: 'e2e-neighbour-0' }),
      );
      const left = slots.data.slots.find((s) => s.id === slotId)?.left ?? 0;
      for (let i = 0; i < left - 1; i++) {
        const token = await tokenFor(baseUrl, { openid: `e2e-neighbour-${i}` });
        const r = await postJson<{ ok: boolean; code?: string }>(
          baseUrl,
          '/api/cloud/booking',
          { action: 'create', input: input(String(i)) },
          token,
        );
        expect(r.ok, `filler booking ${i} failed: ${r.code}`);
      }

      // 张三 books the last place in two taps: the service, then the hour.
      await page.goto('/');
      await signInAs(page, '居民 张三');
      await openTab(page, '预约');
      await page.locator('[data-testid="bookable-service"]:visible', { hasText: '健身房' }).click();
      await page.locator(`.bk__chips:visible [data-date="${date}"]`).click();
      const slot = page.locator(`[data-slot="${slotId}"]:visible`);
      await slot.locator('[data-testid="book"]').click();
      await slot.locator('[data-testid="slot-mine"]').waitFor({ state: 'visible' });
      expect(
        (await slot.innerText()).includes('已预约'),
        `expected 已预约 on the slot; got «${excerpt(await slot.innerText())}»`,
      );

      // 李四 finds the hour full, allows the one-time hold message, and joins the waitlist.
      const lisi = await tokenFor(baseUrl, { persona: 'volunteer' });
      const consent = await postJson<{ ok: boolean }>(
        baseUrl,
        '/api/dev/subscribe',
        { templateIds: ['linli-waitlist-hold'] },
        lisi,
      );
      expect(consent.ok, "could not record 李四's consent to the hold message");
      const waiting = await postJson<{ ok: boolean; code?: string; data?: { state: string } }>(
        baseUrl,
        '/api/cloud/booking',
        { action: 'joinWaitlist', input: input('lisi') },
        lisi,
      );
      expect(
        waiting.ok && waiting.data?.state === 'waiting',
        `李四 could not join the waitlist: ${waiting.code}`,
      );

      // 张三 sees it in 我的预约 and cancels, confirming in the dialog.
      await page.goto('/#/packages/booking/mine/index');
      const mine = page
        .locator('[data-testid="my-booking"]:visible', { hasText: '健身房' })
        .first();
      await mine.waitFor({ state: 'visible' });
      expect(
        (await mine.innerText()).includes('已预约'),
        `expected 已预约 in 我的预约; got «${excerpt(await visibleText(page))}»`,
      );
      await mine.locator('[data-testid="cancel"]').click();
      await page.getByText('取消预约', { exact: true }).locator('visible=true').last().click();
      await page
        .locator('[data-testid="my-booking"][data-state="cancelled"]:visible')
        .first()
        .waitFor({ state: 'visible' });

      // The freed place is held for 李四, who is told so by a subscribe message (locally: the outbox,
      // which shows each signed-in person only the messages sent to them).
      const outbox = (await (
        await fetch(new URL('/api/dev/outbox?limit=20', baseUrl), {
          headers: { authorization: `Bearer ${lisi}` },
        })
      ).json()) as {
        data: Array<{ touser: string; templateId: string }>;
      };
      expect(
        outbox.data.some(
          (m) => m.touser === 'sample-volunteer-lisi' && m.templateId === 'linli-waitlist-hold',
        ),
        `expected a hold message to 李四 in the outbox; got ${JSON.stringify(outbox.data.map((m) => [m.touser, m.templateId]))}`,
      );

      // 李四 now holds the place and confirms it.
      await page.evaluate(() => localStorage.clear());
      await page.goto('/');
      await signInAs(page, '志愿者 李四');
      await page.goto('/#/packages/booking/mine/index');
      const held = page.locator('[data-testid="my-booking"][data-state="held"]:visible').first();
      await held.waitFor({ state: 'visible' });
      await held.locator('[data-testid="claim"]').click();
      await page
        .locator('[data-testid="my-booking"][data-state="confirmed"]:visible', {
          hasText: '健身房',
        })
        .first()
        .waitFor({ state: 'visible' });
    },
  },
  // Issue 13 items 3 and 4 (registered here, next to the booking scenario they extend).
  ...bookingRulesScenarios,
];
