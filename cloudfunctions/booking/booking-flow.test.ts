import type {
  BookingView,
  CheckInOption,
  ScheduleSlot,
  SlotView,
} from '../../src/domain/contract/booking';
import type { WeekUtilization } from '../../src/domain/booking/utilization';
import { WAITLIST_HOLD_TEMPLATE_ID } from '../../src/domain/booking/notify';
import { weekStartDate } from '../../src/domain/booking/policy';
import { shanghaiInstant } from '../../src/domain/shared/time';
import { grantSubscription } from '../../local/runtime/openapi';
import type { UserDoc } from '../_shared/collections';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { OPENING_REV, type BookingDoc, type SlotCounterDoc } from './docs';
import { slotId } from '../../src/domain/booking/slots';
import {
  ALICE,
  BOB,
  CAROL,
  SECRETARY,
  aBookableService,
  nextQuarter,
  requestId,
  seedSpace,
  tomorrow,
  useFixedClock,
} from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';

interleaveDatabaseRequests();

jest.setTimeout(30_000);

let cloud: TestCloud;
const call = (action: string, input: unknown, openid: string | null = ALICE) =>
  cloud.call('booking', action, input, openid);
const gymSlot = (startMinute = 600, extra: Record<string, unknown> = {}) => ({
  serviceId: 'r29-gym',
  date: tomorrow(),
  startMinute,
  clientRequestId: requestId(),
  ...extra,
});
const counts = async () => ({
  bookings: await cloud.count('bookings'),
  counters: await cloud.count('slotCounters'),
});

beforeEach(async () => {
  useFixedClock();
  cloud = startTestCloud({
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY, LINLI_DEFAULT_SPACE: 'r29' },
  });
  await seedSpace(cloud, [
    aBookableService(),
    aBookableService({
      _id: 'r29-room',
      name: '邻里会客厅',
      category: 'living-room',
      bookingKind: 'room',
      bookingRules: { capacity: 1 },
      order: 2,
    }),
    aBookableService({
      _id: 'r29-desk',
      name: '政务服务点',
      category: 'government',
      bookingKind: 'appointment',
      bookingRules: { capacity: 1, minNoticeMinutes: 0 },
      order: 3,
    }),
    aBookableService({
      _id: 'r29-cafe',
      name: '咖啡',
      category: 'cafe',
      bookingKind: 'walk-in',
      order: 4,
    }),
  ]);
});
afterEach(() => {
  cloud.close();
  jest.useRealTimers();
});

describe('residents book', () => {
  it('lists bookable services (not walk-in ones) with the next days', async () => {
    const { services } = expectOk<{ services: Array<{ id: string; days: unknown[] }> }>(
      await call('listServices', {}),
    );
    expect(services.map((s) => s.id)).toEqual(['r29-gym', 'r29-room', 'r29-desk']);
    expect(services[0].days).toHaveLength(3);
  });

  it('books a slot, shows it in listSlots and 我的预约, and counts the place', async () => {
    const booked = expectOk<BookingView>(await call('create', gymSlot()));
    expect(booked).toMatchObject({
      state: 'confirmed',
      serviceName: '共享健身房',
      canCancel: true,
    });
    const { slots } = expectOk<{ slots: SlotView[] }>(
      await call('listSlots', { serviceId: 'r29-gym', date: tomorrow() }),
    );
    const ten = slots.find((s) => s.startMinute === 600)!;
    expect(ten).toMatchObject({
      left: 1,
      state: 'free',
      mine: { bookingId: booked.id, state: 'confirmed' },
    });
    const { bookings } = expectOk<{ bookings: BookingView[] }>(
      await call('mine', { scope: 'upcoming' }),
    );
    expect(bookings.map((b) => b.id)).toEqual([booked.id]);
    // Bob sees the place gone but not Alice's booking as his.
    const bobs = expectOk<{ slots: SlotView[] }>(
      await call('listSlots', { serviceId: 'r29-gym', date: tomorrow() }, BOB),
    );
    expect(bobs.slots.find((s) => s.startMinute === 600)).toMatchObject({ left: 1 });
    expect(bobs.slots.find((s) => s.startMinute === 600)?.mine).toBeUndefined();
  });

  it('answers a retried request with the same booking and takes one place', async () => {
    const input = gymSlot();
    const first = expectOk<BookingView>(await call('create', input));
    const again = expectOk<BookingView>(await call('create', input));
    const [a, b] = await Promise.all([call('create', input), call('create', input)]);
    expect(again.id).toBe(first.id);
    expect(expectOk<BookingView>(a).id).toBe(first.id);
    expect(expectOk<BookingView>(b).id).toBe(first.id);
    expect(await cloud.count('bookings')).toBe(1);
    const counter = (await cloud.all<SlotCounterDoc>('slotCounters'))[0];
    expect(counter.left).toBe(1);
  });

  it('refuses a second booking of the same slot, and a full slot', async () => {
    expectOk(await call('create', gymSlot()));
    expect(await call('create', gymSlot())).toMatchObject({ ok: false, code: 'ALREADY_BOOKED' });
    expectOk(await call('create', gymSlot(600), BOB));
    expect(await call('create', gymSlot(600), CAROL)).toMatchObject({
      ok: false,
      code: 'SLOT_FULL',
    });
    expect(await cloud.count('bookings')).toBe(2);
  });

  it('books a room block of consecutive hours and refuses an overlapping block', async () => {
    const block = expectOk<BookingView>(
      await call('create', { ...gymSlot(14 * 60), serviceId: 'r29-room', slots: 3 }),
    );
    expect(block.slotIds).toHaveLength(3);
    const clash = await call(
      'create',
      { ...gymSlot(13 * 60), serviceId: 'r29-room', slots: 2 },
      BOB,
    );
    expect(clash).toMatchObject({ ok: false, code: 'SLOT_FULL' });
    // The refused block gave back the 13:00 place it briefly took.
    const c13 = (await cloud.all<SlotCounterDoc>('slotCounters')).find((c) =>
      c._id.endsWith('T1300'),
    );
    expect(c13?.left).toBe(1);
    expect(
      await call('create', { ...gymSlot(9 * 60), serviceId: 'r29-room', slots: 5 }, BOB),
    ).toMatchObject({ code: 'BLOCK_LENGTH' });
  });

  it('enforces the active-bookings quota', async () => {
    for (const m of [600, 660, 720]) expectOk(await call('create', gymSlot(m)));
    expect(await call('create', gymSlot(780))).toMatchObject({ ok: false, code: 'QUOTA_ACTIVE' });
  });

  it('tells listSlots how many active bookings the caller has left, whatever the date shown', async () => {
    const left = async (date: string, openid = ALICE) =>
      expectOk<{ activeLeft: number }>(
        await call('listSlots', { serviceId: 'r29-gym', date }, openid),
      ).activeLeft;
    const dayAfter = shanghaiInstant(tomorrow(), 36 * 60)
      .toISOString()
      .slice(0, 10);
    expect(await left(tomorrow())).toBe(3);
    const b = expectOk<BookingView>(await call('create', gymSlot(600)));
    expectOk(await call('create', gymSlot(660)));
    expect(await left(tomorrow())).toBe(1);
    expect(await left(dayAfter)).toBe(1);
    expect(await left(dayAfter, BOB)).toBe(3);
    expectOk(await call('cancel', { bookingId: b.id }));
    expect(await left(dayAfter)).toBe(2);
  });

  it('says when a room closes instead of "no such slot" for a block past closing', async () => {
    const hours = [{ days: [0, 1, 2, 3, 4, 5, 6], open: 9 * 60, close: 21 * 60 }];
    expectOk(await call('updateService', { serviceId: 'r29-room', hours }, SECRETARY));
    expect(
      await call('create', { ...gymSlot(19 * 60), serviceId: 'r29-room', slots: 4 }),
    ).toMatchObject({
      ok: false,
      code: 'BLOCK_LENGTH',
      message: '21:00 关门，最多可约到 21:00（2 小时）',
    });
  });

  it('cancels before the cut-off and gives the place back', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot()));
    const cancelled = expectOk<BookingView>(await call('cancel', { bookingId: b.id }));
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelledBy: 'resident' });
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0].left).toBe(2);
    expect(await call('cancel', { bookingId: b.id })).toMatchObject({
      ok: false,
      code: 'NOT_CANCELLABLE',
    });
  });

  it('makes a .ics-ready booking view with Shanghai text and UTC instants', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot(23 * 60)));
    expect(b.start).toBe(shanghaiInstant(tomorrow(), 23 * 60).toISOString());
    expect(b.when).toMatch(/23:00–24:00$/);
  });
});

describe('waitlist', () => {
  it('promotes the first in line with a hold and a message, who claims it; an unclaimed hold passes on', async () => {
    await grantSubscription(cloud.host.database, BOB, WAITLIST_HOLD_TEMPLATE_ID, 1);
    const a = expectOk<BookingView>(await call('create', gymSlot(600), ALICE));
    expectOk(await call('create', gymSlot(600), SECRETARY));
    expect(await call('joinWaitlist', gymSlot(660), BOB)).toMatchObject({
      ok: false,
      code: 'SLOT_NOT_FULL',
    });
    const bobWait = expectOk<BookingView>(await call('joinWaitlist', gymSlot(600), BOB));
    const carolWait = expectOk<BookingView>(await call('joinWaitlist', gymSlot(600), CAROL));
    expect(bobWait.state).toBe('waiting');

    expectOk(await call('cancel', { bookingId: a.id }, ALICE));
    const bobNow = (await cloud.all<BookingDoc>('bookings')).find((b) => b._id === bobWait.id)!;
    expect(bobNow.state).toBe('held');
    // The place went to Bob, not back to the counter: nobody else can take it meanwhile.
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0].left).toBe(0);
    expect(await call('create', gymSlot(600), 'resident-dave')).toMatchObject({
      code: 'SLOT_FULL',
    });
    const outbox = await cloud.all<{ _id: string; touser: string; templateId: string }>('outbox');
    expect(outbox).toEqual([
      expect.objectContaining({ touser: BOB, templateId: WAITLIST_HOLD_TEMPLATE_ID }),
    ]);

    // Bob lets the hold lapse: the timer passes it to Carol.
    const later = new Date(Date.now() + 31 * 60_000);
    const report = (await cloud.host.fireTimer('booking', 'sweep', later)) as {
      ok: true;
      data: { ran: { sweep: { holdsExpired: number } } };
    };
    expect(report.data.ran.sweep.holdsExpired).toBe(1);
    const after = await cloud.all<BookingDoc>('bookings');
    expect(after.find((b) => b._id === bobWait.id)?.state).toBe('expired');
    expect(after.find((b) => b._id === carolWait.id)?.state).toBe('held');
    const claimed = expectOk<BookingView>(
      await call('claimHold', { bookingId: carolWait.id }, CAROL),
    );
    expect(claimed.state).toBe('confirmed');
    expect(await call('claimHold', { bookingId: bobWait.id }, BOB)).toMatchObject({
      code: 'NOT_HELD',
    });
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0].left).toBe(0);
  });
});

describe('check-in and no-shows', () => {
  it('checks in during the window, only to one’s own booking', async () => {
    const q = nextQuarter();
    const b = expectOk<BookingView>(
      await call('create', {
        serviceId: 'r29-desk',
        date: q.date,
        startMinute: q.startMinute,
        clientRequestId: requestId(),
      }),
    );
    const { options } = expectOk<{ options: CheckInOption[] }>(
      await call('checkInOptions', { spaceId: 'r29' }),
    );
    if (q.date === tomorrow()) return; // the next window is after midnight: covered by the domain tests
    expect(options[0]).toMatchObject({ kind: 'open', booking: { id: b.id } });
    expect(await call('checkIn', { bookingId: b.id }, BOB)).toMatchObject({
      code: 'BOOKING_NOT_FOUND',
    });
    expect(expectOk<BookingView>(await call('checkIn', { bookingId: b.id })).state).toBe(
      'checked-in',
    );
  });

  it('refuses check-in outside the window with the reason', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot(600)));
    const refused = await call('checkIn', { bookingId: b.id });
    expect(refused).toMatchObject({ ok: false, code: 'CHECK_IN_NOT_OPEN' });
    expect(refused.ok ? '' : refused.message).toMatch(/^签到将于 .* 09:45 开始$/);
  });

  it('marks no-shows by timer, and repeated no-shows suspend booking', async () => {
    await cloud.db
      .collection('services')
      .doc('r29-gym')
      .update({ data: { 'bookingRules.noShowThreshold': 2 } });
    for (const m of [600, 720]) expectOk(await call('create', gymSlot(m)));
    const dayAfter = shanghaiInstant(tomorrow(), 23 * 60);
    const report = (await cloud.host.fireTimer('booking', 'sweep', dayAfter)) as {
      data: { ran: { sweep: { noShows: number } } };
    };
    expect(report.data.ran.sweep.noShows).toBe(2);
    expect((await cloud.all<BookingDoc>('bookings')).every((b) => b.state === 'no-show')).toBe(
      true,
    );
    expect(await call('create', gymSlot(900))).toMatchObject({ ok: false, code: 'SUSPENDED' });
    // Another service is not affected.
    expectOk(await call('create', { ...gymSlot(600), serviceId: 'r29-desk' }));
  });
});

describe('secretary', () => {
  it('sees the day with names and states, marks attendance, cancels with a reason the resident sees', async () => {
    await cloud.db.collection<UserDoc>('users').add({
      data: {
        _id: ALICE,
        _openid: ALICE,
        role: 'resident',
        profile: { nickname: '张三', avatarUrl: '', elderMode: false },
        createdAt: new Date(),
      },
    });
    const b = expectOk<BookingView>(await call('create', gymSlot(600)));
    const day = expectOk<{ slots: ScheduleSlot[] }>(
      await call('schedule', { serviceId: 'r29-gym', date: tomorrow() }, SECRETARY),
    );
    expect(day.slots.find((s) => s.slotId === b.slotIds[0])?.entries).toEqual([
      expect.objectContaining({ bookingId: b.id, name: '张三', state: 'confirmed' }),
    ]);
    expect(
      await call('markAttendance', { bookingId: b.id, attended: true }, SECRETARY),
    ).toMatchObject({ code: 'NOT_MARKABLE' });
    const cancelled = expectOk<BookingView>(
      await call('cancelBySecretary', { bookingId: b.id, reason: '场地维修' }, SECRETARY),
    );
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      cancelledBy: 'secretary',
      cancelReason: '场地维修',
    });
    const { bookings } = expectOk<{ bookings: BookingView[] }>(
      await call('mine', { scope: 'upcoming' }),
    );
    expect(bookings[0]).toMatchObject({ cancelReason: '场地维修' });
  });

  it('changes capacity on upcoming counters, never below what is booked, and blackouts close a date', async () => {
    expectOk(await call('create', gymSlot(600)));
    expectOk(await call('create', gymSlot(600), BOB));
    expect(
      await call('updateService', { serviceId: 'r29-gym', rules: { capacity: 1 } }, SECRETARY),
    ).toMatchObject({
      ok: false,
      code: 'CAPACITY_BELOW_BOOKED',
    });
    expectOk(
      await call('updateService', { serviceId: 'r29-gym', rules: { capacity: 3 } }, SECRETARY),
    );
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0]).toMatchObject({
      capacity: 3,
      left: 1,
    });
    expectOk(await call('create', gymSlot(600), CAROL));
    expect(await call('create', gymSlot(600), 'resident-dave')).toMatchObject({
      code: 'SLOT_FULL',
    });
    expectOk(
      await call(
        'updateService',
        { serviceId: 'r29-gym', rules: { blackoutDates: [tomorrow()] } },
        SECRETARY,
      ),
    );
    expect(await call('create', gymSlot(700), 'resident-dave')).toMatchObject({
      code: 'NO_SUCH_SLOT',
    });
  });

  it('a counter still opening (its creator read an older capacity) opens with the capacity in force', async () => {
    expectOk(
      await call('updateService', { serviceId: 'r29-gym', rules: { capacity: 4 } }, SECRETARY),
    );
    // What a first booking leaves between creating the counter and opening it: its own place taken.
    const id = slotId('r29-gym', tomorrow(), 600);
    await cloud.db.collection<SlotCounterDoc>('slotCounters').add({
      data: {
        _id: id,
        spaceId: 'r29',
        serviceId: 'r29-gym',
        date: tomorrow(),
        start: new Date(Date.now() + 86_400_000),
        capacity: 1,
        left: 0,
        rev: OPENING_REV,
      },
    });
    expectOk(await call('create', gymSlot(600), BOB));
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0]).toMatchObject({
      capacity: 4,
      left: 2,
      rev: 1,
    });
    // A later change moves it by the difference, keeping the two places taken.
    expectOk(
      await call('updateService', { serviceId: 'r29-gym', rules: { capacity: 2 } }, SECRETARY),
    );
    expect((await cloud.all<SlotCounterDoc>('slotCounters'))[0]).toMatchObject({
      capacity: 2,
      left: 0,
      rev: 2,
    });
  });

  it('reports weekly utilisation from the counters', async () => {
    expectOk(await call('create', gymSlot(600)));
    const week = expectOk<WeekUtilization>(
      await call(
        'utilization',
        { serviceId: 'r29-gym', weekStart: weekStartDate(shanghaiInstant(tomorrow(), 600)) },
        SECRETARY,
      ),
    );
    expect(week.taken).toBe(1);
    expect(week.offered).toBe(24 * 2 * 7);
  });

  it('refuses every secretary action to residents and volunteers', async () => {
    for (const [action, input] of [
      ['updateService', { serviceId: 'r29-gym', rules: { capacity: 5 } }],
      ['schedule', { serviceId: 'r29-gym', date: tomorrow() }],
      ['markAttendance', { bookingId: 'x1', attended: true }],
      ['cancelBySecretary', { bookingId: 'x1', reason: '测试原因' }],
      ['utilization', { serviceId: 'r29-gym', weekStart: tomorrow() }],
    ] as const) {
      expect(await call(action, input, ALICE)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  });
});

describe('ownership and bad input', () => {
  it('hides other people’s bookings from cancel, claim and check-in', async () => {
    const b = expectOk<BookingView>(await call('create', gymSlot()));
    for (const action of ['cancel', 'claimHold', 'checkIn']) {
      expect(await call(action, { bookingId: b.id }, BOB)).toMatchObject({
        ok: false,
        code: 'BOOKING_NOT_FOUND',
      });
    }
    expect((await cloud.all<BookingDoc>('bookings'))[0].state).toBe('confirmed');
  });

  it('rejects malformed or out-of-range input with a code and writes nothing', async () => {
    const before = await counts();
    const bad: Array<[string, unknown, string]> = [
      ['create', { ...gymSlot(), startMinute: 1440 }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), date: '2026-13-01' }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), clientRequestId: 'x' }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), extra: 1 }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), serviceId: 'NOPE!' }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), slots: 0 }, 'INVALID_INPUT'],
      ['create', { ...gymSlot(), startMinute: 605 }, 'NO_SUCH_SLOT'],
      ['create', { ...gymSlot(), serviceId: 'r29-none' }, 'SERVICE_NOT_FOUND'],
      ['create', { ...gymSlot(), serviceId: 'r29-cafe' }, 'NOT_BOOKABLE'],
      ['create', { ...gymSlot(), date: '2020-01-01' }, 'OUTSIDE_HORIZON'],
      ['joinWaitlist', { ...gymSlot(), attendee: 'x'.repeat(30) }, 'INVALID_INPUT'],
      ['cancel', { bookingId: '../etc' }, 'INVALID_INPUT'],
      ['mine', { scope: 'all' }, 'INVALID_INPUT'],
      ['listSlots', { serviceId: 'r29-gym', date: 'tomorrow' }, 'INVALID_INPUT'],
    ];
    for (const [action, input, code] of bad)
      expect([action, await call(action, input)]).toEqual([
        action,
        expect.objectContaining({ ok: false, code }),
      ]);
    const secretaryBad: Array<[string, unknown]> = [
      ['updateService', { serviceId: 'r29-gym', rules: { capacity: 0 } }],
      ['updateService', { serviceId: 'r29-gym', rules: { capacity: 2.5 } }],
      ['updateService', { serviceId: 'r29-gym', rules: { minSlots: 3, maxSlots: 2 } }],
      ['updateService', { serviceId: 'r29-gym', hours: [{ days: [7], open: 0, close: 60 }] }],
      ['updateService', { serviceId: 'r29-gym', rules: { blackoutDates: ['2026-02-30x'] } }],
      ['cancelBySecretary', { bookingId: 'abc', reason: ' ' }],
    ];
    for (const [action, input] of secretaryBad)
      expect(await call(action, input, SECRETARY)).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    expect(
      await call(
        'updateService',
        {
          serviceId: 'r29-gym',
          kind: 'session',
          rules: {
            sessions: [
              { start: 540, end: 720, label: 'A' },
              { start: 600, end: 660, label: 'B' },
            ],
          },
        },
        SECRETARY,
      ),
    ).toMatchObject({ code: 'SESSIONS_OVERLAP' });
    expect(await counts()).toEqual(before);
    const gym = await cloud.db
      .collection<{ _id: string; bookingRules: { capacity: number } }>('services')
      .doc('r29-gym')
      .get();
    expect(gym.data?.bookingRules.capacity).toBe(2);
  });

  it('needs a signed-in caller', async () => {
    expect(await call('create', gymSlot(), null)).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
  });
});
