import { activeLeft, activeLeftText } from './limits';
import { cancelCutoffPassed, cancelCutoffText, cancelRefusal, lateCancelWarning } from './policy';
import { REFUSALS, daySummary, requestedRun } from './requests';
import { defaultRules } from './rules';
import {
  dayLabel,
  firstOpenIndex,
  minNoticeText,
  pastClosingRefusal,
  slotState,
  slotsOn,
  type BookableService,
} from './slots';
import { shanghaiInstant } from '../shared/time';

/** Issue 13 items 3 and 4: what the booking list and the slot page state before booking. */

/** 2026-12-02 (a Wednesday) 13:00 Asia/Shanghai. */
const NOW = shanghaiInstant('2026-12-02', 13 * 60);
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

function aGym(): BookableService {
  return {
    id: 'r29-gym',
    spaceId: 'r29',
    name: '共享健身房',
    place: '二楼',
    kind: 'capacity',
    hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
    rules: { ...defaultRules('capacity'), minNoticeMinutes: 30 },
  };
}

function aRoom(): BookableService {
  return {
    ...aGym(),
    id: 'r29-living-room',
    kind: 'room',
    hours: [{ days: EVERY_DAY, open: 9 * 60, close: 21 * 60 }],
    rules: defaultRules('room'),
  };
}

describe('counting bookable slots (item 3)', () => {
  it('counts today only the slots not begun and past the minimum notice', () => {
    const full = new Set(['r29-gym@2026-12-02T1500', 'r29-gym@2026-12-02T0900']);
    // 13:00 with 30 minutes' notice: 14:00 … 23:00 are left (10); 15:00 of them is full.
    expect(daySummary(aGym(), ['2026-12-02', '2026-12-03'], full, NOW)).toEqual([
      { date: '2026-12-02', slots: 10, full: 1, offered: 24 },
      { date: '2026-12-03', slots: 24, full: 0, offered: 24 },
    ]);
    // 12:40: 13:00 starts in 20 minutes, within the notice.
    const early = shanghaiInstant('2026-12-02', 12 * 60 + 40);
    expect(daySummary(aGym(), ['2026-12-02'], new Set(), early)[0].slots).toBe(10);
    // Late evening: nothing left today.
    const late = shanghaiInstant('2026-12-02', 23 * 60 + 40);
    expect(daySummary(aGym(), ['2026-12-02'], new Set(), late)[0]).toEqual({
      date: '2026-12-02',
      slots: 0,
      full: 0,
      offered: 24,
    });
  });

  it('opens the list at the first slot that is not closed', () => {
    const gym = aGym();
    const dates = ['2026-12-02', '2026-12-03'];
    const states = (date: string, now: Date) =>
      slotsOn(gym, date).map((s) => ({ state: slotState(s, 1, gym.rules, dates, now) }));
    expect(firstOpenIndex(states('2026-12-02', NOW))).toBe(14);
    expect(firstOpenIndex(states('2026-12-03', NOW))).toBe(0);
    expect(firstOpenIndex(states('2026-12-02', shanghaiInstant('2026-12-02', 23 * 60 + 40)))).toBe(
      -1,
    );
  });

  it('labels dates with 今天 / 明天 and the weekday (Asia/Shanghai)', () => {
    expect(dayLabel('2026-12-02', NOW)).toBe('今天');
    expect(dayLabel('2026-12-03', NOW)).toBe('明天');
    expect(dayLabel('2026-12-04', NOW)).toBe('周五 12月4日');
    expect(dayLabel('2026-12-06', NOW)).toBe('周日 12月6日');
    expect(dayLabel('2026-12-09', NOW)).toBe('周三 12月9日');
    // 2026-12-02 23:30 in Shanghai is still 15:30 UTC of the same day, 00:30 is the day before in UTC.
    const afterMidnight = shanghaiInstant('2026-12-03', 30);
    expect(dayLabel('2026-12-03', afterMidnight)).toBe('今天');
    expect(dayLabel('2026-12-04', afterMidnight)).toBe('明天');
  });
});

describe('rules stated before booking (item 4)', () => {
  it('states the active bookings left', () => {
    const rules = defaultRules('capacity');
    expect(activeLeft([], rules)).toBe(3);
    expect(activeLeft(['confirmed', 'waiting', 'checked-in', 'cancelled'], rules)).toBe(1);
    expect(activeLeft(['confirmed', 'waiting', 'held', 'confirmed'], rules)).toBe(0);
    expect(activeLeftText(2, rules)).toBe('你还可预约 2 个（每人同时最多 3 个有效预约，含候补）');
    expect(activeLeftText(0, rules)).toContain('你已有 3 个有效预约');
  });

  it('states the minimum notice', () => {
    expect(minNoticeText({ minNoticeMinutes: 30 })).toBe('需至少提前 30 分钟预约');
    expect(minNoticeText({ minNoticeMinutes: 0 })).toBe('开始前均可预约');
  });

  it('states the cancel cut-off of a slot and whether it has passed, as cancel decides', () => {
    const rules = defaultRules('capacity'); // 60 minutes
    const at = (hhmm: number, date = '2026-12-02') => ({
      date,
      start: shanghaiInstant(date, hhmm),
    });
    expect(cancelCutoffText(at(14 * 60 + 30), rules, NOW)).toBe('13:30 后不可取消');
    expect(cancelCutoffText(at(14 * 60), rules, NOW)).toBe('13:00 后不可取消');
    expect(cancelCutoffText(at(13 * 60 + 45), rules, NOW)).toBe('已过取消时间，约后不可取消');
    expect(cancelCutoffText(at(30, '2026-12-03'), rules, NOW)).toBe('12月2日 23:30 后不可取消');
    for (const slot of [at(14 * 60), at(13 * 60 + 59), at(13 * 60 + 45)]) {
      const passed = cancelCutoffPassed(slot.start, rules, NOW);
      const refused = cancelRefusal({ state: 'confirmed', start: slot.start }, rules, NOW);
      expect(passed).toBe(refused !== null);
    }
    expect(lateCancelWarning(rules)).toContain('开始前 60 分钟内不能取消');
  });

  it('says when a room closes instead of "没有这个时段"', () => {
    const room = aRoom();
    expect(pastClosingRefusal(room, '2026-12-03', 19 * 60, 4)).toEqual({
      code: 'BLOCK_LENGTH',
      message: '21:00 关门，最多可约到 21:00（2 小时）',
    });
    expect(pastClosingRefusal(room, '2026-12-03', 17 * 60, 4)).toBeNull();
    expect(pastClosingRefusal(room, '2026-12-03', 8 * 60, 1)).toBeNull();
    expect(requestedRun(room, { date: '2026-12-03', startMinute: 20 * 60, slots: 3 })).toEqual({
      refusal: { code: 'BLOCK_LENGTH', message: '21:00 关门，最多可约到 21:00（1 小时）' },
    });
    expect(requestedRun(room, { date: '2026-12-03', startMinute: 8 * 60, slots: 1 })).toEqual({
      refusal: REFUSALS.noSuchSlot,
    });
    const lateRoom = { ...room, hours: [{ days: EVERY_DAY, open: 18 * 60, close: 24 * 60 }] };
    expect(pastClosingRefusal(lateRoom, '2026-12-03', 22 * 60, 3)?.message).toBe(
      '24:00 关门，最多可约到 24:00（2 小时）',
    );
  });
});
