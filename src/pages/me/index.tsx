import { useState } from 'react';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { go } from '@/components/nav-links';
import { PageShell } from '@/components/page-shell';
import { UrgentBanner } from '@/components/urgent-banner';
import { ROLE_LABELS, type Role } from '@/domain/account/roles';
import { displayName } from '@/domain/account/profile';
import { APP_PRIVACY_TEXT, APP_PRIVACY_TITLE, DATA_REQUEST_TEXT } from '@/domain/account/privacy';
import { useSessionStore } from '@/stores/session';
import './index.scss';

interface HubLink {
  label: string;
  hint?: string;
  url: string;
  testId: string;
  roles: readonly Role[];
}

const ALL: readonly Role[] = ['resident', 'volunteer', 'secretary'];

/** 我的 is the way to every screen of one's own; each link only for the roles that may use it. */
const MINE: readonly HubLink[] = [
  { label: '我的预约', url: '/packages/booking/mine/index', testId: 'me-bookings', roles: ALL },
  {
    label: '我的志愿',
    hint: '认领、签到和服务时长',
    url: '/packages/volunteer/mine/index',
    testId: 'me-volunteer',
    roles: ['volunteer'],
  },
  {
    label: '我的结对',
    hint: '结对长者与探访记录',
    url: '/packages/visits/mine/index',
    testId: 'me-pairs',
    roles: ['volunteer'],
  },
  {
    label: '积分兑换',
    url: '/packages/volunteer/rewards/index',
    testId: 'me-rewards',
    roles: ['volunteer'],
  },
  {
    label: '志愿者登记',
    hint: '登记后可认领志愿岗位',
    url: '/packages/volunteer/register/index',
    testId: 'me-register',
    roles: ['resident'],
  },
];

const ADMIN: readonly HubLink[] = [
  { label: '预约管理', url: '/packages/booking/admin/index', testId: 'admin-booking' },
  {
    label: '志愿管理',
    hint: '清单、确认服务、奖励',
    url: '/packages/volunteer/admin/index',
    testId: 'admin-volunteer',
  },
  { label: '长者名册', url: '/packages/visits/roster/index', testId: 'admin-roster' },
  { label: '探访覆盖', url: '/packages/visits/coverage/index', testId: 'admin-coverage' },
  { label: '紧急情况', url: '/packages/visits/flags/index', testId: 'admin-flags' },
  { label: '探访周期', url: '/packages/visits/settings/index', testId: 'admin-settings' },
  { label: '访问记录', url: '/packages/visits/access/index', testId: 'admin-access' },
  { label: '生活圈地点', url: '/packages/circle/places/index', testId: 'admin-places' },
].map((l) => ({ ...l, roles: ['secretary'] as const }));

/** Where the app asks for subscribe messages today: the secretary's urgent-flag alerts. */
const NOTIFY: readonly HubLink[] = [
  {
    label: '紧急情况提醒',
    hint: '订阅长者紧急情况的微信提醒',
    url: '/packages/visits/flags/index',
    testId: 'me-notify-flags',
    roles: ['secretary'],
  },
];

function HubSection({
  title,
  links,
  role,
}: {
  title: string;
  links: readonly HubLink[];
  role: Role;
}) {
  const mine = links.filter((l) => l.roles.includes(role));
  if (mine.length === 0) return null;
  return (
    <View className="me__card me__links">
      <Text className="me__section">{title}</Text>
      {mine.map((l) => (
        <View key={l.testId} className="me__link" data-testid={l.testId} onClick={() => go(l.url)}>
          <View className="me__row-text">
            <Text className="me__label">{l.label}</Text>
            {l.hint ? <Text className="me__hint">{l.hint}</Text> : null}
          </View>
          <Text className="me__chevron">›</Text>
        </View>
      ))}
    </View>
  );
}

function MeContent() {
  const account = useSessionStore((s) => s.account);
  const setElderMode = useSessionStore((s) => s.setElderMode);
  const signOut = useSessionStore((s) => s.signOut);
  const [privacyOpen, setPrivacyOpen] = useState(false);
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
  const { role } = account;
  return (
    <View className="me">
      <UrgentBanner role={role} />
      <View className="me__card">
        <Text className="me__name">{displayName(account.profile, account.role)}</Text>
        <Text className="me__role" data-testid="role">
          {ROLE_LABELS[account.role]}
          {account.configuredSecretary ? '（由配置授予）' : ''}
        </Text>
      </View>
      <HubSection title="我的" links={MINE} role={role} />
      <HubSection title="管理" links={ADMIN} role={role} />
      <HubSection title="通知设置" links={NOTIFY} role={role} />
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
      <View className="me__card me__links">
        <View
          className="me__link"
          data-testid="me-privacy"
          onClick={() => setPrivacyOpen((open) => !open)}
        >
          <Text className="me__label">{APP_PRIVACY_TITLE}与数据导出、删除</Text>
          <Text className="me__chevron">{privacyOpen ? '⌄' : '›'}</Text>
        </View>
        {privacyOpen ? (
          <View className="me__privacy" data-testid="privacy-notice">
            <Text className="me__notice">{APP_PRIVACY_TEXT}</Text>
            <Text className="me__notice">{DATA_REQUEST_TEXT}</Text>
          </View>
        ) : null}
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
