import { create } from 'zustand';
import { callCloud, requestSubscription } from '@/cloud/client';
import type { UrgentSummary } from '@/domain/contract';
import { URGENT_FLAG_TEMPLATE_ID } from '@/domain/visits/urgent';
import { type Loadable, idle, loadInto, ready } from './loadable';
import type { Outcome } from './outcome';

/**
 * A secretary's urgent-flag badge: open flags and WeChat messages still allowed. Its own small
 * store because 首页 and 我的 show it: the main package does not carry the visits store.
 */
interface UrgentState {
  urgent: Loadable<UrgentSummary>;
  loadUrgent: () => Promise<void>;
  /** One-time consent to be messaged at once about the next urgent flag, counted by the server. */
  subscribeToUrgentFlags: () => Promise<Outcome>;
}

export const useUrgentStore = create<UrgentState>((set, get) => ({
  urgent: idle<UrgentSummary>(),
  async loadUrgent() {
    await loadInto(set, get, 'urgent', () => callCloud('visits', 'urgentSummary', {}));
  },
  async subscribeToUrgentFlags() {
    const accepted = await requestSubscription([URGENT_FLAG_TEMPLATE_ID]);
    if (accepted.length === 0) return { ok: false, message: '未开启通知，紧急情况仍会显示在这里' };
    const r = await callCloud('visits', 'recordGrant', {});
    if (r.ok) set({ urgent: ready(r.data) });
    return { ok: true, message: '已开启通知' };
  },
}));
