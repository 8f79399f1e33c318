import { Text, View } from '@tarojs/components';
import { go } from '@/components/nav-links';
import type { ServiceNow } from '@/domain/space/open-now';

const BOOKING_HINT: Record<string, string> = {
  capacity: '可预约时段',
  room: '可预约包场',
  session: '可预约场次',
  appointment: '可预约办事',
  'walk-in': '无需预约',
};

export function ServiceRow({ item, icon }: { item: ServiceNow; icon: string }) {
  const tone = item.open
    ? item.state.kind === 'open' && item.state.closesSoon
      ? 'closing'
      : 'open'
    : 'closed';
  // A bookable service opens its slots (预约时段); a walk-in one has nothing to open.
  const bookable = item.service.bookingKind !== 'walk-in';
  return (
    <View
      className={`service-row service-row--${tone} ${bookable ? 'service-row--link' : ''}`}
      data-testid="service-row"
      data-open={item.open ? 'yes' : 'no'}
      data-bookable={bookable ? 'yes' : 'no'}
      onClick={
        bookable
          ? () => go(`/packages/booking/slots/index?serviceId=${item.service.id}`)
          : undefined
      }
    >
      <Text className="service-row__icon">{icon}</Text>
      <View className="service-row__body">
        <View className="service-row__head">
          <Text className="service-row__name">{item.service.name}</Text>
          <Text className={`service-row__state service-row__state--${tone}`}>{item.label}</Text>
        </View>
        <Text className="service-row__meta">
          {item.service.place} · {item.hours}
        </Text>
        <Text className="service-row__meta">
          {item.service.summary} · {BOOKING_HINT[item.service.bookingKind]}
          {bookable ? ' ›' : ''}
        </Text>
      </View>
    </View>
  );
}
