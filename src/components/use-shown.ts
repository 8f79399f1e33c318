import { useEffect, useRef } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

/**
 * Run `refresh` once each time the screen is shown: when its content mounts, and on every later
 * show of its page. `useDidShow` alone is not enough: inside PageShell the content mounts only once
 * the caller is known (after sign-in or whoami), when the page's first onShow may already have
 * passed, so a screen opened cold would wait forever. Whichever of the mount and the page's
 * onShow comes first runs it; the other is the same showing and does not run it again: a read may be billed
 * (WeChat Cloud bills each call) and may be recorded (an elder's record read is written to the
 * access log), so one opening is one read.
 */
export function useShown(refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  /** True once this showing has run it (the mount or the show, whichever came first). */
  const ranThisShowing = useRef(false);
  const once = () => {
    if (ranThisShowing.current) return;
    ranThisShowing.current = true;
    latest.current();
  };
  useEffect(once, []);
  useDidShow(once);
  useDidHide(() => {
    ranThisShowing.current = false;
  });
}
