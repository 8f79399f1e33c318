import type { OpeningRule } from './opening-hours';

/** The kinds of service a community life space offers under one roof. */
export const SERVICE_CATEGORIES = [
  'gym',
  'living-room',
  'child-care',
  'elder-day-care',
  'government',
  'co-working',
  'cafe',
  'laundry',
  'shared-desk',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/**
 * How a service is booked:
 * - capacity: N people per time slot (24-hour gym);
 * - room: one party holds the room for a block (shared living room);
 * - session: capacity per session with a roster of who attends (child care, elder day care);
 * - appointment: one person per short window in office hours (government services);
 * - walk-in: no booking (café, laundry).
 */
export const BOOKING_KINDS = ['capacity', 'room', 'session', 'appointment', 'walk-in'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

export interface GeoLocation {
  /** GCJ-02 degrees, as WeChat's map and getLocation({ type: 'gcj02' }) use (STORED_COORDINATE_SYSTEM). */
  latitude: number;
  longitude: number;
}

export interface Space {
  id: string;
  name: string;
  address: string;
  intro: string;
  location: GeoLocation;
  /** True for the bundled sample data, shown as such in the UI. */
  sample: boolean;
}

export interface SpaceService {
  id: string;
  spaceId: string;
  name: string;
  category: ServiceCategory;
  summary: string;
  /** Where in the space, e.g. "一楼东侧". */
  place: string;
  hours: OpeningRule[];
  bookingKind: BookingKind;
  /** Display order on 首页. */
  order: number;
}

export const CATEGORY_ICONS: Record<ServiceCategory, string> = {
  gym: '🏋️',
  'living-room': '🛋️',
  'child-care': '🧸',
  'elder-day-care': '🍵',
  government: '🏛️',
  'co-working': '💻',
  cafe: '☕',
  laundry: '🧺',
  'shared-desk': '🧰',
};
