import { type PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // Identity in the mini-program comes from WeChat: callFunction carries the caller's openid.
      Taro.cloud.init({ env: LINLI_CLOUD_ENV || undefined, traceUser: true });
    }
  });
  return children;
}

export default App;
