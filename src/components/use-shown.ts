import { useEffect, useRef } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

/**
 * Run `refresh` once each time the screen is shown: when its content mounts, and on every later
 * show of its page. `useDidShow` alone is not enough: inside PageShell the content mounts only once
 * the caller is known (after sign-in or whoami), when the page's first onShow may already have
 * passed, so a screen opened cold would wait forever. When the content mounted before the page's
 * first onShow, that show is the same showing and does not run it again: a read may be billed
 * (WeChat Cloud bills each call) and may be recorded (an elder's record read is written to the
 * access log), so one opening is one read.
 */
export function useShown(refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  /** True from the mount's run until the page is next hidden or shown. */
  const ranThisShowing = useRef(false);
  useEffect(() => {
    ranThisShowing.current = true;
    latest.current();
  }, []);
  useDidShow(() => {
    if (ranThisShowing.current) {
      ranThisShowing.current = false;
      return;
    }
    latest.current();
  });
  useDidHide(() => {
    ranThisShowing.current = false;
  });
}
