import type { BookingRules } from '../../src/domain/booking/rules';

/**
 * SAMPLE booking rules (fictional numbers) for the seeded R29 services: plausible capacities and
 * sessions so every kind of booking can be tried locally. The secretary can change all of them in
 * 预约管理; anything not named here takes the stated defaults (src/domain/booking/rules.ts).
 */
const SAMPLE_RULES: Record<string, Partial<BookingRules>> = {
  'r29-gym': { capacity: 8, slotMinutes: 60, minNoticeMinutes: 0 },
  'r29-living-room': { capacity: 1, slotMinutes: 60, minSlots: 1, maxSlots: 4 },
  'r29-child-care': {
    capacity: 12,
    sessions: [
      { start: 9 * 60, end: 12 * 60, label: '上午场' },
      { start: 14 * 60, end: 17 * 60, label: '下午场' },
    ],
  },
  'r29-elder-day-care': {
    capacity: 20,
    sessions: [
      { start: 9 * 60, end: 11 * 60 + 30, label: '上午活动' },
      { start: 14 * 60, end: 16 * 60 + 30, label: '下午活动' },
    ],
  },
  'r29-government': { capacity: 1, slotMinutes: 15, minNoticeMinutes: 60 },
};

/** The sample services with their sample booking rules attached (`bookingRules`). */
export function withSampleBookingRules<T extends { _id: string }>(
  services: T[],
): Array<T & { bookingRules?: Partial<BookingRules> }> {
  return services.map((s) =>
    SAMPLE_RULES[s._id] ? { ...s, bookingRules: { ...SAMPLE_RULES[s._id] } } : s,
  );
}
