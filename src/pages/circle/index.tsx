import { useEffect, useMemo } from 'react';
import { Button, ScrollView, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { StateView } from '@/components/state-view';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';
import { useNow } from '@/components/use-now';
import { CIRCLE_CATEGORIES, circleCategory } from '@/domain/circle/categories';
import { filterByCategory } from '@/domain/circle/coverage';
import { isPlaceOpen, placeOpenLabel, placeOpenState } from '@/domain/circle/place';
import { PACE_NAMES, WALKING_ESTIMATE_NOTE, formatWalkingMinutes } from '@/domain/circle/walking';
import { useCircleStore } from '@/stores/circle';
import { useSessionStore } from '@/stores/session';
import { CoveragePanel } from './coverage-panel';
import { MapView } from './map-view';
import { PlaceCard } from './place-card';
import './index.scss';

function CircleContent() {
  const store = useCircleStore();
  const { pace, here, category, selectedId, load } = store;
  const result = store.places.data;
  const coverage = store.coverage.data;
  const error = store.places.error ?? store.coverage.error;
  const isSecretary = useSessionStore((s) => s.account?.role === 'secretary');
  const now = useNow();
  const { run } = useAction();

  useEffect(() => {
    if (!result) void load();
    // Loaded once; later changes go through setPace / setHere.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const shown = useMemo(
    () => (result ? filterByCategory(result.places, category) : []),
    [result, category],
  );
  const presentCategories = useMemo(
    () => new Set(result?.places.map((p) => p.category) ?? []),
    [result],
  );
  const selected = result?.places.find((p) => p.id === selectedId) ?? null;

  async function locateMe() {
    if (!(await store.locateHere())) showHint('未获得位置，仍以空间为中心');
  }

  if (error && (!result || !coverage))
    return <StateView kind="error" message={error ?? undefined} onRetry={() => void load()} />;
  if (!result || !coverage) return <StateView kind="loading" message="正在查找附近的服务…" />;

  const bands = coverage.bands.map((b) => ({ minutes: b.minutes, radiusM: b.radiusM }));
  const originLabel = result.origin.kind === 'space' ? result.origin.spaceName : '我的位置';

  return (
    <View className="circle">
      <View className="circle__bar">
        <Text className="circle__origin" data-testid="circle-origin">
          以「{originLabel}」为中心
        </Text>
        {here ? (
          <Text className="circle__link" onClick={() => void store.setHere(null)}>
            回到空间
          </Text>
        ) : (
          <Text className="circle__link" onClick={() => void locateMe()}>
            用我的位置
          </Text>
        )}
      </View>
      <View className="circle__pace">
        {(['adult', 'elder'] as const).map((p) => (
          <Text
            key={p}
            className={`circle__pace-item ${p === pace ? 'is-active' : ''}`}
            onClick={() => void store.setPace(p)}
          >
            {PACE_NAMES[p]}
          </Text>
        ))}
      </View>

      <MapView
        origin={result.origin.point}
        originLabel={originLabel}
        bands={bands}
        places={shown}
        selectedId={selectedId}
        onSelect={(id) => store.select(id)}
      />
      <Text className="circle__note">{WALKING_ESTIMATE_NOTE}</Text>
      {error ? <Text className="circle__error">{error}</Text> : null}

      {selected ? (
        <PlaceCard place={selected} now={now} onClose={() => store.select(null)} />
      ) : null}

      <ScrollView scrollX className="circle__filters" data-testid="category-filters">
        <Text
          className={`circle__filter ${category === null ? 'is-active' : ''}`}
          onClick={() => store.setCategory(null)}
        >
          全部 {result.places.length}
        </Text>
        {CIRCLE_CATEGORIES.filter((c) => presentCategories.has(c.id)).map((c) => (
          <Text
            key={c.id}
            className={`circle__filter ${category === c.id ? 'is-active' : ''}`}
            onClick={() => store.setCategory(category === c.id ? null : c.id)}
          >
            {c.icon} {c.name}
          </Text>
        ))}
      </ScrollView>

      <View className="circle__list" data-testid="place-list">
        {shown.length === 0 ? (
          <StateView kind="empty" message="步行 15 分钟内没有这类服务" />
        ) : null}
        {shown.map((p) => {
          const state = placeOpenState(p, now);
          const c = circleCategory(p.category);
          return (
            <View
              key={p.id}
              className={`place-row ${p.id === selectedId ? 'is-selected' : ''}`}
              onClick={() => store.select(p.id)}
              data-testid="place-row"
            >
              <Text className="place-row__icon">{c.icon}</Text>
              <View className="place-row__main">
                <Text className="place-row__name">{p.name}</Text>
                <Text className={`place-row__open ${isPlaceOpen(state) ? 'is-open' : 'is-closed'}`}>
                  {placeOpenLabel(state, now)}
                </Text>
              </View>
              <Text className="place-row__minutes">
                {formatWalkingMinutes(p.minutes).replace('步行', '')}
              </Text>
            </View>
          );
        })}
        {result.truncated ? (
          <Text className="circle__note">附近地点较多，只显示最近的 {result.places.length} 个</Text>
        ) : null}
      </View>

      <CoveragePanel
        coverage={coverage}
        requesting={store.requesting}
        onRequest={(c) => void run(() => store.requestService(c))}
      />

      {isSecretary ? (
        <Button
          className="circle__manage"
          onClick={() => void Taro.navigateTo({ url: '/packages/circle/places/index' })}
        >
          管理地点与查看需求
        </Button>
      ) : null}
    </View>
  );
}

export default function CirclePage() {
  return (
    <PageShell>
      <CircleContent />
    </PageShell>
  );
}
