import { Text, View } from '@tarojs/components';
import { RISK_LABELS, VISIT_STATE_LABELS, describeDue } from '@/domain/visits/cadence';
import type { ElderListItem, VisitStatusView } from '@/domain/contract';
import { LIVING_LABELS } from '@/domain/visits/elder';

/** The state tag every visits screen shows: 已逾期 / 待探访 / 已探访 with the due text. */
export function DueTag({ status }: { status: VisitStatusView }) {
  const text = `${VISIT_STATE_LABELS[status.state]} · ${describeDue({ ...status, dueAt: new Date(status.dueAt) })}`;
  return (
    <Text
      className={`vv__tag vv__tag--${status.state}`}
      data-testid="due-tag"
      data-state={status.state}
    >
      {text}
    </Text>
  );
}

/**
 * The head of an elder's card in a list: name and due tag, then age, living situation, risk and
 * the masked address, and `tail` (the phone, the due date) last.
 */
export function ElderHead({
  elder: e,
  tail,
}: {
  elder: Pick<
    ElderListItem,
    'name' | 'status' | 'age' | 'livingSituation' | 'riskLevel' | 'maskedAddress'
  >;
  tail: string;
}) {
  return (
    <>
      <View className="vv__row">
        <Text className="vv__title">{e.name}</Text>
        <DueTag status={e.status} />
      </View>
      <Text className="vv__hint">
        {e.age}岁 · {LIVING_LABELS[e.livingSituation]} · {RISK_LABELS[e.riskLevel]} ·{' '}
        {e.maskedAddress} · {tail}
      </Text>
    </>
  );
}

/** "2月3日 14:20" in Asia/Shanghai. */
export { inShanghai } from '@/domain/shared/time';
