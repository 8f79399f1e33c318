import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { RISK_LABELS } from '@/domain/visits/cadence';
import { formatRate } from '@/domain/visits/coverage';
import { OUTCOME_LABELS } from '@/domain/visits/visit-log';
import { inShanghai } from '@/domain/shared/time';
import { useVisitsStore } from '@/stores/visits';
import { DueTag } from '../common';
import '../shared.scss';
import { useShown } from '@/components/use-shown';
import { useAction } from '@/components/use-action';

/** Secretary: who is overdue (first), the share visited on time against 100%, and visit time to confirm. */
function Coverage() {
  const { coverage, loadCoverage, pending, loadPending, confirmVisits } = useVisitsStore();
  useShown(() => {
    void loadCoverage();
    void loadPending();
  });
  const { busy, run } = useAction();
  const data = coverage.data;
  if (!data) return <LoadStateView load={coverage} onRetry={() => void loadCoverage()} />;
  const { summary, elders } = data;

  const confirmAll = () =>
    run(async () => {
      const ids = (pending.data ?? []).slice(0, 50).map((p) => p.visitId);
      const { confirm } = await Taro.showModal({
        title: `确认 ${ids.length} 次探访的服务时长？`,
        content: '确认后计入志愿者的服务时长，不能撤回。',
      });
      return confirm ? confirmVisits(ids) : null;
    });

  return (
    <View className="vv">
      <View className="vv__card">
        <Text className="vv__hint">{summary.month} 按时探访率（目标 100%）</Text>
        <Text className="vv__big" data-testid="coverage-rate">
          {formatRate(summary.rate)}
        </Text>
        <View className="vv__bar">
          <View className="vv__bar-fill" style={{ width: `${Math.round(summary.rate * 100)}%` }} />
        </View>
        <Text className="vv__hint" data-testid="coverage-counts">
          共 {summary.total} 人 · 逾期 {summary.overdue} · 待探访 {summary.due} · 已探访{' '}
          {summary.visited} · 本月已见面 {summary.contactedThisMonth}
        </Text>
      </View>
      {elders.length === 0 ? <StateView kind="empty" message="名册里还没有老人" /> : null}
      {elders.map((e) => (
        <View
          key={e.id}
          className="vv__card"
          data-testid="coverage-elder"
          data-elder={e.name}
          data-state={e.status.state}
          onClick={() => void Taro.navigateTo({ url: `/packages/visits/elder/index?id=${e.id}` })}
        >
          <View className="vv__row">
            <Text>
              {e.name} · {RISK_LABELS[e.riskLevel]}
            </Text>
            <DueTag status={e.status} />
          </View>
          <Text className="vv__hint">
            上次：
            {e.lastVisitAt
              ? `${inShanghai(e.lastVisitAt).format('M月D日')} ${e.lastOutcome ? OUTCOME_LABELS[e.lastOutcome] : ''}`
              : '尚未探访'}{' '}
            · 最晚 {e.status.dueDate} · {e.pairedCount === 0 ? '未结对' : e.volunteers.join('、')}
          </Text>
        </View>
      ))}
      <View className="vv__card">
        <View className="vv__row">
          <Text className="vv__title">待确认的探访时长</Text>
          {(pending.data ?? []).length > 0 ? (
            <Button
              size="mini"
              loading={busy || undefined}
              disabled={busy || undefined}
              onClick={() => void confirmAll()}
            >
              全部确认
            </Button>
          ) : null}
        </View>
        {pending.status === 'error' ? (
          <StateView
            kind="error"
            message={pending.error ?? undefined}
            onRetry={() => void loadPending()}
          />
        ) : pending.status === 'loading' ? (
          <StateView kind="loading" />
        ) : (pending.data ?? []).length === 0 ? (
          <Text className="vv__hint">没有待确认的探访</Text>
        ) : null}
        {(pending.data ?? []).map((p) => (
          <Text key={p.visitId} className="vv__hint">
            {p.date} · {p.volunteer} 探访 {p.elderName} · {p.minutes} 分钟 ·{' '}
            {OUTCOME_LABELS[p.outcome]}
          </Text>
        ))}
      </View>
    </View>
  );
}

export default function CoveragePage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以查看探访覆盖' }}>
      <Coverage />
    </PageShell>
  );
}
