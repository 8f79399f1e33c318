import { useEffect } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { showHint, showOutcome } from '@/components/toast';
import { useAction } from '@/components/use-action';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import type { BookingView } from '@/domain/contract';
import { useBookingStore, type MineScope } from '@/stores/booking';
import { addToCalendar } from './calendar';
import '../../../components/booking.scss';
import { useShown } from '@/components/use-shown';

function BookingCard({ b, past }: { b: BookingView; past?: boolean }) {
  const { cancel, claim } = useBookingStore();
  const { busy, run } = useAction();
  const onCancel = () =>
    run(async () => {
      const leaving = b.state === 'waiting';
      const { confirm } = await Taro.showModal({
        title: leaving ? '退出候补' : '取消预约',
        content: `${b.serviceName}\n${b.when}`,
        confirmText: leaving ? '退出候补' : '取消预约',
        cancelText: '再想想',
      });
      return confirm ? cancel(b.id) : null;
    });
  return (
    <View className="bk__card" data-testid="my-booking" data-state={b.state}>
      <Text className="bk__title">{b.serviceName}</Text>
      <Text className="bk__label">{b.when}</Text>
      <Text className="bk__meta">
        {b.place}
        {b.attendee ? ` · 参加人：${b.attendee}` : ''}
      </Text>
      <Text className={`bk__state ${past ? 'bk__state--off' : ''}`} data-testid="my-booking-state">
        {b.stateLabel}
      </Text>
      {b.holdUntil && b.state === 'held' ? (
        <Text className="bk__reason">
          名额为你保留至{' '}
          {new Date(b.holdUntil).toLocaleTimeString('zh-CN', {
            timeZone: 'Asia/Shanghai',
            hour: '2-digit',
            minute: '2-digit',
          })}
          ，过时顺延给下一位
        </Text>
      ) : null}
      {b.cancelReason ? <Text className="bk__reason">社区取消原因：{b.cancelReason}</Text> : null}
      {!past ? (
        <View className="bk__row">
          {b.state === 'held' ? (
            <Button
              className="bk__btn"
              size="mini"
              data-testid="claim"
              disabled={busy || undefined}
              onClick={() => void run(() => claim(b.id))}
            >
              确认预约
            </Button>
          ) : null}
          {b.state === 'confirmed' ? (
            <Button
              className="bk__btn bk__btn--ghost"
              size="mini"
              onClick={() => void addToCalendar(b).catch(() => showHint('未能添加到日历'))}
            >
              添加到日历
            </Button>
          ) : null}
          {b.canCancel ? (
            <Button
              className="bk__btn bk__btn--danger"
              size="mini"
              data-testid="cancel"
              disabled={busy || undefined}
              onClick={() => void onCancel()}
            >
              {b.state === 'waiting' ? '退出候补' : '取消'}
            </Button>
          ) : b.state === 'confirmed' ? (
            <Text className="bk__meta">已过取消截止时间</Text>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

function MoreButton({ scope }: { scope: MineScope }) {
  const { mine, mineMoreBusy, loadMoreMine } = useBookingStore();
  if (!mine.data?.hasMore[scope]) return null;
  const onMore = async () => {
    const r = await loadMoreMine(scope);
    if (!r.ok) showOutcome(r);
  };
  return (
    <Button
      className="bk__btn bk__btn--ghost"
      data-testid={`more-${scope}`}
      loading={mineMoreBusy === scope}
      disabled={mineMoreBusy !== null || undefined}
      onClick={() => void onMore()}
    >
      加载更多
    </Button>
  );
}

function Mine() {
  const { mine, loadMine } = useBookingStore();
  useEffect(() => {
    void loadMine();
  }, [loadMine]);
  useShown(() => void loadMine());
  if (mine.status === 'error' || !mine.data)
    return (
      <LoadStateView load={mine} onRetry={() => void loadMine()} loading="正在读取我的预约…" />
    );
  const { upcoming, past } = mine.data;
  return (
    <View className="bk">
      <Text className="bk__section">即将开始</Text>
      {upcoming.length === 0 ? (
        <StateView kind="empty" message="还没有预约，去「预约」页选一个时段吧" />
      ) : null}
      {upcoming.map((b) => (
        <BookingCard key={b.id} b={b} />
      ))}
      <MoreButton scope="upcoming" />
      <Text className="bk__section">历史</Text>
      {past.length === 0 ? <StateView kind="empty" message="暂无历史预约" /> : null}
      {past.map((b) => (
        <BookingCard key={b.id} b={b} past />
      ))}
      <MoreButton scope="past" />
    </View>
  );
}

export default function MinePage() {
  return (
    <PageShell>
      <Mine />
    </PageShell>
  );
}
