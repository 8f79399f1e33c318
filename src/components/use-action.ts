import { useCallback } from 'react';
import type { Outcome } from '@/stores/outcome';
import { showOutcome } from './toast';
import { useBusy } from './use-busy';

export interface ActionOptions<T> {
  /** Runs after a successful outcome (navigate back, reload a list). */
  then?: (data: T | undefined) => void | Promise<void>;
  /** Runs after a refusal: a form shows the message beside itself. */
  otherwise?: (outcome: Outcome<T>) => void;
  /**
   * Show the outcome as a toast (default true); false when the screen shows it itself;
   * 'success' when only success is toasted and a refusal is shown beside the form (`otherwise`).
   */
  toast?: boolean | 'success';
}

/**
 * The one page-action pattern: busy → call the store → toast the outcome → on success, go on.
 * One action at a time per screen (`useBusy`: a second tap on a slow network does nothing).
 * An action may answer `null` when the person stopped it (declined a confirmation, a form the page
 * refused before calling): nothing is toasted and nothing follows.
 *
 *   const { busy, run } = useAction();
 *   <Button disabled={busy || undefined} onClick={() => run(() => claim(post.id), { then: back })}>
 */
export function useAction(): {
  busy: boolean;
  run: <T>(action: () => Promise<Outcome<T> | null>, options?: ActionOptions<T>) => Promise<void>;
} {
  const { busy, guard } = useBusy();
  const run = useCallback(
    <T>(action: () => Promise<Outcome<T> | null>, options: ActionOptions<T> = {}) =>
      guard(async () => {
        const outcome = await action();
        if (!outcome) return;
        const toast = options.toast ?? true;
        if (toast === true || (toast === 'success' && outcome.ok)) showOutcome(outcome);
        if (outcome.ok) await options.then?.(outcome.data);
        else options.otherwise?.(outcome);
      })(),
    [guard],
  );
  return { busy, run };
}
