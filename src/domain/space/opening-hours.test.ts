import {
  describeOpeningRules,
  isOpenNow,
  openState,
  openStateLabel,
  type OpeningRule,
} from './opening-hours';
import { shanghaiInstant } from '../shared/time';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const government: OpeningRule[] = [
  { days: WEEKDAYS, open: 9 * 60, close: 12 * 60 },
  { days: WEEKDAYS, open: 13 * 60 + 30, close: 17 * 60 + 30 },
];
const gym: OpeningRule[] = [{ days: EVERY_DAY, open: 0, close: 1440 }];
const lateBar: OpeningRule[] = [{ days: [5, 6], open: 20 * 60, close: 26 * 60 }]; // Fri/Sat 20:00–02:00

// 2026-11-27 is a Friday in Shanghai.
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return shanghaiInstant(date, h * 60 + m);
};

describe('openState', () => {
  it('treats round-the-clock services as always open', () => {
    expect(openState(gym, at('2026-11-27', '03:00'))).toEqual({ kind: 'always' });
    expect(openStateLabel({ kind: 'always' }, new Date())).toBe('24小时开放');
  });

  it('knows lunch breaks and the next opening', () => {
    expect(openState(government, at('2026-11-27', '10:00'))).toEqual({
      kind: 'open',
      closesAt: 720,
      closesSoon: false,
    });
    expect(openState(government, at('2026-11-27', '11:45'))).toMatchObject({
      kind: 'open',
      closesSoon: true,
    });
    expect(openState(government, at('2026-11-27', '12:30'))).toEqual({
      kind: 'closed',
      opensAt: 810,
      opensInDays: 0,
    });
  });

  it('skips the weekend to Monday', () => {
    const friEvening = at('2026-11-27', '18:00');
    const state = openState(government, friEvening);
    expect(state).toEqual({ kind: 'closed', opensAt: 540, opensInDays: 3 });
    expect(openStateLabel(state, friEvening)).toBe('已关门 · 周一 09:00 开门');
  });

  it('labels tomorrow in words', () => {
    const thuEvening = at('2026-11-26', '20:00');
    expect(openStateLabel(openState(government, thuEvening), thuEvening)).toBe(
      '已关门 · 明天 09:00 开门',
    );
  });

  it('carries hours past midnight into the next day', () => {
    expect(isOpenNow(lateBar, at('2026-11-28', '01:30'))).toBe(true); // Saturday 01:30, from Friday night
    expect(isOpenNow(lateBar, at('2026-11-28', '02:00'))).toBe(false);
    expect(isOpenNow(lateBar, at('2026-11-30', '01:30'))).toBe(false); // Monday 01:30: Sunday has no hours
  });

  it('is closed at the closing minute and open at the opening minute', () => {
    expect(isOpenNow(government, at('2026-11-27', '09:00'))).toBe(true);
    expect(isOpenNow(government, at('2026-11-27', '12:00'))).toBe(false);
  });

  it('reports services with no hours as never open', () => {
    expect(openState([], new Date())).toEqual({ kind: 'never' });
  });

  it('describes a timetable in Chinese', () => {
    expect(describeOpeningRules(gym)).toBe('全天 24 小时');
    expect(describeOpeningRules(government)).toBe('周一至周五 09:00–12:00；周一至周五 13:30–17:30');
    expect(describeOpeningRules(lateBar)).toBe('周五、周六 20:00–02:00');
  });
});
