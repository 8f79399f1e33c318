import { visitsContract } from '../../src/domain/contract/visits';
import { createRouter, defineTimerSchedule, timerJobsHandler } from '../_shared';
import { logHandlers } from './handlers/log';
import { oversightHandlers } from './handlers/oversight';
import { pairingHandlers } from './handlers/pairing';
import { rosterHandlers } from './handlers/roster';
import { settingsHandlers } from './handlers/settings';
import { remindDue, reraiseFlags } from './timers';

export { remindDue, reraiseFlags } from './timers';

/** Elder home visits: roster, pairing, cadence, visit logs, coverage, urgent flags. */

/**
 * The function's one timer trigger (every 30 minutes): urgent flags are raised again on every
 * tick; due reminders go out once a day, on the first tick at or after 01:00 Asia/Shanghai
 * (idempotent by date: one reminder per elder per day).
 */
export const visitsTimers = defineTimerSchedule({
  functionName: 'visits',
  trigger: { name: 'jobs', everyMinutes: 30 },
  jobs: {
    reraiseFlags: { cadence: { every: 30 }, run: reraiseFlags },
    remindDue: { cadence: { dailyAt: '01:00' }, run: remindDue },
  },
});

export const main = createRouter(
  visitsContract,
  {
    ...settingsHandlers,
    ...rosterHandlers,
    ...pairingHandlers,
    ...logHandlers,
    ...oversightHandlers,
  },
  {
    name: 'visits',
    // Every secretary-only action checks the role itself (managesVisits), so that each refusal is
    // written to the access log (the router's role table would refuse before anything could be
    // recorded): no roles table here.
    timers: timerJobsHandler(visitsTimers),
  },
);
