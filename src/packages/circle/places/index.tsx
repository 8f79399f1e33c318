import { useEffect } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { circleCategory } from '@/domain/circle/categories';
import { useCircleAdminStore } from '@/stores/circle';
import { useSessionStore } from '@/stores/session';
import '../circle-admin.scss';
import { useShown } from '@/components/use-shown';

function PlacesContent() {
  const {
    places: placesLoad,
    requests: requestsLoad,
    loadPlaces,
    loadRequests,
  } = useCircleAdminStore();
  const isSecretary = useSessionStore((s) => s.account?.role === 'secretary');

  useEffect(() => {
    if (!isSecretary) return;
    void loadPlaces(0);
    void loadRequests();
  }, [isSecretary, loadPlaces, loadRequests]);

  useShown(() => {
    if (isSecretary && placesLoad.status === 'ready') void loadRequests();
  });

  if (!isSecretary) return <StateView kind="error" message="只有社区书记可以管理地点" />;
  if (!placesLoad.data)
    return <LoadStateView load={placesLoad} onRetry={() => void loadPlaces(0)} />;
  const { places, hasMore, page } = placesLoad.data;
  const requests = requestsLoad.data;

  return (
    <View className="circle-admin">
      <View className="circle-admin__card" data-testid="service-requests">
        <Text className="circle-admin__title">居民需求</Text>
        <Text className="circle-admin__hint">
          居民在「生活圈」里为缺少的服务点了“我需要”，可作为主题市集、快闪店的参考。
        </Text>
        {requests && requests.counts.length > 0 ? (
          requests.counts.map((c) => (
            <View key={c.category} className="circle-admin__row">
              <Text>
                {circleCategory(c.category).icon} {circleCategory(c.category).name}
              </Text>
              <Text>{c.count} 人</Text>
            </View>
          ))
        ) : requestsLoad.status === 'error' ? (
          <Text className="circle-admin__error">{requestsLoad.error}</Text>
        ) : requests ? (
          <Text className="circle-admin__hint">还没有居民提出需求</Text>
        ) : (
          <Text className="circle-admin__hint">加载中…</Text>
        )}
      </View>

      <View className="circle-admin__actions">
        <Button
          className="circle-admin__button circle-admin__button--primary"
          onClick={() => void Taro.navigateTo({ url: '/packages/circle/editor/index' })}
        >
          添加地点
        </Button>
        <Button
          className="circle-admin__button"
          onClick={() => void Taro.navigateTo({ url: '/packages/circle/import/index' })}
        >
          批量导入
        </Button>
      </View>

      <View className="circle-admin__card" data-testid="admin-places">
        <Text className="circle-admin__title">
          地点（{places.length}
          {hasMore ? '+' : ''}）
        </Text>
        {places.length === 0 ? (
          <StateView kind="empty" message="还没有地点，添加或导入一些吧" />
        ) : null}
        {places.map((p) => (
          <View
            key={p.id}
            className="circle-admin__row"
            onClick={() =>
              void Taro.navigateTo({
                url: `/packages/circle/editor/index?id=${encodeURIComponent(p.id)}`,
              })
            }
          >
            <View>
              <Text>{p.name}</Text>
              <Text className="circle-admin__row-sub">
                {' '}
                {circleCategory(p.category).name}
                {p.sample ? ' · 示例' : ''}
              </Text>
            </View>
            <Text className="circle-admin__row-sub">编辑 ›</Text>
          </View>
        ))}
        {placesLoad.status === 'error' ? (
          <Text className="circle-admin__error">{placesLoad.error}</Text>
        ) : null}
        {hasMore ? (
          <Button className="circle-admin__button" onClick={() => void loadPlaces(page + 1)}>
            加载更多
          </Button>
        ) : null}
      </View>
    </View>
  );
}

export default function CirclePlacesPage() {
  return (
    <PageShell>
      <PlacesContent />
    </PageShell>
  );
}
