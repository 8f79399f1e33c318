import { useEffect } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { useAction } from '@/components/use-action';
import { useBookingStore } from '@/stores/booking';
import '../../components/booking.scss';

/**
 * Shown on 首页 when it was opened from the entrance QR code: the caller's bookings of today with
 * a one-tap 签到 when the check-in window is open, otherwise the reason (opens at / closed).
 */
export function CheckInCard({ spaceId }: { spaceId: string }) {
  const options = useBookingStore((s) => s.checkIn.data) ?? [];
  const loadCheckIn = useBookingStore((s) => s.loadCheckIn);
  const doCheckIn = useBookingStore((s) => s.doCheckIn);

  useEffect(() => {
    void loadCheckIn(spaceId);
  }, [spaceId, loadCheckIn]);

  const { busy, run } = useAction();

  // Nothing to show until today's bookings are known (a failed load: the home page stays as it is).
  if (options.length === 0) return null;
  return (
    <View className="bk__card" data-testid="check-in-card">
      <Text className="bk__title">今天的预约</Text>
      {options.map((o) => (
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
