import { volunteerContract } from '../../src/domain/contract/volunteer';
import { createRouter, defineTimerSchedule, timerJobsHandler } from '../_shared';
import { opportunitiesHandlers } from './handlers/opportunities';
import { pointsHandlers } from './handlers/points';
import { registrationHandlers } from './handlers/registration';
import { serviceHandlers } from './handlers/service';
import { autoCloseServices, recountPlaces } from './timers';

export { autoCloseServices, recountPlaces } from './timers';

/** Volunteering: registration, opportunity lists, claims, service records, the points ledger, rewards. */

/** The function's one timer trigger (every 10 minutes) runs both sweeps on every tick. */
export const volunteerTimers = defineTimerSchedule({
  functionName: 'volunteer',
  trigger: { name: 'jobs', everyMinutes: 10 },
  jobs: {
    autoCloseServices: { cadence: { every: 10 }, run: autoCloseServices },
    recountPlaces: { cadence: { every: 10 }, run: recountPlaces },
  },
});

export const main = createRouter(
  volunteerContract,
  { ...registrationHandlers, ...opportunitiesHandlers, ...serviceHandlers, ...pointsHandlers },
  {
    name: 'volunteer',
    roles: {
      updateSettings: ['secretary'],
      volunteers: ['secretary'],
      approve: ['secretary'],
      saveReward: ['secretary'],
      verifyRedemption: ['secretary'],
      lists: ['secretary'],
      getList: ['secretary'],
      saveList: ['secretary'],
      publishList: ['secretary'],
      closeList: ['secretary'],
      copyList: ['secretary'],
      claims: ['secretary'],
      confirm: ['secretary'],
      adjust: ['secretary'],
      export: ['secretary'],
    },
    // The jobs' clock is the instant WeChat fired the trigger, when the event says so.
    timers: timerJobsHandler(volunteerTimers),
  },
);
