import { checkInNow, nextCheckInChange, type CheckInShown } from './check-in-now';

// 12:45–13:15 Asia/Shanghai on 2026-12-02.
const option: CheckInShown = {
  kind: 'not-yet',
  reason: '签到将于 12月2日 12:45 开始',
  checkInOpens: '2026-12-02T04:45:00.000Z',
  checkInCloses: '2026-12-02T05:15:00.000Z',
};
const at = (hhmm: string) => new Date(`2026-12-02T${hhmm}:00+08:00`);

describe('checkInNow', () => {
  it('keeps "not yet" before the window opens', () => {
    expect(checkInNow(option, at('12:44'))).toEqual({
      kind: 'not-yet',
      reason: '签到将于 12月2日 12:45 开始',
    });
  });
  it('opens when the window opens, without asking the server again', () => {
    expect(checkInNow(option, at('12:46')).kind).toBe('open');
  });
  it('closes when the window closes', () => {
    expect(checkInNow({ ...option, kind: 'open', reason: '' }, at('13:15'))).toEqual({
      kind: 'closed',
      reason: '签到已于 12月2日 13:15 截止',
    });
  });
  it('leaves every other state as the server said', () => {
    const done = { ...option, kind: 'done' as const, reason: '已签到' };
    expect(checkInNow(done, at('12:50'))).toEqual({ kind: 'done', reason: '已签到' });
  });
});

describe('nextCheckInChange', () => {
  it('is the next opening or closing still ahead', () => {
    expect(nextCheckInChange([option], at('12:00'))?.toISOString()).toBe(option.checkInOpens);
    expect(nextCheckInChange([option], at('12:50'))?.toISOString()).toBe(option.checkInCloses);
    expect(nextCheckInChange([option], at('13:20'))).toBeNull();
    expect(nextCheckInChange([{ ...option, kind: 'done' }], at('12:00'))).toBeNull();
  });
});
