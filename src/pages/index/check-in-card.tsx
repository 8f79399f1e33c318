import { useEffect, useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useAction } from '@/components/use-action';
import { checkInNow, nextCheckInChange } from '@/domain/space/check-in-now';
import { useBookingStore } from '@/stores/booking';
import '../../components/booking.scss';

/**
 * Shown on 首页 when it was opened from the entrance QR code: the caller's bookings of today with
 * a one-tap 签到 when the check-in window is open, otherwise the reason (opens at / closed).
 *
 * The card follows the clock: it is read again every time the page is shown, and while it is on
 * screen a timer fires when a window opens or closes (the button appears then, and the server is
 * asked again).
 */
export function CheckInCard({ spaceId }: { spaceId: string }) {
  const options = useBookingStore((s) => s.checkIn.data) ?? [];
  const loadCheckIn = useBookingStore((s) => s.loadCheckIn);
  const doCheckIn = useBookingStore((s) => s.doCheckIn);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    void loadCheckIn(spaceId);
  }, [spaceId, loadCheckIn]);
  // Mounted by the first show (above); every later show reads the clock and the server again.
  const lastRead = useRef(0);
  const readAgain = () => {
    // The show and the H5 route change below both announce one return: one read.
    if (Date.now() - lastRead.current < 1_000) return;
    lastRead.current = Date.now();
    setNow(new Date());
    void loadCheckIn(spaceId);
  };
  useDidShow(readAgain);
  const again = useRef(readAgain);
  again.current = readAgain;
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return undefined;
    // Taro's H5 router can miss a component's useDidShow when a tab is shown again
    // (NervJS/taro#9716, seen on a loaded CI machine); its own route-change event is the fallback.
    const onRoute = (change?: { toLocation?: { path?: string } }) => {
      const path = change?.toLocation?.path ?? '';
      if (path === '/' || path.endsWith('pages/index/index')) again.current();
    };
    Taro.eventCenter.on('__taroRouterChange', onRoute);
    return () => void Taro.eventCenter.off('__taroRouterChange', onRoute);
  }, []);

  const windows = options.map((o) => ({
    kind: o.kind,
    reason: o.reason,
    checkInOpens: o.booking.checkInOpens,
    checkInCloses: o.booking.checkInCloses,
  }));
  const shown = options.map((o, i) => ({ ...o, ...checkInNow(windows[i], now) }));
  const next = nextCheckInChange(windows, now);
  const nextAt = next?.getTime() ?? null;
  useEffect(() => {
    if (nextAt === null) return undefined;
    const timer = setTimeout(
      () => {
        setNow(new Date());
        void loadCheckIn(spaceId);
      },
      Math.max(0, nextAt - Date.now()) + 500,
    );
    return () => clearTimeout(timer);
  }, [nextAt, spaceId, loadCheckIn]);

  const { busy, run } = useAction();

  // Nothing to show until today's bookings are known (a failed load: the home page stays as it is).
  if (shown.length === 0) return null;
  return (
    <View className="bk__card" data-testid="check-in-card">
      <Text className="bk__title">今天的预约</Text>
      {shown.map((o) => (
        <View key={o.booking.id} className="bk__row">
          <View className="bk__slot-text">
            <Text className="bk__label">{o.booking.serviceName}</Text>
            <Text className="bk__meta">{o.booking.when}</Text>
            {o.kind !== 'open' ? <Text className="bk__reason">{o.reason}</Text> : null}
          </View>
          {o.kind === 'open' ? (
            <Button
              className="bk__btn"
              size="mini"
              data-testid="check-in"
              disabled={busy || undefined}
              onClick={() => void run(() => doCheckIn(o.booking.id))}
            >
              签到
            </Button>
          ) : null}
        </View>
      ))}
    </View>
  );
}
