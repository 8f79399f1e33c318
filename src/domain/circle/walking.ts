import { BANDS, type Band } from './categories';

/**
 * The one walking rule used everywhere (map circles, list minutes, coverage, server queries):
 *
 *   minutes = straight-line distance (haversine, metres) × DETOUR_FACTOR ÷ pace (metres per minute)
 *
 * It is an estimate: no routing service is used, so streets, crossings and gates are folded into
 * the detour factor. The UI says so wherever minutes are shown (WALKING_ESTIMATE_NOTE).
 */

export interface LatLng {
  /** Degrees, GCJ-02 (STORED_COORDINATE_SYSTEM) as WeChat's map and getLocation(type 'gcj02') use. */
  latitude: number;
  longitude: number;
}

/**
 * The one Earth radius, in metres, for every distance in the circle: walking minutes here, and the
 * geo queries (`geoNear` / `$nearSphere` `maxDistance`, `$centerSphere` radians). It is MongoDB's
 * kRadiusOfEarthInMeters (6378.1 km), which production's cloud database applies to those queries and
 * we cannot change; using the same value keeps a place at a band's edge on the same side of it in
 * the query and in the minutes shown. (The IUGG mean radius, 6371008.8 m, would put the two 0.11%
 * apart.) local/cloud/geo.ts holds the same value; a test keeps them equal.
 */
export const EARTH_RADIUS_M = 6_378_100;

/** Metres along one degree of latitude (and of longitude at the equator) on that sphere. */
export const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/** Straight-line distances underestimate a walk by about 1.2–1.4 in a street grid. */
export const DETOUR_FACTOR = 1.3;

export const PACES = ['adult', 'elder'] as const;
export type Pace = (typeof PACES)[number];

/** Metres per minute: an adult about 80, an elder about 60 (a common planning figure). */
export const PACE_METRES_PER_MINUTE: Record<Pace, number> = { adult: 80, elder: 60 };

export const PACE_NAMES: Record<Pace, string> = { adult: '成人步速', elder: '长者步速' };

export const WALKING_ESTIMATE_NOTE =
  '步行时间为估算：直线距离 × 1.3（绕行系数）÷ 步速（成人 80 米/分钟，长者 60 米/分钟）';

const toRad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two points (haversine). */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const dLat = toRad(b.latitude - a.latitude);
  const dLng = toRad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRad(a.latitude)) * Math.cos(toRad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated walking minutes for a straight-line distance (not rounded). */
export function walkingMinutesForDistance(metres: number, pace: Pace = 'adult'): number {
  return (metres * DETOUR_FACTOR) / PACE_METRES_PER_MINUTE[pace];
}

/** Estimated walking minutes between two points (not rounded). */
export function walkingMinutes(from: LatLng, to: LatLng, pace: Pace = 'adult'): number {
  return walkingMinutesForDistance(distanceMetres(from, to), pace);
}

/** The straight-line radius in metres reached in `minutes` of walking: the circle drawn on the map. */
export function bandRadiusMetres(minutes: number, pace: Pace = 'adult'): number {
  return (minutes * PACE_METRES_PER_MINUTE[pace]) / DETOUR_FACTOR;
}

/** The smallest band containing `minutes`, or null beyond 15. A place at exactly 5.0 is in band 5. */
export function walkingBand(minutes: number): Band | null {
  for (const band of BANDS) if (minutes <= band) return band;
  return null;
}

/** Minutes as people read them: "约 7 分钟", "不到 1 分钟". */
export function formatWalkingMinutes(minutes: number): string {
  if (minutes < 1) return '步行不到 1 分钟';
  return `步行约 ${Math.round(minutes)} 分钟`;
}

/** "320 米", "1.2 公里". */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres / 10) * 10} 米`;
  return `${(metres / 1000).toFixed(1)} 公里`;
}

/** Valid degrees (any of the systems in coordinates.ts). */
export function isValidLatLng(p: LatLng): boolean {
  return (
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    p.latitude >= -90 &&
    p.latitude <= 90 &&
    p.longitude >= -180 &&
    p.longitude <= 180
  );
}

/**
 * A generous box around China's territory. Places must fall inside: a point outside almost always
 * means latitude and longitude were swapped or a column was misread.
 */
export const CHINA_BOUNDS = {
  minLatitude: 3,
  maxLatitude: 54,
  minLongitude: 73,
  maxLongitude: 136,
} as const;

export function isInChina(p: LatLng): boolean {
  return (
    isValidLatLng(p) &&
    p.latitude >= CHINA_BOUNDS.minLatitude &&
    p.latitude <= CHINA_BOUNDS.maxLatitude &&
    p.longitude >= CHINA_BOUNDS.minLongitude &&
    p.longitude <= CHINA_BOUNDS.maxLongitude
  );
}

/** Why a place's coordinates are refused, or null when they are fine. */
export function coordinateProblem(p: LatLng): string | null {
  if (!Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) return '经纬度必须是数字';
  if (isInChina(p)) return null;
  if (isInChina({ latitude: p.longitude, longitude: p.latitude }))
    return '坐标不在中国境内，可能把经度和纬度写反了';
  if (!isValidLatLng(p)) return '经纬度超出范围（纬度 -90~90，经度 -180~180）';
  return '坐标不在中国境内';
}
