import {
  SCHEDULE_STATES,
  markRefusal,
  secretaryActions,
  secretaryCancelRefusal,
  weekOfDate,
} from './policy';
import { defaultRules } from './rules';
import { blockLengthRefusal, slotState } from './slots';

/** A fixed clock: 2026-03-02 10:00 Asia/Shanghai. */
const NOW = new Date('2026-03-02T02:00:00.000Z');
const minutesFromNow = (m: number) => new Date(NOW.getTime() + m * 60_000);

describe('slotState', () => {
  const rules = { minNoticeMinutes: 30 };
  const dates = ['2026-03-02', '2026-03-03'];
  const slot = (start: Date, date = '2026-03-02') => ({ start, date });

  it('is free with a place left, full without', () => {
    expect(slotState(slot(minutesFromNow(60)), 2, rules, dates, NOW)).toBe('free');
    expect(slotState(slot(minutesFromNow(60)), 0, rules, dates, NOW)).toBe('full');
  });

  it('is closed within the minimum notice, even with places left', () => {
    expect(slotState(slot(minutesFromNow(29)), 2, rules, dates, NOW)).toBe('closed');
    expect(slotState(slot(minutesFromNow(30)), 2, rules, dates, NOW)).toBe('free');
  });

  it('is closed outside the bookable dates', () => {
    expect(slotState(slot(minutesFromNow(60), '2026-03-09'), 2, rules, dates, NOW)).toBe('closed');
  });
});

describe('blockLengthRefusal', () => {
  const rules = { minSlots: 2, maxSlots: 4 };

  it('lets a room be booked in blocks between minSlots and maxSlots', () => {
    expect(blockLengthRefusal('room', rules, 2)).toBeNull();
    expect(blockLengthRefusal('room', rules, 4)).toBeNull();
    expect(blockLengthRefusal('room', rules, 1)).toEqual({
      code: 'BLOCK_LENGTH',
      message: '每次可预约 2–4 个时段',
    });
    expect(blockLengthRefusal('room', rules, 5)?.code).toBe('BLOCK_LENGTH');
  });

  it('lets every other kind book one slot at a time', () => {
    expect(blockLengthRefusal('capacity', rules, 1)).toBeNull();
    expect(blockLengthRefusal('session', rules, 2)).toEqual({
      code: 'BLOCK_LENGTH',
      message: '每次只能预约一个时段',
    });
  });
});

describe('secretaryCancelRefusal', () => {
  it('allows the states a resident may cancel, whatever the time', () => {
    for (const state of ['waiting', 'held', 'confirmed'] as const)
      expect(secretaryCancelRefusal({ state })).toBeNull();
  });

  it('refuses a booking that is over', () => {
    for (const state of ['checked-in', 'no-show', 'cancelled', 'expired'] as const)
      expect(secretaryCancelRefusal({ state })?.code).toBe('NOT_CANCELLABLE');
  });
});

describe('markRefusal', () => {
  const rules = defaultRules('capacity');
  const start = minutesFromNow(rules.checkInBeforeMinutes - 1); // check-in has opened

  it('waits until check-in opens', () => {
    const later = minutesFromNow(rules.checkInBeforeMinutes + 1);
    expect(markRefusal({ state: 'confirmed', start: later }, true, rules, NOW)).toEqual({
      code: 'NOT_MARKABLE',
      message: '签到开始后才能登记到场情况',
    });
  });

  it('marks attended from confirmed or a no-show, absent from confirmed or checked-in', () => {
    expect(markRefusal({ state: 'confirmed', start }, true, rules, NOW)).toBeNull();
    expect(markRefusal({ state: 'no-show', start }, true, rules, NOW)).toBeNull();
    expect(markRefusal({ state: 'confirmed', start }, false, rules, NOW)).toBeNull();
    expect(markRefusal({ state: 'checked-in', start }, false, rules, NOW)).toBeNull();
    expect(markRefusal({ state: 'checked-in', start }, true, rules, NOW)).toEqual({
      code: 'NOT_MARKABLE',
      message: '预约状态为「已签到」，不能这样登记',
    });
    expect(markRefusal({ state: 'waiting', start }, false, rules, NOW)?.code).toBe('NOT_MARKABLE');
  });
});

describe('SCHEDULE_STATES', () => {
  it('lists every booking that is not cancelled or expired', () => {
    expect([...SCHEDULE_STATES].sort()).toEqual(
      ['checked-in', 'confirmed', 'held', 'no-show', 'waiting'].sort(),
    );
  });
});

describe('weekOfDate', () => {
  it('is the Monday of the Shanghai week holding the date', () => {
    expect(weekOfDate('2026-03-02')).toBe('2026-03-02');
    expect(weekOfDate('2026-03-08')).toBe('2026-03-02');
    expect(weekOfDate('2026-03-09')).toBe('2026-03-09');
  });
});

describe('secretaryActions', () => {
  it('lists what the secretary may do with a booking in each state', () => {
    expect(secretaryActions('confirmed')).toEqual(['markAttended', 'markAbsent', 'cancel']);
    expect(secretaryActions('no-show')).toEqual(['markAttended']);
    expect(secretaryActions('checked-in')).toEqual(['markAbsent']);
    expect(secretaryActions('waiting')).toEqual(['cancel']);
    expect(secretaryActions('held')).toEqual(['cancel']);
    expect(secretaryActions('cancelled')).toEqual([]);
    expect(secretaryActions('expired')).toEqual([]);
  });
});
