/**
 * The secretary 王五 on 预约管理: lets residents check in up to 120 minutes ahead (规则, asked
 * first), marks 张三 as arrived for the coming hour (当日安排), and cancels a neighbour's booking
 * with a reason the neighbour sees on 我的预约. 张三 and the neighbour book from their own phones,
 * through the real functions.
 */
import { addDays, slotId } from '../../../src/domain/booking/slots';
import { shanghaiDate } from '../../../src/domain/shared/time';
import { expect } from '../../support/runner';
import { eventually, openidOf, type Journey, type JourneyContext } from '../journey';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  find,
  findAll,
  fire,
  inputAfter,
  press,
  tap,
  typeInto,
  waitForText,
  type RenderedComponent,
} from '../simulator';

const GYM = 'r29-gym';

/** The first whole hour at least `minutes` from now, as (Shanghai date, minute of day). */
function hourAfter(minutes: number): { date: string; start: number } {
  const at = new Date(Date.now() + minutes * 60_000);
  const local = new Date(at.getTime() + 8 * 3600_000);
  const start = Math.ceil((local.getUTCHours() * 60 + local.getUTCMinutes()) / 60) * 60;
  return start >= 1440
    ? { date: addDays(shanghaiDate(at), 1), start: start - 1440 }
    : { date: shanghaiDate(at), start };
}

async function openAdmin(ctx: JourneyContext, tab: '当日安排' | '规则') {
  const home = await ctx.mp.reLaunch('pages/booking/index');
  await waitForText(home, (t) => t.includes('预约管理'), 'the 预约管理 link');
  await press(home, '预约管理', '[class*="bk__link"]');
  const admin = await ctx.mp.waitForPage('packages/booking/admin/index');
  await waitForText(admin, (t) => t.includes('当日安排'), 'the admin tabs');
  if (tab === '规则') tap(admin, '规则', '[class*="bk__chip"]');
  return admin;
}

/** The data key Taro's base template binds a <picker>'s `mode` to (attribute names are compressed). */
const PICKER_MODE_KEY = (() => {
  const base = readFileSync(path.resolve(__dirname, '..', '..', '..', 'dist', 'base.wxml'), 'utf8');
  return /<picker mode="\{\{i\.(\w+)/.exec(base)?.[1] ?? 'mode';
})();

/**
 * The mode WeChat renders a <picker> with (date, time, selector…): the simulator keeps no
 * attributes of built-in components, so it is read from the page's data node of that element.
 */
function pickerMode(page: RenderedComponent, picker: Element): string {
  const sid = picker.getAttribute('data-sid');
  let mode: unknown;
  const walk = (node: unknown): void => {
    if (mode !== undefined || node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.sid === sid) mode = n[PICKER_MODE_KEY] ?? 'selector';
    else for (const child of Object.values(n)) walk(child);
  };
  walk(page.instance.data);
  return typeof mode === 'string' ? mode : 'none';
}

/** Choose `value` in a picker, as WeChat's picker sends the person's choice. */
function pick(picker: Element, value: string): void {
  fire(picker, 'change', { value });
}

export const bookingAdminJourneys: Journey[] = [
  {
    name: 'booking admin: 王五 adds a blackout date with the date picker (mode date), typing nothing',
    persona: 'secretary',
    async run(ctx) {
      const rules = await openAdmin(ctx, '规则');
      await waitForText(rules, (t) => t.includes('添加停约日期'), 'the blackout date picker');
      const picker = find(rules, 'wx-picker', '添加停约日期');
      expect(
        pickerMode(rules, picker) === 'date',
        `the blackout field is a ${pickerMode(rules, picker)} picker`,
      );
      const hours = findAll(rules, 'wx-picker').filter((p) =>
        /^\d\d:\d\d$/.test((p.textContent ?? '').trim()),
      );
      expect(
        hours.length >= 2 && hours.every((p) => pickerMode(rules, p) === 'time'),
        `the opening hours are ${hours.length} pickers of modes ${hours.map((p) => pickerMode(rules, p)).join(', ')}`,
      );
      const blackout = addDays(shanghaiDate(new Date()), 60);
      pick(picker, blackout);
      await waitForText(rules, (t) => t.includes(blackout), 'the picked date as a chip');
      ctx.phone.modalAnswers.push(true);
      await press(rules, '保存规则');
      await eventually(async () => {
        const [doc] = await ctx.stored<{ bookingRules?: { blackoutDates?: string[] } }>(
          'services',
          { _id: GYM },
        );
        return doc?.bookingRules?.blackoutDates?.includes(blackout) ? doc : null;
      }, `the gym's stored blackout dates to hold the picked ${blackout}`);
    },
  },
  {
    name: "booking admin: 王五 opens check-in 120 minutes ahead, marks 张三 arrived and cancels a neighbour's booking with a reason",
    persona: 'secretary',
    async run(ctx) {
      const rules = await openAdmin(ctx, '规则');
      await waitForText(rules, (t) => t.includes('开始前可签到（分钟）'), 'the rules editor');
      typeInto(inputAfter(rules, '开始前可签到（分钟）'), '120');
      await new Promise((resolve) => setTimeout(resolve, 20));
      ctx.phone.modalAnswers.push(true);
      await press(rules, '保存规则');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已保存'),
        'the 已保存 toast',
      );
      expect(
        ctx.phone.modals.some((m) => m.title === '保存规则'),
        'saving the rules should ask first',
      );
      const gym = await eventually(async () => {
        const [doc] = await ctx.stored<{ bookingRules?: { checkInBeforeMinutes?: number } }>(
          'services',
          { _id: GYM },
        );
        return doc?.bookingRules?.checkInBeforeMinutes === 120 ? doc : null;
      }, "the gym's stored rules to allow check-in 120 minutes ahead");
      expect(gym.bookingRules?.checkInBeforeMinutes === 120, 'check-in 120 minutes ahead stored');

      // 张三 books the coming hour, a neighbour the one after, each from their phone.
      const mine = hourAfter(31);
      const next =
        mine.start + 60 >= 1440
          ? { date: addDays(mine.date, 1), start: mine.start + 60 - 1440 }
          : { date: mine.date, start: mine.start + 60 };
      const zhangsan = openidOf('resident');
      const neighbour = 'weapp-neighbour-admin';
      for (const [who, at, key] of [
        [zhangsan, mine, 'zs'],
        [neighbour, next, 'nb'],
      ] as const) {
        const r = await ctx.as(who, 'booking', 'create', {
          serviceId: GYM,
          date: at.date,
          startMinute: at.start,
          clientRequestId: `weapp-admin-${key}`,
        });
        expect(r.ok, `${who} could not book ${at.date} ${at.start}: ${JSON.stringify(r)}`);
      }

      const day = await openAdmin(ctx, '当日安排');
      const showDate = async (date: string) => {
        // The day is picked with the date picker (as WeChat's picker delivers a choice), not typed.
        const datePicker = day.dom.querySelector('wx-picker');
        if (date !== shanghaiDate(new Date()) && datePicker) pick(datePicker, date);
        await waitForText(
          day,
          (t) => t.includes('剩 ') || t.includes('还没有预约'),
          `the schedule of ${date}`,
        );
      };
      await showDate(mine.date);
      const row = await eventually(
        async () =>
          findAll(day, '[class*="bk__row"]', '张三').find((r) =>
            (r.textContent ?? '').includes('到场'),
          ),
        '张三 on 当日安排 with 到场',
      );
      await press(row, '到场');
      const booked = await eventually(async () => {
        const [b] = await ctx.stored<{ state: string; checkedInBy?: string }>('bookings', {
          _openid: zhangsan,
          slotIds: slotId(GYM, mine.date, mine.start),
        });
        return b?.state === 'checked-in' ? b : null;
      }, "张三's booking stored checked-in");
      expect(
        booked.checkedInBy !== 'resident',
        `the secretary marked him, checkedInBy ${String(booked.checkedInBy)}`,
      );
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已登记到场'),
        'the 已登记到场 toast',
      );

      // The neighbour's booking, cancelled with a reason.
      if (next.date !== mine.date) await showDate(next.date);
      // The row's one text input is the reason (shown to the resident); the day is a picker.
      typeInto(day.dom.querySelectorAll('wx-input')[0], '器械检修');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const theirs = await eventually(
        async () =>
          findAll(day, '[class*="bk__row"]', '取消').find(
            (r) => !(r.textContent ?? '').includes('张三'),
          ),
        "the neighbour's row with 取消",
      );
      ctx.phone.modalAnswers.push(true);
      await press(theirs, /^取消$/);
      const cancelled = await eventually(async () => {
        const [b] = await ctx.stored<{ state: string; cancelReason?: string }>('bookings', {
          _openid: neighbour,
        });
        return b?.state === 'cancelled' ? b : null;
      }, "the neighbour's booking stored cancelled");
      expect(
        cancelled.cancelReason === '器械检修',
        `the reason should be stored, got ${JSON.stringify(cancelled)}`,
      );
      expect(
        ctx.phone.modals.some((m) => m.title === '取消预约' && m.content.includes('器械检修')),
        'cancelling should ask first, with the reason',
      );
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已取消并通知'),
        'the 已取消并通知 toast',
      );
    },
  },
];
