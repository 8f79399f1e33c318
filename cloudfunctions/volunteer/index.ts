import { volunteerContract } from '../../src/domain/contract/volunteer';
import { createRouter, timerClock } from '../_shared';
import { opportunitiesHandlers } from './opportunities';
import { pointsHandlers } from './points';
import { registrationHandlers } from './registration';
import { serviceHandlers } from './service';
import { autoCloseServices, recountPlaces } from './timers';

export { autoCloseServices, recountPlaces } from './timers';

/** Volunteering: registration, opportunity lists, claims, service records, the points ledger, rewards. */

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
    // The run's clock is the instant WeChat fired the trigger, when it says so.
    timers: {
      autoCloseServices: async (ctx) => autoCloseServices({ db: ctx.db, now: timerClock(ctx) }),
      recountPlaces: async (ctx) => recountPlaces({ db: ctx.db, now: timerClock(ctx) }),
    },
  },
);
