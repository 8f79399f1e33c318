import type { FunctionHost } from './function-host';
import { nextCronTime, parseCron, type CronSchedule } from './timers-cron';

export { cronMatches, nextCronTime, parseCron, type CronSchedule } from './timers-cron';

/**
 * Runs every function's timer triggers (config.json `triggers`) on their cron schedule, in
 * Asia/Shanghai time (see timers-cron.ts). Each firing invokes the function through the host with
 * no OPENID and the event `{ Type: 'Timer', TriggerName, Time }`. A firing that fails is logged
 * and the schedule goes on, as in production.
 */

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are split. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface TimerFiring {
  functionName: string;
  triggerName: string;
  /** The scheduled instant (whole second). */
  at: Date;
  result?: unknown;
  error?: Error;
}

export interface TimerSchedulerOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /** Called after every firing (success or failure). */
  onFire?: (firing: TimerFiring) => void;
  /** Logger for failures; console.error by default. */
  log?: (message: string) => void;
}

export interface ScheduledTrigger {
  functionName: string;
  triggerName: string;
  cron: string;
  next: Date | null;
}

export interface TimerScheduler {
  start(): void;
  stop(): void;
  /** Each trigger and when it fires next (null when stopped or never again). */
  scheduled(): ScheduledTrigger[];
}

export function createTimerScheduler(
  host: FunctionHost,
  options: TimerSchedulerOptions = {},
): TimerScheduler {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((m: string) => console.error(m));
  const entries = host.timerTriggers().map(({ functionName, trigger }) => ({
    functionName,
    triggerName: trigger.name,
    cron: trigger.config,
    schedule: parseCron(trigger.config) as CronSchedule,
    next: null as Date | null,
    handle: undefined as NodeJS.Timeout | undefined,
  }));
  let running = false;

  function arm(entry: (typeof entries)[number], after: Date): void {
    entry.next = nextCronTime(entry.schedule, after);
    if (!entry.next || !running) return;
    const wait = (): void => {
      if (!running || !entry.next) return;
      const delay = entry.next.getTime() - now().getTime();
      if (delay > MAX_DELAY_MS) {
        entry.handle = setTimeout(wait, MAX_DELAY_MS);
      } else {
        entry.handle = setTimeout(() => fire(entry), Math.max(0, delay));
      }
      entry.handle.unref?.();
    };
    wait();
  }

  function fire(entry: (typeof entries)[number]): void {
    const at = entry.next ?? now();
    const firing: TimerFiring = {
      functionName: entry.functionName,
      triggerName: entry.triggerName,
      at,
    };
    host
      .fireTimer(entry.functionName, entry.triggerName, at)
      .then((result) => {
        firing.result = result;
      })
      .catch((e: unknown) => {
        firing.error = e instanceof Error ? e : new Error(String(e));
        log(`[timers] ${entry.functionName}/${entry.triggerName} failed: ${firing.error.message}`);
      })
      .finally(() => options.onFire?.(firing));
    // The next firing does not wait for this one to finish, like production.
    arm(entry, at);
  }

  return {
    start() {
      if (running) return;
      running = true;
      const t = now();
      for (const e of entries) arm(e, t);
    },
    stop() {
      running = false;
      for (const e of entries) {
        if (e.handle) clearTimeout(e.handle);
        e.handle = undefined;
        e.next = null;
      }
    },
    scheduled: () =>
      entries.map((e) => ({
        functionName: e.functionName,
        triggerName: e.triggerName,
        cron: e.cron,
        next: e.next,
      })),
  };
}
