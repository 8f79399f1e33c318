import { bookingContract } from '../../src/domain/contract/booking';
import { createRouter, defineTimerSchedule, timerJobsHandler } from '../_shared';
import { spaceHandlers } from './handlers/space';
import {
  cancel,
  checkIn,
  checkInOptions,
  claimHold,
  create,
  joinWaitlist,
  listServices,
  listSlots,
  mine,
} from './resident';
import {
  cancelBySecretary,
  markAttendance,
  schedule,
  updateService,
  utilization,
} from './secretary';
import { recount } from './timers/recount';
import { sweep } from './timers/sweep';

/**
 * Spaces, their services and bookings of them: residents book, wait, claim, cancel and check in;
 * the secretary manages services and runs the day; the "sweep" timer expires holds, marks
 * no-shows and promotes the waitlist, and recounts places and quotas a crash left behind.
 */

/** The function's one timer trigger ("sweep", every 5 minutes) and the jobs it runs. */
export const bookingTimers = defineTimerSchedule({
  functionName: 'booking',
  trigger: { name: 'sweep', everyMinutes: 5 },
  jobs: {
    sweep: { cadence: { every: 5 }, run: sweep },
    recount: { cadence: { every: 10 }, run: recount },
  },
});

export const main = createRouter(
  bookingContract,
  {
    ...spaceHandlers,
    listServices,
    listSlots,
    create,
    joinWaitlist,
    claimHold,
    cancel,
    mine,
    checkInOptions,
    checkIn,
    updateService,
    schedule,
    markAttendance,
    cancelBySecretary,
    utilization,
  },
  {
    name: 'booking',
    roles: {
      updateService: ['secretary'],
      schedule: ['secretary'],
      markAttendance: ['secretary'],
      cancelBySecretary: ['secretary'],
      utilization: ['secretary'],
    },
    timers: timerJobsHandler(bookingTimers),
  },
);
