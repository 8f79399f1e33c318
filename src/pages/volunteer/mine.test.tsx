import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import MinePage from '@/packages/volunteer/mine/index';
import type { Feedback, MyVolunteering, ServiceRecord, WhoAmI } from '@/domain/contract';
import type { Loadable } from '@/stores/loadable';
import type { LedgerPages } from '@/stores/volunteer';
import type { LedgerEntry, LedgerSummary } from '@/domain/volunteer/ledger';
import { useSessionStore, resetSessionStore } from '@/stores/session';
import { useVolunteerStore, resetVolunteerStore } from '@/stores/volunteer';
import { __resetTaro } from '@/test-support/taro';
import { aPostView, myVolunteering } from './test-data';

/** 我的志愿 (src/packages/volunteer/mine), rendered from the store. */

const account: WhoAmI = {
  openid: 'sample-volunteer',
  role: 'volunteer',
  profile: { nickname: '李四', avatarUrl: '', elderMode: false },
  createdAt: '2025-03-01T00:00:00.000Z',
  configuredSecretary: false,
};

const summary: LedgerSummary = {
  points: 25,
  earned: 30,
  spent: 5,
  confirmedMinutes: 180,
  confirmedServices: 2,
};
const post = aPostView();

const entry = (id: string, overrides: Partial<LedgerEntry>): LedgerEntry => ({
  id,
  type: 'claim',
  actor: 'sample-volunteer',
  subject: 'sample-volunteer',
  minutes: 0,
  points: 0,
  at: '2025-03-05T02:00:00.000Z',
  ...overrides,
});

const entries: LedgerEntry[] = [
  entry('e4', { type: 'redeem', points: -5, reason: '咖啡券', at: '2025-03-08T06:30:00.000Z' }),
  entry('e3', {
    type: 'points',
    points: 30,
    postTitle: post.title,
    actor: 'sample-secretary',
    at: '2025-03-07T08:00:00.000Z',
  }),
  entry('e2', {
    type: 'confirm',
    minutes: 180,
    postTitle: post.title,
    actor: 'sample-secretary',
    at: '2025-03-07T08:00:00.000Z',
  }),
  entry('e1', { type: 'claim', postTitle: post.title }),
];

const service = (id: string, overrides: Partial<ServiceRecord> = {}): ServiceRecord => ({
  id,
  claimId: `${post.id}_sample-volunteer`,
  postId: post.id,
  postTitle: post.title,
  openid: 'sample-volunteer',
  date: '2025-03-07',
  status: 'confirmed',
  minutes: 120,
  flagged: false,
  ...overrides,
});

type State = ReturnType<typeof useVolunteerStore.getState>;
const loaded = <T,>(data: T | null): Loadable<T> => ({
  status: data ? 'ready' : 'loading',
  data,
  error: null,
});
/** The store as 我的志愿 reads it; `mine` / `ledger` null: still loading. */
function ready({
  mine = defaultMine(),
  ledger = { entries, summary, hasMore: false, page: 0 },
  ...actions
}: Partial<Omit<State, 'mine' | 'ledger'>> & {
  mine?: MyVolunteering | null;
  ledger?: LedgerPages | null;
} = {}) {
  useSessionStore.setState({ status: 'ready', account });
  useVolunteerStore.setState({
    mine: loaded(mine),
    ledger: loaded(ledger),
    redemptions: loaded([]),
    feedback: loaded([]),
    loadMine: jest.fn(async () => undefined),
    ...actions,
  });
}

function defaultMine(): MyVolunteering {
  return myVolunteering({
    summary,
    claims: [
      {
        id: `${post.id}_sample-volunteer`,
        postId: post.id,
        listId: 'l1',
        postTitle: post.title,
        schedule: post.schedule,
        location: post.location,
        points: 10,
        status: 'claimed',
        claimedAt: '2025-03-05T02:00:00.000Z',
      },
    ],
    services: [service('s1')],
  });
}

beforeEach(() => {
  __resetTaro();
  resetSessionStore();
  resetVolunteerStore();
});

describe('我的志愿', () => {
  it('shows the balance, hours and every ledger entry behind them', async () => {
    ready();
    await act(async () => {
      render(<MinePage />);
    });
    expect(screen.getByTestId('mine-points').textContent).toBe('25');
    expect(screen.getByText('3')).toBeTruthy();
    expect(screen.getByText('累计获得 30 · 已兑换 5 · 确认服务 2 次')).toBeTruthy();
    const rows = screen.getAllByTestId('ledger-entry');
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '积分兑换 咖啡券 03-08 14:30-5 分',
      `获得积分 ${post.title} 03-07 16:00+30 分`,
      `服务确认 ${post.title} 03-07 16:003 小时`,
      `认领岗位 ${post.title} 03-05 10:00`,
    ]);
    expect(within(rows[0]).getByText('-5 分').className).toContain('vp__warn');
    expect(screen.getByText(post.title, { selector: '.vp__card > span' })).toBeTruthy();
  });

  it('shows loading until the store has data, and empty states for a fresh volunteer', async () => {
    ready({ mine: null, ledger: null });
    const { unmount } = render(<MinePage />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    unmount();

    ready({
      mine: myVolunteering(),
      ledger: {
        entries: [],
        summary: { points: 0, earned: 0, spent: 0, confirmedMinutes: 0, confirmedServices: 0 },
        hasMore: false,
        page: 0,
      },
    });
    render(<MinePage />);
    expect(screen.getByTestId('mine-points').textContent).toBe('0');
    expect(screen.getByText('还没有认领岗位')).toBeTruthy();
    expect(screen.getByText('暂无记录')).toBeTruthy();
  });

  it('sends a star rating with text and confirms what was sent', async () => {
    const sent: Feedback = {
      id: 's1_volunteer',
      serviceId: 's1',
      postId: post.id,
      postTitle: post.title,
      fromRole: 'volunteer',
      rating: 4,
      text: '老人很开心',
      at: '2025-03-07T09:00:00.000Z',
    };
    const sendFeedback = jest.fn(async () => {
      useVolunteerStore.setState({ feedback: loaded([sent]) });
      return { ok: true, message: '感谢您的反馈', data: sent };
    });
    ready({ sendFeedback });
    await act(async () => {
      render(<MinePage />);
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('feedback-open'));
    });
    const send = screen.getByTestId('feedback-send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByTestId('feedback-star-4'));
    });
    expect(screen.getByText('4 星 · 满意')).toBeTruthy();
    expect(screen.getAllByText('★')).toHaveLength(4);
    fireEvent.change(screen.getByTestId('feedback-text'), { target: { value: '老人很开心' } });
    await act(async () => {
      fireEvent.click(send);
    });
    expect(sendFeedback).toHaveBeenCalledWith('s1', 4, '老人很开心');
    expect(Taro.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '反馈已提交',
        content: `${post.title}：4 星（满意）\n「老人很开心」`,
      }),
    );
    expect(screen.queryByTestId('feedback-form')).toBeNull();
    expect(screen.getByTestId('service-feedback').textContent).toContain('★★★★☆');
  });
});
