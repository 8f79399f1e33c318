import type { LatLng } from './walking';

/**
 * Coordinate systems. China's maps do not share one datum:
 *
 * - WGS-84: GPS, OpenStreetMap, browsers' geolocation, and GeoJSON (RFC 7946 §4 requires it);
 * - GCJ-02: the state-mandated offset datum of WeChat's `Map`, `getLocation({ type: 'gcj02' })`,
 *   `openLocation`, Tencent and Amap maps and their coordinate pickers;
 * - BD-09: Baidu's further offset of GCJ-02.
 *
 * Around Chengdu WGS-84 and GCJ-02 differ by about 360 m, more than the whole 5-minute band, so
 * every place is stored in ONE system, STORED_COORDINATE_SYSTEM, and anything entering in another
 * system is converted on the way in (on the server: the converter is a port, see ToStoredSystem).
 */

export const COORDINATE_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

/** Places, spaces and circle origins are stored and answered in GCJ-02, what WeChat's map draws. */
export const STORED_COORDINATE_SYSTEM: CoordinateSystem = 'gcj02';

/** Short names as the UI and messages show them. */
export const COORDINATE_SYSTEM_LABELS: Record<CoordinateSystem, string> = {
  wgs84: 'WGS-84',
  gcj02: 'GCJ-02',
  bd09: 'BD-09',
};

/** Where a secretary's coordinates usually come from, per system. */
export const COORDINATE_SYSTEM_HINTS: Record<CoordinateSystem, string> = {
  wgs84: 'GPS、OpenStreetMap、标准 GeoJSON',
  gcj02: '微信、腾讯地图、高德地图及其坐标拾取器',
  bd09: '百度地图及其坐标拾取器',
};

/**
 * The system an import is read in when the file and the secretary say nothing: GeoJSON is WGS-84 by
 * its standard (RFC 7946); a CSV has no standard, and the coordinates secretaries paste come from
 * Tencent/Amap pickers or from our own GCJ-02 data far more often than from a GPS, so GCJ-02.
 */
export const DEFAULT_IMPORT_SYSTEM = { csv: 'gcj02', geojson: 'wgs84' } as const satisfies Record<
  string,
  CoordinateSystem
>;

/** Names people write for each system (compared without case, spaces, '-' and '_'). */
const SYSTEM_ALIASES: Record<CoordinateSystem, readonly string[]> = {
  wgs84: ['wgs84', 'wgs', 'gps', 'epsg4326', '4326', 'crs84', '地球坐标', '地球坐标系', 'gps坐标'],
  gcj02: [
    'gcj02',
    'gcj',
    '火星坐标',
    '火星坐标系',
    '国测局坐标',
    '国测局坐标系',
    '腾讯',
    '高德',
    '微信',
  ],
  bd09: ['bd09', 'bd09ll', 'bd', '百度', '百度坐标', '百度坐标系'],
};

function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s\-_:：.]/g, '');
}

/** The system a person named ("WGS-84", "gcj02", "百度坐标"…), or null when it is none we know. */
export function parseCoordinateSystem(text: string): CoordinateSystem | null {
  const key = normalise(text);
  if (key === '') return null;
  for (const system of COORDINATE_SYSTEMS) {
    if (SYSTEM_ALIASES[system].some((alias) => normalise(alias) === key)) return system;
  }
  return null;
}

/** Error code for a coordinate system we do not know. */
export const UNKNOWN_COORDINATE_SYSTEM = 'UNKNOWN_COORDINATE_SYSTEM';

export function unknownCoordinateSystemMessage(text: string): string {
  const shown = text.trim().slice(0, 20);
  return `未知的坐标系“${shown}”，请填写 WGS-84、GCJ-02 或 BD-09`;
}

/**
 * Converts a point from `from` into STORED_COORDINATE_SYSTEM. Supplied by the server (a
 * well-kept converter library); the identity for `from === STORED_COORDINATE_SYSTEM`.
 */
export type ToStoredSystem = (point: LatLng, from: CoordinateSystem) => LatLng;

/** Converted coordinates are kept to 6 decimals (about 0.1 m). */
export const CONVERTED_DECIMALS = 6;
