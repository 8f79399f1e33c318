import { Button, Text, View } from '@tarojs/components';
import { circleCategory } from '@/domain/circle/categories';
import type { NearbyPlace } from '@/domain/circle/coverage';
import {
  describePlaceHours,
  isPlaceOpen,
  placeOpenLabel,
  placeOpenState,
} from '@/domain/circle/place';
import { formatDistance, formatWalkingMinutes } from '@/domain/circle/walking';
import { CAN_NAVIGATE, navigateTo } from './map-view';

/** The card of the selected place: what, how far, open now, hours, and navigation. */
export function PlaceCard({
  place,
  now,
  onClose,
}: {
  place: NearbyPlace;
  now: Date;
  onClose: () => void;
}) {
  const category = circleCategory(place.category);
  const state = placeOpenState(place, now);
  return (
    <View className="place-card" data-testid="place-card">
      <View className="place-card__head">
        <Text className="place-card__name">
          {category.icon} {place.name}
        </Text>
        <Text className="place-card__close" onClick={onClose}>
          关闭
        </Text>
      </View>
      <Text className="place-card__meta">
        {category.name} · {formatWalkingMinutes(place.minutes)}（估算） · 直线{' '}
        {formatDistance(place.metres)}
      </Text>
      <Text className={`place-card__open ${isPlaceOpen(state) ? 'is-open' : 'is-closed'}`}>
        {placeOpenLabel(state, now)}
      </Text>
      <Text className="place-card__line">营业时间：{describePlaceHours(place.hours)}</Text>
      {place.address ? <Text className="place-card__line">地址：{place.address}</Text> : null}
      {place.phone ? <Text className="place-card__line">电话：{place.phone}</Text> : null}
      {place.note ? <Text className="place-card__line">备注：{place.note}</Text> : null}
      {place.sample ? <Text className="place-card__sample">示例数据，非真实商户</Text> : null}
      {CAN_NAVIGATE ? (
        <Button className="place-card__go" size="mini" onClick={() => navigateTo(place)}>
          去这里
        </Button>
      ) : null}
    </View>
  );
}
