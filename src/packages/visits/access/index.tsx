import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { ACCESS_ACTION_LABELS } from '@/domain/contract';
import { ROLE_LABELS, type Role } from '@/domain/account/roles';
import { inShanghai } from '@/domain/shared/time';
import { useVisitsStore } from '@/stores/visits';
import '../shared.scss';
import { useShown } from '@/components/use-shown';

/** Secretary: who saw or changed what and when, including refused attempts. */
function AccessLog() {
  const { params } = useRouter();
  const elderId = params.elderId;
  const { accessLog, loadAccessLog } = useVisitsStore();
  useShown(() => void loadAccessLog(0, elderId));
  const data = accessLog.data;
  if (!data)
    return <LoadStateView load={accessLog} onRetry={() => void loadAccessLog(0, elderId)} />;
  return (
    <View className="vv">
      {data.entries.length === 0 ? <StateView kind="empty" message="还没有记录" /> : null}
      {data.entries.map((e) => (
        <View key={e.id} className="vv__card" data-testid="access-entry">
          <View className="vv__row">
            <Text className={e.action === 'refused' ? 'vv__warn' : ''}>
              {ACCESS_ACTION_LABELS[e.action]}
              {e.elderName ? ` · ${e.elderName}` : ''}
            </Text>
            <Text className="vv__hint">{inShanghai(e.at).format('M月D日 HH:mm:ss')}</Text>
          </View>
          <Text className="vv__hint">
            {e.actorName}（{ROLE_LABELS[e.actorRole as Role] ?? e.actorRole}）
            {e.detail ? ` · ${e.detail}` : ''}
          </Text>
        </View>
      ))}
      {data.hasMore ? (
        <Button size="mini" onClick={() => void loadAccessLog(data.page + 1, elderId)}>
          加载更多
        </Button>
      ) : null}
    </View>
  );
}

export default function AccessLogPage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以查看访问记录' }}>
      <AccessLog />
    </PageShell>
  );
}
