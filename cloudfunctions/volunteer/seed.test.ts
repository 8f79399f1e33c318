import type { PostView } from '../../src/domain/contract/volunteer';
import type { OpportunityList } from '../../src/domain/volunteer/opportunity';
import { PERSONAS } from '../../local/seed/data';
import { seedOnce } from '../../local/seed/seed';
import type { Database as HostDatabase } from '../../local/runtime/sdk';
import { expectOk, startTestCloud } from '../_test-support/host';
import { rid } from './fixtures';

it('seeds a claimable sample list: 3 categories, 13 posts, and rewards', async () => {
  const cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: PERSONAS.secretary.openid } });
  try {
    await seedOnce(cloud.host.database as unknown as HostDatabase);
    const view = expectOk<{ lists: OpportunityList[]; posts: PostView[] }>(
      await cloud.call('volunteer', 'listPosts', {}, PERSONAS.volunteer.openid),
    );
    expect(view.lists).toHaveLength(1);
    expect(view.lists[0].categories).toHaveLength(3);
    expect(view.posts).toHaveLength(13);
    const open = view.posts.find((p) => p.title === '关爱老人日常探访');
    expect(
      expectOk<{ claim: { status: string } }>(
        await cloud.call(
          'volunteer',
          'claim',
          { postId: open?.id, clientRequestId: rid() },
          PERSONAS.volunteer.openid,
        ),
      ).claim.status,
    ).toBe('claimed');
    expect(
      expectOk<unknown[]>(await cloud.call('volunteer', 'rewards', {}, PERSONAS.volunteer.openid)),
    ).toHaveLength(3);
  } finally {
    cloud.close();
  }
});
