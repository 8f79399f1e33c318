import type { CircleCategoryId } from '../../src/domain/circle/categories';
import type { CirclePlace } from '../../src/domain/circle/place';
import type { Stored } from '../_shared/stored';

/**
 * A stored geo point. Written as `db.Geo.Point(longitude, latitude)`; the SDK reads it back as a
 * Point with these two fields (GeoJSON `{type:'Point', coordinates:[lng, lat]}` in the store).
 * Always GCJ-02 (STORED_COORDINATE_SYSTEM).
 */
export interface StoredPoint {
  readonly longitude: number;
  readonly latitude: number;
}

/** A place (COLLECTIONS.circlePlaces); `location` has a 2dsphere index. */
export type PlaceDoc = Omit<Stored<CirclePlace>, 'location'> & {
  location: StoredPoint;
  /** Set on places written by one import, so a failed import can be undone. */
  importId?: string;
  /** Keys of the updatePlace requests that changed it (secretary + request id, hashed), the latest REQUESTS_KEPT. */
  requests?: string[];
  /** Who last wrote it (openid); "seed" for sample data. */
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
};

/** A resident's request for a missing service (COLLECTIONS.circleRequests); `_id` = openid + ':' + category. */
export interface ServiceRequestDoc {
  _id: string;
  /** The resident; written explicitly, functions get no automatic `_openid`. */
  _openid: string;
  category: CircleCategoryId;
  /** The space whose circle the resident was looking at. */
  spaceId: string;
  /** The request that asked (resident + request id, hashed): its retries answer `created: true`. */
  requestKey?: string;
  createdAt: Date;
}

/**
 * The record of a place's removal, in the shared `audit` collection. `_id` follows from the
 * secretary and the removal's request id, so a retry of that request knows the removal was its own.
 */
export interface PlaceRemovalDoc {
  _id: string;
  /** The secretary. */
  _openid: string;
  kind: 'place-removed';
  actorOpenid: string;
  placeId: string;
  placeName: string;
  at: Date;
}

/** A Point as the SDK returns it, or GeoJSON when read some other way. */
export function pointOf(value: unknown): { latitude: number; longitude: number } {
  if (typeof value === 'object' && value !== null) {
    const v = value as { latitude?: unknown; longitude?: unknown; coordinates?: unknown };
    if (typeof v.latitude === 'number' && typeof v.longitude === 'number') {
      return { latitude: v.latitude, longitude: v.longitude };
    }
    if (
      Array.isArray(v.coordinates) &&
      typeof v.coordinates[0] === 'number' &&
      typeof v.coordinates[1] === 'number'
    ) {
      return { latitude: v.coordinates[1], longitude: v.coordinates[0] };
    }
  }
  throw new Error(`not a stored point: ${JSON.stringify(value)}`);
}

/** The place as the contract speaks of it. */
export function placeView(doc: PlaceDoc): CirclePlace {
  return {
    id: doc._id,
    name: doc.name,
    category: doc.category,
    location: pointOf(doc.location),
    hours: doc.hours ?? [],
    phone: doc.phone ?? '',
    address: doc.address ?? '',
    note: doc.note ?? '',
    sample: doc.sample === true,
  };
}
