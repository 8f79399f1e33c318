import { bookingContract } from '../../src/domain/contract/booking';
import type { Space, SpaceService } from '../../src/domain/space/space';
import { fail, ok } from '../../src/domain/shared/result';
import {
  COLLECTIONS,
  type ServiceDoc,
  type SpaceDoc,
  createRouter,
  defineTimerSchedule,
  timerJobsHandler,
} from '../_shared';
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
import { recount } from './recount';
import { sweep } from './sweep';

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

/** The space shown when none is named: LINLI_DEFAULT_SPACE, or the pilot space "r29". */
export function defaultSpaceId(): string {
  return process.env.LINLI_DEFAULT_SPACE?.trim() || 'r29';
}

/** A space has at most a few dozen services; one page of 100 holds them all. */
const SERVICES_PER_SPACE_MAX = 100;

function spaceFromDoc(doc: SpaceDoc): Space {
  return {
    id: doc._id,
    name: doc.name,
    address: doc.address,
    intro: doc.intro,
    location: { latitude: doc.location.latitude, longitude: doc.location.longitude },
    sample: doc.sample === true,
  };
}

function serviceFromDoc(doc: ServiceDoc): SpaceService {
  return {
    id: doc._id,
    spaceId: doc.spaceId,
    name: doc.name,
    category: doc.category,
    summary: doc.summary,
    place: doc.place,
    hours: doc.hours,
    bookingKind: doc.bookingKind,
    order: doc.order,
  };
}

export const main = createRouter(
  bookingContract,
  {
    async space({ spaceId }, ctx) {
      const id = spaceId ?? defaultSpaceId();
      const found = await ctx.db.collection<SpaceDoc>(COLLECTIONS.spaces).doc(id).get();
      if (!found.data) return fail('SPACE_NOT_FOUND', '没有找到这个空间，请重新扫码或稍后再试');
      const { data: services } = await ctx.db
        .collection<ServiceDoc>(COLLECTIONS.services)
        .where({ spaceId: id })
        .orderBy('order', 'asc')
        .limit(SERVICES_PER_SPACE_MAX)
        .get();
      return ok({ space: spaceFromDoc(found.data), services: services.map(serviceFromDoc) });
    },
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
