import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { ROLE_LABELS } from '@/domain/account/roles';
import { displayName } from '@/domain/account/profile';
import { useSessionStore } from '@/stores/session';
import './index.scss';

function MeContent() {
  const account = useSessionStore((s) => s.account);
  const setElderMode = useSessionStore((s) => s.setElderMode);
  const signOut = useSessionStore((s) => s.signOut);
  if (!account) return null;
  const confirmSignOut = async () => {
    const { confirm } = await Taro.showModal({
      title: '切换身份',
      content: '确定退出当前示例身份吗？',
      confirmText: '退出',
    });
    if (!confirm) return;
    signOut();
    // The persona picker replaces this page's content: show it from the top.
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
  };
  return (
    <View className="me">
      <View className="me__card">
        <Text className="me__name">{displayName(account.profile, account.role)}</Text>
        <Text className="me__role" data-testid="role">
          {ROLE_LABELS[account.role]}
          {account.configuredSecretary ? '（由配置授予）' : ''}
        </Text>
      </View>
      <View className="me__card me__row">
        <View className="me__row-text">
          <Text className="me__label">长辈模式</Text>
          <Text className="me__hint">更大的字和按钮</Text>
        </View>
        <Switch
          checked={account.profile.elderMode}
          color="#0f766e"
          onChange={(e) => void setElderMode(e.detail.value)}
        />
      </View>
      {process.env.TARO_ENV === 'h5' ? (
        <Button className="me__sign-out" onClick={() => void confirmSignOut()}>
          切换示例身份
        </Button>
      ) : null}
    </View>
  );
}

export default function MePage() {
  return (
    <PageShell>
      <MeContent />
    </PageShell>
  );
}
