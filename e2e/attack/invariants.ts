/**
 * The guarantees, read straight from the store (never from answers):
 *
 * - booking slot counters: 0 ≤ left ≤ capacity, and capacity − left = bookings holding a place
 *   (held, confirmed, checked in) in that slot; a counter still "opening" (rev −1) after repair
 *   is stuck with one place;
 * - volunteer posts: 0 ≤ claimed ≤ capacity, and claimed = active claims of the post;
 * - the ledger: every volunteer's balance cache equals the sum of their ledger entries;
 * - rewards: stock left + redemptions = the stock it started with;
 * - per-person booking limits: each person's quota document equals what their bookings of the
 *   service hold (`limitsHeld`, src/domain/booking/limits.ts) — more would block the person for
 *   good, less would let them past a limit.
 */
import { countsFor, limitsHeld, weekOf } from '../../src/domain/booking/limits';
import { summarize, type LedgerType } from '../../src/domain/volunteer/ledger';
import type { AttackCloud } from './cloud';

export const PLACE_STATES = ['held', 'confirmed', 'checked-in'];
const OPENING_REV = -1;

export interface Violations {
  /** Places counted as taken with nobody holding them. */
  lost: number;
  /** People holding places the counter does not count. */
  phantom: number;
  details: string[];
}

const empty = (): Violations => ({ lost: 0, phantom: 0, details: [] });

interface CounterDoc {
  _id: string;
  serviceId: string;
  capacity: number;
  left: number;
  rev?: number;
}
interface BookingDoc {
  _id: string;
  _openid: string;
  serviceId: string;
  slotIds: string[];
  state: string;
  start: Date;
  end: Date;
}

export function bookingViolations(cloud: AttackCloud, serviceIds: ReadonlySet<string>): Violations {
  const out = empty();
  const holders = new Map<string, number>();
  for (const b of cloud.docs<BookingDoc>('bookings')) {
    if (!serviceIds.has(b.serviceId) || !PLACE_STATES.includes(b.state)) continue;
    for (const s of b.slotIds) holders.set(s, (holders.get(s) ?? 0) + 1);
  }
  const counted = new Set<string>();
  for (const c of cloud.docs<CounterDoc>('slotCounters')) {
    if (!serviceIds.has(c.serviceId)) continue;
    counted.add(c._id);
    const taken = c.capacity - c.left;
    const held = holders.get(c._id) ?? 0;
    if (c.left < 0 || c.left > c.capacity)
      out.details.push(`slot ${c._id}: left ${c.left} outside 0..${c.capacity}`);
    if (taken > held) {
      out.lost += taken - held;
      out.details.push(
        `slot ${c._id}: ${taken} places counted, ${held} held (${taken - held} lost)`,
      );
    } else if (held > taken) {
      out.phantom += held - taken;
      out.details.push(
        `slot ${c._id}: ${held} places held, ${taken} counted (${held - taken} phantom)`,
      );
    }
    if (c.rev === OPENING_REV)
      out.details.push(`slot ${c._id}: still opening (capacity ${c.capacity})`);
  }
  for (const [slot, held] of holders) {
    if (!counted.has(slot)) {
      out.phantom += held;
      out.details.push(`slot ${slot}: ${held} places held and no counter`);
    }
  }
  return out;
}

interface QuotaDoc {
  _id: string;
  _openid: string;
  serviceId: string;
  active: number;
  requests?: string[];
  weeks?: Record<string, number>;
  slots?: string[];
}

/** Quota documents of these services that disagree with the bookings they count. */
export function quotaViolations(
  cloud: AttackCloud,
  serviceIds: ReadonlySet<string>,
  now = new Date(),
): string[] {
  const byPerson = new Map<string, BookingDoc[]>();
  for (const b of cloud.docs<BookingDoc & { requestKey: string }>('bookings')) {
    if (!serviceIds.has(b.serviceId)) continue;
    const key = `${b._openid}:${b.serviceId}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), b]);
  }
  const thisWeek = weekOf(now);
  const weeks = (w: Record<string, number> | undefined) =>
    Object.fromEntries(
      Object.entries(w ?? {})
        .filter(([week, minutes]) => week >= thisWeek && minutes !== 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  const out: string[] = [];
  const seen = new Set<string>();
  for (const q of cloud.docs<QuotaDoc>('bookingQuotas')) {
    if (!serviceIds.has(q.serviceId)) continue;
    const key = `${q._openid}:${q.serviceId}`;
    seen.add(key);
    const bookings = (byPerson.get(key) ?? []) as Array<BookingDoc & { requestKey: string }>;
    const want = limitsHeld(
      bookings.map((b) => ({
        state: b.state as never,
        requestKey: b.requestKey,
        slotIds: b.slotIds,
        start: new Date(b.start),
        end: new Date(b.end),
      })),
      now,
    );
    const have = {
      active: q.active,
      requests: [...(q.requests ?? [])].sort(),
      weeks: weeks(q.weeks),
      slots: [...(q.slots ?? [])].sort(),
    };
    const expected = {
      active: want.active,
      requests: want.requests,
      weeks: weeks(want.weeks),
      slots: want.slots,
    };
    if (JSON.stringify(have) !== JSON.stringify(expected))
      out.push(
        `quota ${q._id}: holds ${JSON.stringify(have)}, bookings hold ${JSON.stringify(expected)}`,
      );
  }
  for (const [key, bookings] of byPerson) {
    if (seen.has(key)) continue;
    const active = bookings.filter((b) => countsFor('active', b.state as never)).length;
    if (active > 0) out.push(`quota ${key}: missing while ${active} bookings are active`);
  }
  return out;
}

interface PostDoc {
  _id: string;
  listId: string;
  capacity: number;
  claimed: number;
}
interface ClaimDoc {
  _id: string;
  postId: string;
  openid: string;
  status: string;
}

export function postViolations(cloud: AttackCloud, postIds: ReadonlySet<string>): Violations {
  const out = empty();
  const active = new Map<string, number>();
  for (const c of cloud.docs<ClaimDoc>('volunteer_claims')) {
    if (postIds.has(c.postId) && c.status === 'claimed')
      active.set(c.postId, (active.get(c.postId) ?? 0) + 1);
  }
  for (const p of cloud.docs<PostDoc>('volunteer_posts')) {
    if (!postIds.has(p._id)) continue;
    const n = active.get(p._id) ?? 0;
    if (p.claimed < 0 || p.claimed > p.capacity)
      out.details.push(`post ${p._id}: claimed ${p.claimed} outside 0..${p.capacity}`);
    if (n > p.capacity)
      out.details.push(`post ${p._id}: ${n} active claims over capacity ${p.capacity}`);
    if (p.claimed > n) {
      out.lost += p.claimed - n;
      out.details.push(
        `post ${p._id}: ${p.claimed} places counted, ${n} active claims (${p.claimed - n} lost)`,
      );
    } else if (n > p.claimed) {
      out.phantom += n - p.claimed;
      out.details.push(
        `post ${p._id}: ${n} active claims, ${p.claimed} counted (${n - p.claimed} phantom)`,
      );
    }
  }
  return out;
}

interface LedgerDoc {
  _id: string;
  _openid: string;
  type: LedgerType;
  minutes: number;
  points: number;
}
interface BalanceDoc {
  _id: string;
  points: number;
  earned: number;
  spent: number;
  confirmedMinutes: number;
  confirmedServices: number;
}

/** Balances that disagree with their ledger, for these volunteers. */
export function ledgerViolations(cloud: AttackCloud, openids: ReadonlySet<string>): string[] {
  const entries = new Map<string, LedgerDoc[]>();
  for (const e of cloud.docs<LedgerDoc>('ledger')) {
    if (!openids.has(e._openid)) continue;
    entries.set(e._openid, [...(entries.get(e._openid) ?? []), e]);
  }
  const balances = new Map(cloud.docs<BalanceDoc>('volunteer_balances').map((b) => [b._id, b]));
  const out: string[] = [];
  for (const openid of openids) {
    const sum = summarize(entries.get(openid) ?? []);
    const b = balances.get(openid);
    const stored = b
      ? {
          points: b.points,
          earned: b.earned,
          spent: b.spent,
          confirmedMinutes: b.confirmedMinutes,
          confirmedServices: b.confirmedServices,
        }
      : { points: 0, earned: 0, spent: 0, confirmedMinutes: 0, confirmedServices: 0 };
    if (JSON.stringify(stored) !== JSON.stringify(sum))
      out.push(
        `balance of ${openid} ${JSON.stringify(stored)} ≠ ledger sum ${JSON.stringify(sum)}`,
      );
  }
  return out;
}

/** Rewards whose stock plus redemptions differs from the stock they started with. */
export function stockViolations(
  cloud: AttackCloud,
  initial: ReadonlyMap<string, number>,
): string[] {
  const redeemed = new Map<string, number>();
  for (const r of cloud.docs<{ rewardId: string }>('redemptions'))
    redeemed.set(r.rewardId, (redeemed.get(r.rewardId) ?? 0) + 1);
  const out: string[] = [];
  for (const [id, start] of initial) {
    const reward = cloud.doc<{ stock: number | null }>('rewards', id);
    const left = reward?.stock ?? 0;
    const n = redeemed.get(id) ?? 0;
    if (left < 0) out.push(`reward ${id}: stock ${left} below zero`);
    if (left + n !== start) out.push(`reward ${id}: stock ${left} + ${n} redemptions ≠ ${start}`);
  }
  return out;
}
