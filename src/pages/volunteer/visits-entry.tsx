import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useSessionStore } from '@/stores/session';

/** The way into elder home visits from the 志愿 tab: 我的结对 for volunteers, the roster for the secretary. */
export function VisitsEntry() {
  const role = useSessionStore((s) => s.account?.role);
  if (role !== 'volunteer' && role !== 'secretary') return null;
  const secretary = role === 'secretary';
  return (
    <View
      className="vol__card vol__row"
      data-testid="visits-entry"
      onClick={() =>
        void Taro.navigateTo({
          url: secretary ? '/packages/visits/roster/index' : '/packages/visits/mine/index',
        })
      }
    >
      <Text>{secretary ? '老人探访：名册、覆盖、紧急情况' : '我的结对 · 探访老人'}</Text>
      <Text className="vol__link">›</Text>
    </View>
  );
}
