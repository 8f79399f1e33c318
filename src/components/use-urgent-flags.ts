import { useEffect, useRef } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import type { UrgentSummary } from '@/domain/contract';
import type { Role } from '@/domain/account/roles';
import { urgentBadge } from '@/domain/visits/urgent';
import { useUrgentStore } from '@/stores/urgent';

/** 我的 in the tab bar (首页, 生活圈, 预约, 志愿, 我的): where the secretary's inbox is. */
const ME_TAB_INDEX = 4;
/** While a tab page is on screen, a secretary's badge is read again this often. */
export const URGENT_POLL_MS = 60_000;

/**
 * A secretary's open urgent flags, on the tab bar's 我的 badge and for the page to show: read when
 * the page is shown, and every minute while it stays on screen, so a flag raised meanwhile
 * appears without a tap. Null for everyone else (nothing is asked of the server for them).
 */
export function useUrgentFlags(role: Role | undefined): UrgentSummary | null {
  const secretary = role === 'secretary';
  const urgent = useUrgentStore((s) => s.urgent.data);
  const loadUrgent = useUrgentStore((s) => s.loadUrgent);
  const shown = useRef(true);

  useEffect(() => {
    if (secretary) void loadUrgent();
  }, [secretary, loadUrgent]);
  useDidShow(() => {
    shown.current = true;
    if (secretary) void loadUrgent();
  });
  useDidHide(() => {
    shown.current = false;
  });
  useEffect(() => {
    if (!secretary) return undefined;
    const timer = setInterval(() => {
      if (shown.current) void loadUrgent();
    }, URGENT_POLL_MS);
    return () => clearInterval(timer);
  }, [secretary, loadUrgent]);

  const open = secretary ? (urgent?.open ?? 0) : 0;
  useEffect(() => {
    if (!secretary) return;
    const text = urgentBadge(open);
    const done = text
      ? Taro.setTabBarBadge({ index: ME_TAB_INDEX, text })
      : Taro.removeTabBarBadge({ index: ME_TAB_INDEX });
    // A page without the tab bar (opened from a share) has no badge to set: nothing to do.
    void Promise.resolve(done).catch(() => undefined);
  }, [secretary, open]);

  return secretary ? urgent : null;
}
