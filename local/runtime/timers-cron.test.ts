import { cronMatches, nextCronTime, parseCron } from './timers-cron';

/** An instant given as Asia/Shanghai wall-clock text. */
function sh(text: string): Date {
  return new Date(`${text}+08:00`);
}

describe('parseCron', () => {
  it('expands *, lists, ranges and steps', () => {
    const s = parseCron('*/15 0,30 8-10 1 JAN-MAR MON-FRI *');
    expect([...s.second]).toEqual([0, 15, 30, 45]);
    expect([...s.minute]).toEqual([0, 30]);
    expect([...s.hour]).toEqual([8, 9, 10]);
    expect([...s.dayOfMonth]).toEqual([1]);
    expect([...s.month]).toEqual([1, 2, 3]);
    expect([...s.dayOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(s.year.size).toBe(2099 - 1970 + 1);
  });

  it('supports range steps and start/step', () => {
    expect([...parseCron('0 10-20/5 * * * * *').minute]).toEqual([10, 15, 20]);
    expect([...parseCron('0 50/4 * * * * *').minute]).toEqual([50, 54, 58]);
  });

  it.each([
    ['0 0 2 * * *', /7 fields/],
    ['60 * * * * * *', /second: 60/],
    ['* * 24 * * * *', /hour: 24/],
    ['* * * 0 * * *', /day-of-month: 0/],
    ['* * * * 13 * *', /month: 13/],
    ['* * * * * 7 *', /day-of-week: 7/],
    ['* * * * * * 1969', /year/],
    ['*/0 * * * * * *', /bad step/],
    ['5-1 * * * * * *', /backwards/],
    ['a * * * * * *', /not a number/],
    ['1,,2 * * * * * *', /empty/],
  ])('rejects %s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
  });
});

describe('cronMatches (Asia/Shanghai wall clock)', () => {
  it('evaluates hours in UTC+8 whatever the host zone', () => {
    const twoAm = parseCron('0 0 2 * * * *');
    expect(cronMatches(twoAm, sh('2025-03-04T02:00:00'))).toBe(true);
    expect(cronMatches(twoAm, new Date('2025-03-03T18:00:00Z'))).toBe(true);
    expect(cronMatches(twoAm, new Date('2025-03-04T02:00:00Z'))).toBe(false);
    expect(cronMatches(twoAm, sh('2025-03-04T02:00:01'))).toBe(false);
  });

  it('treats a restricted day-of-month and day-of-week as "either"', () => {
    const s = parseCron('0 0 9 1 * MON *');
    expect(cronMatches(s, sh('2025-03-01T09:00:00'))).toBe(true); // Saturday the 1st
    expect(cronMatches(s, sh('2025-03-03T09:00:00'))).toBe(true); // Monday the 3rd
    expect(cronMatches(s, sh('2025-03-04T09:00:00'))).toBe(false); // Tuesday the 4th
  });

  it('uses day-of-week alone when day-of-month is *', () => {
    const s = parseCron('0 30 8 * * 1-5 *');
    expect(cronMatches(s, sh('2025-03-07T08:30:00'))).toBe(true); // Friday
    expect(cronMatches(s, sh('2025-03-08T08:30:00'))).toBe(false); // Saturday
  });

  it('checks the year field', () => {
    const s = parseCron('0 0 0 1 1 * 2026');
    expect(cronMatches(s, sh('2026-01-01T00:00:00'))).toBe(true);
    expect(cronMatches(s, sh('2025-01-01T00:00:00'))).toBe(false);
  });
});

describe('nextCronTime', () => {
  it('finds the next whole second strictly after the given instant', () => {
    const every = parseCron('* * * * * * *');
    expect(nextCronTime(every, new Date('2025-03-04T00:00:00.400Z'))).toEqual(
      new Date('2025-03-04T00:00:01Z'),
    );
    expect(nextCronTime(every, new Date('2025-03-04T00:00:01Z'))).toEqual(
      new Date('2025-03-04T00:00:02Z'),
    );
  });

  it('rolls over days, months and years in Shanghai time', () => {
    const twoAm = parseCron('0 0 2 * * * *');
    expect(nextCronTime(twoAm, sh('2025-12-31T02:00:00'))).toEqual(sh('2026-01-01T02:00:00'));
    const monthly = parseCron('0 0 0 31 * * *');
    expect(nextCronTime(monthly, sh('2025-02-01T00:00:00'))).toEqual(sh('2025-03-31T00:00:00'));
  });

  it('handles leap days and weekday schedules', () => {
    expect(nextCronTime(parseCron('0 0 12 29 2 * *'), sh('2025-01-01T00:00:00'))).toEqual(
      sh('2028-02-29T12:00:00'),
    );
    // Friday 2025-03-07 18:00 → next weekday 08:30 is Monday the 10th.
    expect(nextCronTime(parseCron('0 30 8 * * MON-FRI *'), sh('2025-03-07T18:00:00'))).toEqual(
      sh('2025-03-10T08:30:00'),
    );
  });

  it('answers null when the schedule never fires again', () => {
    expect(nextCronTime(parseCron('0 0 0 1 1 * 2020'), sh('2025-01-01T00:00:00'))).toBeNull();
  });

  it('agrees with cronMatches', () => {
    const s = parseCron('*/20 */7 3-5 * * * *');
    let t = sh('2025-06-01T00:00:00');
    for (let i = 0; i < 20; i++) {
      const next = nextCronTime(s, t);
      expect(next).not.toBeNull();
      expect(cronMatches(s, next as Date)).toBe(true);
      t = next as Date;
    }
  });
});
