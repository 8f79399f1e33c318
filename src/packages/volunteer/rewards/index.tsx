import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { showOutcome } from '@/components/toast';
import { useAction } from '@/components/use-action';
import { StateView } from '@/components/state-view';
import { formatHours } from '@/domain/volunteer/ledger';
import type { Redemption } from '@/domain/contract';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';
import { useShown } from '@/components/use-shown';

function Rewards() {
  const {
    rewards: rewardsLoad,
    mine: mineLoad,
    honour: honourLoad,
    loadRewards,
    loadHonour,
    redeem,
  } = useVolunteerStore();
  const [issued, setIssued] = useState<Redemption | null>(null);
  const { busy, run } = useAction();
  const { status, error } = rewardsLoad;
  const rewards = rewardsLoad.data ?? [];
  const mine = mineLoad.data;
  const honour = honourLoad.data;
  useShown(() => {
    void loadRewards();
    void loadHonour();
  });
  const points = mine?.summary.points ?? 0;

  // A redemption shows its code on the screen; only a refusal is toasted.
  const onRedeem = (id: string, title: string, cost: number) =>
    run(
      async () => {
        const { confirm } = await Taro.showModal({
          title: '兑换奖励',
          content: `用 ${cost} 积分兑换「${title}」？`,
          confirmText: '兑换',
        });
        return confirm ? redeem(id) : null;
      },
      { toast: false, then: (data) => data && setIssued(data), otherwise: showOutcome },
    );

  return (
    <View className="vp">
      <View className="vp__card vp__row">
        <Text>我的积分</Text>
        <Text className="vp__big" data-testid="rewards-points">
          {points}
        </Text>
      </View>
      {issued ? (
        <View className="vp__card" data-testid="redeem-code">
          <Text className="vp__title">兑换成功：{issued.rewardTitle}</Text>
          <Text className="vp__code">{issued.code}</Text>
          <Text className="vp__hint">请向工作人员出示兑换码，核销一次后失效。</Text>
        </View>
      ) : null}
      {status === 'loading' && rewards.length === 0 ? <StateView kind="loading" /> : null}
      {status === 'error' ? (
        <StateView kind="error" message={error ?? undefined} onRetry={() => void loadRewards()} />
      ) : null}
      {status === 'ready' && rewards.length === 0 ? (
        <StateView kind="empty" message="社区暂未提供可兑换的奖励" />
      ) : null}
      {rewards.map((r) => (
        <View key={r.id} className="vp__card" data-testid="reward">
          <View className="vp__row">
            <Text className="vp__title">{r.title}</Text>
            <Text className="vp__tag">{r.cost} 积分</Text>
          </View>
          {r.description ? <Text className="vp__hint">{r.description}</Text> : null}
          <Text className="vp__hint">{r.stock === null ? '不限量' : `剩余 ${r.stock}`}</Text>
          <Button
            className="vp__secondary"
            disabled={busy || r.cost > points || r.stock === 0 || !mine?.volunteer || undefined}
            onClick={() => void onRedeem(r.id, r.title, r.cost)}
          >
            {r.cost > points ? '积分不足' : r.stock === 0 ? '已兑完' : '兑换'}
          </Button>
        </View>
      ))}
      <View className="vp__card">
        <Text className="vp__title">光华榜样 · {honour?.month ?? ''} 服务时长</Text>
        {honourLoad.status === 'error' ? (
          <Text className="vp__warn">{honourLoad.error}</Text>
        ) : !honour || honour.rows.length === 0 ? (
          <Text className="vp__hint">本月暂无确认的服务</Text>
        ) : null}
        {honour?.rows.map((row, i) => (
          <View key={i} className="vp__row">
            <Text>
              {row.rank}. {row.name}
              {row.isMe ? '（我）' : ''}
            </Text>
            <Text className="vp__hint">{formatHours(row.minutes)} 小时</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export default function RewardsPage() {
  return (
    <PageShell>
      <Rewards />
    </PageShell>
  );
}
