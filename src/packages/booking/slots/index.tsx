import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { TextInput } from '@/components/field';
import { useAction } from '@/components/use-action';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { activeLeftText } from '@/domain/booking/limits';
import {
  STATE_LABELS,
  cancelCutoffPassed,
  cancelCutoffText,
  lateCancelWarning,
} from '@/domain/booking/policy';
import {
  dayLabel,
  firstOpenIndex,
  minNoticeText,
  pastClosingRefusal,
} from '@/domain/booking/slots';
import type { SlotView } from '@/domain/contract';
import { useBookingStore } from '@/stores/booking';
import '../../../components/booking.scss';

function SlotPicker() {
  const serviceId = useRouter().params.serviceId ?? '';
  const { slots: day, loadSlots, book, joinWaitlist } = useBookingStore();
  const { busy, run } = useAction();
  const [hours, setHours] = useState(1);
  const [attendee, setAttendee] = useState('');
  /** The date whose closed slots before the first open one are shown (hidden by default). */
  const [pastShownOn, setPastShownOn] = useState<string | null>(null);

  useEffect(() => {
    if (serviceId) void loadSlots(serviceId);
  }, [serviceId, loadSlots]);

  if (!serviceId) return <StateView kind="error" message="没有指定服务" />;
  if (day.status === 'error' || !day.data || day.data.service.id !== serviceId)
    return (
      <LoadStateView load={day} onRetry={() => void loadSlots(serviceId)} loading="正在读取时段…" />
    );
  const { service: slotService, date: slotDate, dates: slotDates, slots } = day.data;

  const { rules, kind } = slotService;
  const now = new Date();
  // The list opens at the first slot one may still book; earlier ones fold into one line.
  const firstOpen = firstOpenIndex(slots);
  const hidden = pastShownOn === slotDate ? 0 : firstOpen < 0 ? slots.length : firstOpen;
  const nextDate = slotDates[slotDates.indexOf(slotDate) + 1];

  const onBook = (slot: SlotView) =>
    run(async () => {
      if (cancelCutoffPassed(new Date(slot.start), rules, new Date())) {
        const { confirm } = await Taro.showModal({
          title: '约后不可取消',
          content: lateCancelWarning(rules),
          confirmText: '仍要预约',
          cancelText: '再想想',
        });
        if (!confirm) return null;
      }
      return book(slot, {
        slots: kind === 'room' ? hours : 1,
        attendee: attendee.trim() || undefined,
      });
    });
  const onWait = (slot: SlotView) => run(() => joinWaitlist(slot, attendee.trim() || undefined));

  return (
    <View className="bk">
      <View className="bk__card">
        <Text className="bk__title">{slotService.name}</Text>
        <Text className="bk__meta">
          {slotService.place} · {slotService.hoursText}
        </Text>
        <Text className="bk__meta">
          每时段 {rules.capacity} 个名额 · 可提前 {rules.horizonDays} 天预约 · 开始前后{' '}
          {rules.checkInBeforeMinutes}/{rules.checkInAfterMinutes} 分钟内签到
        </Text>
        <View className="bk__card" data-testid="booking-rules">
          <Text className="bk__label" data-testid="active-left">
            {activeLeftText(day.data.activeLeft, rules)}
          </Text>
          <Text className="bk__label">{minNoticeText(rules)}</Text>
          <Text className="bk__label">开始前 {rules.cancelCutoffMinutes} 分钟后不可取消</Text>
        </View>
      </View>
      <View className="bk__chips">
        {slotDates.map((d) => (
          <Text
            key={d}
            className={`bk__chip ${d === slotDate ? 'bk__chip--on' : ''}`}
            data-testid="date-chip"
            data-date={d}
            onClick={() => void loadSlots(serviceId, d)}
          >
            {dayLabel(d, now)}
          </Text>
        ))}
      </View>
      {kind === 'room' ? (
        <View className="bk__row">
          <Text className="bk__label">时长</Text>
          {Array.from(
            { length: rules.maxSlots - rules.minSlots + 1 },
            (_, i) => rules.minSlots + i,
          ).map((n) => (
            <Text
              key={n}
              className={`bk__chip ${n === hours ? 'bk__chip--on' : ''}`}
              onClick={() => setHours(n)}
            >
              {(n * rules.slotMinutes) / 60} 小时
            </Text>
          ))}
        </View>
      ) : null}
      {kind === 'session' ? (
        <TextInput
          block="bk"
          placeholder="参加人（如孩子或长辈姓名，可不填）"
          maxlength={20}
          value={attendee}
          onValue={setAttendee}
        />
      ) : null}
      {slots.length === 0 ? <StateView kind="empty" message="这一天没有可预约的时段" /> : null}
      {hidden > 0 ? (
        <Text className="bk__meta" data-testid="show-past" onClick={() => setPastShownOn(slotDate)}>
          已截止 {hidden} 个时段 · 点此显示
        </Text>
      ) : null}
      {slots.length > 0 && firstOpen < 0 ? (
        <View className="bk__card" data-testid="day-over">
          <Text className="bk__label">这一天的时段都已截止</Text>
          {nextDate ? (
            <Text
              className="bk__chip"
              data-testid="next-day"
              onClick={() => void loadSlots(serviceId, nextDate)}
            >
              看{dayLabel(nextDate, now)}的时段
            </Text>
          ) : null}
        </View>
      ) : null}
      {slots.slice(hidden).map((slot) => {
        const closing =
          kind === 'room' && slot.state === 'free' && !slot.mine
            ? pastClosingRefusal(slotService, slot.date, slot.startMinute, hours)
            : null;
        const cutoffPassed = cancelCutoffPassed(new Date(slot.start), rules, now);
        return (
          <View
            key={slot.id}
            className={`bk__slot ${slot.state === 'closed' ? 'bk__slot--closed' : ''}`}
            data-testid="slot"
            data-slot={slot.id}
            data-state={slot.state}
            data-cutoff-passed={cutoffPassed ? 'true' : 'false'}
          >
            <View className="bk__slot-text">
              <Text className="bk__label">{slot.label}</Text>
              <Text className="bk__meta">
                {slot.state === 'closed'
                  ? '已截止'
                  : slot.left > 0
                    ? `剩 ${slot.left}/${slot.capacity}`
                    : '已约满'}
              </Text>
              {slot.state !== 'closed' && !slot.mine ? (
                <Text className="bk__meta" data-testid="cancel-cutoff">
                  {cancelCutoffText({ date: slot.date, start: new Date(slot.start) }, rules, now)}
                </Text>
              ) : null}
            </View>
            {slot.mine ? (
              <Text className="bk__state" data-testid="slot-mine">
                {STATE_LABELS[slot.mine.state]}
              </Text>
            ) : closing ? (
              <Text className="bk__meta" data-testid="past-closing">
                {closing.message}
              </Text>
            ) : slot.state === 'free' ? (
              <Button
                className="bk__btn"
                size="mini"
                disabled={busy || undefined}
                data-testid="book"
                onClick={() => void onBook(slot)}
              >
                预约
              </Button>
            ) : slot.state === 'full' ? (
              <Button
                className="bk__btn bk__btn--ghost"
                size="mini"
                disabled={busy || undefined}
                data-testid="wait"
                onClick={() => void onWait(slot)}
              >
                候补
              </Button>
            ) : null}
          </View>
        );
      })}
    </View>
  );
}

export default function SlotsPage() {
  return (
    <PageShell>
      <SlotPicker />
    </PageShell>
  );
}
