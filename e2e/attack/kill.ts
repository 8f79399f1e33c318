/**
 * (6) `kill -9` under load. Each round sends bookings, cancellations, waitlist joins, claims,
 * withdrawals and redemptions to both server processes, SIGKILLs one of them while they are in
 * flight, restarts it on the same data file, fires the repair timers (booking `sweep`, volunteer
 * `jobs`) at a time past their grace period, and checks the invariants (invariants.ts).
 *
 * A transaction cut off by the kill keeps its documents locked until its 30-second limit; a
 * violation on a document still locked is "repair pending" and checked again once the lock has
 * expired, at the end.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Answer } from './cloud';
import { figure, type Ctx } from './context';
import {
  bookingViolations,
  ledgerViolations,
  postViolations,
  quotaViolations,
  stockViolations,
  type Violations,
} from './invariants';
import {
  addService,
  aPostDraft,
  grantPoints,
  inDays,
  pool,
  publishPosts,
  random,
  registerVolunteers,
  sleep,
  uid,
} from './world';

const SERVICE = 'atk-kill-service';
const REWARD = 'atk-kill-reward';
const REWARD_STOCK = 10_000;
const POSTS = 8;
const VOLUNTEERS_PER_ROUND = 8;

interface RoundResult {
  round: number;
  killed: string;
  killAfterMs: number;
  sent: number;
  dropped: number;
  booking: Violations;
  posts: Violations;
  ledger: string[];
  stock: string[];
  quota: string[];
  http500: number;
  /** Requests the kill cut off mid-flight (connection reset), not refused before they arrived. */
  inFlight: number;
  /** Collections in which a transaction cut off by a kill still held locks when the round was checked. */
  locked: Set<string>;
}

export interface KillReport {
  rounds: RoundResult[];
  /** Violations still there at the end (after locks of dead transactions expired and a last repair). */
  finalBooking: Violations;
  finalPosts: Violations;
  finalLedger: string[];
  finalStock: string[];
  finalQuota: string[];
  ms: number;
}

const ok = (a: Answer) => a.status === 200 && a.body?.ok === true;

/** Ticks one repair may take before what is still wrong is reported. */
const MAX_REPAIR_TICKS = 4;
/** The last tick fired: the timers' clock only moves forward, as production's does. */
let lastTick = 0;

/**
 * The repair timers, at ticks past every grace period, until nothing is wrong (at most
 * MAX_REPAIR_TICKS). One tick is not always enough, as in production: a sweep may pass a freed
 * place on (a waitlist promotion stamps that booking with the tick's time), and the recount
 * leaves a slot changed within its grace period alone until a later tick, 10 minutes on.
 */
async function repair(ctx: Ctx, settled: () => boolean): Promise<void> {
  const afterMinutes = Number(process.env.LINLI_ATTACK_REPAIR_AFTER_MINUTES ?? 20);
  const tick = 10 * 60_000;
  let at = Math.max(Math.floor((Date.now() + afterMinutes * 60_000) / tick) * tick, lastTick);
  for (let i = 0; i < MAX_REPAIR_TICKS; i++, at += tick) {
    lastTick = at;
    await repairAt(ctx, new Date(at));
    if (settled()) return;
  }
}

async function repairAt(ctx: Ctx, at: Date): Promise<void> {
  for (const [fn, trigger] of [
    ['booking', 'sweep'],
    ['volunteer', 'jobs'],
  ]) {
    // A run that meets contention may answer BUSY; production's next tick runs it again.
    let result: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      result = await ctx.cloud.fireTimer(fn, trigger, at);
      if ((result as { ok?: boolean }).ok) break;
    }
    if (!(result as { ok?: boolean }).ok)
      throw new Error(
        `repair timer ${fn}/${trigger} failed 3 times: ${JSON.stringify(result).slice(0, 300)}`,
      );
  }
}

let memo: Promise<KillReport> | undefined;

/** The rounds run once; the scenarios for bookings and for volunteering read the same report. */
export function killRounds(ctx: Ctx): Promise<KillReport> {
  memo ??= runKillRounds(ctx);
  return memo;
}

async function runKillRounds(ctx: Ctx): Promise<KillReport> {
  const { cloud, sizes } = ctx;
  const started = Date.now();
  const rnd = random(sizes.seed + 6);
  const locks = new Database(path.join(cloud.dataDir, 'cloud.sqlite'), { readonly: true });
  const lockedCollections = () =>
    new Set(
      locks
        .prepare<[number], { coll: string }>('SELECT DISTINCT coll FROM txlocks WHERE expires > ?')
        .all(Date.now())
        .map((r) => r.coll),
    );
  const lockedUntil = () =>
    Math.max(
      0,
      ...locks
        .prepare<[], { expires: number }>('SELECT expires FROM txlocks')
        .all()
        .map((r) => r.expires),
    );

  await addService(cloud, SERVICE, {
    capacity: 3,
    maxActiveBookings: 20,
    maxHoursPerWeek: 168,
    holdMinutes: 30,
  });
  const postIds = await publishPosts(
    cloud,
    Array.from({ length: POSTS }, (_, i) =>
      aPostDraft({
        title: `攻击测试：断电 ${i + 1}`,
        capacity: 3,
        schedule: { kind: 'once', date: inDays(4), start: 480 + i * 60, end: 520 + i * 60 },
      }),
    ),
    '攻击测试：断电清单',
  );
  await cloud.host.database.collection('rewards').add({
    data: {
      _id: REWARD,
      title: '断电测试奖励',
      description: '',
      cost: 1,
      stock: REWARD_STOCK,
      active: true,
      createdAt: new Date(),
    },
  });
  const volunteers = Array.from({ length: sizes.killRounds * VOLUNTEERS_PER_ROUND }, () =>
    uid('atk-kv'),
  );
  await registerVolunteers(cloud, volunteers);
  // Two redeemers per round, with points to spend.
  const redeemers = volunteers.filter((_, i) => i % VOLUNTEERS_PER_ROUND < 2);
  await pool(redeemers, 8, (r) => grantPoints(cloud, r, 5));

  const wrong = () => {
    const b = bookingViolations(cloud, new Set([SERVICE]));
    const p = postViolations(cloud, new Set(postIds));
    return (
      b.details.length +
      p.details.length +
      quotaViolations(cloud, new Set([SERVICE])).length +
      ledgerViolations(cloud, new Set(volunteers)).length +
      stockViolations(cloud, new Map([[REWARD, REWARD_STOCK]])).length
    );
  };
  const rounds: RoundResult[] = [];
  const previousBookings: Array<{ openid: string; id: string }> = [];
  const previousClaims: Array<{ openid: string; postId: string }> = [];
  for (let round = 0; round < sizes.killRounds; round++) {
    const victim = (round % 2) as 0 | 1;
    const target = cloud.servers[victim];
    // Three fresh hour slots per round: 8 rounds a day, days 1–6 ahead (inside the 7-day horizon).
    const date = inDays(1 + (Math.floor(round / 8) % 6));
    const startMinute = (round % 8) * 180;
    const mine = volunteers.slice(round * VOLUNTEERS_PER_ROUND, (round + 1) * VOLUNTEERS_PER_ROUND);
    const postId = postIds[round % POSTS];
    const otherPostId = postIds[(round + 3) % POSTS];
    const before500 = cloud.stats.http500;
    const calls: Array<
      Promise<{ kind: string; openid: string; answer: Answer; postId?: string; sentAt: number }>
    > = [];
    let via = round;
    const send = (
      kind: string,
      openid: string,
      fn: string,
      action: string,
      input: Record<string, unknown>,
      extra: { postId?: string } = {},
    ) => {
      const sentAt = Date.now();
      calls.push(
        cloud
          .call(via++, fn, action, input, cloud.token(openid))
          .then((answer) => ({ kind, openid, answer, sentAt, ...extra })),
      );
    };
    // Twelve residents race for three 3-place slots; four join a waitlist; earlier bookings are
    // cancelled. Eight volunteers race for two 3-place posts; earlier claims are withdrawn; two
    // redemptions. Sends are spread over the first 40 ms so that the kill finds requests at every step.
    const sends: Array<() => void> = [];
    for (let i = 0; i < 12; i++)
      sends.push(() =>
        send('book', uid('atk-kr'), 'booking', 'create', {
          serviceId: SERVICE,
          date,
          startMinute: startMinute + (i % 3) * 60,
          clientRequestId: uid('rq'),
        }),
      );
    for (let i = 0; i < 4; i++)
      sends.push(() =>
        send('wait', uid('atk-kw'), 'booking', 'joinWaitlist', {
          serviceId: SERVICE,
          date,
          startMinute,
          clientRequestId: uid('rq'),
        }),
      );
    for (const b of previousBookings.splice(0, 4))
      sends.push(() => send('cancel', b.openid, 'booking', 'cancel', { bookingId: b.id }));
    mine.forEach((v, i) =>
      sends.push(() =>
        send(
          'claim',
          v,
          'volunteer',
          'claim',
          { postId: i % 2 ? postId : otherPostId, clientRequestId: uid('rq') },
          { postId: i % 2 ? postId : otherPostId },
        ),
      ),
    );
    for (const c of previousClaims.splice(0, 3))
      sends.push(() =>
        send('withdraw', c.openid, 'volunteer', 'withdraw', {
          postId: c.postId,
          clientRequestId: uid('rq'),
        }),
      );
    for (const r of mine.slice(0, 2))
      sends.push(() =>
        send('redeem', r, 'volunteer', 'redeem', { rewardId: REWARD, clientRequestId: uid('rq') }),
      );
    const spread = Promise.all(
      sends.map((go, i) => sleep(Math.floor((i / sends.length) * 40)).then(go)),
    );

    const killAfterMs = 5 + Math.floor(rnd() * 70);
    await sleep(killAfterMs);
    const killedAt = Date.now();
    await target.kill9();
    await spread;
    const settled = await Promise.all(calls);
    const restarting = cloud.restart(victim);
    for (const s of settled) {
      if (!ok(s.answer)) continue;
      if (s.kind === 'book')
        previousBookings.push({
          openid: s.openid,
          id: String((s.answer.body?.data as { id?: string }).id),
        });
      if (s.kind === 'claim' && s.postId)
        previousClaims.push({ openid: s.openid, postId: s.postId });
    }
    await repair(ctx, () => wrong() === 0);
    const result: RoundResult = {
      round,
      killed: target.name,
      killAfterMs,
      sent: settled.length,
      dropped: settled.filter((s) => s.answer.status === 0).length,
      booking: bookingViolations(cloud, new Set([SERVICE])),
      posts: postViolations(cloud, new Set(postIds)),
      ledger: ledgerViolations(cloud, new Set(volunteers)),
      stock: stockViolations(cloud, new Map([[REWARD, REWARD_STOCK]])),
      quota: quotaViolations(cloud, new Set([SERVICE])),
      http500: cloud.stats.http500 - before500,
      inFlight: settled.filter((s) => s.answer.status === 0 && s.sentAt < killedAt).length,
      locked: lockedCollections(),
    };
    rounds.push(result);
    await restarting;
  }

  // Violations on documents locked by a transaction the kill cut off are repaired once the lock
  // expires (30 s): wait for that only when something is still wrong, then repair once more.
  if (wrong() > 0) {
    const wait = lockedUntil() - Date.now();
    if (wait > 0) await sleep(Math.min(wait + 200, 31_000));
    await repair(ctx, () => wrong() === 0);
  }
  locks.close();
  return {
    rounds,
    finalBooking: bookingViolations(cloud, new Set([SERVICE])),
    finalPosts: postViolations(cloud, new Set(postIds)),
    finalLedger: ledgerViolations(cloud, new Set(volunteers)),
    finalStock: stockViolations(cloud, new Map([[REWARD, REWARD_STOCK]])),
    finalQuota: quotaViolations(cloud, new Set([SERVICE])),
    ms: Date.now() - started,
  };
}

/**
 * Violations seen right after a round's repair, except those of a kind whose documents a dead
 * transaction still held locked at the check (`lockedIn`): those are checked at the end.
 */
function describeRounds(
  report: KillReport,
  pick: (r: RoundResult) => string[],
  lockedIn: readonly string[],
): string[] {
  return report.rounds
    .filter((r) => !lockedIn.some((c) => r.locked.has(c)))
    .flatMap((r) =>
      pick(r).map((d) => `round ${r.round} (killed ${r.killed} after ${r.killAfterMs} ms): ${d}`),
    );
}

const BOOKING_COLLECTIONS = ['bookings', 'slotCounters', 'bookingQuotas'];
const VOLUNTEER_COLLECTIONS = [
  'volunteer_posts',
  'volunteer_claims',
  'volunteers',
  'ledger',
  'volunteer_balances',
  'rewards',
  'redemptions',
];
const lockedRounds = (report: KillReport, colls: readonly string[]) =>
  report.rounds.filter((r) => colls.some((c) => r.locked.has(c))).length;

const roundsWith = (report: KillReport, pick: (r: RoundResult) => string[]) =>
  report.rounds.filter((r) => pick(r).length > 0).length;

export async function killRoundsVolunteering(ctx: Ctx): Promise<void> {
  const report = await killRounds(ctx);
  const dropped = report.rounds.reduce((n, r) => n + r.dropped, 0);
  const sent = report.rounds.reduce((n, r) => n + r.sent, 0);
  const http500 = report.rounds.reduce((n, r) => n + r.http500, 0);
  const inFlight = report.rounds.reduce((n, r) => n + r.inFlight, 0);
  figure(
    ctx,
    'kill -9 rounds',
    `${report.rounds.length} rounds in ${(report.ms / 1000).toFixed(1)} s, ${sent} requests, ${dropped} without an answer (${inFlight} sent before the kill, cut off mid-flight; the rest sent to the dead process), HTTP 500: ${http500}`,
  );
  figure(
    ctx,
    'kill -9: posts',
    `${roundsWith(report, (r) => r.posts.details)} rounds with a post wrong after its repair (${lockedRounds(report, VOLUNTEER_COLLECTIONS)} rounds checked while a dead transaction held volunteer documents locked); at the end: ${report.finalPosts.lost} lost, ${report.finalPosts.phantom} phantom places`,
  );
  figure(
    ctx,
    'kill -9: ledger and stock',
    `${report.rounds.filter((r) => r.ledger.length + r.stock.length > 0).length} rounds with a balance ≠ ledger or stock mismatch; at the end: ${report.finalLedger.length + report.finalStock.length}`,
  );
  const problems = [
    ...describeRounds(
      report,
      (r) => [...r.posts.details, ...r.ledger, ...r.stock],
      VOLUNTEER_COLLECTIONS,
    ),
    ...report.finalPosts.details.map((d) => `at the end: ${d}`),
    ...report.finalLedger.map((d) => `at the end: ${d}`),
    ...report.finalStock.map((d) => `at the end: ${d}`),
  ];
  if (problems.length > 0)
    throw new Error(
      `kill -9 rounds, volunteering: ${problems.length} violation(s)\n${problems.slice(0, 15).join('\n')}`,
    );
}

export async function killRoundsBookings(ctx: Ctx): Promise<void> {
  const report = await killRounds(ctx);
  figure(
    ctx,
    'kill -9: booking counters',
    `${roundsWith(report, (r) => r.booking.details)} rounds with a counter wrong after its repair (${lockedRounds(report, BOOKING_COLLECTIONS)} checked while a dead transaction held booking documents locked); at the end: ${report.finalBooking.lost} lost, ${report.finalBooking.phantom} phantom places`,
  );
  const problems = [
    ...describeRounds(report, (r) => r.booking.details, BOOKING_COLLECTIONS),
    ...report.finalBooking.details.map((d) => `at the end: ${d}`),
  ];
  if (problems.length > 0)
    throw new Error(
      `kill -9 rounds, booking counters: ${problems.length} violation(s)\n${problems.slice(0, 15).join('\n')}`,
    );
}

export async function killRoundsQuotas(ctx: Ctx): Promise<void> {
  const report = await killRounds(ctx);
  figure(
    ctx,
    'kill -9: per-person limit documents',
    `${roundsWith(report, (r) => r.quota)} rounds with a quota document ≠ its bookings after repair; at the end: ${report.finalQuota.length}`,
  );
  const problems = [
    ...describeRounds(report, (r) => r.quota, BOOKING_COLLECTIONS),
    ...report.finalQuota.map((d) => `at the end: ${d}`),
  ];
  if (problems.length > 0)
    throw new Error(
      `kill -9 rounds, per-person limit documents: ${problems.length} violation(s)\n${problems.slice(0, 15).join('\n')}`,
    );
}
