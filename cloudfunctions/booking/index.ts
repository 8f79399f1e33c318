import { bookingContract } from '../../src/domain/contract/booking';
import { createRouter, defineTimerSchedule, timerJobsHandler } from '../_shared';
import { mineHandlers } from './handlers/mine';
import { residentHandlers } from './handlers/resident';
import { secretaryHandlers } from './handlers/secretary';
import { spaceHandlers } from './handlers/space';
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
  { ...spaceHandlers, ...residentHandlers, ...mineHandlers, ...secretaryHandlers },
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
