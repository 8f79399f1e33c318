import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import VolunteerPage from './index';
import PostPage from '@/packages/volunteer/post/index';
import type { MyVolunteering, PostView, WhoAmI } from '@/domain/contract';
import type { OpportunityList } from '@/domain/volunteer/opportunity';
import type { Loadable } from '@/stores/loadable';
import { useSessionStore, resetSessionStore } from '@/stores/session';
import { useVolunteerStore, resetVolunteerStore } from '@/stores/volunteer';
import { __resetTaro, __setRouterParams } from '@/test-support/taro';
import { aPostView, aVolunteer, list, myVolunteering } from './test-data';

const account: WhoAmI = {
  openid: 'sample-volunteer',
  role: 'volunteer',
  profile: { nickname: '李四', avatarUrl: '', elderMode: false },
  createdAt: '2025-03-01T00:00:00.000Z',
  configuredSecretary: false,
};

const visit = aPostView({ id: 'l1-01', title: '关爱老人日常探访', categoryId: 'care' });
const full = aPostView({
  id: 'l1-02',
  title: '防汛物资清点',
  categoryId: 'emergency',
  capacity: 3,
  claimed: 3,
  placesLeft: 0,
});
const partyOnly = aPostView({
  id: 'l1-03',
  title: '党员先锋岗',
  categoryId: 'emergency',
  requirements: { partyMemberOnly: true, note: '需熟悉楼栋情况' },
});

type State = ReturnType<typeof useVolunteerStore.getState>;
/** The store as the 志愿 tab reads it: the caller's volunteering and the published posts. */
function ready({
  mine = myVolunteering(),
  lists = [list],
  posts = [visit, full, partyOnly],
  error,
  ...actions
}: Partial<Omit<State, 'mine' | 'board'>> & {
  mine?: MyVolunteering | null;
  lists?: OpportunityList[];
  posts?: PostView[];
  /** The load failed with this message. */
  error?: string;
} = {}) {
  useSessionStore.setState({ status: 'ready', account });
  useVolunteerStore.setState({
    mine: error ? { status: 'error', data: mine, error } : loaded(mine),
    board: loaded({ lists, posts }),
    load: jest.fn(async () => undefined),
    ...actions,
  });
}
const loaded = <T,>(data: T | null): Loadable<T> => ({ status: 'ready', data, error: null });

const postCards = () => screen.queryAllByTestId('vol-post');
const cardOf = (title: string) => {
  const card = postCards().find((c) => c.textContent?.includes(title));
  if (!card) throw new Error(`no post card for ${title}`);
  return card;
};

beforeEach(() => {
  __resetTaro();
  resetSessionStore();
  resetVolunteerStore();
});

describe('志愿 tab', () => {
  it('lists the published posts and filters them by category', async () => {
    ready();
    await act(async () => {
      render(<VolunteerPage />);
    });
    expect(screen.getByText('光华社区本周机会岗位清单（示例）')).toBeTruthy();
    expect(postCards()).toHaveLength(3);
    const tabs = screen.getAllByTestId('vol-category').map((t) => t.textContent);
    expect(tabs).toEqual(['全部', '关爱老人', '应急处突']);

    await act(async () => {
      fireEvent.click(screen.getByText('应急处突'));
    });
    expect(postCards().map((c) => within(c).getByText(/防汛|党员先锋/).textContent)).toEqual([
      '防汛物资清点',
      '党员先锋岗',
    ]);
    await act(async () => {
      fireEvent.click(screen.getByText('关爱老人'));
    });
    expect(postCards()).toHaveLength(1);
    expect(within(postCards()[0]).getByText('关爱老人日常探访')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByText('全部'));
    });
    expect(postCards()).toHaveLength(3);
  });

  it('shows one tab per category name when two published lists share it', async () => {
    const second = {
      ...list,
      id: 'l2',
      title: '第二份清单（示例）',
      categories: [{ id: 'care2', name: '关爱老人' }],
    };
    const fromSecond = aPostView({
      id: 'l2-01',
      listId: 'l2',
      categoryId: 'care2',
      title: '陪老人散步',
    });
    ready({ lists: [list, second], posts: [visit, full, partyOnly, fromSecond] });
    await act(async () => {
      render(<VolunteerPage />);
    });
    expect(screen.getAllByTestId('vol-category').map((t) => t.textContent)).toEqual([
      '全部',
      '关爱老人',
      '应急处突',
    ]);
    await act(async () => {
      fireEvent.click(screen.getByText('关爱老人'));
    });
    expect(
      postCards().map((c) =>
        c.textContent?.includes('陪老人散步')
          ? 'walk'
          : c.textContent?.includes('关爱老人日常探访')
            ? 'visit'
            : 'other',
      ),
    ).toEqual(['visit', 'walk']);
  });

  it('shows places left, a full post, the party-member requirement and what the volunteer already claimed', async () => {
    ready({ posts: [{ ...visit, myClaim: 'claimed' }, full, partyOnly] });
    await act(async () => {
      render(<VolunteerPage />);
    });
    expect(within(cardOf('关爱老人日常探访')).getByTestId('vol-places').textContent).toBe('余 3/5');
    expect(within(cardOf('关爱老人日常探访')).getByText('已认领')).toBeTruthy();
    expect(within(cardOf('防汛物资清点')).getByTestId('vol-places').textContent).toBe('已满');
    expect(within(cardOf('党员先锋岗')).getByText('仅限党员')).toBeTruthy();
    expect(within(cardOf('党员先锋岗')).getByText('需熟悉楼栋情况')).toBeTruthy();
    expect(within(cardOf('防汛物资清点')).queryByText('仅限党员')).toBeNull();
  });

  it('shows the balance for a volunteer and registration for everyone else', async () => {
    ready({
      mine: myVolunteering({
        summary: { points: 35, earned: 40, spent: 5, confirmedMinutes: 150, confirmedServices: 2 },
      }),
    });
    const { unmount } = render(<VolunteerPage />);
    expect(screen.getByTestId('vol-points').textContent).toBe('35');
    expect(screen.getByText('2.5')).toBeTruthy();
    unmount();

    ready({ mine: myVolunteering({ volunteer: null }) });
    render(<VolunteerPage />);
    expect(screen.getByTestId('vol-register')).toBeTruthy();
    expect(screen.queryByTestId('vol-summary')).toBeNull();
  });

  it('says so when nothing is published, and offers a retry when loading fails', async () => {
    ready({ lists: [], posts: [] });
    const { unmount } = render(<VolunteerPage />);
    expect(screen.getByText('社区暂时没有发布机会岗位')).toBeTruthy();
    unmount();

    const load = jest.fn(async () => undefined);
    ready({ error: '网络不给力，请检查网络后重试', mine: null, load });
    render(<VolunteerPage />);
    await act(async () => {
      fireEvent.click(screen.getByText('重试'));
    });
    expect(load).toHaveBeenCalled();
  });
});

describe('岗位 claim button', () => {
  const renderPost = async (id: string) => {
    __setRouterParams({ id });
    await act(async () => {
      render(<PostPage />);
    });
    return screen.queryByTestId('post-claim') as HTMLButtonElement | null;
  };

  it('claims an open post after confirmation', async () => {
    const claim = jest.fn(async () => ({ ok: true, message: '认领成功', data: { overlaps: [] } }));
    ready({ claim });
    const button = await renderPost(visit.id);
    expect(button?.textContent).toBe('认领');
    expect(button?.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(button as HTMLButtonElement);
    });
    expect(Taro.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '认领岗位', confirmText: '认领' }),
    );
    expect(claim).toHaveBeenCalledWith(visit.id);
  });

  it('is disabled when the post is full', async () => {
    const claim = jest.fn();
    ready({ claim });
    const button = await renderPost(full.id);
    expect(button?.textContent).toBe('名额已满');
    expect(button?.disabled).toBe(true);
    expect(screen.getByTestId('post-claim-refusal').textContent).toBe('这个岗位的名额已满');
    await act(async () => {
      fireEvent.click(button as HTMLButtonElement);
    });
    expect(claim).not.toHaveBeenCalled();
  });

  it('shows the party-member requirement and disables claiming for a non-member', async () => {
    ready();
    const button = await renderPost(partyOnly.id);
    expect(screen.getByText('仅限党员认领', { selector: '.vp__warn' })).toBeTruthy();
    expect(button?.textContent).toBe('仅限党员认领');
    expect(button?.disabled).toBe(true);
    expect(screen.getByTestId('post-claim-refusal').textContent).toBe('这个岗位仅限党员认领');
  });

  it('lets a party member claim a party-members-only post', async () => {
    ready({
      mine: myVolunteering({ volunteer: aVolunteer({ partyMember: true, partySince: '2010-07' }) }),
    });
    const button = await renderPost(partyOnly.id);
    expect(button?.textContent).toBe('认领');
    expect(button?.disabled).toBe(false);
  });

  it('shows an already claimed post as claimed, with check-in and withdraw instead of claim', async () => {
    ready({
      posts: [{ ...visit, myClaim: 'claimed' }, full, partyOnly],
      mine: myVolunteering({
        claims: [
          {
            id: `${visit.id}_sample-volunteer`,
            postId: visit.id,
            listId: 'l1',
            postTitle: visit.title,
            schedule: visit.schedule,
            location: visit.location,
            points: 10,
            status: 'claimed',
            claimedAt: '2025-03-01T00:00:00.000Z',
          },
        ],
      }),
    });
    const button = await renderPost(visit.id);
    expect(button).toBeNull();
    expect(screen.getByTestId('post-claimed').textContent).toBe('您已认领');
    expect(screen.getByText('开始服务（签到）')).toBeTruthy();
    expect(screen.getByText('退出岗位')).toBeTruthy();
  });

  it('sends someone who is not registered to registration instead of claiming', async () => {
    const claim = jest.fn();
    ready({ claim, mine: myVolunteering({ volunteer: null }) });
    const button = await renderPost(visit.id);
    expect(button?.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(button as HTMLButtonElement);
    });
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/register/index' });
    expect(claim).not.toHaveBeenCalled();
  });
});
