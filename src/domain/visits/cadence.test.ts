import { shanghaiInstant } from '../shared/time';
import {
  DEFAULT_CADENCE,
  addCalendarMonths,
  addInterval,
  cadenceConfigSchema,
  RISK_LEVELS,
  compareByDue,
  describeDue,
  describeInterval,
  intervalDays,
  previewCadenceChange,
  sameCadence,
  visitStatus,
  type CadenceFacts,
} from './cadence';
import { coverageSummary, byMostDue, formatRate } from './coverage';
import * as v from 'valibot';

/** An instant at HH:mm Asia/Shanghai on `date`. */
const at = (date: string, hhmm = '10:00') => {
  const [h, m] = hhmm.split(':').map(Number);
  return shanghaiInstant(date, h * 60 + m);
};
const anElder = (overrides: Partial<CadenceFacts> = {}): CadenceFacts => ({
  riskLevel: 'key',
  addedAt: at('2024-12-01'),
  ...overrides,
});

describe('calendar arithmetic', () => {
  it('adds months with the day clamped to the month', () => {
    expect(addCalendarMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addCalendarMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addCalendarMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addCalendarMonths('2025-12-15', 1)).toBe('2026-01-15');
  });
  it('adds weeks across a month and a year end', () => {
    expect(addInterval('2025-01-28', { unit: 'week', count: 1 })).toBe('2025-02-04');
    expect(addInterval('2025-12-29', { unit: 'week', count: 1 })).toBe('2026-01-05');
  });
});

describe('visitStatus: one definition of due and overdue', () => {
  it('high risk: weekly, on time through the due date, overdue from 00:00 Shanghai the day after', () => {
    const e = anElder({ riskLevel: 'high', lastContactAt: at('2025-01-28', '23:30') });
    expect(visitStatus(e, at('2025-01-30')).state).toBe('visited');
    const dueDay = visitStatus(e, at('2025-02-04', '23:59'));
    expect(dueDay).toMatchObject({
      state: 'due',
      dueDate: '2025-02-04',
      reason: 'cadence',
      daysLeft: 0,
    });
    expect(dueDay.dueAt.toISOString()).toBe('2025-02-04T16:00:00.000Z');
    expect(visitStatus(e, at('2025-02-05', '00:00')).state).toBe('overdue');
    expect(visitStatus(e, at('2025-02-07')).daysLeft).toBe(-3);
  });

  it('uses the Shanghai date of the visit, not UTC: 07:30 Shanghai is the previous UTC day', () => {
    const e = anElder({ riskLevel: 'high', lastContactAt: at('2025-03-01', '07:30') });
    expect(visitStatus(e, at('2025-03-02')).dueDate).toBe('2025-03-08');
  });

  it('key: monthly, from Jan 31 due on Feb 28 (leap years Feb 29)', () => {
    expect(
      visitStatus(anElder({ lastContactAt: at('2025-01-31') }), at('2025-02-10')).dueDate,
    ).toBe('2025-02-28');
    expect(
      visitStatus(anElder({ lastContactAt: at('2024-01-31') }), at('2024-02-10')).dueDate,
    ).toBe('2024-02-29');
    expect(visitStatus(anElder({ lastContactAt: at('2025-01-31') }), at('2025-03-01')).state).toBe(
      'overdue',
    );
  });

  it('general: monthly by default, like every level on the roster', () => {
    const e = anElder({ riskLevel: 'general', lastContactAt: at('2025-11-30') });
    expect(visitStatus(e, at('2025-12-10'))).toMatchObject({
      state: 'visited',
      dueDate: '2025-12-30',
    });
    expect(visitStatus(e, at('2025-12-24')).state).toBe('due');
    expect(visitStatus(e, at('2025-12-31')).state).toBe('overdue');
  });

  it('general: quarterly across a year end when the secretary sets it', () => {
    const quarterly = {
      ...DEFAULT_CADENCE,
      levels: {
        ...DEFAULT_CADENCE.levels,
        general: { every: { unit: 'month' as const, count: 3 }, dueSoonDays: 14 },
      },
    };
    const e = anElder({ riskLevel: 'general', lastContactAt: at('2025-11-30') });
    expect(visitStatus(e, at('2025-12-10'), quarterly)).toMatchObject({
      state: 'visited',
      dueDate: '2026-02-28',
    });
    expect(visitStatus(e, at('2026-02-20'), quarterly).state).toBe('due');
    expect(visitStatus(e, at('2026-03-01'), quarterly).state).toBe('overdue');
  });

  it('defaults: monthly is the floor for every level, high risk weekly; saved settings still validate', () => {
    for (const r of RISK_LEVELS)
      expect(intervalDays(DEFAULT_CADENCE.levels[r].every)).toBeLessThanOrEqual(31);
    expect(describeInterval(DEFAULT_CADENCE.levels.high.every)).toBe('每周');
    expect(describeInterval(DEFAULT_CADENCE.levels.key.every)).toBe('每月');
    expect(describeInterval(DEFAULT_CADENCE.levels.general.every)).toBe('每月');
    expect(v.safeParse(cadenceConfigSchema, DEFAULT_CADENCE).success).toBe(true);
    // What a secretary saved before (the old quarterly default, a 1–7 day follow-up) still reads.
    const saved = {
      ...DEFAULT_CADENCE,
      levels: {
        ...DEFAULT_CADENCE.levels,
        general: { every: { unit: 'month', count: 3 }, dueSoonDays: 14 },
      },
      notAtHomeFollowUpDays: 7,
    };
    expect(v.safeParse(cadenceConfigSchema, saved).success).toBe(true);
    expect(v.safeParse(cadenceConfigSchema, { ...saved, notAtHomeFollowUpDays: 1 }).success).toBe(
      true,
    );
  });

  it('never visited: due within the first-visit window after being added, then overdue', () => {
    const e = anElder({ riskLevel: 'general', addedAt: at('2025-01-29') });
    expect(visitStatus(e, at('2025-01-29'))).toMatchObject({
      state: 'due',
      reason: 'first-visit',
      dueDate: '2025-02-05',
    });
    expect(visitStatus(e, at('2025-02-06')).state).toBe('overdue');
  });

  it('not at home: a follow-up is due within 2 days, earlier than the cadence', () => {
    const e = anElder({
      riskLevel: 'general',
      lastContactAt: at('2025-01-10'),
      notAtHomeAt: at('2025-01-30'),
    });
    expect(visitStatus(e, at('2025-01-30'))).toMatchObject({
      state: 'due',
      reason: 'not-at-home',
      dueDate: '2025-02-01',
    });
    expect(visitStatus(e, at('2025-02-02')).state).toBe('overdue');
    // A contact after the attempt clears it.
    expect(visitStatus({ ...e, lastContactAt: at('2025-01-31') }, at('2025-02-02'))).toMatchObject({
      state: 'visited',
      reason: 'cadence',
    });
  });

  it('flagged change: a visit is due within 24 h, to the minute', () => {
    const flaggedAt = at('2025-02-03', '15:20');
    const e = anElder({ riskLevel: 'high', lastContactAt: flaggedAt, flaggedChangeAt: flaggedAt });
    const s = visitStatus(e, at('2025-02-04', '15:19'));
    expect(s).toMatchObject({ state: 'due', reason: 'flagged-change', dueDate: '2025-02-04' });
    expect(visitStatus(e, at('2025-02-04', '15:20')).state).toBe('overdue');
    // A later contact answers the flag.
    expect(
      visitStatus({ ...e, lastContactAt: at('2025-02-04', '09:00') }, at('2025-02-04', '16:00'))
        .reason,
    ).toBe('cadence');
  });

  it('is configurable: key every 2 weeks', () => {
    const config = {
      ...DEFAULT_CADENCE,
      levels: {
        ...DEFAULT_CADENCE.levels,
        key: { every: { unit: 'week' as const, count: 2 }, dueSoonDays: 3 },
      },
    };
    expect(
      visitStatus(anElder({ lastContactAt: at('2025-02-20') }), at('2025-02-21'), config).dueDate,
    ).toBe('2025-03-06');
    expect(v.safeParse(cadenceConfigSchema, config).success).toBe(true);
    expect(v.safeParse(cadenceConfigSchema, { ...config, afterFlagHours: 0 }).success).toBe(false);
  });

  it('orders most due first and describes the due date', () => {
    const now = at('2025-02-10');
    const rows = byMostDue(
      [
        { name: '乙', ...anElder({ lastContactAt: at('2025-02-05') }) },
        { name: '甲', ...anElder({ riskLevel: 'high', lastContactAt: at('2025-01-20') }) },
        { name: '丙', ...anElder({ riskLevel: 'high', lastContactAt: at('2025-02-05') }) },
      ],
      now,
    );
    expect(rows.map((r) => r.name)).toEqual(['甲', '丙', '乙']);
    expect(describeDue(rows[0].status)).toBe('逾期 14 天');
    expect([...rows].sort(compareByDue)[0].name).toBe('甲');
  });
});

describe('coverage', () => {
  it('counts elders on time against the 100% target', () => {
    const now = at('2025-02-10');
    const summary = coverageSummary(
      [
        { name: 'a', ...anElder({ lastContactAt: at('2025-02-01') }) },
        { name: 'b', ...anElder({ lastContactAt: at('2024-12-01') }) },
        // Seen within the month: on time under the monthly default (general used to be quarterly).
        { name: 'c', ...anElder({ riskLevel: 'general', lastContactAt: at('2025-01-15') }) },
        { name: 'd', ...anElder({ riskLevel: 'high', lastContactAt: at('2025-02-01') }) },
      ],
      now,
    );
    expect(summary).toMatchObject({
      month: '2025-02',
      total: 4,
      onTime: 2,
      overdue: 2,
      contactedThisMonth: 2,
      rate: 0.5,
      target: 1,
    });
    expect(formatRate(summary.rate)).toBe('50%');
    expect(coverageSummary([], now).rate).toBe(1);
  });
});

describe('previewing a cadence change', () => {
  it('counts the elders whose due date moves, earlier or later, and those overdue at once', () => {
    const now = at('2025-02-10');
    const elders = [
      anElder({ riskLevel: 'high', lastContactAt: at('2025-02-05') }), // due 02-12 weekly; 02-07 every 2 days → overdue
      anElder({ riskLevel: 'key', lastContactAt: at('2025-02-01') }), // monthly: unchanged
      anElder({ riskLevel: 'general', lastContactAt: at('2025-01-20') }), // unchanged
      anElder({ riskLevel: 'key', lastContactAt: at('2025-02-01'), notAtHomeAt: at('2025-02-09') }), // follow-up 02-11 → 02-12
    ];
    const after = {
      ...DEFAULT_CADENCE,
      levels: {
        ...DEFAULT_CADENCE.levels,
        high: { every: { unit: 'day' as const, count: 2 }, dueSoonDays: 1 },
      },
      notAtHomeFollowUpDays: 3,
    };
    expect(previewCadenceChange(elders, now, DEFAULT_CADENCE, after)).toEqual({
      total: 4,
      changed: 2,
      earlier: 1,
      later: 1,
      newlyOverdue: 1,
    });
    expect(previewCadenceChange(elders, now, DEFAULT_CADENCE, DEFAULT_CADENCE)).toEqual({
      total: 4,
      changed: 0,
      earlier: 0,
      later: 0,
      newlyOverdue: 0,
    });
    expect(sameCadence(DEFAULT_CADENCE, JSON.parse(JSON.stringify(DEFAULT_CADENCE)))).toBe(true);
    expect(sameCadence(DEFAULT_CADENCE, after)).toBe(false);
  });

  it('moves a flagged change by the new window in hours', () => {
    const now = at('2025-02-10', '09:00');
    const e = anElder({
      riskLevel: 'high',
      lastContactAt: at('2025-02-09', '08:00'),
      flaggedChangeAt: at('2025-02-09', '10:00'),
    });
    expect(
      previewCadenceChange([e], now, DEFAULT_CADENCE, { ...DEFAULT_CADENCE, afterFlagHours: 12 }),
    ).toEqual({ total: 1, changed: 1, earlier: 1, later: 0, newlyOverdue: 1 });
  });
});
