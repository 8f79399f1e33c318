import { useEffect, useMemo, useState } from 'react';
import { Button, Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import * as v from 'valibot';
import { PickerInput } from '@/components/field';
import { PageShell } from '@/components/page-shell';
import { showHint } from '@/components/toast';
import { URGENT_NOT_SENT, flagNoticeText } from '@/domain/visits/urgent';
import { useAction } from '@/components/use-action';
import { inShanghai, shanghaiDate } from '@/domain/shared/time';
import { DEFAULT_CADENCE, addCalendarDays } from '@/domain/visits/cadence';
import {
  CHECK_ITEMS,
  CHECK_LABELS,
  CHECK_VALUE_LABELS,
  type CheckItem,
  type CheckValue,
  OUTCOMES,
  OUTCOME_LABELS,
  type VisitOutcome,
  VISIT_BACKDATE_DAYS,
  newVisitId,
  visitDateRange,
  visitInstants,
  visitLogSchema,
  visitTimeMessage,
  visitTimeRefusal,
} from '@/domain/visits/visit-log';
import { pickVisitPhoto, useVisitsStore } from '@/stores/visits';
import '../shared.scss';

const NEXT: Record<CheckValue, CheckValue> = { ok: 'concern', concern: 'unknown', unknown: 'ok' };

function minuteOf(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

/** The visit form: meant to take under a minute — times default to the last half hour, everything is a tap. */
function LogVisit() {
  const { params } = useRouter();
  const elderId = params.elderId ?? '';
  const name = decodeURIComponent(params.name ?? '');
  const submitVisit = useVisitsStore((s) => s.submitVisit);
  const settings = useVisitsStore((s) => s.settings);
  const loadSettings = useVisitsStore((s) => s.loadSettings);
  useEffect(() => {
    if (settings.status === 'idle') void loadSettings();
  }, [settings.status, loadSettings]);
  // The secretary sets it (1–7 days); the default until the settings have loaded.
  const followUpDays = (settings.data?.cadence ?? DEFAULT_CADENCE).notAtHomeFollowUpDays;
  const opened = useMemo(() => new Date(), []);
  const visitId = useMemo(() => newVisitId(opened), [opened]);
  const range = useMemo(() => visitDateRange(opened), [opened]);
  const yesterday = addCalendarDays(range.latest, -1);
  // The day the visit started (Asia/Shanghai); a default half hour that began before midnight is yesterday's.
  const [date, setDate] = useState(shanghaiDate(opened.getTime() - 30 * 60_000));
  const [start, setStart] = useState(inShanghai(opened.getTime() - 30 * 60_000).format('HH:mm'));
  const [end, setEnd] = useState(inShanghai(opened).format('HH:mm'));
  const [outcome, setOutcome] = useState<VisitOutcome>('visited');
  const [checklist, setChecklist] = useState<Record<CheckItem, CheckValue>>({
    health: 'ok',
    mood: 'ok',
    homeSafety: 'ok',
    needs: 'ok',
  });
  const [notes, setNotes] = useState('');
  const [photo, setPhoto] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [urgentNote, setUrgentNote] = useState('');
  const { busy, run } = useAction();

  const chooseOutcome = (o: VisitOutcome) => {
    setOutcome(o);
    if (o === 'not-at-home')
      setChecklist({ health: 'unknown', mood: 'unknown', homeSafety: 'unknown', needs: 'unknown' });
  };

  const submit = () => {
    // `date` is the day the visit started; an end time before the start time is after midnight.
    const input = {
      visitId,
      elderId,
      ...visitInstants(date, minuteOf(start), minuteOf(end)),
      outcome,
      checklist,
      notes: notes.trim(),
      photo,
      urgent,
      urgentNote: urgent ? urgentNote.trim() : '',
    };
    const parsed = v.safeParse(visitLogSchema, input);
    if (!parsed.success) return showHint(parsed.issues[0].message);
    const refusal = visitTimeRefusal(input, new Date(), VISIT_BACKDATE_DAYS);
    if (refusal) return showHint(visitTimeMessage(refusal, VISIT_BACKDATE_DAYS));
    // Saved on the phone counts as done: it is sent when the network returns.
    void run(
      async () => {
        const r = await submitVisit(input, name);
        if (!r.saved || r.rejected) return { ok: false, message: r.message };
        // An urgent visit says who it reached, and waits to be read: it must not look delivered
        // when it reached nobody (no secretary yet, or no network).
        if (urgent)
          await Taro.showModal({
            title: r.notice ? '紧急情况已上报' : '紧急情况还没有送达',
            content: r.notice ? flagNoticeText(r.notice) : URGENT_NOT_SENT,
            showCancel: false,
            confirmText: '知道了',
          });
        return { ok: true, message: r.sent ? '探访已记录' : '已保存，联网后发送' };
      },
      { then: () => void setTimeout(() => void Taro.navigateBack(), 600) },
    );
  };

  return (
    <View className="vv">
      <Text className="vv__title">探访 {name}</Text>
      <View className="vv__card">
        <View className="vv__row">
          <Text>日期</Text>
          <Button
            size="mini"
            className={`vv__choice ${date === range.latest ? 'vv__choice--on' : ''}`}
            data-testid="visit-date-today"
            onClick={() => setDate(range.latest)}
          >
            今天
          </Button>
          <Button
            size="mini"
            className={`vv__choice ${date === yesterday ? 'vv__choice--on' : ''}`}
            data-testid="visit-date-yesterday"
            onClick={() => setDate(yesterday)}
          >
            昨天
          </Button>
          <PickerInput
            block="vv"
            mode="date"
            testId="visit-date"
            value={date}
            start={range.earliest}
            end={range.latest}
            onValue={setDate}
          />
        </View>
        <View className="vv__row">
          <Text>开始</Text>
          <PickerInput
            block="vv"
            mode="time"
            testId="visit-start"
            value={start}
            onValue={setStart}
          />
          <Text>结束</Text>
          <PickerInput block="vv" mode="time" testId="visit-end" value={end} onValue={setEnd} />
        </View>
        <Text className="vv__hint">
          默认最近半小时，可修改；过了午夜补记前一晚的探访请选“昨天”。结束早于开始表示探访跨过午夜。最多补记{' '}
          {VISIT_BACKDATE_DAYS} 天内的探访。
        </Text>
      </View>
      <View className="vv__card">
        <Text>探访结果</Text>
        <View className="vv__row">
          {OUTCOMES.map((o) => (
            <Button
              key={o}
              className={`vv__choice ${outcome === o ? 'vv__choice--on' : ''}`}
              data-testid={`outcome-${o}`}
              onClick={() => chooseOutcome(o)}
            >
              {OUTCOME_LABELS[o]}
            </Button>
          ))}
        </View>
        {outcome === 'not-at-home' ? (
          <Text className="vv__hint">未遇到老人：系统会安排 {followUpDays} 天内回访。</Text>
        ) : null}
      </View>
      <View className="vv__card">
        <Text>情况检查（点按切换）</Text>
        {CHECK_ITEMS.map((item) => (
          <View key={item} className="vv__row">
            <Text>{CHECK_LABELS[item]}</Text>
            <Button
              className={`vv__choice ${checklist[item] === 'concern' ? 'vv__choice--on' : ''}`}
              data-testid={`check-${item}`}
              onClick={() => setChecklist({ ...checklist, [item]: NEXT[checklist[item]] })}
            >
              {CHECK_VALUE_LABELS[checklist[item]]}
            </Button>
          </View>
        ))}
      </View>
      <View className="vv__card">
        <Textarea
          className="vv__textarea"
          value={notes}
          maxlength={500}
          placeholder="备注（选填）：聊了什么、需要什么帮助"
          onInput={(e) => setNotes(e.detail.value)}
        />
        <View className="vv__row">
          <Button
            size="mini"
            onClick={() => void pickVisitPhoto(visitId).then((p) => p && setPhoto(p))}
          >
            {photo ? '重新拍照' : '拍照（选填）'}
          </Button>
          {photo ? <Text className="vv__hint">已添加照片</Text> : null}
        </View>
      </View>
      <View className="vv__card">
        <View className="vv__row">
          <Text className={urgent ? 'vv__warn' : ''}>紧急情况，需要社区马上处理</Text>
          <Switch
            checked={urgent}
            data-testid="visit-urgent"
            onChange={(e) => setUrgent(e.detail.value)}
          />
        </View>
        {urgent ? (
          <Input
            className="vv__input"
            value={urgentNote}
            maxlength={100}
            placeholder="简要说明（必填），如：老人摔倒"
            onInput={(e) => setUrgentNote(e.detail.value)}
          />
        ) : null}
      </View>
      <Button
        className="vv__primary"
        loading={busy}
        disabled={busy || !elderId || undefined}
        data-testid="visit-submit"
        onClick={submit}
      >
        保存探访
      </Button>
      <Text className="vv__hint">没有网络也能保存，联网后自动发送。</Text>
    </View>
  );
}

export default function LogVisitPage() {
  return (
    <PageShell
      audience={{ roles: ['volunteer', 'secretary'], why: '只有与老人结对的志愿者可以记录探访' }}
    >
      <LogVisit />
    </PageShell>
  );
}
