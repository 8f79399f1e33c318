import { useCallback } from 'react';
import type { Outcome } from '@/stores/outcome';
import { showOutcome } from './toast';
import { useBusy } from './use-busy';

export interface ActionOptions<T> {
  /** Runs after a successful outcome (navigate back, reload a list). */
  then?: (data: T | undefined) => void | Promise<void>;
  /** Show the outcome as a toast (default true); false when the screen shows it itself. */
  toast?: boolean;
}

/**
 * The one page-action pattern: busy → call the store → toast the outcome → on success, go on.
 * One action at a time per screen (`useBusy`: a second tap on a slow network does nothing).
 *
 *   const { busy, run } = useAction();
 *   <Button disabled={busy || undefined} onClick={() => run(() => claim(post.id), { then: back })}>
 */
export function useAction(): {
  busy: boolean;
  run: <T>(action: () => Promise<Outcome<T>>, options?: ActionOptions<T>) => Promise<void>;
} {
  const { busy, guard } = useBusy();
  const run = useCallback(
    <T>(action: () => Promise<Outcome<T>>, options: ActionOptions<T> = {}) =>
      guard(async () => {
        const outcome = await action();
        if (options.toast !== false) showOutcome(outcome);
        if (outcome.ok && options.then) await options.then(outcome.data);
      })(),
    [guard],
  );
  return { busy, run };
}
