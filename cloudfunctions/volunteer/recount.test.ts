import type { PostView } from '../../src/domain/contract/volunteer';
import { PLACES_RECOUNT_GRACE_MINUTES } from '../../src/domain/volunteer/claims';
import type { OpportunityList } from '../../src/domain/volunteer/opportunity';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import type { PostDoc } from './docs';
import { aList, aPost, aRegistration, orphanTake, rid } from './fixtures';

/**
 * The places recount: a claim run that dies between taking a place (the conditional increment)
 * and writing the claim leaves a place counted with nobody in it; the timer gives it back.
 */

const SECRETARY = 'secretary-recount';
const VOLUNTEERS = ['volunteer-r1', 'volunteer-r2', 'volunteer-r3'];

let cloud: TestCloud;
beforeEach(async () => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  for (const v of VOLUNTEERS)
    expectOk(await cloud.call('volunteer', 'register', aRegistration(), v));
});
afterEach(() => cloud.close());

const vol = (action: string, input: unknown, openid: string) =>
  cloud.call('volunteer', action, input, openid);
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

async function publishedPost(capacity: number): Promise<string> {
  const list = expectOk<OpportunityList>(
    await vol(
      'saveList',
      { clientRequestId: rid(), draft: aList({ posts: [aPost({ capacity })] }) },
      SECRETARY,
    ),
  );
  expectOk(await vol('publishList', { listId: list.id }, SECRETARY));
  const view = expectOk<{ posts: PostView[] }>(
    await vol('listPosts', { listId: list.id }, SECRETARY),
  );
  return view.posts[0].id;
}

async function claimedOf(postId: string): Promise<number> {
  return ((await cloud.db.collection<PostDoc>('volunteer_posts').doc(postId).get()).data as PostDoc)
    .claimed;
}

/** One tick of the function's trigger ("jobs"), answering the recount job's report as `data`. */
async function recount(at: Date): Promise<{ ok: boolean; data?: unknown }> {
  const answer = (await cloud.host.fireTimer('volunteer', 'jobs', at)) as {
    ok: boolean;
    data?: { ran: Record<string, unknown> };
  };
  return { ok: answer.ok, data: answer.data?.ran.recountPlaces };
}

it('gives back a place taken by a claim that never got written, so the post can be filled again', async () => {
  const postId = await publishedPost(2);
  expectOk(await vol('claim', { postId, clientRequestId: rid() }, VOLUNTEERS[0]));
  expect(await orphanTake(cloud.db, postId, 2, minutesFromNow(-30))).toBe(1);
  expect(await vol('claim', { postId, clientRequestId: rid() }, VOLUNTEERS[1])).toMatchObject({
    ok: false,
    code: 'POST_FULL',
  });

  expect(await recount(new Date())).toMatchObject({
    ok: true,
    data: { checked: 1, corrected: 1, released: 1 },
  });
  expect(await claimedOf(postId)).toBe(1);
  // The claim and its ledger entry are untouched; a second run finds nothing to do.
  expect(await cloud.count('volunteer_claims')).toBe(1);
  expect(await recount(new Date())).toMatchObject({ ok: true, data: { corrected: 0 } });

  expectOk(await vol('claim', { postId, clientRequestId: rid() }, VOLUNTEERS[1]));
  expect(await vol('claim', { postId, clientRequestId: rid() }, VOLUNTEERS[2])).toMatchObject({
    ok: false,
    code: 'POST_FULL',
  });
  expect(await claimedOf(postId)).toBe(2);
});

it('leaves a place taken moments ago alone: its claim may still be being written', async () => {
  const postId = await publishedPost(3);
  const takenAt = new Date();
  expect(await orphanTake(cloud.db, postId, 3, takenAt)).toBe(1);
  expect(await recount(new Date(takenAt.getTime() + 60_000))).toMatchObject({
    data: { corrected: 0 },
  });
  expect(await claimedOf(postId)).toBe(1);
  // Past the grace period nothing can still be writing it: the place comes back.
  expect(
    await recount(new Date(takenAt.getTime() + (PLACES_RECOUNT_GRACE_MINUTES + 1) * 60_000)),
  ).toMatchObject({ data: { corrected: 1, released: 1 } });
  expect(await claimedOf(postId)).toBe(0);
});

it('recounts a post whose counter predates the last-taken stamp', async () => {
  const postId = await publishedPost(3);
  await cloud.db
    .collection<PostDoc>('volunteer_posts')
    .doc(postId)
    .update({ data: { claimed: 2 } });
  expect(await recount(new Date())).toMatchObject({ data: { corrected: 1, released: 2 } });
  expect(await claimedOf(postId)).toBe(0);
});

it('does not touch posts whose counter agrees, nor lists that are not published', async () => {
  const postId = await publishedPost(3);
  expectOk(await vol('claim', { postId, clientRequestId: rid() }, VOLUNTEERS[0]));
  const draft = expectOk<OpportunityList>(
    await vol('saveList', { clientRequestId: rid(), draft: aList() }, SECRETARY),
  );
  const [draftPost] = (
    await cloud.db.collection<PostDoc>('volunteer_posts').where({ listId: draft.id }).get()
  ).data;
  await cloud.db
    .collection<PostDoc>('volunteer_posts')
    .doc(draftPost._id)
    .update({ data: { claimed: 1 } });
  expect(await recount(minutesFromNow(60))).toMatchObject({ data: { checked: 1, corrected: 0 } });
  expect(await claimedOf(postId)).toBe(1);
});
