import type { Space, SpaceService } from '../../src/domain/space/space';
import type { ServiceDoc, SpaceDoc } from '../_shared';

/**
 * The booking function's stored documents and one view mapper per document. The space and its
 * services are declared in the registry (`_shared/collections.ts`); the booking documents
 * (BookingDoc, SlotCounterDoc) and their views are still in store.ts.
 */

/** A space document as the app shows it. */
export function spaceView(doc: SpaceDoc): Space {
  return {
    id: doc._id,
    name: doc.name,
    address: doc.address,
    intro: doc.intro,
    location: { latitude: doc.location.latitude, longitude: doc.location.longitude },
    sample: doc.sample === true,
  };
}

/** A service document as the space page lists it (its booking rules are not part of it). */
export function spaceServiceView(doc: ServiceDoc): SpaceService {
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
