import { useMemo, useState } from 'react';
import { Button, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import * as v from 'valibot';
import { Field, TextInput } from '@/components/field';
import { PageShell } from '@/components/page-shell';
import { StateView } from '@/components/state-view';
import { useAction } from '@/components/use-action';
import { CIRCLE_CATEGORIES } from '@/domain/circle/categories';
import { PLACE_LIMITS, hoursToText, parseHoursText, placeDraftSchema } from '@/domain/circle/place';
import { useCircleAdminStore } from '@/stores/circle';
import { useSessionStore } from '@/stores/session';
import '../circle-admin.scss';

interface Form {
  name: string;
  categoryIndex: number;
  latitude: string;
  longitude: string;
  hours: string;
  phone: string;
  address: string;
  note: string;
}

/** The plain text fields after the coordinates: key, label, longest length. */
const TEXT_FIELDS: ReadonlyArray<readonly ['hours' | 'phone' | 'address', string, number]> = [
  [
    'hours',
    '营业时间（如：每天 07:00-22:00；周一至周五 09:00-17:30；留空表示未知）',
    PLACE_LIMITS.hoursRules * 24,
  ],
  ['phone', '电话', PLACE_LIMITS.phone],
  ['address', '地址', PLACE_LIMITS.address],
];

function EditorContent() {
  const id = useRouter().params.id ?? null;
  const existing = useCircleAdminStore((s) =>
    id ? s.places.data?.places.find((p) => p.id === id) : undefined,
  );
  const { savePlace, removePlace } = useCircleAdminStore();
  const isSecretary = useSessionStore((s) => s.account?.role === 'secretary');
  const [form, setForm] = useState<Form>(() => ({
    name: existing?.name ?? '',
    categoryIndex: Math.max(
      0,
      CIRCLE_CATEGORIES.findIndex((c) => c.id === existing?.category),
    ),
    latitude: existing ? String(existing.location.latitude) : '',
    longitude: existing ? String(existing.location.longitude) : '',
    hours: existing ? hoursToText(existing.hours) : '',
    phone: existing?.phone ?? '',
    address: existing?.address ?? '',
    note: existing?.note ?? '',
  }));
  const { busy, run } = useAction();
  const [serverError, setServerError] = useState<string | null>(null);

  const checked = useMemo(() => {
    const hours = parseHoursText(form.hours);
    if (!hours.ok) return { ok: false as const, message: hours.reason };
    const parsed = v.safeParse(placeDraftSchema, {
      name: form.name,
      category: CIRCLE_CATEGORIES[form.categoryIndex].id,
      location: {
        latitude: Number(form.latitude || 'x'),
        longitude: Number(form.longitude || 'x'),
      },
      hours: hours.hours,
      phone: form.phone,
      address: form.address,
      note: form.note,
    });
    return parsed.success
      ? { ok: true as const, draft: parsed.output }
      : { ok: false as const, message: parsed.issues[0]?.message ?? '内容有误' };
  }, [form]);

  if (!isSecretary) return <StateView kind="error" message="只有社区书记可以编辑地点" />;
  if (id && !existing) return <StateView kind="error" message="找不到这个地点，请从列表重新进入" />;

  const field = (key: keyof Form) => (value: string) => setForm({ ...form, [key]: value });

  /** Success: toast and back to the list. A refusal stays beside the form, where it can be fixed. */
  const inline = {
    toast: 'success',
    then: () => void Taro.navigateBack(),
    otherwise: (answer: { message: string }) => setServerError(answer.message),
  } as const;

  function save() {
    if (!checked.ok) return;
    const draft = checked.draft;
    void run(() => savePlace(id, draft), inline);
  }

  function remove() {
    if (!id) return;
    void run(async () => {
      const { confirm } = await Taro.showModal({
        title: '删除地点',
        content: `确定删除「${existing?.name ?? ''}」？删除后居民将看不到它。`,
        confirmText: '删除',
        confirmColor: '#b91c1c',
      });
      return confirm ? removePlace(id) : null;
    }, inline);
  }

  return (
    <View className="circle-admin" data-testid="place-editor">
      <Field
        block="circle-admin"
        label="名称"
        value={form.name}
        maxlength={PLACE_LIMITS.name}
        onValue={field('name')}
        placeholder="如：张三便利店"
      />
      <Text className="circle-admin__label">类别（商务部便民生活圈指南）</Text>
      <Picker
        mode="selector"
        range={CIRCLE_CATEGORIES.map((c) => c.name)}
        value={form.categoryIndex}
        onChange={(e) => setForm({ ...form, categoryIndex: Number(e.detail.value) })}
      >
        <View className="circle-admin__input">{CIRCLE_CATEGORIES[form.categoryIndex].name}</View>
      </Picker>
      <Text className="circle-admin__label">纬度 / 经度（GCJ-02，微信地图坐标）</Text>
      <View className="circle-admin__actions">
        <TextInput
          block="circle-admin"
          type="digit"
          maxlength={12}
          value={form.latitude}
          onValue={field('latitude')}
          placeholder="30.5906"
        />
        <TextInput
          block="circle-admin"
          type="digit"
          maxlength={12}
          value={form.longitude}
          onValue={field('longitude')}
          placeholder="104.1286"
        />
      </View>
      {TEXT_FIELDS.map(([key, label, maxlength]) => (
        <Field
          key={key}
          block="circle-admin"
          label={label}
          value={form[key]}
          maxlength={maxlength}
          onValue={field(key)}
        />
      ))}
      <Text className="circle-admin__label">备注</Text>
      <Textarea
        className="circle-admin__textarea"
        style={{ minHeight: '120px' }}
        value={form.note}
        maxlength={PLACE_LIMITS.note}
        onInput={(e) => field('note')(e.detail.value)}
      />
      {!checked.ok ? <Text className="circle-admin__error">{checked.message}</Text> : null}
      {serverError ? <Text className="circle-admin__error">{serverError}</Text> : null}
      <View className="circle-admin__actions">
        <Button
          className="circle-admin__button circle-admin__button--primary"
          disabled={!checked.ok || busy || undefined}
          onClick={save}
        >
          保存
        </Button>
        {id ? (
          <Button
            className="circle-admin__button circle-admin__button--danger"
            disabled={busy || undefined}
            onClick={remove}
          >
            删除
          </Button>
        ) : null}
      </View>
    </View>
  );
}

export default function CirclePlaceEditorPage() {
  return (
    <PageShell>
      <EditorContent />
    </PageShell>
  );
}
