import type { Journey } from '../journey';
import { bookingJourneys } from './booking';
import { bookingAdminJourneys } from './booking-admin';
import { homeJourneys } from './home';
import { secretaryJourneys } from './secretary';
import { visitsJourneys } from './visits';
import { volunteerJourneys } from './volunteer';
import { wxCheckJourneys } from './wx-checks';

/** Every journey; ./phone.ts runs those of its persona, in this order. */
export const JOURNEYS: Journey[] = [
  ...homeJourneys,
  ...bookingJourneys,
  ...volunteerJourneys,
  ...visitsJourneys,
  ...secretaryJourneys,
  ...bookingAdminJourneys,
  ...wxCheckJourneys,
];
