import { Button, Text, View } from '@tarojs/components';
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
