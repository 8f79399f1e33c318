import { type PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // Identity in the mini-program comes from WeChat: callFunction carries the caller's openid.
      Taro.cloud.init({ env: LINLI_CLOUD_ENV || undefined, traceUser: true });
    }
    if (process.env.TARO_ENV === 'h5' && 'serviceWorker' in navigator) {
      // The build's files are kept on the phone (dist-h5/sw.js), so the app opens with no signal.
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    }
  });
  return children;
}

export default App;
