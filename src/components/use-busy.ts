import { useCallback, useRef, useState } from 'react';

/**
 * One request at a time from a screen: `guard(action)` runs the action unless another guarded
 * action is still in flight (a second tap on a slow network does nothing), and `busy` is true
 * meanwhile so buttons can show `disabled` / `loading`.
 *
 * Pass `disabled={busy || undefined}`, not `disabled={busy}`: on H5 a Button is a custom element
 * and React writes `false` as the attribute `disabled="false"`, which the platform's `[disabled]`
 * styles paint as disabled (grey, label nearly invisible) although it still works.
 */
export function useBusy(): {
  busy: boolean;
  guard: <A extends unknown[]>(
    action: (...args: A) => Promise<unknown>,
  ) => (...args: A) => Promise<void>;
} {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const guard = useCallback(
    <A extends unknown[]>(action: (...args: A) => Promise<unknown>) =>
      async (...args: A): Promise<void> => {
        if (running.current) return;
        running.current = true;
        setBusy(true);
        try {
          await action(...args);
        } finally {
          running.current = false;
          setBusy(false);
        }
      },
    [],
  );
  return { busy, guard };
}
