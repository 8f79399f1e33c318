import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { NavLinks } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { DUE_REASON_LABELS, RISK_LABELS } from '@/domain/visits/cadence';
import { CONSENT_BY_LABELS, LIVING_LABELS } from '@/domain/visits/elder';
import {
  CHECK_ITEMS,
  CHECK_LABELS,
  CHECK_VALUE_LABELS,
  OUTCOME_LABELS,
} from '@/domain/visits/visit-log';
import { inShanghai } from '@/domain/shared/time';
import { useSessionStore } from '@/stores/session';
import { useVisitsStore } from '@/stores/visits';
import { DueTag } from '../common';
import '../shared.scss';
import { useShown } from '@/components/use-shown';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';

/** One elder's full record. Opening it is recorded in the access log (server side). */
function ElderDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const isSecretary = useSessionStore((s) => s.account?.role === 'secretary');
  const { elder, loadElder, candidates, loadCandidates, pair, unpair, archiveElder } =
    useVisitsStore();
  useShown(() => {
    void loadElder(id);
    if (isSecretary) void loadCandidates();
  });
  const { busy, run } = useAction();

  const e = elder.data?.id === id ? elder.data : null;
  if (!e) return <LoadStateView load={elder} onRetry={() => void loadElder(id)} />;

  const pairWith = () =>
    run(async () => {
      const list = (candidates.data ?? [])
        .filter((c) => !e.pairings.some((p) => p.active && p.openid === c.openid))
        .slice(0, 6);
      if (list.length === 0) {
        showHint(
          candidates.status === 'error' && candidates.error
            ? candidates.error
            : '没有可结对的志愿者',
        );
        return null;
      }
      const picked = await Taro.showActionSheet({
        itemList: list.map(
          (c) => `${c.maskedName} ${c.maskedPhone}${c.claimId ? ' · 已认领探访岗' : ''}`,
        ),
      }).catch(() => null);
      if (!picked) return null;
      const c = list[picked.tapIndex];
      return pair(e.id, c.openid, c.claimId);
    });
  const endPair = (openid: string, maskedName: string) =>
    run(async () => {
      const { confirm } = await Taro.showModal({
        title: '解除结对？',
        content: `${maskedName} 将不能再查看这位老人的信息。`,
      });
      return confirm ? unpair(e.id, openid) : null;
    });
  const archive = () =>
    run(
      async () => {
        const res = (await Taro.showModal({
          title: '归档这位老人？',
          content: '',
          editable: true,
          placeholderText: '归档原因，如：已搬离',
        } as Parameters<typeof Taro.showModal>[0])) as { confirm: boolean; content?: string };
        if (!res.confirm) return null;
        return archiveElder(e.id, (res.content ?? '').trim() || '不再需要探访');
      },
      { then: () => void setTimeout(() => void Taro.navigateBack(), 600) },
    );

  return (
    <View className="vv">
      <View className="vv__card">
        <View className="vv__row">
          <Text className="vv__title">
            {e.name}（{e.age}岁）
          </Text>
          <DueTag status={e.status} />
        </View>
        <Text>
          {e.address} · {LIVING_LABELS[e.livingSituation]} · {RISK_LABELS[e.riskLevel]}
        </Text>
        <Text>电话：{e.phone || '无'}</Text>
        {e.emergencyContacts.map((c) => (
          <Text key={c.phone}>
            紧急联系人：{c.name}（{c.relation}）{c.phone}
          </Text>
        ))}
        {e.notes ? <Text className="vv__hint">备注：{e.notes}</Text> : null}
        <Text className="vv__hint">
          下次：{DUE_REASON_LABELS[e.status.reason]}，最晚 {e.status.dueDate}
        </Text>
        <Text className="vv__hint">
          信息收集已由{CONSENT_BY_LABELS[e.consent.by]}同意（{e.consent.version}）· 本次查看已记录
        </Text>
      </View>
      {!isSecretary ? (
        <Button
          className="vv__primary"
          onClick={() =>
            void Taro.navigateTo({
              url: `/packages/visits/log/index?elderId=${e.id}&name=${encodeURIComponent(e.name)}`,
            })
          }
        >
          记录探访
        </Button>
      ) : (
        <View className="vv__card">
          <View className="vv__row">
            <Text className="vv__title">结对志愿者</Text>
            <Button
              size="mini"
              data-testid="pair-volunteer"
              disabled={busy || undefined}
              onClick={() => void pairWith()}
            >
              结对
            </Button>
          </View>
          {e.pairings.filter((p) => p.active).length === 0 ? (
            <Text className="vv__warn">尚未结对</Text>
          ) : null}
          {e.pairings
            .filter((p) => p.active)
            .map((p) => (
              <View key={p.openid} className="vv__row">
                <Text>
                  {p.maskedName}
                  {p.claimId ? ' · 来自岗位认领' : ''}
                </Text>
                <Button
                  size="mini"
                  disabled={busy || undefined}
                  onClick={() => void endPair(p.openid, p.maskedName)}
                >
                  解除
                </Button>
              </View>
            ))}
          <View className="vv__row">
            <NavLinks
              links={[
                { label: '修改信息', url: `/packages/visits/edit/index?id=${e.id}` },
                { label: '访问记录', url: `/packages/visits/access/index?elderId=${e.id}` },
              ]}
            />
            <Button size="mini" disabled={busy || undefined} onClick={() => void archive()}>
              归档
            </Button>
          </View>
        </View>
      )}
      <Text className="vv__title">最近探访</Text>
      {e.recentVisits.length === 0 ? <StateView kind="empty" message="还没有探访记录" /> : null}
      {e.recentVisits.map((v) => (
        <View key={v.id} className="vv__card">
          <View className="vv__row">
            <Text>
              {inShanghai(v.endAt).format('M月D日 HH:mm')} · {OUTCOME_LABELS[v.outcome]}
            </Text>
            <Text className="vv__hint">
              {v.volunteer} · {v.minutes} 分钟
            </Text>
          </View>
          <Text className="vv__hint">
            {CHECK_ITEMS.map((i) => `${CHECK_LABELS[i]}${CHECK_VALUE_LABELS[v.checklist[i]]}`).join(
              ' · ',
            )}
          </Text>
          {v.notes ? <Text>{v.notes}</Text> : null}
          {v.urgent ? <Text className="vv__warn">紧急：{v.urgentNote}</Text> : null}
        </View>
      ))}
    </View>
  );
}

export default function ElderPage() {
  return (
    <PageShell>
      <ElderDetail />
    </PageShell>
  );
}
