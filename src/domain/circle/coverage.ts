import {
  BANDS,
  type Band,
  CIRCLE_CATEGORIES,
  CIRCLE_CATEGORY_IDS,
  type CircleCategoryId,
} from './categories';
import type { CirclePlace } from './place';
import {
  type LatLng,
  type Pace,
  bandRadiusMetres,
  distanceMetres,
  walkingBand,
  walkingMinutesForDistance,
} from './walking';

/** A place seen from an origin: how far and how many walking minutes (estimate). */
export interface NearbyPlace extends CirclePlace {
  metres: number;
  minutes: number;
  /** The smallest band it falls in; null beyond 15 minutes. */
  band: Band | null;
}

/** Places seen from `origin`, nearest (fewest minutes) first; ties by name. */
export function nearbyPlaces(
  origin: LatLng,
  places: readonly CirclePlace[],
  pace: Pace,
): NearbyPlace[] {
  return places
    .map((place): NearbyPlace => {
      const metres = distanceMetres(origin, place.location);
      const minutes = walkingMinutesForDistance(metres, pace);
      return { ...place, metres, minutes, band: walkingBand(minutes) };
    })
    .sort((a, b) => a.minutes - b.minutes || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The list filtered to one category (null: all). */
export function filterByCategory<P extends { category: CircleCategoryId }>(
  places: readonly P[],
  category: CircleCategoryId | null,
): P[] {
  return category ? places.filter((p) => p.category === category) : [...places];
}

/** The few facts of a place the coverage panel shows. */
export interface PlaceSummary {
  id: string;
  name: string;
  minutes: number;
  metres: number;
}

export interface CategoryCoverage {
  category: CircleCategoryId;
  /** At least one instance within the band. */
  present: boolean;
  /** The guide expects one within this band (its guideMinutes ≤ the band). */
  expected: boolean;
  /** Present: the nearest inside. Missing: the nearest outside the band, or null if none is known. */
  nearest: PlaceSummary | null;
}

export interface BandCoverage {
  minutes: Band;
  /** Straight-line radius of the band at the chosen pace, metres. */
  radiusM: number;
  categories: CategoryCoverage[];
  presentCount: number;
  missingCount: number;
  /** Missing categories the guide expects within this band. */
  gapCount: number;
}

export interface CoverageReport {
  origin: LatLng;
  pace: Pace;
  bands: BandCoverage[];
}

function summary(p: NearbyPlace): PlaceSummary {
  return { id: p.id, name: p.name, minutes: p.minutes, metres: p.metres };
}

/**
 * Which guide categories are present within each band (5/10/15 walking minutes from `origin`)
 * and which are missing, with the nearest instance outside the band.
 *
 * `places` must include every place within the 15-minute band, and, for each category with no
 * instance within 15 minutes, its nearest instance beyond (the function's query provides that);
 * other places may be included and change nothing.
 */
export function coverage(
  origin: LatLng,
  places: readonly CirclePlace[],
  pace: Pace,
): CoverageReport {
  const seen = nearbyPlaces(origin, places, pace);
  const nearestByCategory = new Map<CircleCategoryId, NearbyPlace[]>();
  for (const p of seen) {
    const list = nearestByCategory.get(p.category) ?? [];
    list.push(p);
    nearestByCategory.set(p.category, list);
  }
  const bands = BANDS.map((band): BandCoverage => {
    const categories = CIRCLE_CATEGORIES.map((c): CategoryCoverage => {
      const list = nearestByCategory.get(c.id) ?? [];
      const inside = list.find((p) => p.minutes <= band);
      const outside = list.find((p) => p.minutes > band);
      const nearest = inside ?? outside;
      return {
        category: c.id,
        present: inside !== undefined,
        expected: c.guideMinutes <= band,
        nearest: nearest ? summary(nearest) : null,
      };
    });
    const presentCount = categories.filter((c) => c.present).length;
    return {
      minutes: band,
      radiusM: bandRadiusMetres(band, pace),
      categories,
      presentCount,
      missingCount: categories.length - presentCount,
      gapCount: categories.filter((c) => !c.present && c.expected).length,
    };
  });
  return { origin, pace, bands };
}

/** Categories missing from the widest band: the ones residents may ask for. */
export function missingCategories(report: CoverageReport): CircleCategoryId[] {
  const widest = report.bands[report.bands.length - 1];
  return widest.categories.filter((c) => !c.present).map((c) => c.category);
}

/**
 * The guide's categories with no place among `places` (those within 15 minutes): for each of these
 * the coverage report looks up the nearest instance at any distance.
 */
export function categoriesAbsent(
  places: readonly { category: CircleCategoryId }[],
): CircleCategoryId[] {
  const seen = new Set(places.map((p) => p.category));
  return CIRCLE_CATEGORY_IDS.filter((id) => !seen.has(id));
}

/** The circle's radius at a pace: the straight-line metres of its widest band (15 minutes). */
export function circleRadiusMetres(pace: Pace): number {
  return bandRadiusMetres(BANDS[BANDS.length - 1], pace);
}
