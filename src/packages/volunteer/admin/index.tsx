import { useState } from 'react';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PickerInput, TextInput } from '@/components/field';
import { go } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { RATING_LABELS, averageRating, ratingStars } from '@/domain/volunteer/feedback';
import {
  LIST_STATUS_LABELS,
  addDays,
  copiedPeriod,
  isValidDate,
  nextPeriodFrom,
} from '@/domain/volunteer/opportunity';
import { inShanghai, shanghaiDate } from '@/domain/shared/time';
import { useSessionStore } from '@/stores/session';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';
import { useShown } from '@/components/use-shown';
import { useAction } from '@/components/use-action';
import { showHint } from '@/components/toast';

function Admin() {
  const role = useSessionStore((s) => s.account?.role);
  const s = useVolunteerStore();
  const [code, setCode] = useState('');
  const [from, setFrom] = useState(`${shanghaiDate(new Date()).slice(0, 8)}01`);
  const [until, setUntil] = useState(shanghaiDate(new Date()));
  const today = shanghaiDate(new Date());
  const [csv, setCsv] = useState('');
  /** The list being copied and the start of the new period the secretary chose. */
  const [copying, setCopying] = useState<{ id: string; from: string } | null>(null);
  const [reward, setReward] = useState({ title: '', cost: '', stock: '' });
  const { busy, run } = useAction();
  useShown(() => {
    if (role === 'secretary') {
      void s.loadAdmin();
      void s.loadRewards(true);
      void s.loadFeedback();
    }
  });
  if (role !== 'secretary') return <StateView kind="error" message="仅社区书记可以使用" />;
  const adminLists = s.adminLists.data ?? [];
  const feedback = s.feedback.data ?? [];
  const pending = s.pending.data ?? [];
  const rewards = s.rewards.data ?? [];
  if (s.adminLists.status === 'error' && adminLists.length === 0)
    return <LoadStateView load={s.adminLists} onRetry={() => void s.loadAdmin()} />;

  const ask = async (title: string, content: string) =>
    (await Taro.showModal({ title, content })).confirm;
  const publish = (id: string) =>
    run(async () =>
      (await ask('发布清单', '发布后志愿者即可认领，岗位不能再修改。确定发布？'))
        ? s.publishList(id)
        : null,
    );
  const close = (id: string) =>
    run(async () =>
      (await ask('结束清单', '结束后不能再认领。确定结束？')) ? s.closeList(id) : null,
    );
  const decide = (openid: string, approve: boolean) =>
    run(async () =>
      approve || (await ask('拒绝登记', '确定拒绝这位志愿者的登记？'))
        ? s.approve(openid, approve)
        : null,
    );
  const copy = () => {
    if (!copying) return;
    if (!isValidDate(copying.from)) return showHint('日期格式应为 2025-03-01');
    void run(() => s.copyList(copying.id, copying.from), { then: () => setCopying(null) });
  };
  const addReward = () =>
    run(
      () =>
        s.saveReward({
          title: reward.title,
          description: '',
          cost: Number(reward.cost),
          stock: reward.stock ? Number(reward.stock) : null,
          active: true,
        }),
      { then: () => setReward({ title: '', cost: '', stock: '' }) },
    );
  const toggleReward = (
    id: string,
    title: string,
    cost: number,
    stock: number | null,
    active: boolean,
  ) =>
    run(async () =>
      active || (await ask('下架奖励', `确定下架「${title}」？`))
        ? s.saveReward({
            id,
            title,
            description: rewards.find((r) => r.id === id)?.description ?? '',
            cost,
            stock,
            active,
          })
        : null,
    );
  /** The verification answer is shown in a dialog, kept until the secretary closes it. */
  const showVerified = (ok: boolean, content: string) =>
    void Taro.showModal({ title: ok ? '核销成功' : '核销失败', content, showCancel: false });
  const verify = () =>
    void run(
      async () => {
        const outcome = await s.verify(code);
        showVerified(outcome.ok, outcome.message);
        return outcome;
      },
      { toast: false, then: () => setCode('') },
    );
  const doExport = () =>
    run(() => s.exportCsv(from, until), {
      then: (data) => {
        if (!data) return;
        setCsv(data.csv);
        if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
          const a = document.createElement('a');
          a.href = URL.createObjectURL(new Blob([data.csv], { type: 'text/csv;charset=utf-8' }));
          a.download = data.filename;
          a.click();
        } else {
          void Taro.setClipboardData({ data: data.csv });
        }
      },
    });

  return (
    <View className="vp">
      <Button
        className="vp__primary"
        data-testid="admin-compose"
        onClick={() => go('/packages/volunteer/compose/index')}
      >
        新建机会岗位清单
      </Button>
      <Text className="vp__title">清单</Text>
      {s.adminLists.status === 'loading' ? <StateView kind="loading" /> : null}
      {s.adminLists.status === 'ready' && adminLists.length === 0 ? (
        <StateView kind="empty" message="还没有清单" />
      ) : null}
      {adminLists.map((l) => (
        <View key={l.id} className="vp__card" data-testid="admin-list">
          <View className="vp__row">
            <Text>{l.title}</Text>
            <Text className="vp__tag">{LIST_STATUS_LABELS[l.status]}</Text>
          </View>
          <Text className="vp__hint">
            {l.periodFrom} 至 {l.periodUntil} · {l.postCount} 个岗位
          </Text>
          <View className="vp__row">
            {l.status === 'draft' ? (
              <Button size="mini" data-testid="admin-publish" onClick={() => void publish(l.id)}>
                发布
              </Button>
            ) : null}
            {l.status === 'draft' ? (
              <Button
                size="mini"
                onClick={() => go(`/packages/volunteer/compose/index?id=${l.id}`)}
              >
                编辑
              </Button>
            ) : null}
            {l.status !== 'draft' ? (
              <Button
                size="mini"
                data-testid="admin-claims"
                onClick={() => go(`/packages/volunteer/claims/index?id=${l.id}`)}
              >
                认领与确认
              </Button>
            ) : null}
            {l.status === 'published' ? (
              <Button size="mini" disabled={busy || undefined} onClick={() => void close(l.id)}>
                结束
              </Button>
            ) : null}
            <Button
              size="mini"
              data-testid="admin-copy"
              onClick={() =>
                setCopying({ id: l.id, from: nextPeriodFrom(l, shanghaiDate(new Date())) })
              }
            >
              复制
            </Button>
          </View>
          {copying?.id === l.id ? (
            <View className="vp__card" data-testid="admin-copy-panel">
              <Text className="vp__label">新清单从哪天开始</Text>
              <PickerInput
                block="vp"
                mode="date"
                testId="admin-copy-from"
                value={copying.from}
                start={addDays(today, -365)}
                end={addDays(today, 730)}
                onValue={(value) => setCopying({ id: l.id, from: value })}
              />
              <Text className="vp__hint">
                {isValidDate(copying.from)
                  ? `新时间段 ${copiedPeriod(l, copying.from).periodFrom} 至 ${copiedPeriod(l, copying.from).periodUntil}，岗位日期随之顺延`
                  : '请输入有效日期'}
              </Text>
              <View className="vp__row">
                <Button size="mini" onClick={() => setCopying(null)}>
                  取消
                </Button>
                <Button size="mini" data-testid="admin-copy-confirm" onClick={copy}>
                  复制为草稿
                </Button>
              </View>
            </View>
          ) : null}
        </View>
      ))}

      <View className="vp__card" data-testid="admin-feedback">
        <Text className="vp__title">服务反馈</Text>
        {feedback.length === 0 ? (
          <Text className="vp__hint">还没有反馈</Text>
        ) : (
          <Text className="vp__hint">
            最近 {feedback.length} 条，平均 {averageRating(feedback)} 星
          </Text>
        )}
        {feedback.map((f) => (
          <View key={f.id} className="vp__row" data-testid="admin-feedback-row">
            <View>
              <Text>{f.postTitle}</Text>
              <Text className="vp__hint">
                {' '}
                {f.fromRole === 'secretary' ? '社区' : '志愿者'} ·{' '}
                {inShanghai(f.at).format('MM-DD HH:mm')}
                {f.text ? ` · ${f.text}` : ''}
              </Text>
            </View>
            <Text className="vp__warn" aria-label={`${f.rating} 星，${RATING_LABELS[f.rating]}`}>
              {ratingStars(f.rating)}
            </Text>
          </View>
        ))}
      </View>

      <View className="vp__card">
        <Text className="vp__title">登记设置</Text>
        <View className="vp__row">
          <Text>志愿者登记需审核</Text>
          <Switch
            checked={s.settings.data?.requireApproval ?? false}
            color="#0f766e"
            onChange={(e) => void run(() => s.updateSettings({ requireApproval: e.detail.value }))}
          />
        </View>
        {pending.map((p) => (
          <View key={p.openid} className="vp__row">
            <Text>
              {p.maskedName} {p.maskedPhone} {p.partyMember ? '党员' : ''}
            </Text>
            <Button
              size="mini"
              disabled={busy || undefined}
              onClick={() => void decide(p.openid, true)}
            >
              通过
            </Button>
            <Button
              size="mini"
              disabled={busy || undefined}
              onClick={() => void decide(p.openid, false)}
            >
              拒绝
            </Button>
          </View>
        ))}
      </View>

      <View className="vp__card">
        <Text className="vp__title">奖励目录</Text>
        {rewards.map((r) => (
          <View key={r.id} className="vp__row">
            <Text>
              {r.title} · {r.cost} 分 · {r.stock === null ? '不限' : `剩 ${r.stock}`}
            </Text>
            <Switch
              checked={r.active}
              color="#0f766e"
              onChange={(e) => void toggleReward(r.id, r.title, r.cost, r.stock, e.detail.value)}
            />
          </View>
        ))}
        <TextInput
          block="vp"
          placeholder="奖励名称，如 健身房一小时"
          value={reward.title}
          maxlength={30}
          onValue={(value) => setReward({ ...reward, title: value })}
        />
        <View className="vp__row">
          <TextInput
            block="vp"
            type="number"
            placeholder="所需积分"
            maxlength={6}
            value={reward.cost}
            onValue={(value) => setReward({ ...reward, cost: value })}
          />
          <TextInput
            block="vp"
            type="number"
            placeholder="库存（空为不限）"
            maxlength={6}
            value={reward.stock}
            onValue={(value) => setReward({ ...reward, stock: value })}
          />
        </View>
        <Button disabled={busy || undefined} onClick={() => void addReward()}>
          添加奖励
        </Button>
      </View>

      <View className="vp__card">
        <Text className="vp__title">核销兑换码</Text>
        <TextInput
          block="vp"
          placeholder="8 位兑换码"
          value={code}
          maxlength={9}
          onValue={setCode}
        />
        <Button disabled={busy || undefined} onClick={verify}>
          核销
        </Button>
      </View>

      <View className="vp__card">
        <Text className="vp__title">导出服务时长（全国志愿服务信息系统字段）</Text>
        <View className="vp__row">
          <PickerInput
            block="vp"
            mode="date"
            testId="export-from"
            value={from}
            start={addDays(today, -3650)}
            end={today}
            onValue={setFrom}
          />
          <Text>至</Text>
          <PickerInput
            block="vp"
            mode="date"
            testId="export-until"
            value={until}
            start={addDays(today, -3650)}
            end={today}
            onValue={setUntil}
          />
        </View>
        <Button onClick={() => void doExport()}>导出 CSV</Button>
        {csv ? <Text className="vp__notice">{csv.slice(0, 600)}</Text> : null}
      </View>
    </View>
  );
}

export default function AdminPage() {
  return (
    <PageShell>
      <Admin />
    </PageShell>
  );
}
