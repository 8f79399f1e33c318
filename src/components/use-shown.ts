import { useEffect, useRef } from 'react';
import { useDidShow } from '@tarojs/taro';

/**
 * Run `refresh` when the screen's content mounts and again every time its page is shown.
 * `useDidShow` alone is not enough: inside PageShell the content mounts only once the caller is
 * known (after sign-in or whoami), when the page's first onShow has already passed, so a screen
 * opened cold would wait forever. A second run on the first show is harmless (reads only).
 */
export function useShown(refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    latest.current();
  }, []);
  useDidShow(() => latest.current());
}
