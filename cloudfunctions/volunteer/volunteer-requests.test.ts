import type { OpportunityList } from '../../src/domain/volunteer/opportunity';
import type { PostView } from '../../src/domain/contract/volunteer';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { countRequests } from '../_test-support/request-count';
import { aList, aPost, aRegistration, rid } from './fixtures';

/**
 * Database requests of a claim (what WeChat Cloud bills), counted at the local transport, the
 * router's caller lookup included. README's 志愿 section quotes these numbers.
 */
const SECRETARY = 'secretary-requests';
const ZHANG = 'volunteer-zhang';

let cloud: TestCloud;
let posts: PostView[];
beforeAll(async () => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  const list = expectOk<OpportunityList>(
    await cloud.call(
      'volunteer',
      'saveList',
      { clientRequestId: rid(), draft: aList({ posts: [aPost(), aPost({ title: '社区巡逻' })] }) },
      SECRETARY,
    ),
  );
  expectOk(await cloud.call('volunteer', 'publishList', { listId: list.id }, SECRETARY));
  posts = expectOk<{ posts: PostView[] }>(
    await cloud.call('volunteer', 'listPosts', { listId: list.id }, SECRETARY),
  ).posts;
  expectOk(await cloud.call('volunteer', 'register', aRegistration(), ZHANG));
});
afterAll(() => cloud.close());

const claim = (postId: string, clientRequestId: string) =>
  countRequests(() => cloud.call('volunteer', 'claim', { postId, clientRequestId }, ZHANG));

it('a claim costs 21 requests, 20 once the volunteer holds one; its retry 6', async () => {
  const clientRequestId = rid();
  const first = await claim(posts[0].id, clientRequestId);
  expect(first.result.ok).toBe(true);
  // 14 reads, the conditional place take and three more updates, one transaction with its insert
  expect(first).toMatchObject({
    requests: 21,
    byKind: {
      getDocument: 14,
      modifyDocument: 4,
      startTransaction: 1,
      insertDocument: 1,
      commitTransaction: 1,
    },
  });
  const second = await claim(posts[1].id, rid());
  expect(second.result.ok).toBe(true);
  expect(second.requests).toBe(20);
  const retry = await claim(posts[0].id, clientRequestId);
  expect(retry.result).toMatchObject({ ok: true, data: { replayed: true } });
  expect(retry).toMatchObject({ requests: 6, byKind: { getDocument: 6 } });
});
