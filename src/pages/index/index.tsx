import { useEffect, useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { UrgentBanner } from '@/components/urgent-banner';
import { useNow } from '@/components/use-now';
import { ROLE_LABELS } from '@/domain/account/roles';
import { displayName } from '@/domain/account/profile';
import { parseEntranceScene } from '@/domain/space/entrance-scene';
import { servicesNow } from '@/domain/space/open-now';
import { CATEGORY_ICONS } from '@/domain/space/space';
import { useSessionStore } from '@/stores/session';
import { useSpaceStore } from '@/stores/space';
import { CheckInCard } from './check-in-card';
import { ServiceRow } from './service-row';
import './index.scss';

function HomeContent() {
  const router = useRouter();
  // The scene is read when the page opens and again on every show (the entrance code scanned
  // again while the app was in the background comes back to this tab with a new scene).
  const [scene, setScene] = useState(router.params.scene);
  useDidShow(() => setScene(Taro.getCurrentInstance().router?.params.scene ?? scene));
  const entrance = parseEntranceScene(scene);
  const account = useSessionStore((s) => s.account);
  const { status, overview, error, arrivedBy, load } = useSpaceStore();
  const now = useNow();

  useEffect(() => {
    void load(entrance?.spaceId, entrance ? 'entrance' : undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entrance?.spaceId]);

  usePullDownRefresh(() => {
    void load(overview?.space.id).finally(() => Taro.stopPullDownRefresh());
  });

  const grouped = useMemo(
    () => (overview ? servicesNow(overview.services, now) : null),
    [overview, now],
  );

  // The urgent banner comes first, even when the space cannot be read.
  if (status === 'error' || !overview || !grouped)
    return (
      <View>
        <UrgentBanner role={account?.role} />
        <LoadStateView
          load={{ status, error }}
          onRetry={() => void load(overview?.space.id)}
          loading="正在读取空间信息…"
        />
      </View>
    );

  const { space } = overview;
  return (
    <View className="home">
      <UrgentBanner role={account?.role} />
      <View className="home__hero">
        {arrivedBy === 'entrance' ? <Text className="home__welcome">欢迎来到</Text> : null}
        <Text className="home__title">{space.name}</Text>
        <Text className="home__address">{space.address}</Text>
        {space.sample ? <Text className="home__sample">示例数据</Text> : null}
        {account ? (
          <Text className="home__who">
            {displayName(account.profile, account.role)} · {ROLE_LABELS[account.role]}
          </Text>
        ) : null}
      </View>

      {arrivedBy === 'entrance' ? <CheckInCard spaceId={space.id} /> : null}

      <View className="home__summary" data-testid="open-summary">
        <Text className="home__summary-count">{grouped.open.length}</Text>
        <Text className="home__summary-text"> / {overview.services.length} 项服务现在开放</Text>
      </View>

      <View className="home__section">
        <Text className="home__section-title">现在开放</Text>
        {grouped.open.length === 0 ? <StateView kind="empty" message="此刻没有开放的服务" /> : null}
        {grouped.open.map((s) => (
          <ServiceRow key={s.service.id} item={s} icon={CATEGORY_ICONS[s.service.category]} />
        ))}
      </View>

      {grouped.closed.length > 0 ? (
        <View className="home__section">
          <Text className="home__section-title">暂未开放</Text>
          {grouped.closed.map((s) => (
            <ServiceRow key={s.service.id} item={s} icon={CATEGORY_ICONS[s.service.category]} />
          ))}
        </View>
      ) : null}
      <Text className="home__footnote">开放状态按北京时间计算，每分钟更新。</Text>
    </View>
  );
}

export default function HomePage() {
  return (
    <PageShell>
      <HomeContent />
    </PageShell>
  );
}
