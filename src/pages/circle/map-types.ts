import type { NearbyPlace } from '@/domain/circle/coverage';
import type { LatLng } from '@/domain/circle/walking';

/** What both map implementations draw: the origin, the walking bands and the places. */
export interface MapViewProps {
  origin: LatLng;
  originLabel: string;
  /** Band radius in metres (straight line, from the walking rule). */
  bands: ReadonlyArray<{ minutes: number; radiusM: number }>;
  places: readonly NearbyPlace[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Band colours: 5 / 10 / 15 minutes, innermost strongest. */
export const BAND_STYLE: Record<number, { stroke: string; fill: string }> = {
  5: { stroke: '#0f766e', fill: '#0f766e33' },
  10: { stroke: '#0d9488', fill: '#14b8a622' },
  15: { stroke: '#5eead4', fill: '#99f6e418' },
};
