import type { PlaceDraft } from '../../src/domain/circle/place';

/** Test-data builders of the circle, on a fixed clock (FIXED_NOW). */

export const FIXED_NOW = new Date('2026-03-02T02:00:00.000Z');

let counter = 0;

/** A new client request id (unique within the test run; no real clock). */
export function rid(): string {
  counter += 1;
  return `req-circle-${String(counter).padStart(6, '0')}`;
}

/** A place the secretary could submit, in Chengdu near the pilot space. */
export function aPlaceDraft(overrides: Partial<PlaceDraft> = {}): PlaceDraft {
  return {
    name: '示例便利店',
    category: 'convenience-store',
    location: { latitude: 30.5906, longitude: 104.1286 },
    hours: [],
    phone: '',
    address: '',
    note: '',
    ...overrides,
  };
}
