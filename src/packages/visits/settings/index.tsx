import { useEffect, useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import * as v from 'valibot';
import { PageShell } from '@/components/page-shell';
import { LoadStateView } from '@/components/state-view';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';
import {
  type CadenceConfig,
  INTERVAL_UNITS,
  type IntervalUnit,
  RISK_LABELS,
  RISK_LEVELS,
  type RiskLevel,
  cadenceConfigSchema,
  describeInterval,
  sameCadence,
} from '@/domain/visits/cadence';
import { useVisitsStore } from '@/stores/visits';
import '../shared.scss';

const UNIT_LABELS: Record<IntervalUnit, string> = { day: '天', week: '周', month: '月' };

interface Form {
  levels: Record<RiskLevel, { count: string; unit: IntervalUnit }>;
  afterFlagHours: string;
  notAtHomeFollowUpDays: string;
  reraiseFlagAfterHours: string;
}

function toForm(c: CadenceConfig): Form {
  const level = (r: RiskLevel) => ({
    count: String(c.levels[r].every.count),
    unit: c.levels[r].every.unit,
  });
  return {
    levels: { high: level('high'), key: level('key'), general: level('general') },
    afterFlagHours: String(c.afterFlagHours),
    notAtHomeFollowUpDays: String(c.notAtHomeFollowUpDays),
    reraiseFlagAfterHours: String(c.reraiseFlagAfterHours),
  };
}

/** Empty or non-numeric text becomes NaN, which the schema refuses with its own message. */
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The form over the cadence in force; fields not on the form (reminder lead days, first visit) are kept. */
function fromForm(f: Form, base: CadenceConfig): CadenceConfig {
  const level = (r: RiskLevel) => ({
    ...base.levels[r],
    every: { unit: f.levels[r].unit, count: num(f.levels[r].count) },
  });
  return {
    ...base,
    levels: { high: level('high'), key: level('key'), general: level('general') },
    afterFlagHours: num(f.afterFlagHours),
    notAtHomeFollowUpDays: num(f.notAtHomeFollowUpDays),
    reraiseFlagAfterHours: num(f.reraiseFlagAfterHours),
  };
}

/** The schema's message, with the risk level named when the problem is in one level's interval. */
function firstProblem(issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const keys = (issue.path ?? []).map((p) => String(p.key));
  const level = keys[0] === 'levels' ? (keys[1] as RiskLevel | undefined) : undefined;
  return level && level in RISK_LABELS ? `${RISK_LABELS[level]}：${issue.message}` : issue.message;
}

/** Secretary: the visit cadence by risk level, the flagged-change window, follow-ups and flag re-raising. */
function CadenceSettings() {
  const { settings, loadSettings, previewSettings, saveSettings } = useVisitsStore();
  const [form, setForm] = useState<Form | null>(null);
  const { busy, run } = useAction();

  useEffect(() => void loadSettings(), [loadSettings]);
  const current = settings.data?.cadence ?? null;
  useEffect(() => {
    if (current) setForm(toForm(current));
  }, [current]);

  if (!current || !form) {
    return <LoadStateView load={settings} onRetry={() => void loadSettings()} />;
  }

  const setLevel = (r: RiskLevel, patch: Partial<Form['levels'][RiskLevel]>) =>
    setForm({ ...form, levels: { ...form.levels, [r]: { ...form.levels[r], ...patch } } });
  const numberField = (
    key: 'afterFlagHours' | 'notAtHomeFollowUpDays' | 'reraiseFlagAfterHours',
    label: string,
    unit: string,
    hint: string,
  ) => (
    <View className="vv__card">
      <View className="vv__row">
        <Text>{label}</Text>
        <View className="vv__row">
          <Input
            className="vv__input"
            type="number"
            maxlength={2}
            value={form[key]}
            data-testid={`settings-${key}`}
            onInput={(e) => setForm({ ...form, [key]: e.detail.value })}
          />
          <Text>{unit}</Text>
        </View>
      </View>
      <Text className="vv__hint">{hint}</Text>
    </View>
  );

  const save = () => {
    const next = fromForm(form, current);
    const parsed = v.safeParse(cadenceConfigSchema, next);
    if (!parsed.success) return showHint(firstProblem(parsed.issues));
    if (sameCadence(parsed.output, current)) return showHint('没有改动');
    void run(() => previewThenSave(parsed.output));
  };

  /** How many elders' dates move, confirmed by the secretary, then saved. */
  const previewThenSave = async (cadence: CadenceConfig) => {
    const preview = await previewSettings(cadence);
    if (!preview.ok || !preview.data) return { ok: false, message: preview.message };
    const p = preview.data;
    const content =
      p.changed === 0
        ? `名册中 ${p.total} 位老人的下次探访日期都不变。确定保存？`
        : `名册中 ${p.total} 位老人里，${p.changed} 位的下次探访日期会改变（提前 ${p.earlier} 位，推后 ${p.later} 位）` +
          `${p.newlyOverdue > 0 ? `，其中 ${p.newlyOverdue} 位会立即变为已逾期` : ''}。确定保存？`;
    const { confirm } = await Taro.showModal({
      title: '修改探访周期',
      content,
      confirmText: '保存',
    });
    return confirm ? saveSettings(cadence) : null;
  };

  return (
    <View className="vv">
      <Text className="vv__hint">
        默认：高风险每周，重点、一般每月——每月是名册上每位老人的下限（2022
        年民政部等部门的目标是特殊困难老人每月探访率
        100%，覆盖率按月统计）。保存后所有页面和每日提醒立即按新周期计算。
      </Text>
      {RISK_LEVELS.map((r) => (
        <View key={r} className="vv__card" data-testid={`settings-level-${r}`}>
          <View className="vv__row">
            <Text className="vv__title">{RISK_LABELS[r]}</Text>
            <Text className="vv__hint">现在：{describeInterval(current.levels[r].every)}</Text>
          </View>
          <View className="vv__row">
            <Text>每</Text>
            <Input
              className="vv__input"
              type="number"
              maxlength={2}
              value={form.levels[r].count}
              data-testid={`settings-${r}-count`}
              onInput={(e) => setLevel(r, { count: e.detail.value })}
            />
            {INTERVAL_UNITS.map((u) => (
              <Button
                key={u}
                size="mini"
                className={`vv__choice ${form.levels[r].unit === u ? 'vv__choice--on' : ''}`}
                data-testid={`settings-${r}-${u}`}
                onClick={() => setLevel(r, { unit: u })}
              >
                {UNIT_LABELS[u]}
              </Button>
            ))}
          </View>
        </View>
      ))}
      {numberField(
        'afterFlagHours',
        '紧急变化后探访',
        '小时内',
        '探访中标记紧急、或书记登记重大变化后，须在这段时间内再次探访（1–72）。',
      )}
      {numberField(
        'notAtHomeFollowUpDays',
        '不在家回访',
        '天内',
        '上门未遇到老人时，须在这段时间内回访（1–7）。',
      )}
      {numberField(
        'reraiseFlagAfterHours',
        '紧急情况未处理时再次提醒',
        '小时后',
        '紧急情况未被确认处理时，隔这段时间再次通知书记（1–48）。',
      )}
      <Button
        className="vv__primary"
        loading={busy}
        disabled={busy || undefined}
        data-testid="settings-save"
        onClick={save}
      >
        保存
      </Button>
    </View>
  );
}

export default function CadenceSettingsPage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以修改探访周期' }}>
      <CadenceSettings />
    </PageShell>
  );
}
