import { create } from 'zustand';
import { callCloud } from '@/cloud/client';
import type {
  ClaimView,
  Feedback,
  MyVolunteering,
  PostView,
  Redemption,
  Reward,
  VolunteerSettings,
} from '@/domain/contract';
import type { HonourRow } from '@/domain/volunteer/honour-board';
import type { LedgerEntry, LedgerSummary } from '@/domain/volunteer/ledger';
import type { ListDraft, OpportunityList } from '@/domain/volunteer/opportunity';
import type { Registration, VolunteerListing } from '@/domain/volunteer/registration';
import type { Outcome } from './outcome';
import { createRequestIds, newRequestId } from './request-ids';

/**
 * Volunteering state for the 志愿 tab and its subpackage. Every write carries a client request id;
 * the id for one intent (e.g. "claim this post") is kept until the server answers, so a retry after
 * a network failure records once.
 */

type Status = 'idle' | 'loading' | 'ready' | 'error';

interface VolunteerState {
  status: Status;
  error: string | null;
  settings: VolunteerSettings | null;
  mine: MyVolunteering | null;
  lists: OpportunityList[];
  posts: PostView[];
  ledger: { entries: LedgerEntry[]; summary: LedgerSummary; hasMore: boolean; page: number } | null;
  rewards: Reward[];
  redemptions: Redemption[];
  honour: { month: string; rows: HonourRow[] } | null;
  feedback: Feedback[];
  /** Secretary views. */
  adminLists: OpportunityList[];
  claimViews: ClaimView[];
  pending: VolunteerListing[];

  load: () => Promise<void>;
  register: (r: Registration) => Promise<Outcome>;
  claim: (postId: string) => Promise<Outcome<{ overlaps: string[] }>>;
  withdraw: (postId: string) => Promise<Outcome>;
  checkIn: (postId: string, scene?: string) => Promise<Outcome>;
  checkOut: (postId: string) => Promise<Outcome>;
  sendFeedback: (serviceId: string, rating: number, text: string) => Promise<Outcome<Feedback>>;
  /** Feedback the caller may see (a secretary: everyone's, newest 50). */
  loadFeedback: () => Promise<void>;
  loadMine: () => Promise<void>;
  loadLedger: (page?: number) => Promise<void>;
  loadRewards: (includeInactive?: boolean) => Promise<void>;
  redeem: (rewardId: string) => Promise<Outcome<Redemption>>;
  setHonourOptOut: (optOut: boolean) => Promise<Outcome>;
  loadHonour: () => Promise<void>;

  loadAdmin: () => Promise<void>;
  loadDraft: (listId: string) => Promise<ListDraft | null>;
  saveList: (draft: ListDraft, listId?: string) => Promise<Outcome<OpportunityList>>;
  publishList: (listId: string) => Promise<Outcome>;
  closeList: (listId: string) => Promise<Outcome>;
  copyList: (listId: string, periodFrom: string) => Promise<Outcome>;
  loadClaims: (listId: string) => Promise<Outcome>;
  confirm: (
    items: Array<{ claimId: string; date: string; hours: number }>,
  ) => Promise<Outcome<{ confirmed: number; skipped: number }>>;
  adjust: (openid: string, points: number, reason: string) => Promise<Outcome>;
  saveReward: (reward: {
    id?: string;
    title: string;
    description: string;
    cost: number;
    stock: number | null;
    active: boolean;
  }) => Promise<Outcome>;
  verify: (code: string) => Promise<Outcome<Redemption & { maskedName: string }>>;
  exportCsv: (
    from: string,
    until: string,
  ) => Promise<Outcome<{ csv: string; filename: string; rows: number }>>;
  updateSettings: (patch: { requireApproval?: boolean; organisation?: string }) => Promise<Outcome>;
  approve: (openid: string, approve: boolean) => Promise<Outcome>;
}

/** Request ids per intent, kept until the server answers (so retries reuse them). */
const pendingIds = createRequestIds();
const requestIdFor = pendingIds.idFor;
const settle = pendingIds.settle;
export { newRequestId };

const initial = {
  status: 'idle' as Status,
  error: null,
  settings: null,
  mine: null,
  lists: [],
  posts: [],
  ledger: null,
  rewards: [],
  redemptions: [],
  honour: null,
  feedback: [],
  adminLists: [],
  claimViews: [],
  pending: [],
};

export const useVolunteerStore = create<VolunteerState>()((set, get) => ({
  ...initial,

  async load() {
    set({ status: get().mine ? 'ready' : 'loading', error: null });
    const [settings, mine, posts] = await Promise.all([
      callCloud('volunteer', 'settings', {}),
      callCloud('volunteer', 'me', {}),
      callCloud('volunteer', 'listPosts', {}),
    ]);
    if (!settings.ok) return set({ status: 'error', error: settings.message });
    if (!mine.ok) return set({ status: 'error', error: mine.message });
    if (!posts.ok) return set({ status: 'error', error: posts.message });
    set({
      status: 'ready',
      settings: settings.data,
      mine: mine.data,
      lists: posts.data.lists,
      posts: posts.data.posts,
    });
  },

  async register(r) {
    const result = await callCloud('volunteer', 'register', r);
    if (!result.ok) return { ok: false, message: result.message };
    await get().load();
    return { ok: true, message: result.data.status === 'approved' ? '登记成功' : '已提交待审核' };
  },

  async claim(postId) {
    const intent = `claim:${postId}`;
    const result = await callCloud('volunteer', 'claim', {
      postId,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().load();
    return {
      ok: true,
      message: '认领成功',
      data: { overlaps: result.data.overlaps.map((o) => o.title) },
    };
  },

  async withdraw(postId) {
    const intent = `withdraw:${postId}`;
    const result = await callCloud('volunteer', 'withdraw', {
      postId,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().load();
    return { ok: true, message: '已退出该岗位' };
  },

  async checkIn(postId, scene) {
    const intent = `checkin:${postId}`;
    const result = await callCloud('volunteer', 'checkIn', {
      postId,
      clientRequestId: requestIdFor(intent),
      ...(scene ? { scene } : {}),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().load();
    return { ok: true, message: '签到成功' };
  },

  async checkOut(postId) {
    const intent = `checkout:${postId}`;
    const result = await callCloud('volunteer', 'checkOut', {
      postId,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().load();
    return { ok: true, message: '已签退，待确认' };
  },

  async sendFeedback(serviceId, rating, text) {
    const result = await callCloud('volunteer', 'feedback', { serviceId, rating, text });
    if (!result.ok) return { ok: false, message: result.message };
    set({ feedback: [result.data, ...get().feedback.filter((f) => f.id !== result.data.id)] });
    return { ok: true, message: '感谢您的反馈', data: result.data };
  },

  async loadFeedback() {
    const list = await callCloud('volunteer', 'feedbackList', {});
    if (list.ok) set({ feedback: list.data });
  },

  async loadMine() {
    const [mine, redemptions, feedback] = await Promise.all([
      callCloud('volunteer', 'me', {}),
      callCloud('volunteer', 'myRedemptions', {}),
      callCloud('volunteer', 'feedbackList', {}),
    ]);
    if (mine.ok) set({ mine: mine.data });
    if (redemptions.ok) set({ redemptions: redemptions.data });
    if (feedback.ok) set({ feedback: feedback.data });
    await get().loadLedger(0);
  },

  async loadLedger(page = 0) {
    if (page === 0) set({ status: get().ledger ? 'ready' : 'loading', error: null });
    const result = await callCloud('volunteer', 'ledger', { page });
    if (!result.ok) return set({ status: 'error', error: result.message });
    const before = page > 0 ? (get().ledger?.entries ?? []) : [];
    set({
      status: 'ready',
      ledger: { ...result.data, entries: [...before, ...result.data.entries], page },
    });
  },

  async loadRewards(includeInactive = false) {
    set({ status: get().rewards.length ? 'ready' : 'loading', error: null });
    const [rewards, mine] = await Promise.all([
      callCloud('volunteer', 'rewards', { includeInactive }),
      callCloud('volunteer', 'me', {}),
    ]);
    if (!rewards.ok) return set({ status: 'error', error: rewards.message });
    set({ status: 'ready', rewards: rewards.data, ...(mine.ok ? { mine: mine.data } : {}) });
  },

  async redeem(rewardId) {
    const intent = `redeem:${rewardId}`;
    const result = await callCloud('volunteer', 'redeem', {
      rewardId,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    const mine = get().mine;
    if (mine) set({ mine: { ...mine, summary: result.data.summary } });
    set({
      redemptions: [
        result.data.redemption,
        ...get().redemptions.filter((r) => r.id !== result.data.redemption.id),
      ],
    });
    void get().loadRewards();
    return { ok: true, message: '兑换成功', data: result.data.redemption };
  },

  async setHonourOptOut(optOut) {
    const result = await callCloud('volunteer', 'setHonourOptOut', { optOut });
    if (!result.ok) return { ok: false, message: result.message };
    const mine = get().mine;
    if (mine) set({ mine: { ...mine, volunteer: result.data } });
    void get().loadHonour();
    return { ok: true, message: optOut ? '荣誉榜将不显示您的姓名' : '荣誉榜将显示您的姓名' };
  },

  async loadHonour() {
    const result = await callCloud('volunteer', 'honourBoard', {});
    if (result.ok) set({ honour: result.data });
  },

  async loadAdmin() {
    set({ status: get().adminLists.length ? 'ready' : 'loading', error: null });
    const [lists, settings, pending] = await Promise.all([
      callCloud('volunteer', 'lists', {}),
      callCloud('volunteer', 'settings', {}),
      callCloud('volunteer', 'volunteers', { status: 'pending' }),
    ]);
    if (!lists.ok) return set({ status: 'error', error: lists.message });
    set({
      status: 'ready',
      adminLists: lists.data,
      ...(settings.ok ? { settings: settings.data } : {}),
      ...(pending.ok ? { pending: pending.data.volunteers } : {}),
    });
  },

  async loadDraft(listId) {
    const result = await callCloud('volunteer', 'getList', { listId });
    return result.ok ? result.data.draft : null;
  },

  async saveList(draft, listId) {
    const intent = `saveList:${listId ?? 'new'}:${JSON.stringify(draft)}`;
    const clientRequestId = requestIdFor(intent);
    const result = await callCloud(
      'volunteer',
      'saveList',
      listId ? { listId, draft, clientRequestId } : { draft, clientRequestId },
    );
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().loadAdmin();
    return { ok: true, message: '已保存草稿', data: result.data };
  },

  async publishList(listId) {
    const result = await callCloud('volunteer', 'publishList', { listId });
    if (!result.ok) return { ok: false, message: result.message };
    await get().loadAdmin();
    return { ok: true, message: '已发布' };
  },

  async closeList(listId) {
    const result = await callCloud('volunteer', 'closeList', { listId });
    if (!result.ok) return { ok: false, message: result.message };
    await get().loadAdmin();
    return { ok: true, message: '清单已结束' };
  },

  async copyList(listId, periodFrom) {
    const intent = `copyList:${listId}:${periodFrom}`;
    const result = await callCloud('volunteer', 'copyList', {
      listId,
      periodFrom,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().loadAdmin();
    return { ok: true, message: '已复制为新草稿' };
  },

  async loadClaims(listId) {
    set({ status: 'loading', error: null });
    const result = await callCloud('volunteer', 'claims', { listId });
    if (!result.ok) {
      set({ status: 'error', error: result.message });
      return { ok: false, message: result.message };
    }
    set({ status: 'ready', claimViews: result.data });
    return { ok: true, message: '' };
  },

  async confirm(items) {
    const intent = `confirm:${items.map((i) => `${i.claimId}:${i.date}`).join(',')}`;
    const result = await callCloud('volunteer', 'confirm', {
      items,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    const { confirmed, skipped, replayed } = result.data;
    return {
      ok: true,
      message: `已确认 ${confirmed + replayed} 条${skipped.length ? `，${skipped.length} 条已确认过或无效` : ''}`,
      data: { confirmed: confirmed + replayed, skipped: skipped.length },
    };
  },

  async adjust(openid, points, reason) {
    const intent = `adjust:${openid}:${points}:${reason}`;
    const result = await callCloud('volunteer', 'adjust', {
      openid,
      points,
      reason,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    return { ok: true, message: `积分现为 ${result.data.summary.points}` };
  },

  async saveReward(reward) {
    const intent = `saveReward:${JSON.stringify(reward)}`;
    const result = await callCloud('volunteer', 'saveReward', {
      ...reward,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    await get().loadRewards(true);
    return { ok: true, message: '已保存' };
  },

  async verify(code) {
    const result = await callCloud('volunteer', 'verifyRedemption', { code });
    if (!result.ok) return { ok: false, message: result.message };
    return {
      ok: true,
      message: `核销成功：${result.data.rewardTitle}（${result.data.maskedName}）`,
      data: result.data,
    };
  },

  async exportCsv(from, until) {
    const result = await callCloud('volunteer', 'export', { from, until });
    if (!result.ok) return { ok: false, message: result.message };
    return {
      ok: true,
      message: `共 ${result.data.rows} 条记录${result.data.truncated ? '（已截断）' : ''}`,
      data: result.data,
    };
  },

  async updateSettings(patch) {
    const result = await callCloud('volunteer', 'updateSettings', patch);
    if (!result.ok) return { ok: false, message: result.message };
    set({ settings: result.data });
    return { ok: true, message: '设置已保存' };
  },

  async approve(openid, approve) {
    const result = await callCloud('volunteer', 'approve', { openid, approve });
    if (!result.ok) return { ok: false, message: result.message };
    set({ pending: get().pending.filter((p) => p.openid !== openid) });
    return { ok: true, message: approve ? '已通过' : '已拒绝' };
  },
}));

export function resetVolunteerStore(): void {
  pendingIds.clear();
  useVolunteerStore.setState(initial);
}
