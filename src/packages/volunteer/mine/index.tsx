import { useState } from 'react';
import { Button, Input, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { showOutcome } from '@/components/toast';
import { useAction } from '@/components/use-action';
import { StateView } from '@/components/state-view';
import { RATING_LABELS, RATING_MAX, ratingStars } from '@/domain/volunteer/feedback';
import { LEDGER_TYPE_LABELS, formatHours } from '@/domain/volunteer/ledger';
import { describeSchedule } from '@/domain/volunteer/opportunity';
import { SERVICE_STATUS_LABELS } from '@/domain/volunteer/service';
import { inShanghai } from '@/domain/shared/time';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';
import { useShown } from '@/components/use-shown';

function Mine() {
  const {
    mine: mineLoad,
    ledger: ledgerLoad,
    redemptions: redemptionsLoad,
    feedback: feedbackLoad,
    loadMine,
    loadLedger,
    setHonourOptOut,
    sendFeedback,
  } = useVolunteerStore();
  /** The feedback being written: one service at a time. */
  const [draft, setDraft] = useState<{ serviceId: string; rating: number; text: string } | null>(
    null,
  );
  useShown(() => void loadMine());
  const { run } = useAction();
  const mine = mineLoad.data;
  const ledger = ledgerLoad.data;
  const redemptions = redemptionsLoad.data ?? [];
  const feedback = feedbackLoad.data ?? [];

  if (!mine || !ledger) {
    const failed = mineLoad.error ?? ledgerLoad.error;
    return failed ? (
      <StateView kind="error" message={failed} onRetry={() => void loadMine()} />
    ) : (
      <StateView kind="loading" />
    );
  }
  if (!mine.volunteer)
    return <StateView kind="empty" message="您还不是志愿者，请先在「志愿」页登记" />;
  const { summary } = ledger;
  const given = new Map(
    feedback.filter((f) => f.fromRole === 'volunteer').map((f) => [f.serviceId, f]),
  );

  // What was sent is confirmed in a dialog; only a refusal is toasted.
  const giveFeedback = () => {
    if (!draft) return;
    void run(() => sendFeedback(draft.serviceId, draft.rating, draft.text.trim()), {
      toast: false,
      otherwise: showOutcome,
      then: (sent) => {
        if (!sent) return;
        setDraft(null);
        void Taro.showModal({
          title: '反馈已提交',
          content: `${sent.postTitle}：${sent.rating} 星（${RATING_LABELS[sent.rating]}）${sent.text ? `\n「${sent.text}」` : ''}`,
          showCancel: false,
        });
      },
    });
  };

  return (
    <View className="vp">
      <View className="vp__card vp__row">
        <View>
          <Text className="vp__big" data-testid="mine-points">
            {summary.points}
          </Text>
          <Text className="vp__hint"> 积分可用</Text>
        </View>
        <View>
          <Text className="vp__big">{formatHours(summary.confirmedMinutes)}</Text>
          <Text className="vp__hint"> 小时</Text>
        </View>
      </View>
      <Text className="vp__hint">
        累计获得 {summary.earned} · 已兑换 {summary.spent} · 确认服务 {summary.confirmedServices} 次
      </Text>
      <Button
        className="vp__primary"
        data-testid="mine-rewards"
        onClick={() => void Taro.navigateTo({ url: '/packages/volunteer/rewards/index' })}
      >
        积分兑换
      </Button>

      <Text className="vp__title">已认领的岗位</Text>
      {mine.claims.length === 0 ? <StateView kind="empty" message="还没有认领岗位" /> : null}
      {mine.claims.map((c) => (
        <View
          key={c.id}
          className="vp__card"
          onClick={() =>
            void Taro.navigateTo({ url: `/packages/volunteer/post/index?id=${c.postId}` })
          }
        >
          <Text>{c.postTitle}</Text>
          <Text className="vp__hint">
            {describeSchedule(c.schedule)} · {c.location.place}
          </Text>
          {c.openServiceId ? <Text className="vp__warn">服务中，记得签退</Text> : null}
        </View>
      ))}

      <Text className="vp__title">服务记录</Text>
      {mine.services.length === 0 ? <StateView kind="empty" message="还没有服务记录" /> : null}
      {mine.services.map((s) => (
        <View key={s.id} className="vp__card">
          <View className="vp__row">
            <Text>{s.postTitle}</Text>
            <Text className={s.flagged ? 'vp__warn' : 'vp__tag'}>
              {SERVICE_STATUS_LABELS[s.status]}
            </Text>
          </View>
          <Text className="vp__hint">
            {s.date} · {s.status === 'confirmed' ? `${formatHours(s.minutes)} 小时` : '待确认'}
          </Text>
          {given.has(s.id) ? (
            <Text className="vp__hint" data-testid="service-feedback">
              我的评价 {ratingStars(given.get(s.id)?.rating ?? 0)} {given.get(s.id)?.text}
            </Text>
          ) : null}
          {s.status !== 'open' && !given.has(s.id) && draft?.serviceId !== s.id ? (
            <Button
              size="mini"
              data-testid="feedback-open"
              onClick={() => setDraft({ serviceId: s.id, rating: 0, text: '' })}
            >
              评价这次服务
            </Button>
          ) : null}
          {draft?.serviceId === s.id ? (
            <View className="vp__feedback" data-testid="feedback-form">
              <View className="vp__stars">
                {Array.from({ length: RATING_MAX }, (_, i) => i + 1).map((n) => (
                  <View
                    key={n}
                    className={`vp__star${n <= draft.rating ? ' vp__star--on' : ''}`}
                    data-testid={`feedback-star-${n}`}
                    onClick={() => setDraft({ ...draft, rating: n })}
                  >
                    {n <= draft.rating ? '★' : '☆'}
                  </View>
                ))}
              </View>
              <Text className="vp__hint">
                {draft.rating
                  ? `${draft.rating} 星 · ${RATING_LABELS[draft.rating]}`
                  : '请点星星打分（1–5 星）'}
              </Text>
              <Input
                className="vp__input"
                data-testid="feedback-text"
                value={draft.text}
                maxlength={300}
                placeholder="说说这次服务（选填）"
                onInput={(e) => setDraft({ ...draft, text: e.detail.value })}
              />
              <View className="vp__row">
                <Button size="mini" onClick={() => setDraft(null)}>
                  取消
                </Button>
                <Button
                  size="mini"
                  data-testid="feedback-send"
                  disabled={draft.rating === 0 || undefined}
                  onClick={giveFeedback}
                >
                  提交反馈
                </Button>
              </View>
            </View>
          ) : null}
        </View>
      ))}
      {feedback.length > 0 ? (
        <View className="vp__card">
          <Text className="vp__title">反馈</Text>
          {feedback.map((f) => (
            <Text key={f.id} className="vp__hint">
              {f.fromRole === 'secretary' ? '社区' : '我'}：{f.postTitle} {ratingStars(f.rating)}{' '}
              {f.text}
            </Text>
          ))}
        </View>
      ) : null}

      <Text className="vp__title">兑换记录</Text>
      {redemptions.length === 0 ? <StateView kind="empty" message="还没有兑换" /> : null}
      {redemptions.map((r) => (
        <View key={r.id} className="vp__card">
          <View className="vp__row">
            <Text>{r.rewardTitle}</Text>
            <Text className="vp__tag">{r.status === 'used' ? '已使用' : '待使用'}</Text>
          </View>
          <Text className="vp__code">{r.code}</Text>
        </View>
      ))}

      <Text className="vp__title">积分明细</Text>
      {ledger.entries.length === 0 ? <StateView kind="empty" message="暂无记录" /> : null}
      {ledger.entries.map((e) => (
        <View key={e.id} className="vp__card vp__row" data-testid="ledger-entry">
          <View>
            <Text>{LEDGER_TYPE_LABELS[e.type]}</Text>
            <Text className="vp__hint"> {e.postTitle ?? e.reason ?? ''}</Text>
            <Text className="vp__hint"> {inShanghai(e.at).format('MM-DD HH:mm')}</Text>
          </View>
          <Text className={e.points < 0 ? 'vp__warn' : 'vp__tag'}>
            {e.points !== 0
              ? `${e.points > 0 ? '+' : ''}${e.points} 分`
              : e.minutes
                ? `${formatHours(e.minutes)} 小时`
                : ''}
          </Text>
        </View>
      ))}
      {ledger.hasMore ? (
        <Button onClick={() => void loadLedger(ledger.page + 1)}>更多</Button>
      ) : null}

      <View className="vp__card vp__row">
        <View>
          <Text>荣誉榜显示我的姓名</Text>
          <Text className="vp__hint"> 关闭后以「匿名志愿者」显示</Text>
        </View>
        <Switch
          checked={!mine.volunteer.honourOptOut}
          color="#0f766e"
          onChange={(e) => void run(() => setHonourOptOut(!e.detail.value))}
        />
      </View>
      <Button onClick={() => void Taro.navigateTo({ url: '/packages/volunteer/register/index' })}>
        修改登记信息
      </Button>
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
