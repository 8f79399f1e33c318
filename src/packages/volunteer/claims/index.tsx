import { useEffect, useState } from 'react';
import { Button, Checkbox, Label, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { TextInput } from '@/components/field';
import { PageShell } from '@/components/page-shell';
import { LoadStateView, StateView } from '@/components/state-view';
import { SERVICE_STATUS_LABELS } from '@/domain/volunteer/service';
import { formatHours } from '@/domain/volunteer/ledger';
import { shanghaiDate } from '@/domain/shared/time';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';
import { useAction } from '@/components/use-action';
import { showHint } from '@/components/toast';

function Claims() {
  const listId = useRouter().params.id ?? '';
  const { claimViews: claimsLoad, loadClaims, confirm, adjust } = useVolunteerStore();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [date, setDate] = useState(shanghaiDate(new Date()));
  const [hours, setHours] = useState('2');
  const [adjustFor, setAdjustFor] = useState<string | null>(null);
  const { busy, run } = useAction();
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (listId) void loadClaims(listId);
  }, [listId, loadClaims]);

  if (claimsLoad.status === 'error' || !claimsLoad.data)
    return <LoadStateView load={claimsLoad} onRetry={() => void loadClaims(listId)} />;
  const active = claimsLoad.data.filter((c) => c.status === 'claimed');
  if (active.length === 0) return <StateView kind="empty" message="还没有志愿者认领" />;

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const bulkConfirm = () => {
    const h = Number(hours);
    if (selected.size === 0) return showHint('请先选择要确认的服务');
    void run(
      async () => {
        const { confirm: yes } = await Taro.showModal({
          title: '确认服务',
          content: `为 ${selected.size} 位志愿者确认 ${date} 服务 ${h} 小时，并发放岗位积分？`,
        });
        if (!yes) return null;
        return confirm([...selected].map((claimId) => ({ claimId, date, hours: h })));
      },
      {
        then: () => {
          setSelected(new Set());
          void loadClaims(listId);
        },
      },
    );
  };
  const doAdjust = (openid: string) => {
    const points = Number(delta);
    void run(
      async () => {
        const { confirm: yes } = await Taro.showModal({
          title: '调整积分',
          content: `${points > 0 ? '增加' : '扣减'} ${Math.abs(points)} 积分，原因：${reason}`,
        });
        return yes ? adjust(openid, points, reason) : null;
      },
      {
        then: () => {
          setAdjustFor(null);
          setDelta('');
          setReason('');
        },
      },
    );
  };

  return (
    <View className="vp">
      <View className="vp__card">
        <Text className="vp__title">批量确认服务</Text>
        <View className="vp__row">
          <TextInput block="vp" value={date} maxlength={10} onValue={setDate} />
          <TextInput block="vp" type="digit" value={hours} maxlength={4} onValue={setHours} />
          <Text>小时</Text>
        </View>
        <Button
          className="vp__secondary"
          onClick={() => setSelected(new Set(active.map((c) => c.id)))}
        >
          全选
        </Button>
        <Button className="vp__primary" data-testid="claims-confirm" onClick={bulkConfirm}>
          确认所选（{selected.size}）
        </Button>
      </View>
      {active.map((c) => (
        <View key={c.id} className="vp__card" data-testid="claim-row">
          <Label className="vp__row" onClick={() => toggle(c.id)}>
            <Checkbox value={c.id} checked={selected.has(c.id)} color="#0f766e" />
            <Text>
              {c.maskedName} {c.maskedPhone}
            </Text>
            <Text className="vp__hint">{c.postTitle}</Text>
          </Label>
          {c.services.map((s) => (
            <Text key={s.id} className={s.flagged ? 'vp__warn' : 'vp__hint'}>
              {s.date} {SERVICE_STATUS_LABELS[s.status]}{' '}
              {s.minutes ? `${formatHours(s.minutes)} 小时` : ''}
              {s.flagged ? '（超 24 小时未签退，请核实）' : ''}
            </Text>
          ))}
          {adjustFor === c.openid ? (
            <View>
              <TextInput
                block="vp"
                type="text"
                placeholder="积分（负数为扣减）"
                maxlength={6}
                value={delta}
                onValue={setDelta}
              />
              <TextInput
                block="vp"
                placeholder="原因"
                value={reason}
                maxlength={100}
                onValue={setReason}
              />
              <Button size="mini" disabled={busy || undefined} onClick={() => doAdjust(c.openid)}>
                提交调整
              </Button>
            </View>
          ) : (
            <Button size="mini" onClick={() => setAdjustFor(c.openid)}>
              调整积分
            </Button>
          )}
        </View>
      ))}
    </View>
  );
}

export default function ClaimsPage() {
  return (
    <PageShell>
      <Claims />
    </PageShell>
  );
}
