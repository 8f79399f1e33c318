import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { Role } from '@/domain/account/roles';
import { grantsText } from '@/domain/visits/urgent';
import { useUrgentStore } from '@/stores/urgent';
import { useUrgentFlags } from '../use-urgent-flags';
import './index.scss';

const INBOX = '/packages/visits/flags/index';

/**
 * A secretary's open urgent flags, at the top of 首页 and 我的 (and on the tab badge): nothing
 * else on the page comes before an elder who may need help. Tapping opens the inbox; with no
 * WeChat message left, the tap first asks for the next one (WeChat asks only from a tap).
 */
export function UrgentBanner({ role }: { role: Role | undefined }) {
  const urgent = useUrgentFlags(role);
  const subscribe = useUrgentStore((s) => s.subscribeToUrgentFlags);
  if (!urgent || urgent.open === 0) return null;
  const open = async () => {
    if (urgent.grants === 0) await subscribe();
    void Taro.navigateTo({ url: INBOX });
  };
  return (
    <View className="urgent-banner" data-testid="urgent-banner" onClick={() => void open()}>
      <View className="urgent-banner__text">
        <Text className="urgent-banner__title">有 {urgent.open} 条紧急情况待处理</Text>
        <Text className="urgent-banner__hint" data-testid="urgent-grants">
          {grantsText(urgent.grants)}
        </Text>
      </View>
      <Text className="urgent-banner__go">处理 ›</Text>
    </View>
  );
}
