import { type PropsWithChildren, useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { Role } from '@/domain/account/roles';
import { useSessionStore } from '@/stores/session';
import { DevSignIn } from '../dev-sign-in';
import { StateView } from '../state-view';
import './index.scss';

const TAB_PAGES = [
  'pages/index/index',
  'pages/circle/index',
  'pages/booking/index',
  'pages/volunteer/index',
  'pages/me/index',
];

/**
 * H5 only (the weapp's own navigation bar has a back arrow): on a screen that is not a tab, a bar
 * to go back, or to 首页 when the screen was opened directly (a link, a reload).
 */
function BackBar() {
  const route = useRouter().path.replace(/^\//, '').split('?')[0];
  if (route === '' || TAB_PAGES.includes(route)) return null;
  const canGoBack = Taro.getCurrentPages().length > 1;
  return (
    <View
      className="page-shell__back"
      data-testid="back-bar"
      onClick={() =>
        void (canGoBack ? Taro.navigateBack() : Taro.switchTab({ url: '/pages/index/index' }))
      }
    >
      <Text>{canGoBack ? '‹ 返回' : '‹ 首页'}</Text>
    </View>
  );
}

/**
 * Every page sits in this shell: it makes sure the caller is known (loading / error states, and on
 * H5 the persona sign-in), and applies the person's elder mode to the whole page.
 */
/**
 * Who a screen is for: anyone else is told why and shown nothing to fill in (a form they could not
 * save is a trap). The server refuses them in any case; this is what they read.
 */
export interface ScreenAudience {
  roles: readonly Role[];
  /** Why others cannot use it, e.g. "只有社区书记可以修改探访周期". */
  why: string;
}

export function PageShell({
  children,
  className,
  audience,
}: PropsWithChildren<{ className?: string; audience?: ScreenAudience }>) {
  const status = useSessionStore((s) => s.status);
  const role = useSessionStore((s) => s.account?.role);
  const error = useSessionStore((s) => s.error);
  const elderMode = useSessionStore((s) => s.account?.profile.elderMode ?? false);
  const load = useSessionStore((s) => s.load);

  useEffect(() => {
    if (status === 'idle') void load();
  }, [status, load]);

  let body: React.ReactNode;
  if (status === 'ready' && audience && !(role && audience.roles.includes(role)))
    body = <StateView kind="empty" message={audience.why} />;
  else if (status === 'ready') body = children;
  else if (status === 'signed-out') {
    body =
      process.env.TARO_ENV === 'h5' ? (
        <DevSignIn />
      ) : (
        <StateView kind="error" message="登录失败，请重新打开小程序" />
      );
  } else if (status === 'error')
    body = <StateView kind="error" message={error ?? undefined} onRetry={() => void load()} />;
  else body = <StateView kind="loading" />;

  return (
    <View className={`page-shell ${elderMode ? 'elder' : ''} ${className ?? ''}`}>
      {process.env.TARO_ENV === 'h5' ? <BackBar /> : null}
      {body}
    </View>
  );
}
