import { useEffect } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { DevSignIn } from '@/components/dev-sign-in';
import { StateView } from '@/components/state-view';
import { useSessionStore } from '@/stores/session';

/** A deep-linkable sign-in screen (H5 local cloud). In the mini-program WeChat signs people in. */
export default function SignInPage() {
  const status = useSessionStore((s) => s.status);
  useEffect(() => {
    if (status === 'ready') void Taro.switchTab({ url: '/pages/index/index' });
  }, [status]);
  return (
    <View>
      {process.env.TARO_ENV === 'h5' ? (
        <DevSignIn />
      ) : (
        <StateView kind="empty" message="小程序内由微信自动登录" />
      )}
    </View>
  );
}
