/**
 * Setting the stage for attacks, through the product's own paths where one exists (registration,
 * lists, points are made by API calls) and by direct inserts only for what only the seed or the
 * secretary's console creates (a service with chosen booking rules).
 */
import type { BookingRules } from '../../src/domain/booking/rules';
import { addDays } from '../../src/domain/booking/slots';
import type { PostDraft } from '../../src/domain/volunteer/opportunity';
import { shanghaiDate } from '../../src/domain/shared/time';
import { PRIVACY_NOTICE_VERSION } from '../../src/domain/volunteer/registration';
import { requestIdKey } from './catalog';
import type { AttackCloud, Answer } from './cloud';

export const today = () => shanghaiDate(new Date());
export const inDays = (n: number) => addDays(today(), n);

/** Answers that should be ok; throws with what came back otherwise. */
export function must(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status !== 200 || !answer.body?.ok) {
    throw new Error(
      `${what}: expected ok, got HTTP ${answer.status} ${JSON.stringify(answer.body ?? answer.error).slice(0, 300)}`,
    );
  }
  return (answer.body.data ?? {}) as Record<string, unknown>;
}

let sequence = 0;
/** A fresh id: letters, digits and '-' (fits every request-id and openid pattern). */
export function uid(prefix = 'atk'): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence.toString(36)}`;
}

/** A bookable service of space r29, open all day every day, with these rules. */
export async function addService(
  cloud: AttackCloud,
  id: string,
  rules: Partial<BookingRules>,
  kind: 'capacity' | 'room' = 'capacity',
): Promise<void> {
  await cloud.host.database.collection('services').add({
    data: {
      _id: id,
      spaceId: 'r29',
      name: `攻击测试服务 ${id}`,
      category: 'gym',
      summary: '攻击测试',
      place: '测试',
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
      bookingKind: kind,
      order: 99,
      bookingRules: { minNoticeMinutes: 0, horizonDays: 7, ...rules },
    },
  });
}

export function aPostDraft(overrides: Partial<PostDraft> = {}): PostDraft {
  return {
    categoryId: 'care',
    title: '攻击测试岗位',
    description: '攻击测试',
    schedule: { kind: 'once', date: inDays(3), start: 540, end: 600 },
    capacity: 5,
    points: 10,
    requirements: { partyMemberOnly: false, note: '' },
    location: { place: '光华社区' },
    ...overrides,
  };
}

/** A published list with these posts, made by the secretary through the API; the posts' ids in order. */
export async function publishPosts(
  cloud: AttackCloud,
  posts: PostDraft[],
  title = '攻击测试清单',
): Promise<string[]> {
  const sec = cloud.token(cloud.secretary);
  const draft = {
    title,
    periodFrom: today(),
    periodUntil: inDays(13),
    categories: [{ id: 'care', name: '关爱老人' }],
    posts,
  };
  const key = requestIdKey('volunteer', 'saveList');
  const list = must(
    await cloud.call(
      0,
      'volunteer',
      'saveList',
      { draft, ...(key ? { [key]: uid('list') } : {}) },
      sec,
    ),
    'saveList',
  );
  const listId = String(list.id);
  must(await cloud.call(1, 'volunteer', 'publishList', { listId }, sec), 'publishList');
  const stored = cloud
    .docs<{ _id: string; listId: string; order: number }>('volunteer_posts')
    .filter((p) => p.listId === listId);
  stored.sort((a, b) => a.order - b.order);
  if (stored.length !== posts.length)
    throw new Error(`list ${listId}: ${stored.length} posts stored, ${posts.length} saved`);
  return stored.map((p) => p._id);
}

export function registration(name: string, phone: string) {
  return { name, phone, partyMember: false, consentVersion: PRIVACY_NOTICE_VERSION };
}

/** Register each openid as a volunteer (approved: the seeded settings need no approval). */
export async function registerVolunteers(cloud: AttackCloud, openids: string[]): Promise<void> {
  await Promise.all(
    openids.map(async (openid, i) =>
      must(
        await cloud.call(
          i,
          'volunteer',
          'register',
          registration('测试志愿者', `139${String(10_000_000 + i).slice(-8)}`),
          cloud.token(openid),
        ),
        `register ${openid}`,
      ),
    ),
  );
}

/** Give a volunteer points through the secretary's adjustment. */
export async function grantPoints(
  cloud: AttackCloud,
  openid: string,
  points: number,
): Promise<void> {
  must(
    await cloud.call(
      0,
      'volunteer',
      'adjust',
      { openid, points, reason: '攻击测试积分', clientRequestId: uid('grant') },
      cloud.token(cloud.secretary),
    ),
    `adjust ${openid}`,
  );
}

/** Run `work` for each item with at most `limit` in flight. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i], i);
      }
    }),
  );
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be repeated with its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
