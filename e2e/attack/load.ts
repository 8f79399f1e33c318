/**
 * Attacks by many callers at once, always spread over both server processes: races for small
 * slots and posts, per-person limits raced by one person's parallel requests, retry storms of every
 * action with a request id.
 */
import { ACTIVE_CLAIMS_MAX } from '../../src/domain/volunteer/claims';
import { contract, type FunctionName } from '../../src/domain/contract';
import { SAMPLE_LIST_ID } from '../../local/seed/volunteer';
import { requestIdKey } from './catalog';
import type { Answer } from './cloud';
import { brief, Failures, figure, type Ctx } from './context';
import {
  bookingViolations,
  PLACE_STATES,
  postViolations,
  ledgerViolations,
  stockViolations,
} from './invariants';
import { WriteWatch } from './abuse';
import {
  addService,
  aPostDraft,
  grantPoints,
  inDays,
  must,
  pool,
  publishPosts,
  registerVolunteers,
  today,
  uid,
} from './world';
import { anElderDraft, aVisit } from '../../cloudfunctions/visits/fixtures';
import { CIRCLE_CATEGORY_IDS } from '../../src/domain/circle/categories';
import { DEFAULT_CADENCE } from '../../src/domain/visits/cadence';

interface BookingDoc {
  _id: string;
  _openid: string;
  requestKey: string;
  serviceId: string;
  slotIds: string[];
  state: string;
  start: Date;
  end: Date;
}

const ok = (a: Answer) => a.status === 200 && a.body?.ok === true;
const dataId = (a: Answer) => String((a.body?.data as { id?: unknown } | undefined)?.id ?? '');

// ---------------------------------------------------------------------------------------------
// (1) Races for small slots and posts

export async function racesForPlaces(ctx: Ctx): Promise<void> {
  const { cloud, sizes } = ctx;
  const failures = new Failures();
  const date = inDays(1);

  // Many residents, one 5-place gym slot.
  await addService(cloud, 'atk-race-gym', { capacity: 5 });
  const residents = Array.from({ length: sizes.racers }, () => uid('atk-race'));
  const answers = await Promise.all(
    residents.map((p, i) =>
      cloud.call(
        i,
        'booking',
        'create',
        { serviceId: 'atk-race-gym', date, startMinute: 600, clientRequestId: uid('rq') },
        cloud.token(p),
      ),
    ),
  );
  const won = answers.filter(ok).length;
  const odd = answers.filter(
    (a) => !ok(a) && a.body?.code !== 'SLOT_FULL' && a.body?.code !== 'BUSY',
  );
  if (won !== 5) failures.add(`gym slot of 5: ${won} bookings confirmed`);
  for (const a of odd.slice(0, 3)) failures.add(`gym slot: unexpected answer ${brief(a)}`);

  // A one-person room booked in overlapping blocks of 1–3 hours.
  await addService(
    cloud,
    'atk-race-room',
    {
      capacity: 1,
      slotMinutes: 60,
      minSlots: 1,
      maxSlots: 3,
      maxActiveBookings: 20,
      maxHoursPerWeek: 168,
    },
    'room',
  );
  const roomers = Array.from({ length: Math.max(20, Math.floor(sizes.racers / 3)) }, () =>
    uid('atk-room'),
  );
  await Promise.all(
    roomers.map((p, i) =>
      cloud.call(
        i,
        'booking',
        'create',
        {
          serviceId: 'atk-race-room',
          date,
          startMinute: (9 + (i % 6)) * 60,
          slots: 1 + (i % 3),
          clientRequestId: uid('rq'),
        },
        cloud.token(p),
      ),
    ),
  );

  // Five holders cancel while newcomers book the full slot and others join its waitlist.
  await addService(cloud, 'atk-race-churn', { capacity: 5, holdMinutes: 30 });
  const holders = Array.from({ length: 5 }, () => uid('atk-hold'));
  const held = await Promise.all(
    holders.map((p, i) =>
      cloud.call(
        i,
        'booking',
        'create',
        { serviceId: 'atk-race-churn', date, startMinute: 720, clientRequestId: uid('rq') },
        cloud.token(p),
      ),
    ),
  );
  const waiters = Array.from({ length: 8 }, () => uid('atk-wait'));
  await Promise.all(
    waiters.map((p, i) =>
      cloud.call(
        i,
        'booking',
        'joinWaitlist',
        { serviceId: 'atk-race-churn', date, startMinute: 720, clientRequestId: uid('rq') },
        cloud.token(p),
      ),
    ),
  );
  const newcomers = Array.from({ length: 40 }, () => uid('atk-new'));
  await Promise.all([
    ...held.map((a, i) =>
      cloud.call(i + 1, 'booking', 'cancel', { bookingId: dataId(a) }, cloud.token(holders[i])),
    ),
    ...newcomers.map((p, i) =>
      cloud.call(
        i,
        'booking',
        'create',
        { serviceId: 'atk-race-churn', date, startMinute: 720, clientRequestId: uid('rq') },
        cloud.token(p),
      ),
    ),
  ]);

  const booking = bookingViolations(
    cloud,
    new Set(['atk-race-gym', 'atk-race-room', 'atk-race-churn']),
  );
  for (const d of booking.details) failures.add(d);
  const roomSlots = new Map<string, number>();
  for (const b of cloud.docs<BookingDoc>('bookings')) {
    if (b.serviceId !== 'atk-race-room' || !PLACE_STATES.includes(b.state)) continue;
    for (const s of b.slotIds) roomSlots.set(s, (roomSlots.get(s) ?? 0) + 1);
  }
  for (const [s, n] of roomSlots) if (n > 1) failures.add(`room slot ${s} held by ${n} bookings`);

  // Many volunteers, one 4-place post.
  const volunteers = Array.from({ length: Math.max(20, Math.floor(sizes.racers / 2)) }, () =>
    uid('atk-vrace'),
  );
  await registerVolunteers(cloud, volunteers);
  const [postId] = await publishPosts(cloud, [
    aPostDraft({ capacity: 4, title: '攻击测试：四个名额' }),
  ]);
  const claims = await Promise.all(
    volunteers.map((p, i) =>
      cloud.call(i, 'volunteer', 'claim', { postId, clientRequestId: uid('rq') }, cloud.token(p)),
    ),
  );
  const claimed = claims.filter(ok).length;
  if (claimed !== 4) failures.add(`post of 4: ${claimed} claims answered ok`);
  const posts = postViolations(cloud, new Set([postId]));
  for (const d of posts.details) failures.add(d);
  const stored = cloud
    .docs<{ postId: string; status: string }>('volunteer_claims')
    .filter((c) => c.postId === postId && c.status === 'claimed').length;
  if (stored !== 4) failures.add(`post of 4: ${stored} claims stored`);

  figure(
    ctx,
    'races',
    `${residents.length} residents for 5 places → ${won} booked; ${roomers.length} room blocks, max holders of a room slot ${Math.max(0, ...roomSlots.values())}; churn ${holders.length} cancels vs ${newcomers.length} newcomers + ${waiters.length} waiting; ${volunteers.length} volunteers for 4 places → ${stored} claims; lost ${booking.lost + posts.lost}, phantom ${booking.phantom + posts.phantom}`,
  );
  failures.throwIfAny('races for places');
}

// ---------------------------------------------------------------------------------------------
// (2) Per-person limits, raced

async function trials(
  ctx: Ctx,
  name: string,
  run: (trial: number) => Promise<string | null>,
): Promise<void> {
  const results = await pool(
    Array.from({ length: ctx.sizes.trials }, (_, i) => i),
    5,
    (i) => run(i),
  );
  const exceeded = results.filter((r): r is string => r !== null);
  figure(ctx, `limit: ${name}`, `${results.length} racing trials, ${exceeded.length} exceeded`);
  const failures = new Failures();
  for (const e of exceeded) failures.add(e);
  failures.throwIfAny(`${name}: exceeded in ${exceeded.length} of ${results.length} trials`);
}

function bookingsOf(ctx: Ctx, openid: string, serviceId: string): BookingDoc[] {
  return ctx.cloud
    .docs<BookingDoc>('bookings')
    .filter((b) => b._openid === openid && b.serviceId === serviceId);
}

export async function limitActiveBookings(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const max = 3;
  await addService(cloud, 'atk-lim-active', {
    capacity: 200,
    maxActiveBookings: max,
    maxHoursPerWeek: 168,
  });
  await trials(ctx, `active bookings per person per service (${max})`, async (t) => {
    const person = uid('atk-la');
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cloud.call(
          t + i,
          'booking',
          'create',
          {
            serviceId: 'atk-lim-active',
            date: inDays(1),
            startMinute: (8 + i) * 60,
            clientRequestId: uid('rq'),
          },
          cloud.token(person),
        ),
      ),
    );
    const active = bookingsOf(ctx, person, 'atk-lim-active').filter(
      (b) => b.state === 'held' || b.state === 'confirmed',
    ).length;
    return active > max ? `trial ${t}: ${active} active bookings against a limit of ${max}` : null;
  });
}

export async function limitOneBookingPerSlot(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  await addService(cloud, 'atk-lim-slot', {
    capacity: 200,
    maxActiveBookings: 20,
    maxHoursPerWeek: 168,
  });
  await trials(ctx, 'one booking of a slot per person', async (t) => {
    const person = uid('atk-ls');
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        cloud.call(
          t + i,
          'booking',
          'create',
          {
            serviceId: 'atk-lim-slot',
            date: inDays(1),
            startMinute: 600,
            clientRequestId: uid('rq'),
          },
          cloud.token(person),
        ),
      ),
    );
    const holding = bookingsOf(ctx, person, 'atk-lim-slot').filter(
      (b) => b.state !== 'cancelled' && b.state !== 'expired',
    ).length;
    return holding > 1 ? `trial ${t}: ${holding} bookings of one slot by one person` : null;
  });
}

export async function limitWeeklyHours(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const maxHours = 3;
  await addService(cloud, 'atk-lim-hours', {
    capacity: 200,
    maxActiveBookings: 20,
    maxHoursPerWeek: maxHours,
  });
  await trials(ctx, `weekly hours per person per service (${maxHours} h)`, async (t) => {
    const person = uid('atk-lh');
    // All on one date, so all in one Monday–Sunday week.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cloud.call(
          t + i,
          'booking',
          'create',
          {
            serviceId: 'atk-lim-hours',
            date: inDays(1),
            startMinute: (8 + i) * 60,
            clientRequestId: uid('rq'),
          },
          cloud.token(person),
        ),
      ),
    );
    const minutes = bookingsOf(ctx, person, 'atk-lim-hours')
      .filter((b) => PLACE_STATES.includes(b.state))
      .reduce(
        (sum, b) => sum + (new Date(b.end).getTime() - new Date(b.start).getTime()) / 60_000,
        0,
      );
    return minutes > maxHours * 60
      ? `trial ${t}: ${minutes / 60} hours booked in one week against a limit of ${maxHours}`
      : null;
  });
}

export async function limitActiveClaims(ctx: Ctx): Promise<void> {
  const { cloud, sizes } = ctx;
  const tries = ACTIVE_CLAIMS_MAX + 4;
  const postIds = await publishPosts(
    cloud,
    Array.from({ length: tries }, (_, i) =>
      aPostDraft({
        title: `攻击测试：上限 ${i + 1}`,
        capacity: sizes.trials + 5,
        schedule: {
          kind: 'once',
          date: inDays(3 + (i % 4)),
          start: 480 + i * 30,
          end: 500 + i * 30,
        },
      }),
    ),
    '攻击测试：认领上限',
  );
  const volunteers = Array.from({ length: sizes.trials }, () => uid('atk-lc'));
  await registerVolunteers(cloud, volunteers);
  await trials(ctx, `active claims per volunteer (${ACTIVE_CLAIMS_MAX})`, async (t) => {
    const person = volunteers[t];
    await Promise.all(
      postIds.map((postId, i) =>
        cloud.call(
          t + i,
          'volunteer',
          'claim',
          { postId, clientRequestId: uid('rq') },
          cloud.token(person),
        ),
      ),
    );
    const active = cloud
      .docs<{ openid: string; status: string }>('volunteer_claims')
      .filter((c) => c.openid === person && c.status === 'claimed').length;
    return active > ACTIVE_CLAIMS_MAX
      ? `trial ${t}: ${active} active claims against a limit of ${ACTIVE_CLAIMS_MAX}`
      : null;
  });
  const posts = postViolations(cloud, new Set(postIds));
  if (posts.details.length > 0)
    throw new Error(`posts after the claim races:\n${posts.details.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// (3) Retry storms: the same request many times at once over both processes, then twice more

interface Storm {
  answers: Answer[];
}

async function storm(ctx: Ctx, send: (via: number) => Promise<Answer>): Promise<Storm> {
  const first = await Promise.all(Array.from({ length: ctx.sizes.storm }, (_, i) => send(i)));
  const later = [await send(0), await send(1)];
  return { answers: [...first, ...later] };
}

/** Every copy answered ok (a retry answers what was recorded), with the same record. */
function allAnsweredAlike(
  failures: Failures,
  s: Storm,
  idOf: (a: Answer) => string = dataId,
): void {
  const concurrent = s.answers.slice(0, -2);
  const later = s.answers.slice(-2);
  // BUSY ("nothing written, try again") is an honest answer to a copy that met its twin's transaction.
  const bad = concurrent.filter((a) => !ok(a) && a.body?.code !== 'BUSY');
  if (bad.length > 0)
    failures.add(
      `${bad.length} of ${concurrent.length} concurrent copies not answered ok: ${[...new Set(bad.map(brief))].join(', ')}`,
    );
  const badLater = later.filter((a) => !ok(a));
  if (badLater.length > 0)
    failures.add(
      `${badLater.length} of ${later.length} later retries not answered ok: ${[...new Set(badLater.map(brief))].join(', ')}`,
    );
  const ids = new Set(s.answers.filter(ok).map(idOf));
  if (ids.size > 1)
    failures.add(
      `copies answered with ${ids.size} different records: ${[...ids].slice(0, 4).join(', ')}`,
    );
}

const count = <T>(items: T[], pick: (t: T) => boolean) => items.filter(pick).length;

interface LedgerDoc {
  _id: string;
  _openid: string;
  requestKey: string;
  type: string;
  postId?: string;
  serviceId?: string;
  points: number;
}

export interface StormCase {
  name: string;
  /** The actions (fn.action) this storm sends. */
  covers: string[];
  run(ctx: Ctx, failures: Failures): Promise<void>;
}

export const STORMS: StormCase[] = [
  {
    name: 'booking.create',
    covers: ['booking.create'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      await addService(cloud, 'atk-storm-create', { capacity: 10 });
      const p = uid('atk-sc');
      const rid = uid('rq');
      const s = await storm(ctx, (via) =>
        cloud.call(
          via,
          'booking',
          'create',
          {
            serviceId: 'atk-storm-create',
            date: inDays(1),
            startMinute: 600,
            clientRequestId: rid,
          },
          cloud.token(p),
        ),
      );
      allAnsweredAlike(failures, s);
      const n = count(cloud.docs<BookingDoc>('bookings'), (b) => b.requestKey === `${p}:${rid}`);
      if (n !== 1) failures.add(`${n} bookings recorded`);
      for (const d of bookingViolations(cloud, new Set(['atk-storm-create'])).details)
        failures.add(d);
    },
  },
  {
    name: 'booking.joinWaitlist',
    covers: ['booking.joinWaitlist'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      await addService(cloud, 'atk-storm-wait', { capacity: 1 });
      must(
        await cloud.call(
          0,
          'booking',
          'create',
          {
            serviceId: 'atk-storm-wait',
            date: inDays(1),
            startMinute: 600,
            clientRequestId: uid('rq'),
          },
          cloud.token(uid('atk-filler')),
        ),
        'filler',
      );
      const p = uid('atk-sw');
      const rid = uid('rq');
      const s = await storm(ctx, (via) =>
        cloud.call(
          via,
          'booking',
          'joinWaitlist',
          { serviceId: 'atk-storm-wait', date: inDays(1), startMinute: 600, clientRequestId: rid },
          cloud.token(p),
        ),
      );
      allAnsweredAlike(failures, s);
      const n = count(cloud.docs<BookingDoc>('bookings'), (b) => b._openid === p);
      if (n !== 1) failures.add(`${n} waitlist places recorded`);
    },
  },
  {
    name: 'volunteer.claim + withdraw',
    covers: ['volunteer.claim', 'volunteer.withdraw'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const v = uid('atk-sv');
      await registerVolunteers(cloud, [v]);
      const [postId] = await publishPosts(cloud, [
        aPostDraft({ capacity: 5, title: '攻击测试：认领重试' }),
      ]);
      const claim = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'claim',
          { postId, clientRequestId: 'storm-claim-1' },
          cloud.token(v),
        ),
      );
      allAnsweredAlike(failures, claim, (a) =>
        String((a.body?.data as { claim?: { id?: string } })?.claim?.id),
      );
      const ledger = cloud.docs<LedgerDoc>('ledger');
      if (count(ledger, (e) => e._openid === v && e.type === 'claim') !== 1)
        failures.add(
          `claim: ${count(ledger, (e) => e._openid === v && e.type === 'claim')} claim entries`,
        );
      const w = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'withdraw',
          { postId, clientRequestId: 'storm-withdraw-1' },
          cloud.token(v),
        ),
      );
      allAnsweredAlike(failures, w, (a) =>
        String((a.body?.data as { claim?: { id?: string } })?.claim?.id),
      );
      const after = cloud.docs<LedgerDoc>('ledger');
      if (count(after, (e) => e._openid === v && e.type === 'withdraw') !== 1)
        failures.add(
          `withdraw: ${count(after, (e) => e._openid === v && e.type === 'withdraw')} withdraw entries`,
        );
      for (const d of postViolations(cloud, new Set([postId])).details) failures.add(d);
      const post = cloud.doc<{ claimed: number }>('volunteer_posts', postId);
      if (post?.claimed !== 0) failures.add(`post claimed ${post?.claimed} after the withdrawal`);
    },
  },
  {
    name: 'volunteer.checkIn + checkOut + confirm',
    covers: ['volunteer.checkIn', 'volunteer.checkOut', 'volunteer.confirm'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const v = uid('atk-sio');
      await registerVolunteers(cloud, [v]);
      // A daily post from today, so today is a service day and the claim is still open.
      const [postId] = await publishPosts(cloud, [
        aPostDraft({
          capacity: 5,
          title: '攻击测试：签到重试',
          schedule: {
            kind: 'weekly',
            weekdays: [0, 1, 2, 3, 4, 5, 6],
            start: 0,
            end: 1439,
            from: today(),
            until: inDays(6),
          },
        }),
      ]);
      must(
        await cloud.call(
          0,
          'volunteer',
          'claim',
          { postId, clientRequestId: uid('rq') },
          cloud.token(v),
        ),
        'claim',
      );
      const inStorm = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'checkIn',
          { postId, clientRequestId: 'storm-in-0001' },
          cloud.token(v),
        ),
      );
      allAnsweredAlike(failures, inStorm);
      const services = cloud
        .docs<{ _id: string; openid: string; status: string }>('volunteer_services')
        .filter((s) => s.openid === v);
      if (services.length !== 1) failures.add(`checkIn: ${services.length} service records`);
      const outStorm = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'checkOut',
          { postId, clientRequestId: 'storm-out-0001' },
          cloud.token(v),
        ),
      );
      allAnsweredAlike(failures, outStorm);
      const ledger = cloud.docs<LedgerDoc>('ledger').filter((e) => e._openid === v);
      if (count(ledger, (e) => e.type === 'service') !== 1)
        failures.add(`checkOut: ${count(ledger, (e) => e.type === 'service')} service entries`);
      const claimId = `${postId}_${v}`;
      const sec = cloud.token(cloud.secretary);
      const confirmStorm = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'confirm',
          { clientRequestId: 'storm-confirm-1', items: [{ claimId, date: today(), hours: 1 }] },
          sec,
        ),
      );
      const bad = confirmStorm.answers.filter((a) => !ok(a));
      if (bad.length > 0)
        failures.add(
          `confirm: ${bad.length} copies not ok: ${[...new Set(bad.map(brief))].join(', ')}`,
        );
      const after = cloud.docs<LedgerDoc>('ledger').filter((e) => e._openid === v);
      if (count(after, (e) => e.type === 'confirm') !== 1)
        failures.add(`confirm: ${count(after, (e) => e.type === 'confirm')} confirm entries`);
      if (count(after, (e) => e.type === 'points') > 1)
        failures.add(`confirm: ${count(after, (e) => e.type === 'points')} points entries`);
      for (const d of ledgerViolations(cloud, new Set([v]))) failures.add(d);
    },
  },
  {
    name: 'volunteer.adjust + redeem',
    covers: ['volunteer.adjust', 'volunteer.redeem'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const v = uid('atk-sr');
      await registerVolunteers(cloud, [v]);
      const sec = cloud.token(cloud.secretary);
      const adjust = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'adjust',
          { openid: v, points: 7, reason: '重试测试', clientRequestId: 'storm-adjust-1' },
          sec,
        ),
      );
      const badAdjust = adjust.answers.filter((a) => !ok(a));
      if (badAdjust.length > 0)
        failures.add(
          `adjust: ${badAdjust.length} copies not ok: ${[...new Set(badAdjust.map(brief))].join(', ')}`,
        );
      const balance = () => cloud.doc<{ points: number }>('volunteer_balances', v)?.points ?? 0;
      if (balance() !== 7) failures.add(`adjust +7 stormed: balance ${balance()}`);
      const rewardId = 'atk-storm-reward';
      await cloud.host.database.collection('rewards').add({
        data: {
          _id: rewardId,
          title: '重试测试奖励',
          description: '',
          cost: 3,
          stock: 5,
          active: true,
          createdAt: new Date(),
        },
      });
      const redeem = await storm(ctx, (via) =>
        cloud.call(
          via,
          'volunteer',
          'redeem',
          { rewardId, clientRequestId: 'storm-redeem-1' },
          cloud.token(v),
        ),
      );
      allAnsweredAlike(failures, redeem, (a) =>
        String((a.body?.data as { redemption?: { id?: string } })?.redemption?.id),
      );
      if (balance() !== 4) failures.add(`redeem of 3 stormed: balance ${balance()} (expected 4)`);
      for (const d of stockViolations(cloud, new Map([[rewardId, 5]]))) failures.add(d);
      const stock = cloud.doc<{ stock: number }>('rewards', rewardId)?.stock;
      if (stock !== 4) failures.add(`redeem stormed: stock ${stock} (expected 4)`);
      for (const d of ledgerViolations(cloud, new Set([v]))) failures.add(d);
    },
  },
  {
    name: 'visits.log + confirmVisits',
    covers: ['visits.log', 'visits.confirmVisits'],
    async run(ctx, failures) {
      const { cloud, personas } = ctx;
      const visit = aVisit(personas.pairedElder, { visitId: uid('v-storm') });
      const log = await storm(ctx, (via) =>
        cloud.call(via, 'visits', 'log', visit, cloud.token(personas.volunteer)),
      );
      allAnsweredAlike(failures, log, (a) =>
        String((a.body?.data as { visit?: { id?: string } })?.visit?.id),
      );
      const n = count(cloud.docs<{ _id: string }>('elder_visits'), (d) => d._id === visit.visitId);
      if (n !== 1) failures.add(`log: ${n} visits recorded`);
      const sec = cloud.token(personas.secretary);
      const confirm = await storm(ctx, (via) =>
        cloud.call(
          via,
          'visits',
          'confirmVisits',
          { clientRequestId: 'storm-cv-0001', visitIds: [visit.visitId] },
          sec,
        ),
      );
      const bad = confirm.answers.filter((a) => !ok(a));
      if (bad.length > 0)
        failures.add(
          `confirmVisits: ${bad.length} copies not ok: ${[...new Set(bad.map(brief))].join(', ')}`,
        );
      const entries = cloud
        .docs<LedgerDoc>('ledger')
        .filter((e) => e.type === 'confirm' && (e.serviceId ?? '').includes(visit.visitId));
      if (entries.length !== 1)
        failures.add(`confirmVisits: ${entries.length} confirm entries for the visit`);
      for (const d of ledgerViolations(cloud, new Set([personas.volunteer]))) failures.add(d);
    },
  },
];

/** Creates that had no request id (issue 10): each stormed, exactly one record expected. */
export const CREATE_STORMS: StormCase[] = [
  {
    name: 'visits.saveElder',
    covers: ['visits.saveElder'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      // Names are Chinese characters only; the data directory is fresh, so one name is unique.
      const name = '重试测试老人';
      await createStorm(
        ctx,
        failures,
        'visits',
        'saveElder',
        { draft: anElderDraft({ name }) },
        () => count(cloud.docs<{ name: string }>('elders'), (e) => e.name === name),
      );
    },
  },
  {
    name: 'volunteer.saveList',
    covers: ['volunteer.saveList'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const title = `重试清单${Date.now() % 100000}`;
      const draft = {
        title,
        periodFrom: today(),
        periodUntil: inDays(13),
        categories: [{ id: 'care', name: '关爱老人' }],
        posts: [aPostDraft()],
      };
      await createStorm(ctx, failures, 'volunteer', 'saveList', { draft }, () =>
        count(cloud.docs<{ title: string }>('volunteer_lists'), (l) => l.title === title),
      );
    },
  },
  {
    name: 'volunteer.saveReward',
    covers: ['volunteer.saveReward'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const title = `重试奖励${Date.now() % 100000}`;
      await createStorm(
        ctx,
        failures,
        'volunteer',
        'saveReward',
        { title, cost: 5, stock: 3, active: true },
        () => count(cloud.docs<{ title: string }>('rewards'), (r) => r.title === title),
      );
    },
  },
  {
    name: 'volunteer.copyList',
    covers: ['volunteer.copyList'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      await createStorm(
        ctx,
        failures,
        'volunteer',
        'copyList',
        { listId: SAMPLE_LIST_ID, periodFrom: inDays(14) },
        () =>
          count(
            cloud.docs<{ copiedFrom?: string }>('volunteer_lists'),
            (l) => l.copiedFrom === SAMPLE_LIST_ID,
          ),
      );
    },
  },
];

/**
 * Changes with a request id: stormed, then a later change by a new request, then the first
 * request once more — a late retry answers without undoing the later change.
 */
export const CHANGE_STORMS: StormCase[] = [
  {
    name: 'account.updateProfile + setRole',
    covers: ['account.updateProfile', 'account.setRole'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const person = uid('atk-sp');
      const token = cloud.token(person);
      const first = { nickname: '重试甲', clientRequestId: uid('rq') };
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) => cloud.call(via, 'account', 'updateProfile', first, token)),
        () => '',
      );
      must(
        await cloud.call(
          0,
          'account',
          'updateProfile',
          { nickname: '重试乙', clientRequestId: uid('rq') },
          token,
        ),
        'a later change',
      );
      const late = await cloud.call(1, 'account', 'updateProfile', first, token);
      if (!ok(late)) failures.add(`updateProfile: a late retry answered ${brief(late)}`);
      const nickname = cloud.doc<{ profile?: { nickname?: string } }>('users', person)?.profile
        ?.nickname;
      if (nickname !== '重试乙')
        failures.add(
          `updateProfile: nickname ${nickname} after a late retry of an earlier change (expected 重试乙)`,
        );

      const sec = cloud.token(cloud.secretary);
      const promote = { openid: person, role: 'volunteer', clientRequestId: uid('rq') };
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) => cloud.call(via, 'account', 'setRole', promote, sec)),
        () => '',
      );
      const audits = cloud
        .docs<{ targetOpenid?: string; to?: string }>('audit')
        .filter((a) => a.targetOpenid === person);
      if (audits.length !== 1)
        failures.add(`setRole: ${audits.length} audit entries for one role change`);
      must(
        await cloud.call(
          0,
          'account',
          'setRole',
          { openid: person, role: 'resident', clientRequestId: uid('rq') },
          sec,
        ),
        'a later role change',
      );
      const lateRole = await cloud.call(1, 'account', 'setRole', promote, sec);
      if (!ok(lateRole)) failures.add(`setRole: a late retry answered ${brief(lateRole)}`);
      const role = cloud.doc<{ role?: string }>('users', person)?.role;
      if (role !== 'resident')
        failures.add(
          `setRole: role ${role} after a late retry of an earlier change (expected resident)`,
        );
    },
  },
  {
    name: 'circle.requestService',
    covers: ['circle.requestService'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const person = uid('atk-srq');
      const input = {
        category: CIRCLE_CATEGORY_IDS[1],
        spaceId: 'r29',
        clientRequestId: uid('rq'),
      };
      const s = await storm(ctx, (via) =>
        cloud.call(via, 'circle', 'requestService', input, cloud.token(person)),
      );
      allAnsweredAlike(failures, s, (a) =>
        String((a.body?.data as { created?: boolean })?.created),
      );
      const created = s.answers.filter(
        (a) => ok(a) && (a.body?.data as { created?: boolean }).created !== true,
      ).length;
      if (created > 0)
        failures.add(`${created} copies of the request that asked answered created: false`);
      const n = count(
        cloud.docs<{ _openid: string; category: string }>('circle_requests'),
        (r) => r._openid === person && r.category === input.category,
      );
      if (n !== 1) failures.add(`${n} requests recorded`);
    },
  },
  {
    name: 'circle.addPlace + updatePlace + removePlace + importPlaces',
    covers: ['circle.addPlace', 'circle.updatePlace', 'circle.removePlace', 'circle.importPlaces'],
    async run(ctx, failures) {
      const { cloud } = ctx;
      const sec = cloud.token(cloud.secretary);
      const place = (name: string) => ({
        name,
        category: CIRCLE_CATEGORY_IDS[0],
        location: { latitude: 30.5911, longitude: 104.1291 },
      });
      const add = await storm(ctx, (via) =>
        cloud.call(
          via,
          'circle',
          'addPlace',
          { ...place('重试地点'), clientRequestId: 'storm-place-add1' },
          sec,
        ),
      );
      allAnsweredAlike(failures, add);
      const added = cloud
        .docs<{ _id: string; name: string }>('circle_places')
        .filter((p) => p.name === '重试地点');
      if (added.length !== 1) failures.add(`addPlace: ${added.length} places added`);
      const id = added[0]?._id ?? 'none';
      const first = { id, place: place('重试地点甲'), clientRequestId: 'storm-place-upd1' };
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) => cloud.call(via, 'circle', 'updatePlace', first, sec)),
      );
      must(
        await cloud.call(
          0,
          'circle',
          'updatePlace',
          { id, place: place('重试地点乙'), clientRequestId: uid('rq') },
          sec,
        ),
        'a later change',
      );
      const late = await cloud.call(1, 'circle', 'updatePlace', first, sec);
      if (!ok(late)) failures.add(`updatePlace: a late retry answered ${brief(late)}`);
      const name = cloud.doc<{ name: string }>('circle_places', id)?.name;
      if (name !== '重试地点乙')
        failures.add(
          `updatePlace: name ${name} after a late retry of an earlier change (expected 重试地点乙)`,
        );
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) =>
          cloud.call(
            via,
            'circle',
            'removePlace',
            { id, clientRequestId: 'storm-place-rm01' },
            sec,
          ),
        ),
      );
      if (cloud.doc('circle_places', id)) failures.add('removePlace: the place is still there');
      const text = `名称,类别,纬度,经度\n重试导入一,${CIRCLE_CATEGORY_IDS[0]},30.5921,104.1301\n重试导入二,${CIRCLE_CATEGORY_IDS[0]},30.5931,104.1311\n`;
      const imported = await storm(ctx, (via) =>
        cloud.call(
          via,
          'circle',
          'importPlaces',
          { format: 'csv', text, clientRequestId: 'storm-import-01' },
          sec,
        ),
      );
      allAnsweredAlike(failures, imported, () => '');
      const n = count(cloud.docs<{ name: string }>('circle_places'), (p) =>
        p.name.startsWith('重试导入'),
      );
      if (n !== 2) failures.add(`importPlaces: a file of 2 places imported ${n}`);
    },
  },
  {
    name: 'visits.saveSettings + pair + unpair',
    covers: ['visits.saveSettings', 'visits.pair', 'visits.unpair'],
    async run(ctx, failures) {
      const { cloud, personas } = ctx;
      const sec = cloud.token(personas.secretary);
      const slower = {
        ...DEFAULT_CADENCE,
        firstVisitDays: DEFAULT_CADENCE.firstVisitDays === 7 ? 8 : 7,
      };
      const first = { cadence: slower, clientRequestId: 'storm-cadence-1' };
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) => cloud.call(via, 'visits', 'saveSettings', first, sec)),
        () => '',
      );
      must(
        await cloud.call(
          0,
          'visits',
          'saveSettings',
          { cadence: DEFAULT_CADENCE, clientRequestId: uid('rq') },
          sec,
        ),
        'a later change',
      );
      const late = await cloud.call(1, 'visits', 'saveSettings', first, sec);
      if (!ok(late)) failures.add(`saveSettings: a late retry answered ${brief(late)}`);
      const stored = cloud.docs<{ cadence?: unknown }>('visit_settings')[0]?.cadence;
      if (JSON.stringify(stored) !== JSON.stringify(DEFAULT_CADENCE))
        failures.add('saveSettings: a late retry of an earlier change undid the later one');

      const v = uid('atk-spv');
      await registerVolunteers(cloud, [v]);
      const elder = must(
        await cloud.call(
          0,
          'visits',
          'saveElder',
          { draft: anElderDraft({ name: '结对测试老人' }), clientRequestId: uid('rq') },
          sec,
        ),
        'add an elder',
      );
      const elderId = String(elder.id);
      const pair = { elderId, openid: v, clientRequestId: 'storm-pair-0001' };
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) => cloud.call(via, 'visits', 'pair', pair, sec)),
        () => '',
      );
      const pairings = () =>
        cloud
          .docs<{ elderId: string; openid: string; active: boolean }>('elder_pairings')
          .filter((p) => p.elderId === elderId && p.openid === v);
      if (pairings().length !== 1 || !pairings()[0].active)
        failures.add(`pair: ${pairings().length} pairings, active: ${pairings()[0]?.active}`);
      allAnsweredAlike(
        failures,
        await storm(ctx, (via) =>
          cloud.call(
            via,
            'visits',
            'unpair',
            { elderId, openid: v, clientRequestId: 'storm-unpair-01' },
            sec,
          ),
        ),
        () => '',
      );
      const latePair = await cloud.call(0, 'visits', 'pair', pair, sec);
      if (!ok(latePair)) failures.add(`pair: a late retry answered ${brief(latePair)}`);
      if (pairings().some((p) => p.active))
        failures.add('pair: a late retry of the pairing undid the later unpairing');
    },
  },
];

/** Every action whose contract takes a request id (or a client visit id) has a storm. */
export function uncoveredRequestIdActions(): string[] {
  const covered = new Set([...STORMS, ...CREATE_STORMS, ...CHANGE_STORMS].flatMap((s) => s.covers));
  const out: string[] = [];
  for (const fn of Object.keys(contract) as FunctionName[]) {
    for (const action of Object.keys(contract[fn])) {
      const key =
        requestIdKey(fn, action) ?? (fn === 'visits' && action === 'log' ? 'visitId' : null);
      if (key && !covered.has(`${fn}.${action}`)) out.push(`${fn}.${action} (${key})`);
    }
  }
  return out;
}

async function createStorm(
  ctx: Ctx,
  failures: Failures,
  fn: FunctionName,
  action: string,
  input: Record<string, unknown>,
  stored: () => number,
): Promise<void> {
  const key = requestIdKey(fn, action);
  if (!key) failures.add(`${fn}.${action} takes no request id in its contract`);
  const body = { ...input, [key ?? 'clientRequestId']: uid('rq') };
  const s = await storm(ctx, (via) =>
    ctx.cloud.call(via, fn, action, body, ctx.cloud.token(ctx.personas.secretary)),
  );
  allAnsweredAlike(failures, s);
  const n = stored();
  if (n !== 1) failures.add(`${ctx.sizes.storm + 2} copies of one save recorded ${n} records`);
}

// ---------------------------------------------------------------------------------------------
// Refusals after partial work: a place or quota taken and given back must leave nothing behind

export async function domainRefusalsWriteNothing(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  const date = inDays(1);
  await addService(cloud, 'atk-ref-full', { capacity: 1 });
  await addService(cloud, 'atk-ref-quota', { capacity: 10, maxActiveBookings: 1 });
  const filler = uid('atk-rf');
  const person = uid('atk-rp');
  must(
    await cloud.call(
      0,
      'booking',
      'create',
      { serviceId: 'atk-ref-full', date, startMinute: 600, clientRequestId: uid('rq') },
      cloud.token(filler),
    ),
    'fill the slot',
  );
  const mineOne = must(
    await cloud.call(
      1,
      'booking',
      'create',
      { serviceId: 'atk-ref-quota', date, startMinute: 600, clientRequestId: uid('rq') },
      cloud.token(person),
    ),
    'first booking',
  );
  must(
    await cloud.call(
      0,
      'booking',
      'cancel',
      { bookingId: String(mineOne.id) },
      cloud.token(person),
    ),
    'cancel',
  );
  must(
    await cloud.call(
      1,
      'booking',
      'create',
      { serviceId: 'atk-ref-quota', date, startMinute: 660, clientRequestId: uid('rq') },
      cloud.token(person),
    ),
    'second booking',
  );

  const [fullPost, ...posts] = await publishPosts(cloud, [
    aPostDraft({ capacity: 1, title: '攻击测试：一个名额' }),
    ...Array.from({ length: ACTIVE_CLAIMS_MAX + 1 }, (_, i) =>
      aPostDraft({
        capacity: 5,
        title: `攻击测试：拒绝 ${i + 1}`,
        schedule: { kind: 'once', date: inDays(3), start: 480 + i * 30, end: 500 + i * 30 },
      }),
    ),
  ]);
  const [first, second, busy] = [uid('atk-rv'), uid('atk-rv'), uid('atk-rv')];
  await registerVolunteers(cloud, [first, second, busy]);
  must(
    await cloud.call(
      0,
      'volunteer',
      'claim',
      { postId: fullPost, clientRequestId: uid('rq') },
      cloud.token(first),
    ),
    'claim the one place',
  );
  for (const postId of posts.slice(0, ACTIVE_CLAIMS_MAX))
    must(
      await cloud.call(
        1,
        'volunteer',
        'claim',
        { postId, clientRequestId: uid('rq') },
        cloud.token(busy),
      ),
      'claim up to the limit',
    );
  await cloud.host.database.collection('rewards').add({
    data: {
      _id: 'atk-ref-empty',
      title: '已兑完',
      description: '',
      cost: 1,
      stock: 0,
      active: true,
      createdAt: new Date(),
    },
  });
  await grantPoints(cloud, busy, 5);

  const refusals: Array<[string, string, () => Promise<Answer>]> = [
    [
      'booking.create on a full slot',
      'SLOT_FULL',
      () =>
        cloud.call(
          0,
          'booking',
          'create',
          { serviceId: 'atk-ref-full', date, startMinute: 600, clientRequestId: uid('rq') },
          cloud.token(person),
        ),
    ],
    [
      'booking.create over the active limit',
      'QUOTA_ACTIVE',
      () =>
        cloud.call(
          1,
          'booking',
          'create',
          { serviceId: 'atk-ref-quota', date, startMinute: 720, clientRequestId: uid('rq') },
          cloud.token(person),
        ),
    ],
    [
      'booking.create of a slot already booked',
      'ALREADY_BOOKED',
      () =>
        cloud.call(
          0,
          'booking',
          'create',
          { serviceId: 'atk-ref-quota', date, startMinute: 660, clientRequestId: uid('rq') },
          cloud.token(person),
        ),
    ],
    [
      'booking.joinWaitlist of a slot with places',
      'SLOT_NOT_FULL',
      () =>
        cloud.call(
          1,
          'booking',
          'joinWaitlist',
          { serviceId: 'atk-ref-quota', date, startMinute: 900, clientRequestId: uid('rq') },
          cloud.token(uid('atk-rw')),
        ),
    ],
    [
      'booking.cancel of a cancelled booking',
      'NOT_CANCELLABLE',
      () =>
        cloud.call(0, 'booking', 'cancel', { bookingId: String(mineOne.id) }, cloud.token(person)),
    ],
    [
      'volunteer.claim of a full post',
      'POST_FULL',
      () =>
        cloud.call(
          1,
          'volunteer',
          'claim',
          { postId: fullPost, clientRequestId: uid('rq') },
          cloud.token(second),
        ),
    ],
    [
      'volunteer.claim over the active-claims limit',
      'TOO_MANY_CLAIMS',
      () =>
        cloud.call(
          0,
          'volunteer',
          'claim',
          { postId: posts[ACTIVE_CLAIMS_MAX], clientRequestId: uid('rq') },
          cloud.token(busy),
        ),
    ],
    [
      'volunteer.claim of a post claimed already',
      'ALREADY_CLAIMED',
      () =>
        cloud.call(
          1,
          'volunteer',
          'claim',
          { postId: posts[0], clientRequestId: uid('rq') },
          cloud.token(busy),
        ),
    ],
    [
      'volunteer.withdraw without a claim',
      'NOT_CLAIMED',
      () =>
        cloud.call(
          0,
          'volunteer',
          'withdraw',
          { postId: posts[0], clientRequestId: uid('rq') },
          cloud.token(second),
        ),
    ],
    [
      'volunteer.redeem without points',
      'INSUFFICIENT_POINTS',
      () =>
        cloud.call(
          1,
          'volunteer',
          'redeem',
          { rewardId: 'sample-reward-coffee', clientRequestId: uid('rq') },
          cloud.token(second),
        ),
    ],
    [
      'volunteer.redeem out of stock',
      'OUT_OF_STOCK',
      () =>
        cloud.call(
          0,
          'volunteer',
          'redeem',
          { rewardId: 'atk-ref-empty', clientRequestId: uid('rq') },
          cloud.token(busy),
        ),
    ],
    [
      'volunteer.adjust below zero',
      'NEGATIVE_BALANCE',
      () =>
        cloud.call(
          1,
          'volunteer',
          'adjust',
          { openid: second, points: -5, reason: '测试扣减', clientRequestId: uid('rq') },
          cloud.token(cloud.secretary),
        ),
    ],
  ];
  for (const [what, code, send] of refusals) {
    const { answer, changes } = await watch.run(send);
    if (answer.body?.code !== code) failures.add(`${what}: expected ${code}, got ${brief(answer)}`);
    if (isRefused(answer)) {
      ctx.totals.refusalsChecked++;
      const bad = changes.filter((c) => !(c.coll === 'users' && c.change === 'added'));
      ctx.totals.writesOnRefusal += bad.length;
      if (bad.length > 0)
        failures.add(
          `${what}: refused but wrote ${bad.map((c) => `${c.coll}/${c.id} ${c.change}`).join(', ')}`,
        );
    }
  }
  figure(
    ctx,
    'domain refusals after partial work',
    `${refusals.length} refusals, ${failures.count} failures`,
  );
  failures.throwIfAny('domain refusals');
}

const isRefused = (a: Answer) => a.status !== 200 || a.body?.ok !== true;

/** Many volunteers for a reward with little stock, and one volunteer's points spent by parallel redemptions. */
export async function racesForStockAndPoints(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  await cloud.host.database.collection('rewards').add({
    data: {
      _id: 'atk-race-stock',
      title: '限量奖励',
      description: '',
      cost: 1,
      stock: 3,
      active: true,
      createdAt: new Date(),
    },
  });
  await cloud.host.database.collection('rewards').add({
    data: {
      _id: 'atk-race-points',
      title: '积分奖励',
      description: '',
      cost: 3,
      stock: null,
      active: true,
      createdAt: new Date(),
    },
  });
  const crowd = Array.from({ length: 24 }, () => uid('atk-rs'));
  const spender = uid('atk-rsp');
  await registerVolunteers(cloud, [...crowd, spender]);
  await pool([...crowd, spender], 8, (v) => grantPoints(cloud, v, v === spender ? 7 : 2));
  const [stockAnswers, pointAnswers] = await Promise.all([
    Promise.all(
      crowd.map((v, i) =>
        cloud.call(
          i,
          'volunteer',
          'redeem',
          { rewardId: 'atk-race-stock', clientRequestId: uid('rq') },
          cloud.token(v),
        ),
      ),
    ),
    Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cloud.call(
          i,
          'volunteer',
          'redeem',
          { rewardId: 'atk-race-points', clientRequestId: uid('rq') },
          cloud.token(spender),
        ),
      ),
    ),
  ]);
  const redeemed = stockAnswers.filter(ok).length;
  if (redeemed > 3) failures.add(`stock of 3: ${redeemed} redemptions answered ok`);
  for (const d of stockViolations(cloud, new Map([['atk-race-stock', 3]]))) failures.add(d);
  const spent = cloud
    .docs<{ openid: string; rewardId: string }>('redemptions')
    .filter((r) => r.openid === spender).length;
  if (spent > 2) failures.add(`7 points at 3 a redemption: ${spent} redemptions`);
  const balance = cloud.doc<{ points: number }>('volunteer_balances', spender)?.points ?? 0;
  if (balance < 0 || balance !== 7 - 3 * spent)
    failures.add(`balance ${balance} after ${spent} redemptions of 3 from 7`);
  for (const d of ledgerViolations(cloud, new Set([...crowd, spender]))) failures.add(d);
  const odd = [...stockAnswers, ...pointAnswers].filter(
    (a) =>
      !ok(a) && !['OUT_OF_STOCK', 'INSUFFICIENT_POINTS', 'BUSY'].includes(String(a.body?.code)),
  );
  for (const a of odd.slice(0, 3)) failures.add(`unexpected answer ${brief(a)}`);
  figure(
    ctx,
    'races: stock and points',
    `${crowd.length} volunteers for a stock of 3 → ${redeemed} redeemed; 6 parallel redemptions of 3 from 7 points → ${spent}, balance ${balance}`,
  );
  failures.throwIfAny('races for stock and points');
}
