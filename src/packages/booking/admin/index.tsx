import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { DateListInput, Field, PickerInput, TextInput } from '@/components/field';
import { showHint } from '@/components/toast';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { weekStartDate } from '@/domain/booking/policy';
import type { BookingRules, RulesPatch } from '@/domain/booking/rules';
import {
  WEEKDAYS_SHOWN,
  parseHoursDrafts,
  toDrafts,
  type HoursDraft,
} from '@/domain/booking/hours';
import { addDays } from '@/domain/booking/slots';
import { shanghaiDate } from '@/domain/shared/time';
import type { BookableServiceView } from '@/domain/contract';
import { useBookingAdminStore, useBookingStore } from '@/stores/booking';
import { useAction } from '@/components/use-action';
import { useSessionStore } from '@/stores/session';
import '../../../components/booking.scss';

type Tab = 'day' | 'rules' | 'week';
const NUMBER_FIELDS: Array<[keyof BookingRules, string]> = [
  ['capacity', '每时段名额'],
  ['horizonDays', '可提前预约天数'],
  ['minNoticeMinutes', '至少提前预约（分钟）'],
  ['cancelCutoffMinutes', '开始前多少分钟停止取消'],
  ['checkInBeforeMinutes', '开始前可签到（分钟）'],
  ['checkInAfterMinutes', '开始后可签到（分钟）'],
  ['maxActiveBookings', '每人同时有效预约'],
  ['maxHoursPerWeek', '每人每周小时数'],
  ['holdMinutes', '候补保留（分钟）'],
  ['noShowThreshold', '爽约几次暂停'],
  ['noShowPeriodDays', '爽约统计天数'],
  ['suspensionDays', '暂停预约天数'],
];
const WEEKDAY = ['一', '二', '三', '四', '五', '六', '日'];

function DaySchedule({ service }: { service: BookableServiceView }) {
  const { schedule: scheduleLoad, loadSchedule, mark, cancelWithReason } = useBookingAdminStore();
  const [date, setDate] = useState(() => shanghaiDate(new Date()));
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();
  useEffect(() => {
    void loadSchedule(service.id, date);
  }, [service.id, date, loadSchedule]);
  const schedule = scheduleLoad.data;
  if (scheduleLoad.status === 'error' || !schedule || schedule.service.id !== service.id)
    return (
      <LoadStateView load={scheduleLoad} onRetry={() => void loadSchedule(service.id, date)} />
    );
  const onCancel = (bookingId: string, name: string) => {
    if (reason.trim().length < 2) return showHint('请先填写取消原因');
    void run(async () => {
      const { confirm } = await Taro.showModal({
        title: '取消预约',
        content: `取消${name}的预约？原因：${reason.trim()}`,
        confirmText: '取消预约',
        cancelText: '返回',
      });
      return confirm ? cancelWithReason(bookingId, reason.trim()) : null;
    });
  };
  const onMark = (bookingId: string, attended: boolean) =>
    void run(() => mark(bookingId, attended));
  const withPeople = schedule.slots.filter((s) => s.entries.length > 0);
  return (
    <View className="bk">
      <View className="bk__row">
        <PickerInput
          block="bk"
          mode="date"
          testId="schedule-date"
          value={date}
          start={addDays(shanghaiDate(new Date()), -365)}
          end={addDays(shanghaiDate(new Date()), 365)}
          onValue={setDate}
        />
        <TextInput
          block="bk"
          placeholder="取消原因（居民可见）"
          maxlength={60}
          value={reason}
          onValue={setReason}
        />
      </View>
      {withPeople.length === 0 ? <StateView kind="empty" message="这一天还没有预约" /> : null}
      {withPeople.map((slot) => (
        <View key={slot.slotId} className="bk__card">
          <Text className="bk__title">
            {slot.label} · 剩 {slot.left}/{slot.capacity}
          </Text>
          {slot.entries.map((e) => (
            <View key={e.bookingId} className="bk__row" data-testid="schedule-entry">
              <Text className="bk__label">
                {e.name}
                {e.attendee ? `（${e.attendee}）` : ''} · {e.stateLabel}
              </Text>
              {e.actions.includes('markAttended') ? (
                <Button
                  className="bk__btn"
                  size="mini"
                  disabled={busy || undefined}
                  onClick={() => onMark(e.bookingId, true)}
                >
                  到场
                </Button>
              ) : null}
              {e.actions.includes('markAbsent') ? (
                <Button
                  className="bk__btn bk__btn--ghost"
                  size="mini"
                  disabled={busy || undefined}
                  onClick={() => onMark(e.bookingId, false)}
                >
                  爽约
                </Button>
              ) : null}
              {e.actions.includes('cancel') ? (
                <Button
                  className="bk__btn bk__btn--danger"
                  size="mini"
                  disabled={busy || undefined}
                  onClick={() => onCancel(e.bookingId, e.name)}
                >
                  取消
                </Button>
              ) : null}
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}

/** Asks before a change that may touch bookings already made; false when the secretary backs out. */
async function confirmChange(serviceId: string, title: string, what: string): Promise<boolean> {
  const taken = await useBookingAdminStore
    .getState()
    .upcomingTaken(serviceId, shanghaiDate(new Date()));
  const booked =
    taken === null
      ? '未能读取已有预约，请确认后再保存。'
      : taken > 0
        ? `今天起两周内已有 ${taken} 个预约名额。已有预约不会被取消：不在新设置内的，请在「当日安排」中逐一处理。`
        : '今天起两周内暂无预约。';
  const { confirm } = await Taro.showModal({
    title,
    content: `${what}\n${booked}`,
    confirmText: '保存',
    cancelText: '再想想',
  });
  return confirm;
}

function HoursEditor({ service }: { service: BookableServiceView }) {
  const saveService = useBookingAdminStore((s) => s.saveService);
  const [drafts, setDrafts] = useState<HoursDraft[]>(() => toDrafts(service.hours));
  const { busy, run } = useAction();
  const change = (i: number, patch: Partial<HoursDraft>) =>
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const toggleDay = (i: number, day: number) => {
    const days = drafts[i].days;
    change(i, { days: days.includes(day) ? days.filter((d) => d !== day) : [...days, day] });
  };
  const save = () => {
    const parsed = parseHoursDrafts(drafts);
    if (!parsed.ok) return showHint(parsed.message);
    const what = `新的开放时间：${parsed.hours
      .map((h) => toDrafts([h])[0])
      .map((d) => `${d.open}–${d.close}`)
      .join('、')}`;
    void run(async () =>
      (await confirmChange(service.id, '修改开放时间', what))
        ? saveService(service.id, { hours: parsed.hours })
        : null,
    );
  };
  return (
    <View className="bk__card" data-testid="hours-editor">
      <Text className="bk__title">开放时间</Text>
      <Text className="bk__meta">当前：{service.hoursText}</Text>
      {drafts.map((d, i) => (
        <View key={i} className="bk">
          <View className="bk__chips">
            {WEEKDAYS_SHOWN.map(([day, label]) => (
              <Text
                key={day}
                className={`bk__chip ${d.days.includes(day) ? 'bk__chip--on' : ''}`}
                onClick={() => toggleDay(i, day)}
              >
                周{label}
              </Text>
            ))}
          </View>
          <View className="bk__row">
            <PickerInput
              block="bk"
              mode="time"
              testId="hours-open"
              value={d.open}
              onValue={(value) => change(i, { open: value })}
            />
            <Text className="bk__label">至</Text>
            <PickerInput
              block="bk"
              mode="time"
              testId="hours-close"
              value={d.close}
              onValue={(value) => change(i, { close: value })}
            />
            {d.close === '24:00' ? null : (
              <Text className="bk__chip" onClick={() => change(i, { close: '24:00' })}>
                至午夜
              </Text>
            )}
            {drafts.length > 1 ? (
              <Text
                className="bk__chip"
                onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}
              >
                删除
              </Text>
            ) : null}
          </View>
        </View>
      ))}
      <View className="bk__row">
        {drafts.length < 14 ? (
          <Text
            className="bk__chip"
            onClick={() => setDrafts([...drafts, { days: [], open: '09:00', close: '17:00' }])}
          >
            添加一条
          </Text>
        ) : null}
        <Button
          className="bk__btn"
          size="mini"
          data-testid="save-hours"
          loading={busy || undefined}
          disabled={busy || undefined}
          onClick={save}
        >
          保存开放时间
        </Button>
      </View>
    </View>
  );
}

function RulesEditor({ service }: { service: BookableServiceView }) {
  const saveRules = useBookingAdminStore((s) => s.saveRules);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [blackouts, setBlackouts] = useState<string[]>(service.rules.blackoutDates);
  const today = shanghaiDate(new Date());
  const { busy, run } = useAction();
  const save = async () => {
    const patch: Record<string, number | string[]> = {};
    for (const [key] of NUMBER_FIELDS) {
      if (draft[key] !== undefined && draft[key] !== '') patch[key] = Number(draft[key]);
    }
    patch.blackoutDates = blackouts;
    const capacity = patch.capacity;
    const capacityChanges = typeof capacity === 'number' && capacity !== service.rules.capacity;
    const confirmed = capacityChanges
      ? await confirmChange(
          service.id,
          '修改名额',
          `每时段名额 ${service.rules.capacity} → ${capacity}，对已生成的未来时段立即生效${capacity < service.rules.capacity ? '；若有时段的预约已多于新名额，将不予修改' : ''}。`,
        )
      : (
          await Taro.showModal({
            title: '保存规则',
            content: '新规则对之后的预约生效，确定保存？',
            confirmText: '保存',
          })
        ).confirm;
    return confirmed ? saveRules(service.id, patch as RulesPatch) : null;
  };
  return (
    <View className="bk">
      <HoursEditor service={service} />
      {NUMBER_FIELDS.map(([key, label]) => (
        <View key={key} className="bk__row">
          <Field
            block="bk"
            label={label}
            type="number"
            maxlength={5}
            value={draft[key] ?? String(service.rules[key])}
            onValue={(value) => setDraft({ ...draft, [key]: value })}
          />
        </View>
      ))}
      <Text className="bk__label">停约日期（点日期可移除）</Text>
      <DateListInput
        block="bk"
        testId="blackout-add"
        addLabel="＋ 添加停约日期"
        value={blackouts}
        start={today}
        end={addDays(today, 365)}
        onValue={setBlackouts}
      />
      <Button
        className="bk__btn"
        loading={busy || undefined}
        disabled={busy || undefined}
        onClick={() => void run(save, { then: () => setDraft({}) })}
      >
        保存规则
      </Button>
    </View>
  );
}

function WeekChart({ service }: { service: BookableServiceView }) {
  const { week: weekLoad, loadWeek } = useBookingAdminStore();
  const [weekStart, setWeekStart] = useState(() => weekStartDate(new Date()));
  useEffect(() => {
    void loadWeek(service.id, weekStart);
  }, [service.id, weekStart, loadWeek]);
  const week = weekLoad.data;
  if (
    weekLoad.status === 'error' ||
    !week ||
    week.serviceId !== service.id ||
    week.weekStart !== weekStart
  )
    return <LoadStateView load={weekLoad} onRetry={() => void loadWeek(service.id, weekStart)} />;
  const shift = (days: number) => {
    const d = new Date(`${weekStart}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    setWeekStart(d.toISOString().slice(0, 10));
  };
  return (
    <View className="bk">
      <View className="bk__row">
        <Text className="bk__chip" onClick={() => shift(-7)}>
          上一周
        </Text>
        <Text className="bk__label">{weekStart} 起</Text>
        <Text className="bk__chip" onClick={() => shift(7)}>
          下一周
        </Text>
      </View>
      <Text className="bk__title" data-testid="week-ratio">
        本周利用率 {Math.round(week.ratio * 100)}%（{week.taken}/{week.offered}）
      </Text>
      <View className="bk__bars">
        {week.days.map((d, i) => (
          <View key={d.date} className="bk__bar-col">
            <Text className="bk__meta">{Math.round(d.ratio * 100)}%</Text>
            <View
              className="bk__bar"
              style={{ height: `${Math.max(1, Math.round(d.ratio * 100))}%` }}
            />
            <Text className="bk__meta">周{WEEKDAY[i]}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

function Admin() {
  const role = useSessionStore((s) => s.account?.role);
  const { services: servicesLoad, loadServices } = useBookingStore();
  const services = servicesLoad.data ?? [];
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('day');
  useEffect(() => {
    if (servicesLoad.status === 'idle') void loadServices();
  }, [servicesLoad.status, loadServices]);
  if (role !== 'secretary') return <StateView kind="error" message="仅社区书记可以管理预约" />;
  if (services.length === 0)
    return (
      <LoadStateView
        load={servicesLoad}
        onRetry={() => void loadServices()}
        empty="没有可预约的服务"
      />
    );
  const service = services.find((s) => s.id === serviceId) ?? services[0];
  const tabs: Array<[Tab, string]> = [
    ['day', '当日安排'],
    ['rules', '规则'],
    ['week', '利用率'],
  ];
  return (
    <View>
      <View className="bk">
        <View className="bk__chips">
          {services.map((s) => (
            <Text
              key={s.id}
              className={`bk__chip ${s.id === service.id ? 'bk__chip--on' : ''}`}
              onClick={() => setServiceId(s.id)}
            >
              {s.name}
            </Text>
          ))}
        </View>
        <View className="bk__chips">
          {tabs.map(([t, label]) => (
            <Text
              key={t}
              className={`bk__chip ${t === tab ? 'bk__chip--on' : ''}`}
              onClick={() => setTab(t)}
            >
              {label}
            </Text>
          ))}
        </View>
      </View>
      {tab === 'day' ? (
        <DaySchedule service={service} />
      ) : tab === 'rules' ? (
        <RulesEditor key={service.id} service={service} />
      ) : (
        <WeekChart service={service} />
      )}
    </View>
  );
}

export default function AdminPage() {
  return (
    <PageShell>
      <Admin />
    </PageShell>
  );
}
