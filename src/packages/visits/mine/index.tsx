import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { QUEUE_STATE_LABELS } from '@/domain/visits/queue';
import { inShanghai } from '@/domain/shared/time';
import { useVisitsStore, watchNetwork } from '@/stores/visits';
import { ElderHead } from '../common';
import '../shared.scss';
import { useShown } from '@/components/use-shown';
import { useBusy } from '@/components/use-busy';

function Waiting() {
  const { queue, flushing, flush, retryVisit, discardVisit } = useVisitsStore();
  const { busy, guard } = useBusy();
  if (queue.length === 0) return null;
  const discardOne = async (visitId: string) => {
    const { confirm } = await Taro.showModal({
      title: '删除这条探访记录？',
      content: '删除后无法恢复，服务时长也不会记录。',
      confirmText: '删除',
      confirmColor: '#b91c1c',
    });
    if (confirm) discardVisit(visitId);
  };
  return (
    <View className="vv__card vv__queue" data-testid="visit-queue">
      <View className="vv__row">
        <Text className="vv__title">待发送 {queue.length} 条</Text>
        <Button
          size="mini"
          loading={flushing}
          disabled={flushing || undefined}
          data-testid="queue-resend"
          onClick={() => void flush()}
        >
          重新发送
        </Button>
      </View>
      <Text className="vv__hint">这些探访已保存在手机上，联网后会自动发送，不会重复记录。</Text>
      {queue.map((q) => (
        <View key={q.visitId} className="vv__row" data-testid="queue-item">
          <Text>
            {q.elderName} · {inShanghai(q.input.endAt).format('M月D日 HH:mm')}
          </Text>
          <Text className={q.state === 'rejected' ? 'vv__warn' : 'vv__hint'}>
            {q.state === 'rejected'
              ? (q.lastError?.message ?? QUEUE_STATE_LABELS.rejected)
              : QUEUE_STATE_LABELS[q.state]}
          </Text>
          {q.state === 'rejected' ? (
            <View className="vv__row">
              <Button
                size="mini"
                disabled={busy || undefined}
                onClick={() => void guard(retryVisit)(q.visitId)}
              >
                再试
              </Button>
              <Button
                size="mini"
                disabled={busy || undefined}
                onClick={() => void guard(discardOne)(q.visitId)}
              >
                删除
              </Button>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  );
}

function MyElders() {
  const { mine, mineSavedAt, loadMine, restoreQueue, flush } = useVisitsStore();
  useEffect(() => {
    restoreQueue();
    watchNetwork();
  }, [restoreQueue]);
  // Every time the screen shows: send what waits, then refresh the list.
  useShown(() => {
    void flush();
    void loadMine();
  });

  const list = mine.data;
  return (
    <View className="vv">
      <Waiting />
      {mineSavedAt && mine.status === 'error' ? (
        <Text className="vv__hint" data-testid="mine-offline">
          暂时连不上网络，显示的是 {inShanghai(mineSavedAt).format('M月D日 HH:mm')}{' '}
          保存在手机上的结对名单；可以照常记录探访，联网后自动发送
        </Text>
      ) : null}
      {list === null ? (
        <LoadStateView load={mine} onRetry={() => void loadMine()} />
      ) : list.length === 0 ? (
        <StateView kind="empty" message="还没有结对的老人，社区书记结对后会显示在这里" />
      ) : (
        list.map((e) => (
          <View key={e.id} className="vv__card" data-testid="my-elder" data-elder={e.name}>
            <ElderHead elder={e} tail={`最晚 ${e.status.dueDate}`} />
            <Text className="vv__hint">
              上次探访：{e.lastVisitAt ? inShanghai(e.lastVisitAt).format('M月D日') : '尚未探访'}
            </Text>
            <View className="vv__row">
              <Button
                className="vv__primary"
                data-testid="log-visit"
                onClick={() =>
                  void Taro.navigateTo({
                    url: `/packages/visits/log/index?elderId=${e.id}&name=${encodeURIComponent(e.name)}`,
                  })
                }
              >
                记录探访
              </Button>
              <Button
                size="mini"
                onClick={() =>
                  void Taro.navigateTo({ url: `/packages/visits/elder/index?id=${e.id}` })
                }
              >
                详情
              </Button>
            </View>
          </View>
        ))
      )}
    </View>
  );
}

export default function MyEldersPage() {
  return (
    <PageShell>
      <MyElders />
    </PageShell>
  );
}
