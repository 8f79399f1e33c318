import {
  formatMinuteOfDay,
  parseMinuteOfDay,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  shanghaiWeekday,
} from './time';

describe('Asia/Shanghai calendar', () => {
  it('reads the Shanghai wall clock whatever the process time zone', () => {
    // 2026-11-27T17:30:00Z is 01:30 on the 28th in Shanghai.
    const at = new Date('2026-11-27T17:30:00Z');
    expect(shanghaiDate(at)).toBe('2026-11-28');
    expect(shanghaiMinuteOfDay(at)).toBe(90);
    expect(shanghaiWeekday(at)).toBe(6); // Saturday
  });

  it('crosses month and year ends at Shanghai midnight, not UTC midnight', () => {
    expect(shanghaiDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiDate(new Date('2027-02-28T16:00:00Z'))).toBe('2027-03-01');
  });

  it('builds instants from a Shanghai date and minute', () => {
    expect(shanghaiInstant('2026-11-28', 90).toISOString()).toBe('2026-11-27T17:30:00.000Z');
    expect(shanghaiInstant('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('formats and parses minutes of the day', () => {
    expect(formatMinuteOfDay(0)).toBe('00:00');
    expect(formatMinuteOfDay(810)).toBe('13:30');
    expect(formatMinuteOfDay(1440)).toBe('24:00');
    expect(parseMinuteOfDay('13:30')).toBe(810);
    expect(parseMinuteOfDay('24:00')).toBe(1440);
    expect(parseMinuteOfDay('24:01')).toBeNull();
    expect(parseMinuteOfDay('9:00')).toBeNull();
    expect(parseMinuteOfDay('12:60')).toBeNull();
  });
});
