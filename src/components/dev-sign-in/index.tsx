import { Button, Text, View } from '@tarojs/components';
import { type Persona, useSessionStore } from '@/stores/session';
import './index.scss';

const PERSONAS: Array<{ persona: Persona; name: string; hint: string }> = [
  { persona: 'resident', name: '居民 张三（示例）', hint: '看开放服务、预约空间' },
  { persona: 'volunteer', name: '志愿者 李四（示例）', hint: '认领岗位、记录探访' },
  { persona: 'secretary', name: '社区书记 王五（示例）', hint: '发布清单、管理服务' },
];

/**
 * H5 + local cloud only. In the mini-program identity comes from WeChat; here a tester picks one
 * of the seeded sample personas and the local server signs a token for it.
 */
export function DevSignIn() {
  const status = useSessionStore((s) => s.status);
  const error = useSessionStore((s) => s.error);
  const signInAs = useSessionStore((s) => s.signInAs);
  const busy = status === 'loading';
  return (
    <View className="dev-sign-in">
      <Text className="dev-sign-in__title">选择身份登录</Text>
      <Text className="dev-sign-in__note">
        本地体验版：以示例身份进入，数据保存在本机的本地云中。
      </Text>
      {PERSONAS.map((p) => (
        <Button
          key={p.persona}
          className="dev-sign-in__persona"
          disabled={busy || undefined}
          data-persona={p.persona}
          onClick={() => void signInAs(p.persona)}
        >
          <Text className="dev-sign-in__name">{p.name}</Text>
          <Text className="dev-sign-in__hint">{p.hint}</Text>
        </Button>
      ))}
      {error ? <Text className="dev-sign-in__error">{error}</Text> : null}
    </View>
  );
}
