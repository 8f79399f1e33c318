import {
  PRIVACY_NOTICE_VERSION,
  type RegistrationInput,
} from '../../src/domain/volunteer/registration';
import type { ListDraft, PostDraft } from '../../src/domain/volunteer/opportunity';
import { shanghaiDate } from '../../src/domain/shared/time';
import { addDays } from '../../src/domain/volunteer/opportunity';
import type { Database } from '../_shared/db';
import type { PostDoc } from './docs';

/** Test-data builders for the volunteer function's tests (dates relative to the real clock). */

export const today = () => shanghaiDate(new Date());
export const inDays = (n: number) => addDays(today(), n);

/** What `register` is sent; tests may send an outdated `consentVersion` to see it refused. */
export type RegistrationOverrides = Partial<Omit<RegistrationInput, 'consentVersion'>> & {
  consentVersion?: string;
};

export function aRegistration(overrides: RegistrationOverrides = {}) {
  return {
    name: '张三',
    phone: '13800001111',
    partyMember: false,
    consentVersion: PRIVACY_NOTICE_VERSION,
    ...overrides,
  };
}

export function aPost(overrides: Partial<PostDraft> = {}): PostDraft {
  return {
    categoryId: 'care',
    title: '关爱老人日常探访',
    description: '陪老人聊天，了解近况',
    schedule: { kind: 'once', date: inDays(3), start: 540, end: 660 },
    capacity: 5,
    points: 10,
    requirements: { partyMemberOnly: false, note: '' },
    location: { place: '光华社区' },
    ...overrides,
  };
}

export function aList(overrides: Partial<ListDraft> = {}): ListDraft {
  return {
    title: '本周机会岗位清单',
    periodFrom: today(),
    periodUntil: inDays(13),
    categories: [
      { id: 'care', name: '关爱老人' },
      { id: 'emergency', name: '应急处突' },
    ],
    posts: [aPost()],
    ...overrides,
  };
}

let counter = 0;
/** A fresh client request id. */
export function rid(): string {
  counter += 1;
  return `req-${Date.now().toString(36)}-${counter}`;
}

/**
 * Exactly the claim's first step (take a place by the conditional increment), by a run that then
 * died at `at` before writing its claim. Returns the places taken (0 when the post was full).
 */
export async function orphanTake(
  db: Database,
  postId: string,
  capacity: number,
  at: Date,
): Promise<number> {
  const r = await db
    .collection<PostDoc>('volunteer_posts')
    .where({ _id: postId, claimed: db.command.lt(capacity) })
    .update({ data: { claimed: db.command.inc(1), lastTakenAt: at } });
  return r.stats.updated;
}
