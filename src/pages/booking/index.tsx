import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { go, NavLinks } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { StateView } from '@/components/state-view';
import { dayLabel } from '@/domain/booking/slots';
import { CATEGORY_ICONS } from '@/domain/space/space';
import { useBookingStore } from '@/stores/booking';
import { useSessionStore } from '@/stores/session';
import '../../components/booking.scss';
import { useShown } from '@/components/use-shown';

const MINE_LINK = { label: '我的预约', url: '/packages/booking/mine/index', testId: 'open-mine' };
const ADMIN_LINK = {
  label: '预约管理',
  url: '/packages/booking/admin/index',
  testId: 'open-admin',
};

function BookingTab() {
  const { services: servicesLoad, loadServices } = useBookingStore();
  const { status: servicesStatus, error: servicesError } = servicesLoad;
  const services = servicesLoad.data ?? [];
  const role = useSessionStore((s) => s.account?.role);
  const now = new Date();

  useEffect(() => {
    void loadServices();
  }, [loadServices]);
  useShown(() => void loadServices());
  usePullDownRefresh(() => void loadServices().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View className="bk">
      <View className="bk__links">
        <NavLinks
          linkClassName="bk__link"
          links={role === 'secretary' ? [MINE_LINK, ADMIN_LINK] : [MINE_LINK]}
        />
      </View>
      {servicesStatus === 'error' ? (
        <StateView
          kind="error"
          message={servicesError ?? undefined}
          onRetry={() => void loadServices()}
        />
      ) : null}
      {servicesStatus === 'loading' || servicesStatus === 'idle' ? (
        <StateView kind="loading" message="正在读取可预约的服务…" />
      ) : null}
      {servicesStatus === 'ready' && services.length === 0 ? (
        <StateView kind="empty" message="暂时没有可预约的服务" />
      ) : null}
      {services.map((s) => (
        <View
          key={s.id}
          className="bk__card"
          data-testid="bookable-service"
          onClick={() => go(`/packages/booking/slots/index?serviceId=${s.id}`)}
        >
          <Text className="bk__title">
            {CATEGORY_ICONS[s.category]} {s.name}
          </Text>
          <Text className="bk__meta">
            {s.place} · {s.hoursText}
          </Text>
          <View className="bk__days">
            {s.days.map((d) => {
              const free = d.slots - d.full;
              return (
                <Text
                  key={d.date}
                  className={`bk__day ${free === 0 ? 'bk__day--full' : ''}`}
                  data-testid="service-day"
                  data-date={d.date}
                >
                  {dayLabel(d.date, now)}{' '}
                  {d.offered === 0
                    ? '不开放'
                    : d.slots === 0
                      ? '已无可约时段'
                      : free === 0
                        ? '已约满'
                        : `${free} 个时段有空`}
                </Text>
              );
            })}
          </View>
        </View>
      ))}
      <Text className="bk__meta">
        时间均为北京时间。满员时可加入候补，有空位时保留给候补第一位。
      </Text>
    </View>
  );
}

export default function BookingPage() {
  return (
    <PageShell>
      <BookingTab />
    </PageShell>
  );
}
