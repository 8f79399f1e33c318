import { useMemo, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { go } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { StateView } from '@/components/state-view';
import { browseCategories, describeSchedule } from '@/domain/volunteer/opportunity';
import { formatHours } from '@/domain/volunteer/ledger';
import { REGISTRATION_STATUS_LABELS } from '@/domain/volunteer/registration';
import { useSessionStore } from '@/stores/session';
import { useVolunteerStore } from '@/stores/volunteer';
import { VisitsEntry } from './visits-entry';
import './index.scss';
import { useShown } from '@/components/use-shown';

function VolunteerContent() {
  const { mine: mineLoad, board, load } = useVolunteerStore();
  const mine = mineLoad.data;
  const lists = board.data?.lists;
  const posts = board.data?.posts ?? [];
  const role = useSessionStore((s) => s.account?.role);
  const [category, setCategory] = useState<string>('all');
  useShown(() => void load());

  const categories = useMemo(() => browseCategories(lists ?? []), [lists]);
  const chosen = categories.find((c) => c.name === category);
  const shown = posts.filter((p) => !chosen || chosen.ids.includes(p.categoryId));

  const error = mineLoad.error ?? board.error;
  if (error && (!mine || !lists))
    return <StateView kind="error" message={error} onRetry={() => void load()} />;
  if (!mine || !lists) return <StateView kind="loading" />;

  const volunteer = mine?.volunteer ?? null;
  return (
    <View className="vol">
      {role === 'secretary' ? (
        <Button
          className="vol__admin"
          data-testid="vol-admin"
          onClick={() => go('/packages/volunteer/admin/index')}
        >
          书记管理：清单、确认服务、奖励
        </Button>
      ) : null}

      {volunteer ? (
        <View
          className="vol__card vol__summary"
          onClick={() => go('/packages/volunteer/mine/index')}
          data-testid="vol-summary"
        >
          <View className="vol__stat">
            <Text className="vol__stat-num" data-testid="vol-points">
              {mine?.summary.points ?? 0}
            </Text>
            <Text className="vol__stat-label">积分</Text>
          </View>
          <View className="vol__stat">
            <Text className="vol__stat-num">
              {formatHours(mine?.summary.confirmedMinutes ?? 0)}
            </Text>
            <Text className="vol__stat-label">服务时长（小时）</Text>
          </View>
          <View className="vol__stat">
            <Text className="vol__stat-num">{mine?.claims.length ?? 0}</Text>
            <Text className="vol__stat-label">已认领</Text>
          </View>
          <Text className="vol__link">我的志愿 ›</Text>
          {volunteer.status !== 'approved' ? (
            <Text className="vol__warn">
              登记状态：{REGISTRATION_STATUS_LABELS[volunteer.status]}
            </Text>
          ) : null}
        </View>
      ) : (
        <View className="vol__card">
          <Text className="vol__title">成为社区志愿者</Text>
          <Text className="vol__hint">
            登记后即可认领社区发布的机会岗位，服务可积累时长和积分。
          </Text>
          <Button
            className="vol__primary"
            data-testid="vol-register"
            onClick={() => go('/packages/volunteer/register/index')}
          >
            志愿者登记
          </Button>
        </View>
      )}

      <View className="vol__card vol__row" onClick={() => go('/packages/volunteer/rewards/index')}>
        <Text>积分兑换 · 光华榜样</Text>
        <Text className="vol__link">›</Text>
      </View>
      <VisitsEntry />

      <Text className="vol__section">{lists[0]?.title ?? '机会岗位清单'}</Text>
      {categories.length > 0 ? (
        <View className="vol__tabs">
          {[
            { name: '全部', key: 'all' },
            ...categories.map((c) => ({ name: c.name, key: c.name })),
          ].map((c) => (
            <View
              key={c.key}
              className={`vol__tab ${category === c.key ? 'vol__tab--on' : ''}`}
              data-testid="vol-category"
              onClick={() => setCategory(c.key)}
            >
              {c.name}
            </View>
          ))}
        </View>
      ) : null}
      {shown.length === 0 ? <StateView kind="empty" message="社区暂时没有发布机会岗位" /> : null}
      {shown.map((p) => (
        <View
          key={p.id}
          className="vol__card vol__post"
          data-testid="vol-post"
          onClick={() => go(`/packages/volunteer/post/index?id=${p.id}`)}
        >
          <View className="vol__row">
            <Text className="vol__post-title">{p.title}</Text>
            <Text
              className={`vol__places ${p.placesLeft === 0 ? 'vol__places--full' : ''}`}
              data-testid="vol-places"
            >
              {p.placesLeft === 0 ? '已满' : `余 ${p.placesLeft}/${p.capacity}`}
            </Text>
          </View>
          <Text className="vol__hint">{describeSchedule(p.schedule)}</Text>
          <Text className="vol__hint">
            {p.location.place} · {p.points} 积分
          </Text>
          <View className="vol__tags">
            {p.requirements.partyMemberOnly ? <Text className="vol__tag">仅限党员</Text> : null}
            {p.requirements.note ? (
              <Text className="vol__tag vol__tag--soft">{p.requirements.note}</Text>
            ) : null}
            {p.myClaim === 'claimed' ? (
              <Text className="vol__tag vol__tag--mine">已认领</Text>
            ) : null}
          </View>
        </View>
      ))}
    </View>
  );
}

export default function VolunteerPage() {
  return (
    <PageShell>
      <VolunteerContent />
    </PageShell>
  );
}
