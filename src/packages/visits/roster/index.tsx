import { Button, Text, View } from '@tarojs/components';
import { go, NavLinks, type NavLink } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { useVisitsStore } from '@/stores/visits';
import { ElderHead } from '../common';
import '../shared.scss';
import { useShown } from '@/components/use-shown';

const TOOLS: readonly NavLink[] = [
  { label: '探访覆盖', url: '/packages/visits/coverage/index', testId: 'open-coverage' },
  { label: '紧急情况', url: '/packages/visits/flags/index', testId: 'open-flags' },
  { label: '访问记录', url: '/packages/visits/access/index' },
  { label: '探访周期', url: '/packages/visits/settings/index', testId: 'open-settings' },
];

/** Secretary: the roster (phone and address masked), and the way to every visits tool. */
function Roster() {
  const { roster, loadRoster } = useVisitsStore();
  useShown(() => void loadRoster());
  return (
    <View className="vv">
      <View className="vv__row">
        <NavLinks links={TOOLS} />
      </View>
      <Button
        className="vv__primary"
        data-testid="add-elder"
        onClick={() => go('/packages/visits/edit/index')}
      >
        登记老人
      </Button>
      <Text className="vv__hint">列表中电话、地址已遮挡；点开查看完整信息会留下记录。</Text>
      {roster.data === null ? (
        <LoadStateView load={roster} onRetry={() => void loadRoster()} />
      ) : roster.data.length === 0 ? (
        <StateView kind="empty" message="名册里还没有老人" />
      ) : (
        roster.data.map((e) => (
          <View
            key={e.id}
            className="vv__card"
            data-testid="roster-elder"
            onClick={() => go(`/packages/visits/elder/index?id=${e.id}`)}
          >
            <ElderHead elder={e} tail={e.maskedPhone || '无电话'} />
            <Text className={e.pairedCount === 0 ? 'vv__warn' : 'vv__hint'}>
              {e.pairedCount === 0 ? '尚未结对' : `结对：${e.volunteers.join('、')}`}
              {e.openFlags > 0 ? ` · ${e.openFlags} 条紧急情况待处理` : ''}
            </Text>
          </View>
        ))
      )}
    </View>
  );
}

export default function RosterPage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以查看老人名册' }}>
      <Roster />
    </PageShell>
  );
}
