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
import { type Loadable, idle, loadInto, patched, ready } from './loadable';
import type { Outcome } from './outcome';
import { createRequestIds, newRequestId } from './request-ids';

/**
 * Volunteering state for the 志愿 tab and its subpackage. Every write carries a client request id;
 * the id for one intent (e.g. "claim this post") is kept until the server answers, so a retry after
 * a network failure records once.
 */

/** The published lists and their posts (the 志愿 tab). */
export interface Board {
  lists: OpportunityList[];
  posts: PostView[];
}

/** The ledger, page by page (更多 appends). */
export interface LedgerPages {
  entries: LedgerEntry[];
  summary: LedgerSummary;
  hasMore: boolean;
  page: number;
}

interface VolunteerState {
  settings: Loadable<VolunteerSettings>;
  mine: Loadable<MyVolunteering>;
  board: Loadable<Board>;
  ledger: Loadable<LedgerPages>;
  rewards: Loadable<Reward[]>;
  redemptions: Loadable<Redemption[]>;
  honour: Loadable<{ month: string; rows: HonourRow[] }>;
  feedback: Loadable<Feedback[]>;
  /** Secretary views. */
  adminLists: Loadable<OpportunityList[]>;
  claimViews: Loadable<ClaimView[]>;
  pending: Loadable<VolunteerListing[]>;

  /** The 志愿 tab: settings, the caller's volunteering and the published posts. */
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
  loadClaims: (listId: string) => Promise<void>;
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
  settings: idle<VolunteerSettings>(),
  mine: idle<MyVolunteering>(),
  board: idle<Board>(),
  ledger: idle<LedgerPages>(),
  rewards: idle<Reward[]>(),
  redemptions: idle<Redemption[]>(),
  honour: idle<{ month: string; rows: HonourRow[] }>(),
  feedback: idle<Feedback[]>(),
  adminLists: idle<OpportunityList[]>(),
  claimViews: idle<ClaimView[]>(),
  pending: idle<VolunteerListing[]>(),
};

export const useVolunteerStore = create<VolunteerState>()((set, get) => ({
  ...initial,

  async load() {
    await Promise.all([
      loadInto(set, get, 'settings', () => callCloud('volunteer', 'settings', {})),
      loadInto(set, get, 'mine', () => callCloud('volunteer', 'me', {})),
      loadInto(set, get, 'board', () => callCloud('volunteer', 'listPosts', {})),
    ]);
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
    const sent = result.data;
    set({ feedback: patched(get().feedback, (f) => [sent, ...f.filter((x) => x.id !== sent.id)]) });
    return { ok: true, message: '感谢您的反馈', data: result.data };
  },

  async loadFeedback() {
    await loadInto(set, get, 'feedback', () => callCloud('volunteer', 'feedbackList', {}));
  },

  async loadMine() {
    await Promise.all([
      loadInto(set, get, 'mine', () => callCloud('volunteer', 'me', {})),
      loadInto(set, get, 'redemptions', () => callCloud('volunteer', 'myRedemptions', {})),
      loadInto(set, get, 'feedback', () => callCloud('volunteer', 'feedbackList', {})),
    ]);
    await get().loadLedger(0);
  },

  async loadLedger(page = 0) {
    await loadInto(set, get, 'ledger', async () => {
      const result = await callCloud('volunteer', 'ledger', { page });
      if (!result.ok) return result;
      const before = page > 0 ? (get().ledger.data?.entries ?? []) : [];
      return {
        ok: true as const,
        data: { ...result.data, entries: [...before, ...result.data.entries], page },
      };
    });
  },

  async loadRewards(includeInactive = false) {
    await Promise.all([
      loadInto(set, get, 'rewards', () => callCloud('volunteer', 'rewards', { includeInactive })),
      loadInto(set, get, 'mine', () => callCloud('volunteer', 'me', {})),
    ]);
  },

  async redeem(rewardId) {
    const intent = `redeem:${rewardId}`;
    const result = await callCloud('volunteer', 'redeem', {
      rewardId,
      clientRequestId: requestIdFor(intent),
    });
    settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    const { redemption, summary } = result.data;
    set({
      mine: patched(get().mine, (m) => ({ ...m, summary })),
      redemptions: patched(get().redemptions, (list) => [
        redemption,
        ...list.filter((r) => r.id !== redemption.id),
      ]),
    });
    void get().loadRewards();
    return { ok: true, message: '兑换成功', data: result.data.redemption };
  },

  async setHonourOptOut(optOut) {
    const result = await callCloud('volunteer', 'setHonourOptOut', { optOut });
    if (!result.ok) return { ok: false, message: result.message };
    const volunteer = result.data;
    set({ mine: patched(get().mine, (m) => ({ ...m, volunteer })) });
    void get().loadHonour();
    return { ok: true, message: optOut ? '荣誉榜将不显示您的姓名' : '荣誉榜将显示您的姓名' };
  },

  async loadHonour() {
    await loadInto(set, get, 'honour', () => callCloud('volunteer', 'honourBoard', {}));
  },

  async loadAdmin() {
    await Promise.all([
      loadInto(set, get, 'adminLists', () => callCloud('volunteer', 'lists', {})),
      loadInto(set, get, 'settings', () => callCloud('volunteer', 'settings', {})),
      loadInto(set, get, 'pending', async () => {
        const r = await callCloud('volunteer', 'volunteers', { status: 'pending' });
        return r.ok ? { ok: true as const, data: r.data.volunteers } : r;
      }),
    ]);
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
    await loadInto(set, get, 'claimViews', () => callCloud('volunteer', 'claims', { listId }));
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
    set({ settings: ready(result.data) });
    return { ok: true, message: '设置已保存' };
  },

  async approve(openid, approve) {
    const result = await callCloud('volunteer', 'approve', { openid, approve });
    if (!result.ok) return { ok: false, message: result.message };
    set({ pending: patched(get().pending, (list) => list.filter((p) => p.openid !== openid)) });
    return { ok: true, message: approve ? '已通过' : '已拒绝' };
  },
}));

export function resetVolunteerStore(): void {
  pendingIds.clear();
  useVolunteerStore.setState(initial);
}
