import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { FLAG_STATUS_LABELS } from '@/domain/visits/flags';
import { flagReachText, grantsText } from '@/domain/visits/urgent';
import { inShanghai } from '@/domain/shared/time';
import { useUrgentStore } from '@/stores/urgent';
import { useVisitsStore } from '@/stores/visits';
import '../shared.scss';
import { useShown } from '@/components/use-shown';
import { useAction } from '@/components/use-action';

/** Secretary: urgent flags from visits; open ones stay (and are raised again) until acknowledged. */
function Flags() {
  const { flags, loadFlags, acknowledgeFlag } = useVisitsStore();
  const { urgent, loadUrgent, subscribeToUrgentFlags } = useUrgentStore();
  useShown(() => {
    void loadFlags();
    void loadUrgent();
  });
  const { busy, run } = useAction();
  if (!flags.data) return <LoadStateView load={flags} onRetry={() => void loadFlags()} />;

  const acknowledge = (flagId: string) =>
    run(async () => {
      const res = (await Taro.showModal({
        title: '确认已处理？',
        content: '',
        editable: true,
        placeholderText: '处理说明，如：已联系家属',
      } as Parameters<typeof Taro.showModal>[0])) as { confirm: boolean; content?: string };
      return res.confirm ? acknowledgeFlag(flagId, (res.content ?? '').trim()) : null;
    });

  return (
    <View className="vv">
      <View className="vv__card vv__row" data-testid="subscribe-urgent">
        <View className="vv__row-text">
          <Text className="vv__hint" data-testid="inbox-grants">
            {urgent.data ? grantsText(urgent.data.grants) : '正在读取微信提醒…'}
          </Text>
          <Text className="vv__hint">
            每次“允许”只能收到一条微信提醒；紧急情况总会显示在这里和首页、我的。
          </Text>
        </View>
        <Button size="mini" onClick={() => void run(subscribeToUrgentFlags)}>
          开启紧急通知
        </Button>
      </View>
      {flags.data.length === 0 ? <StateView kind="empty" message="没有紧急情况" /> : null}
      {flags.data.map((f) => (
        <View key={f.id} className="vv__card" data-testid="flag">
          <View className="vv__row">
            <Text className="vv__title">{f.elderName}</Text>
            <Text className={f.status === 'open' ? 'vv__tag vv__tag--overdue' : 'vv__tag'}>
              {FLAG_STATUS_LABELS[f.status]}
            </Text>
          </View>
          <Text className={f.status === 'open' ? 'vv__warn' : ''}>{f.note}</Text>
          <Text className="vv__hint">
            {f.raisedBy} · {inShanghai(f.raisedAt).format('M月D日 HH:mm')}
            {f.raiseCount > 1
              ? ` · 已提醒 ${f.raiseCount} 次，最近 ${inShanghai(f.lastRaisedAt).format('M月D日 HH:mm')}`
              : ''}
          </Text>
          <Text className="vv__hint" data-testid="flag-reach">
            {flagReachText(f)}
          </Text>
          {f.status === 'open' ? (
            <View className="vv__row">
              <Button
                size="mini"
                onClick={() =>
                  void Taro.navigateTo({ url: `/packages/visits/elder/index?id=${f.elderId}` })
                }
              >
                查看老人
              </Button>
              <Button
                size="mini"
                disabled={busy || undefined}
                onClick={() => void acknowledge(f.id)}
              >
                确认处理
              </Button>
            </View>
          ) : (
            <Text className="vv__hint">
              {f.acknowledgedBy} 于{' '}
              {f.acknowledgedAt ? inShanghai(f.acknowledgedAt).format('M月D日 HH:mm') : ''} 确认
              {f.acknowledgeNote ? `：${f.acknowledgeNote}` : ''}
            </Text>
          )}
        </View>
      ))}
    </View>
  );
}

export default function FlagsPage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以处理紧急情况' }}>
      <Flags />
    </PageShell>
  );
}
