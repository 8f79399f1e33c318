import { Button, Text, View } from '@tarojs/components';
import type { Loadable } from '@/stores/loadable';
import './index.scss';

export interface StateViewProps {
  kind: 'loading' | 'error' | 'empty';
  message?: string;
  onRetry?: () => void;
}

const DEFAULT_MESSAGES = { loading: '加载中…', error: '出错了，请稍后重试', empty: '暂无内容' };

/** The one loading / error / empty block every page reuses. */
export function StateView({ kind, message, onRetry }: StateViewProps) {
  return (
    <View className={`state-view state-view--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {kind === 'loading' ? <View className="state-view__spinner" /> : null}
      <Text className="state-view__text">{message ?? DEFAULT_MESSAGES[kind]}</Text>
      {kind === 'error' && onRetry ? (
        <Button className="state-view__retry" size="mini" onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

export interface LoadStateViewProps {
  load: Pick<Loadable<unknown>, 'status' | 'error'>;
  onRetry?: () => void;
  /** The loading text (default 加载中…). */
  loading?: string;
  /** Shown when the load is ready and still has nothing to show (a missing record). */
  empty?: string;
}

/**
 * What a load shows while there is nothing of it to show: its error with a retry when it failed,
 * `empty` when it is ready (and `empty` is given), else loading.
 *
 *   if (!roster.data) return <LoadStateView load={roster} onRetry={() => void loadRoster()} />;
 */
export function LoadStateView({ load, onRetry, loading, empty }: LoadStateViewProps) {
  if (load.status === 'error')
    return <StateView kind="error" message={load.error ?? undefined} onRetry={onRetry} />;
  if (load.status === 'ready' && empty !== undefined)
    return <StateView kind="empty" message={empty} />;
  return <StateView kind="loading" message={loading} />;
}
