import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { StateView } from '@/components/state-view';
import { useAction } from '@/components/use-action';
import {
  COORDINATE_SYSTEMS,
  COORDINATE_SYSTEM_HINTS,
  COORDINATE_SYSTEM_LABELS,
  type CoordinateSystem,
  DEFAULT_IMPORT_SYSTEM,
} from '@/domain/circle/coordinates';
import {
  CSV_TEMPLATE,
  IMPORT_MAX_CHARS,
  IMPORT_MAX_ROWS,
  type ImportFormat,
} from '@/domain/circle/import-format';
import type { ImportOutcome } from '@/domain/contract';
import { useCircleAdminStore } from '@/stores/circle';
import { useSessionStore } from '@/stores/session';
import '../circle-admin.scss';

function ImportContent() {
  const importPlaces = useCircleAdminStore((s) => s.importPlaces);
  const isSecretary = useSessionStore((s) => s.account?.role === 'secretary');
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [system, setSystem] = useState<CoordinateSystem>(DEFAULT_IMPORT_SYSTEM.csv);
  const [text, setText] = useState('');
  const [report, setReport] = useState<ImportOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useAction();

  if (!isSecretary) return <StateView kind="error" message="只有社区书记可以导入地点" />;

  /** A refusal is shown beside the form (import-error), where the text can be fixed. */
  const showError = (answer: { message: string }) => setError(answer.message);

  function check() {
    setError(null);
    setReport(null);
    void run(() => importPlaces(format, text, 'dry-run', system), {
      toast: false,
      then: (outcome) => setReport(outcome ?? null),
      otherwise: showError,
    });
  }

  function commit(mode: 'all' | 'accepted-only') {
    if (!report) return;
    void run(
      async () => {
        if (mode === 'accepted-only') {
          const { confirm } = await Taro.showModal({
            title: '只导入通过的行',
            content: `将导入 ${report.acceptedCount} 个地点，跳过 ${report.rejected.length} 行有问题的数据。`,
          });
          if (!confirm) return null;
        }
        return importPlaces(format, text, mode, system);
      },
      {
        toast: 'success',
        then: () => {
          setReport(null);
          setText('');
        },
        otherwise: showError,
      },
    );
  }

  return (
    <View className="circle-admin" data-testid="place-import">
      <Text className="circle-admin__hint">
        粘贴 CSV（第一行为表头：名称,类别,纬度,经度,营业时间,电话,地址,备注；从 Excel 或 WPS
        表格直接复制粘贴也可以，分隔符自动识别）或 GeoJSON（FeatureCollection，点要素，properties 含
        name、category；OpenStreetMap 导出的 shop、amenity 等标签和 opening_hours
        营业时间会自动识别）。每次最多 {IMPORT_MAX_ROWS}{' '}
        行。先“检查”，看清哪些行有问题再导入；默认要么全部导入，要么一个也不导入。 地点统一按
        GCJ-02（微信地图坐标）保存，其他坐标系会自动换算；CSV 也可加一列“坐标系”逐行注明。
      </Text>
      <View className="circle-admin__tabs">
        {(['csv', 'geojson'] as const).map((f) => (
          <Text
            key={f}
            className={`circle-admin__tab ${f === format ? 'is-active' : ''}`}
            onClick={() => {
              setFormat(f);
              setSystem(DEFAULT_IMPORT_SYSTEM[f]);
              setReport(null);
            }}
          >
            {f === 'csv' ? 'CSV' : 'GeoJSON'}
          </Text>
        ))}
        {format === 'csv' ? (
          <Text className="circle-admin__tab" onClick={() => setText(CSV_TEMPLATE)}>
            填入模板
          </Text>
        ) : null}
      </View>
      <Text className="circle-admin__label">坐标系（文件里经纬度来自哪里）</Text>
      <View className="circle-admin__tabs" data-testid="import-system">
        {COORDINATE_SYSTEMS.map((s) => (
          <Text
            key={s}
            className={`circle-admin__tab ${s === system ? 'is-active' : ''}`}
            onClick={() => {
              setSystem(s);
              setReport(null);
            }}
          >
            {COORDINATE_SYSTEM_LABELS[s]}
          </Text>
        ))}
      </View>
      <Text className="circle-admin__hint">
        {COORDINATE_SYSTEM_LABELS[system]}：{COORDINATE_SYSTEM_HINTS[system]}
        {system === DEFAULT_IMPORT_SYSTEM[format]
          ? `（${format === 'csv' ? 'CSV' : 'GeoJSON'} 默认）`
          : ''}
      </Text>
      <Textarea
        className="circle-admin__textarea"
        value={text}
        maxlength={IMPORT_MAX_CHARS}
        placeholder="在这里粘贴文件内容"
        onInput={(e) => {
          setText(e.detail.value);
          setReport(null);
        }}
      />
      {error ? (
        <Text className="circle-admin__error" data-testid="import-error">
          {error}
        </Text>
      ) : null}
      <Button
        className="circle-admin__button"
        disabled={busy || text.trim() === '' || undefined}
        onClick={check}
      >
        检查
      </Button>
      {report ? (
        <View className="circle-admin__card" data-testid="import-report">
          <Text className="circle-admin__ok">可导入 {report.acceptedCount} 行</Text>
          <Text className="circle-admin__row-sub">
            按 {COORDINATE_SYSTEM_LABELS[report.system]} 读取
            {report.system === 'gcj02' ? '' : '，保存时换算为 GCJ-02'}
          </Text>
          {report.rejected.length > 0 ? (
            <Text className="circle-admin__error">有问题 {report.rejected.length} 行：</Text>
          ) : null}
          {report.rejected.map((r) => (
            <Text key={r.row} className="circle-admin__row-sub">
              第 {r.row} 行{r.name ? `（${r.name}）` : ''}：{r.reason}
            </Text>
          ))}
          {report.rejected.length === 0 && report.acceptedCount > 0 ? (
            <Button
              className="circle-admin__button circle-admin__button--primary"
              disabled={busy || undefined}
              onClick={() => void commit('all')}
            >
              全部导入
            </Button>
          ) : null}
          {report.rejected.length > 0 && report.acceptedCount > 0 ? (
            <Button
              className="circle-admin__button"
              disabled={busy || undefined}
              onClick={() => void commit('accepted-only')}
            >
              只导入通过的 {report.acceptedCount} 行
            </Button>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

export default function CircleImportPage() {
  return (
    <PageShell>
      <ImportContent />
    </PageShell>
  );
}
