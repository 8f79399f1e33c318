import { useEffect, useState } from 'react';
import { Button, Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import * as v from 'valibot';
import { PageShell } from '@/components/page-shell';
import { LoadStateView } from '@/components/state-view';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';
import {
  DEFAULT_CADENCE,
  RISK_LABELS,
  RISK_LEVELS,
  type RiskLevel,
  describeInterval,
} from '@/domain/visits/cadence';
import {
  CONSENT_BY,
  CONSENT_BY_LABELS,
  type ConsentBy,
  HEALTH_LABELS,
  HEALTH_STATES,
  type HealthState,
  LIVING_LABELS,
  LIVING_SITUATIONS,
  type LivingSituation,
  PURPOSE_STATEMENT,
  PURPOSE_TITLE,
  PURPOSE_VERSION,
  elderDraftSchema,
  suggestRiskLevel,
} from '@/domain/visits/elder';
import { useVisitsStore } from '@/stores/visits';
import '../shared.scss';

/** Secretary: add or change an elder. The purpose statement is shown first; consent is required. */
function EditElder() {
  const { params } = useRouter();
  const id = params.id;
  const { elder, loadElder, saveElder, settings, loadSettings } = useVisitsStore();
  const [form, setForm] = useState({
    name: '',
    age: '',
    building: '',
    unit: '',
    room: '',
    phone: '',
    contactName: '',
    contactRelation: '',
    contactPhone: '',
    notes: '',
  });
  const [living, setLiving] = useState<LivingSituation>('alone');
  const [health, setHealth] = useState<HealthState | null>(null);
  // The secretary's own choice; until they make one, the suggestion is pre-selected.
  const [chosenRisk, setChosenRisk] = useState<RiskLevel | null>(null);
  const [consentBy, setConsentBy] = useState<ConsentBy | null>(null);
  const [flagged, setFlagged] = useState(false);
  const { busy, run } = useAction();

  useEffect(() => {
    if (id) void loadElder(id);
  }, [id, loadElder]);
  useEffect(() => {
    if (settings.status === 'idle') void loadSettings();
  }, [settings.status, loadSettings]);
  const cadence = settings.data?.cadence ?? DEFAULT_CADENCE;
  const suggestion = suggestRiskLevel(living, health ?? undefined);
  const risk = chosenRisk ?? suggestion.level;
  useEffect(() => {
    const e = elder.data;
    if (!id || !e || e.id !== id) return;
    const c = e.emergencyContacts[0];
    setForm({
      name: e.name,
      age: String(e.age),
      building: e.building,
      unit: e.unit,
      room: e.room,
      phone: e.phone,
      contactName: c?.name ?? '',
      contactRelation: c?.relation ?? '',
      contactPhone: c?.phone ?? '',
      notes: e.notes,
    });
    setLiving(e.livingSituation);
    setChosenRisk(e.riskLevel);
    setConsentBy(e.consent.by);
  }, [id, elder.data]);

  const field = (key: keyof typeof form, placeholder: string, type: 'text' | 'number' = 'text') => (
    <Input
      className="vv__input"
      type={type}
      value={form[key]}
      placeholder={placeholder}
      data-testid={`elder-${key}`}
      onInput={(e) => setForm({ ...form, [key]: e.detail.value })}
    />
  );

  const save = () => {
    const others = elder.data && id ? elder.data.emergencyContacts.slice(1) : [];
    const draft = {
      name: form.name.trim(),
      age: Number(form.age),
      building: form.building.trim(),
      unit: form.unit.trim(),
      room: form.room.trim(),
      livingSituation: living,
      riskLevel: risk,
      phone: form.phone.trim(),
      emergencyContacts: [
        {
          name: form.contactName.trim(),
          relation: form.contactRelation.trim(),
          phone: form.contactPhone.trim(),
        },
        ...others,
      ],
      notes: form.notes.trim(),
      consent: { version: consentBy ? PURPOSE_VERSION : '', by: consentBy ?? 'elder' },
    };
    const parsed = v.safeParse(elderDraftSchema, draft);
    if (!parsed.success) return showHint(parsed.issues[0].message);
    void run(() => saveElder(draft, id, flagged), {
      then: () => void setTimeout(() => void Taro.navigateBack(), 600),
    });
  };

  // Changing an elder: the form is filled from their record once it has loaded.
  if (id && elder.data?.id !== id)
    return <LoadStateView load={elder} onRetry={() => void loadElder(id)} />;

  return (
    <View className="vv">
      <View className="vv__card">
        <Text className="vv__title">{PURPOSE_TITLE}</Text>
        {PURPOSE_STATEMENT.map((p) => (
          <Text key={p} className="vv__hint">
            {p}
          </Text>
        ))}
        <Text>已向谁说明并取得同意：</Text>
        <View className="vv__row">
          {CONSENT_BY.map((c) => (
            <Button
              key={c}
              className={`vv__choice ${consentBy === c ? 'vv__choice--on' : ''}`}
              data-testid={`consent-${c}`}
              onClick={() => setConsentBy(c)}
            >
              {CONSENT_BY_LABELS[c]}
            </Button>
          ))}
        </View>
      </View>
      <View className="vv__card">
        {field('name', '老人姓名')}
        {field('age', '年龄', 'number')}
        <View className="vv__row">
          {field('building', '楼栋')}
          {field('unit', '单元')}
          {field('room', '门牌（选填）')}
        </View>
        {field('phone', '联系电话（选填）')}
        <Text>居住情况</Text>
        <View className="vv__row">
          {LIVING_SITUATIONS.map((l) => (
            <Button
              key={l}
              className={`vv__choice ${living === l ? 'vv__choice--on' : ''}`}
              data-testid={`living-${l}`}
              onClick={() => setLiving(l)}
            >
              {LIVING_LABELS[l]}
            </Button>
          ))}
        </View>
        <Text>健康状况（仅用于建议风险等级，不保存）</Text>
        <View className="vv__row">
          {HEALTH_STATES.map((h) => (
            <Button
              key={h}
              className={`vv__choice ${health === h ? 'vv__choice--on' : ''}`}
              data-testid={`health-${h}`}
              onClick={() => setHealth(h)}
            >
              {HEALTH_LABELS[h]}
            </Button>
          ))}
        </View>
        <Text>
          风险等级（
          {RISK_LEVELS.map(
            (r) => `${RISK_LABELS[r]}${describeInterval(cadence.levels[r].every)}`,
          ).join('、')}
          探访）
        </Text>
        <Text className="vv__hint" data-testid="risk-suggestion" data-level={suggestion.level}>
          建议：{RISK_LABELS[suggestion.level]}（{suggestion.because}）
          {chosenRisk === null
            ? '，已按建议预选，可改选'
            : chosenRisk === suggestion.level
              ? ''
              : `，您选择了${RISK_LABELS[chosenRisk]}`}
        </Text>
        <View className="vv__row">
          {RISK_LEVELS.map((r) => (
            <Button
              key={r}
              className={`vv__choice ${risk === r ? 'vv__choice--on' : ''}`}
              data-testid={`risk-${r}`}
              onClick={() => setChosenRisk(r)}
            >
              {RISK_LABELS[r]}
            </Button>
          ))}
        </View>
      </View>
      <View className="vv__card">
        <Text>紧急联系人</Text>
        {field('contactName', '姓名')}
        {field('contactRelation', '关系，如：儿子')}
        {field('contactPhone', '电话')}
        <Textarea
          className="vv__textarea"
          value={form.notes}
          maxlength={300}
          placeholder="备注（选填，只写与探访有关的内容）"
          onInput={(e) => setForm({ ...form, notes: e.detail.value })}
        />
        {id ? (
          <View className="vv__row">
            <Text>有重大变化（24 小时内需探访）</Text>
            <Switch checked={flagged} onChange={(e) => setFlagged(e.detail.value)} />
          </View>
        ) : null}
      </View>
      <Button
        className="vv__primary"
        loading={busy}
        disabled={busy || undefined}
        data-testid="elder-save"
        onClick={save}
      >
        保存
      </Button>
    </View>
  );
}

export default function EditElderPage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以修改老人名册' }}>
      <EditElder />
    </PageShell>
  );
}
