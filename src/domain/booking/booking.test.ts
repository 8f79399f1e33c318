import * as v from 'valibot';
import { shanghaiInstant } from '../shared/time';
import { hhmmToMinute, parseHoursDrafts, toDrafts } from './hours';
import { buildIcs, foldIcsLine } from './ics';
import {
  bookingRefusal,
  cancelRefusal,
  checkInState,
  describeWhen,
  holdExpiry,
  isNoShow,
  suspendedUntil,
  weekStartDate,
  type BookingFacts,
} from './policy';
import {
  applyRulesPatch,
  defaultRules,
  overlappingSessions,
  rulesPatchSchema,
  withDefaults,
  type BookingRules,
} from './rules';
import {
  addDays,
  bookableDates,
  parseSlotId,
  slotRun,
  slotsOn,
  type BookableService,
} from './slots';
import { weekUtilization } from './utilization';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return shanghaiInstant(date, h * 60 + m);
};

function aService(
  overrides: Partial<Omit<BookableService, 'rules'>> & { rules?: Partial<BookingRules> } = {},
): BookableService {
  const kind = overrides.kind ?? 'capacity';
  return {
    id: 'gym',
    spaceId: 'r29',
    name: '健身房',
    place: '二楼',
    hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
    ...overrides,
    kind,
    rules: withDefaults(kind, overrides.rules),
  };
}

function aBooking(overrides: Partial<BookingFacts> = {}): BookingFacts {
  return {
    state: 'confirmed',
    start: at('2026-11-27', '10:00'),
    end: at('2026-11-27', '11:00'),
    ...overrides,
  };
}

describe('slot generation', () => {
  it('cuts a 24-hour gym into 24 hourly slots, the last one ending at midnight', () => {
    const slots = slotsOn(aService(), '2026-01-31');
    expect(slots).toHaveLength(24);
    expect(slots[23].label).toBe('23:00–24:00');
    expect(slots[23].end.toISOString()).toBe(at('2026-02-01', '00:00').toISOString());
    expect(slots[0].id).toBe('gym@2026-01-31T0000');
  });

  it('runs a slot across midnight and a month end when the hours do', () => {
    const bar = aService({
      hours: [{ days: EVERY_DAY, open: 21 * 60, close: 26 * 60 }],
      rules: { slotMinutes: 120 },
    });
    const slots = slotsOn(bar, '2026-02-28');
    expect(slots.map((s) => s.label)).toEqual(['21:00–23:00', '23:00–01:00']);
    expect(slots[1].end.toISOString()).toBe(at('2026-03-01', '01:00').toISOString());
    // The next date has no slot that starts on it from the night before.
    expect(slotsOn(bar, '2026-03-01')[0].label).toBe('21:00–23:00');
  });

  it('gives the government desk 15-minute windows in office hours on weekdays only', () => {
    const gov = aService({
      id: 'gov',
      kind: 'appointment',
      hours: [
        { days: WEEKDAYS, open: 540, close: 720 },
        { days: WEEKDAYS, open: 810, close: 1050 },
      ],
    });
    const friday = slotsOn(gov, '2026-11-27');
    expect(friday).toHaveLength(12 + 16);
    expect(friday[0].label).toBe('09:00–09:15');
    expect(friday[12].label).toBe('13:30–13:45');
    expect(slotsOn(gov, '2026-11-28')).toEqual([]);
  });

  it('offers sessions by name on open days', () => {
    const care = aService({
      id: 'care',
      kind: 'session',
      hours: [{ days: WEEKDAYS, open: 510, close: 1050 }],
    });
    expect(slotsOn(care, '2026-11-27').map((s) => s.label)).toEqual([
      '上午场 09:00–12:00',
      '下午场 14:00–17:00',
    ]);
    expect(slotsOn(care, '2026-11-29')).toEqual([]);
  });

  it('has no slots on a blackout date', () => {
    expect(slotsOn(aService({ rules: { blackoutDates: ['2026-10-01'] } }), '2026-10-01')).toEqual(
      [],
    );
  });

  it('finds room blocks of consecutive hours, across midnight, and refuses gaps', () => {
    const room = aService({ id: 'room', kind: 'room' });
    const block = slotRun(room, '2026-12-31', 22 * 60, 3);
    expect(block?.map((s) => s.id)).toEqual([
      'room@2026-12-31T2200',
      'room@2026-12-31T2300',
      'room@2027-01-01T0000',
    ]);
    const dayRoom = aService({
      id: 'room',
      kind: 'room',
      hours: [{ days: EVERY_DAY, open: 540, close: 1260 }],
    });
    expect(slotRun(dayRoom, '2026-11-27', 19 * 60, 3)).toBeNull(); // would pass 21:00
    expect(slotRun(dayRoom, '2026-11-27', 9 * 60 + 30, 1)).toBeNull(); // off the grid
  });

  it('is the same whatever time zone the process runs in', () => {
    // shanghaiInstant never reads the process zone: 00:00 in Shanghai is 16:00 UTC the day before.
    expect(slotsOn(aService(), '2026-11-27')[0].start.toISOString()).toBe(
      '2026-11-26T16:00:00.000Z',
    );
  });

  it('parses slot ids and knows real dates across month ends', () => {
    expect(parseSlotId('gym@2026-02-28T2300')).toEqual({
      serviceId: 'gym',
      date: '2026-02-28',
      startMinute: 1380,
    });
    expect(parseSlotId('gym@2026-02-30T2300')).toBeNull();
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(bookableDates(defaultRules('capacity'), at('2026-12-30', '23:59'))).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
    ]);
  });
});

describe('booking rules', () => {
  const gym = aService();
  const now = at('2026-11-27', '08:00');
  const slot = (hhmm: string, date = '2026-11-27') =>
    slotRun(gym, date, Number(hhmm.slice(0, 2)) * 60, 1)!;

  it('accepts a plain booking', () => {
    expect(bookingRefusal(slot('10:00'), gym.rules, [], now)).toBeNull();
  });

  it('refuses beyond the horizon, without notice and on blackouts', () => {
    expect(bookingRefusal(slot('10:00', '2026-12-05'), gym.rules, [], now)?.code).toBe(
      'OUTSIDE_HORIZON',
    );
    expect(bookingRefusal(slot('08:00'), gym.rules, [], at('2026-11-27', '07:45'))?.code).toBe(
      'TOO_LATE_TO_BOOK',
    );
    const closed = aService({ rules: { blackoutDates: ['2026-11-28'] } });
    const s = slotRun(aService(), '2026-11-28', 600, 1)!;
    expect(bookingRefusal(s, closed.rules, [], now)?.code).toBe('BLACKOUT_DATE');
  });

  it('counts active bookings and weekly hours (Monday–Sunday in Shanghai)', () => {
    const three = [
      aBooking(),
      aBooking({ start: at('2026-11-27', '12:00'), end: at('2026-11-27', '13:00') }),
      aBooking({ state: 'held' }),
    ];
    expect(bookingRefusal(slot('15:00'), gym.rules, three, now)?.code).toBe('QUOTA_ACTIVE');
    // Ended (checked in, no-show), cancelled and expired bookings do not count as active; a waitlist place does.
    const past = [
      aBooking({
        state: 'checked-in',
        start: at('2026-11-26', '10:00'),
        end: at('2026-11-26', '11:00'),
      }),
      aBooking({
        state: 'no-show',
        start: at('2026-11-26', '12:00'),
        end: at('2026-11-26', '13:00'),
      }),
      aBooking({ state: 'cancelled' }),
      aBooking({ state: 'expired' }),
    ];
    expect(bookingRefusal(slot('15:00'), gym.rules, past, now)).toBeNull();
    expect(
      bookingRefusal(
        slot('15:00'),
        gym.rules,
        [...three.slice(0, 2), aBooking({ state: 'waiting' })],
        now,
      )?.code,
    ).toBe('QUOTA_ACTIVE');
    // 8 hours already this week (Mon 23 – Sun 29 Nov) → the ninth is refused; next week is fine.
    const week = Array.from({ length: 8 }, (_, i) =>
      aBooking({
        state: 'checked-in',
        start: at('2026-11-23', `${String(8 + i).padStart(2, '0')}:00`),
        end: at('2026-11-23', `${String(9 + i).padStart(2, '0')}:00`),
      }),
    );
    expect(bookingRefusal(slot('15:00'), gym.rules, week, now)?.code).toBe('QUOTA_HOURS');
    expect(bookingRefusal(slot('10:00', '2026-11-30'), gym.rules, week, now)).toBeNull();
    expect(weekStartDate(at('2026-11-29', '23:59'))).toBe('2026-11-23');
    expect(weekStartDate(at('2026-11-30', '00:00'))).toBe('2026-11-30');
  });

  it('suspends after repeated no-shows within the period, for the stated days', () => {
    const ns = (date: string) =>
      aBooking({
        state: 'no-show',
        start: at(date, '10:00'),
        end: at(date, '11:00'),
        noShowAt: at(date, '10:15'),
      });
    const history = [ns('2026-11-01'), ns('2026-11-10'), ns('2026-11-20')];
    const until = suspendedUntil(history, gym.rules, now);
    expect(until?.toISOString()).toBe(
      new Date(at('2026-11-20', '10:15').getTime() + 14 * 86_400_000).toISOString(),
    );
    expect(bookingRefusal(slot('10:00'), gym.rules, history, now)?.code).toBe('SUSPENDED');
    // Spread over more than 30 days: no suspension.
    expect(
      suspendedUntil([ns('2026-09-01'), ns('2026-10-10'), ns('2026-11-20')], gym.rules, now),
    ).toBeNull();
    // Over once the suspension has run out.
    expect(suspendedUntil(history, gym.rules, at('2026-12-05', '00:00'))).toBeNull();
  });

  it('closes cancellation at the cut-off, but the waitlist may always be left', () => {
    const b = { state: 'confirmed' as const, start: at('2026-11-27', '10:00') };
    expect(cancelRefusal(b, gym.rules, at('2026-11-27', '08:59'))).toBeNull();
    expect(cancelRefusal(b, gym.rules, at('2026-11-27', '09:01'))?.code).toBe(
      'CANCEL_CUTOFF_PASSED',
    );
    expect(
      cancelRefusal({ ...b, state: 'waiting' }, gym.rules, at('2026-11-27', '09:59')),
    ).toBeNull();
    expect(cancelRefusal({ ...b, state: 'no-show' }, gym.rules, now)?.code).toBe('NOT_CANCELLABLE');
  });

  it('opens check-in 15 minutes either side of the start and explains otherwise', () => {
    const b = { state: 'confirmed' as const, start: at('2026-11-27', '10:00') };
    expect(checkInState(b, gym.rules, at('2026-11-27', '09:44'))).toMatchObject({
      kind: 'not-yet',
      reason: '签到将于 11月27日 09:45 开始',
    });
    expect(checkInState(b, gym.rules, at('2026-11-27', '09:45')).kind).toBe('open');
    expect(checkInState(b, gym.rules, at('2026-11-27', '10:14')).kind).toBe('open');
    expect(checkInState(b, gym.rules, at('2026-11-27', '10:15'))).toMatchObject({ kind: 'closed' });
    expect(checkInState({ ...b, state: 'checked-in' }, gym.rules, now).kind).toBe('done');
    expect(isNoShow(b, gym.rules, at('2026-11-27', '10:14'))).toBe(false);
    expect(isNoShow(b, gym.rules, at('2026-11-27', '10:15'))).toBe(true);
  });

  it('never holds a freed place past the slot start', () => {
    expect(
      holdExpiry(at('2026-11-27', '09:50'), gym.rules, at('2026-11-27', '10:00')).toISOString(),
    ).toBe(at('2026-11-27', '10:00').toISOString());
    expect(
      holdExpiry(at('2026-11-27', '08:00'), gym.rules, at('2026-11-27', '10:00')).toISOString(),
    ).toBe(at('2026-11-27', '08:30').toISOString());
  });

  it('describes times in Shanghai, with next-day ends', () => {
    expect(describeWhen(at('2026-11-27', '23:00'), at('2026-11-28', '01:00'))).toBe(
      '11月27日 周五 23:00–次日01:00',
    );
    expect(describeWhen(at('2026-11-27', '23:00'), at('2026-11-28', '00:00'))).toBe(
      '11月27日 周五 23:00–24:00',
    );
  });
});

describe('rules editing', () => {
  it('sorts sessions, de-duplicates blackouts and spots overlaps', () => {
    const next = applyRulesPatch(defaultRules('session'), {
      sessions: [
        { start: 840, end: 900, label: 'B' },
        { start: 600, end: 700, label: 'A' },
      ],
      blackoutDates: ['2026-10-02', '2026-10-01', '2026-10-02'],
    });
    expect(next.sessions.map((s) => s.label)).toEqual(['A', 'B']);
    expect(next.blackoutDates).toEqual(['2026-10-01', '2026-10-02']);
    expect(
      overlappingSessions([
        { start: 600, end: 700, label: 'A' },
        { start: 650, end: 800, label: 'B' },
      ]),
    ).toBe(true);
  });
});

describe('calendar file', () => {
  it('writes UTC times, escapes text and folds long lines with CRLF', () => {
    const ics = buildIcs({
      uid: 'b1@linli',
      title: '健身房, 预约; 示例',
      location: '二楼',
      description: '第一行\n第二行',
      start: at('2026-11-27', '23:00'),
      end: at('2026-11-28', '00:00'),
      now: at('2026-11-20', '08:00'),
      alarmMinutes: 30,
    });
    expect(ics).toContain('DTSTART:20261127T150000Z\r\n');
    expect(ics).toContain('DTEND:20261127T160000Z\r\n');
    expect(ics).toContain('SUMMARY:健身房\\, 预约\\; 示例');
    expect(ics).toContain('DESCRIPTION:第一行\\n第二行');
    expect(ics).toContain('TRIGGER:-PT30M');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const long = foldIcsLine(`DESCRIPTION:${'预'.repeat(40)}`);
    for (const line of long.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(
      long
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
  });
});

describe('weekly utilisation', () => {
  it('divides places taken by places offered per day', () => {
    const gym = aService({ rules: { capacity: 2 } });
    const taken = new Map([
      ['gym@2026-11-23T1000', 2],
      ['gym@2026-11-23T1100', 1],
    ]);
    const week = weekUtilization(gym, '2026-11-23', taken);
    expect(week.days[0]).toEqual({ date: '2026-11-23', offered: 48, taken: 3, ratio: 3 / 48 });
    expect(week.offered).toBe(48 * 7);
    expect(week.days[6].date).toBe('2026-11-29');
  });
});

describe('opening hours as the secretary edits them', () => {
  it('turns drafts into rules, overnight and 24:00 included, and back', () => {
    const parsed = parseHoursDrafts([
      { days: [5, 1, 1], open: '09:00', close: '21:30' },
      { days: [6], open: '22:00', close: '02:00' },
      { days: [0], open: '0:00', close: '24:00' },
    ]);
    expect(parsed).toEqual({
      ok: true,
      hours: [
        { days: [1, 5], open: 540, close: 1290 },
        { days: [6], open: 1320, close: 1560 },
        { days: [0], open: 0, close: 1440 },
      ],
    });
    if (parsed.ok)
      expect(toDrafts(parsed.hours)[1]).toEqual({ days: [6], open: '22:00', close: '02:00' });
  });

  it('refuses bad times, no weekday and no rule with a reason', () => {
    expect(parseHoursDrafts([{ days: [1], open: '9点', close: '21:00' }])).toMatchObject({
      ok: false,
      message: '开门时间应为 HH:MM，如 09:00',
    });
    expect(parseHoursDrafts([{ days: [1], open: '09:00', close: '25:00' }])).toMatchObject({
      ok: false,
    });
    expect(parseHoursDrafts([{ days: [], open: '09:00', close: '21:00' }])).toMatchObject({
      ok: false,
      message: '请至少选择一天',
    });
    expect(parseHoursDrafts([])).toMatchObject({ ok: false });
    expect(hhmmToMinute('07:60')).toBeNull();
  });
});

describe('rules patch input', () => {
  it('refuses blackout dates that do not exist and takes real ones', () => {
    for (const date of ['2026-02-31', '2025-02-29', '2026-04-31', '2026-13-01']) {
      expect([date, v.safeParse(rulesPatchSchema, { blackoutDates: [date] }).success]).toEqual([
        date,
        false,
      ]);
    }
    expect(
      v.safeParse(rulesPatchSchema, { blackoutDates: ['2028-02-29', '2026-12-31'] }).success,
    ).toBe(true);
  });
  it('refuses session names with control or text-direction characters', () => {
    const session = (label: string) => ({ sessions: [{ start: 540, end: 600, label }] });
    expect(v.safeParse(rulesPatchSchema, session('上午场')).success).toBe(true);
    for (const label of ['上午\u0000场', '\u202e场午上', '上午\n场']) {
      expect(v.safeParse(rulesPatchSchema, session(label)).success).toBe(false);
    }
  });
});
