import * as v from 'valibot';
import {
  calendarDateSchema,
  daysInMonth,
  isCalendarDate,
  isIsoInstant,
  isoInstantSchema,
} from './dates';

describe('isCalendarDate', () => {
  it.each([
    '2026-02-28',
    '2028-02-29',
    '2000-02-29',
    '2025-12-31',
    '2025-04-30',
    '1900-01-01',
    '2099-12-31',
  ])('accepts %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each([
    '2026-02-31',
    '2026-02-29',
    '1900-02-29',
    '2100-02-28',
    '2025-04-31',
    '2025-06-31',
    '2025-09-31',
    '2025-11-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-32',
    '2025-1-01',
    '2025-01-1',
    '25-01-01',
    '2025/01/01',
    '2025-01-01T00:00Z',
    ' 2025-01-01',
    '2025-01-01\n',
    '１２３４-01-01',
    '',
  ])('refuses %j', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });

  it('knows every month length of a leap and a common year', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m))).toEqual([
      31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2025, 2)).toBe(28);
  });

  it('schema answers in Chinese', () => {
    expect(v.safeParse(calendarDateSchema(), '2026-02-31').issues?.[0].message).toBe(
      '日期应为存在的日期，格式如 2025-03-01',
    );
    expect(v.safeParse(calendarDateSchema('开始日期'), 20260201).issues?.[0].message).toBe(
      '开始日期必须是文字',
    );
  });
});

describe('isIsoInstant', () => {
  it.each([
    '2025-03-01T09:30Z',
    '2025-03-01T09:30:15Z',
    '2025-03-01T09:30:15.250+08:00',
    '2024-02-29T23:59:59-05:00',
    '2025-03-01T00:00:00.000Z',
  ])('accepts %s', (t) => {
    expect(isIsoInstant(t)).toBe(true);
  });

  it.each([
    '2026-02-31T10:00Z',
    '2025-04-31T10:00:00+08:00',
    '2025-03-01T24:00Z',
    '2025-03-01T23:60Z',
    '2025-03-01T23:59:60Z',
    '2025-03-01T10:00+15:00',
    '2025-03-01T10:00+08:60',
    '2025-03-01T10:00',
    '2025-03-01 10:00Z',
    '2025-03-01',
    'yesterday',
  ])('refuses %j', (t) => {
    expect(isIsoInstant(t)).toBe(false);
    expect(v.safeParse(isoInstantSchema('开始时间'), t).issues?.[0].message).toBe(
      '开始时间不是有效时间',
    );
  });
});
