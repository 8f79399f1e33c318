import { Text } from '@tarojs/components';
import { VISIT_STATE_LABELS, describeDue } from '@/domain/visits/cadence';
import type { VisitStatusView } from '@/domain/contract';

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

/** "2月3日 14:20" in Asia/Shanghai. */
export { inShanghai } from '@/domain/shared/time';
