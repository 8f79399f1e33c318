/**
 * Geo queries, which mingo does not implement.
 *
 * Distances are great-circle distances on a sphere of radius 6 378 100 m (MongoDB's
 * kRadiusOfEarthInMeters), by the haversine formula. Coordinates are GeoJSON order
 * `[longitude, latitude]` in degrees. Polygon containment is tested on the plane of
 * longitude/latitude (ray casting, holes honoured); MongoDB uses geodesic edges, which differ only
 * for very large polygons. Points on a polygon's edge may fall either way.
 *
 * - `$nearSphere: {$geometry: Point, $maxDistance?, $minDistance?}` (metres): filter by distance,
 *   results sorted nearest first. Rewritten by `extractNear` into the private `$localNear` operator
 *   plus a sort key, because a query operator cannot sort.
 * - `$geoWithin: {$centerSphere: [[lng, lat], radians]}` or `{$geometry: Polygon | MultiPolygon}`.
 * - `$geoIntersects: {$geometry: <any GeoJSON>}` against any stored geometry (points, lines,
 *   polygons and their Multi- forms), planar like `$geoWithin`.
 * - aggregation stage `$geoNear` (first stage only): see `runGeoNear`.
 */
import { Context } from 'mingo/core';
import { resolve } from 'mingo/util';
import { LocalDbError } from './errors';
import { isPlainObject, type Doc } from './values';

/**
 * Earth radius in metres used for every distance: MongoDB's kRadiusOfEarthInMeters, as production
 * applies it. The walking minutes use the same value (src/domain/circle/walking.ts EARTH_RADIUS_M);
 * cloudfunctions/circle/coordinates.test.ts keeps the two equal.
 */
export const EARTH_RADIUS_M = 6378100;

export type LngLat = [number, number];

const toRad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in radians between two [lng, lat] points. */
export function angularDistance(a: LngLat, b: LngLat): number {
  const dLat = toRad(b[1] - a[1]);
  const dLng = toRad(b[0] - a[0]);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRad(a[1])) * Math.cos(toRad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in metres. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  return angularDistance(a, b) * EARTH_RADIUS_M;
}

/** Reads a point stored as GeoJSON `{type:'Point', coordinates}` or as a legacy `[lng, lat]` pair. */
export function pointOf(v: unknown): LngLat | null {
  let c: unknown = v;
  if (isPlainObject(v)) {
    if (v.type !== 'Point') return null;
    c = v.coordinates;
  }
  if (Array.isArray(c) && c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number') {
    return [c[0], c[1]];
  }
  return null;
}

type Ring = LngLat[];

function inRing(p: LngLat, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi)
      inside = !inside;
  }
  return inside;
}

/** Polygon = outer ring then holes. */
function inPolygon(p: LngLat, rings: Ring[]): boolean {
  if (rings.length === 0 || !inRing(p, rings[0])) return false;
  return !rings.slice(1).some((hole) => inRing(p, hole));
}

function ringsOf(raw: unknown): Ring[] {
  if (!Array.isArray(raw))
    throw new LocalDbError('INVALID_PARAM', 'polygon coordinates must be arrays of rings');
  return raw.map((ring: unknown) => {
    if (!Array.isArray(ring))
      throw new LocalDbError('INVALID_PARAM', 'polygon ring must be an array');
    return ring.map((pt: unknown) => {
      const p = pointOf(pt);
      if (!p) throw new LocalDbError('INVALID_PARAM', 'polygon vertex must be [lng, lat]');
      return p;
    });
  });
}

/** Builds a point predicate for a GeoJSON geometry (Polygon, MultiPolygon, or Point for intersects). */
function geometryPredicate(geometry: unknown): (p: LngLat) => boolean {
  if (!isPlainObject(geometry))
    throw new LocalDbError('INVALID_PARAM', '$geometry must be a GeoJSON object');
  switch (geometry.type) {
    case 'Polygon': {
      const rings = ringsOf(geometry.coordinates);
      return (p) => inPolygon(p, rings);
    }
    case 'MultiPolygon': {
      if (!Array.isArray(geometry.coordinates))
        throw new LocalDbError('INVALID_PARAM', 'MultiPolygon needs coordinates');
      const polys = geometry.coordinates.map((poly: unknown) => ringsOf(poly));
      return (p) => polys.some((rings) => inPolygon(p, rings));
    }
    case 'Point': {
      const q = pointOf(geometry);
      if (!q) throw new LocalDbError('INVALID_PARAM', 'bad Point');
      return (p) => p[0] === q[0] && p[1] === q[1];
    }
    default:
      throw new LocalDbError(
        'DATABASE_INVALID_OPERRATOR',
        `unsupported geometry type ${String(geometry.type)}`,
      );
  }
}

/** Values a field holds: a point, or each element of an array of points. */
function pointsAt(obj: Doc, selector: string): LngLat[] {
  const v = resolve(obj, selector) as unknown;
  const single = pointOf(v);
  if (single) return [single];
  if (Array.isArray(v)) return v.map(pointOf).filter((p): p is LngLat => p !== null);
  return [];
}

type QueryOp = (selector: string, value: unknown, options: unknown) => (obj: Doc) => boolean;

const $geoWithin: QueryOp = (selector, value) => {
  if (!isPlainObject(value)) throw new LocalDbError('INVALID_PARAM', '$geoWithin needs an object');
  let test: (p: LngLat) => boolean;
  if (value.$centerSphere !== undefined) {
    const cs = value.$centerSphere;
    const center = Array.isArray(cs) ? pointOf(cs[0]) : null;
    const radius = Array.isArray(cs) ? cs[1] : undefined;
    if (!center || typeof radius !== 'number') {
      throw new LocalDbError(
        'INVALID_PARAM',
        '$centerSphere must be [[lng, lat], radiusInRadians]',
      );
    }
    test = (p) => angularDistance(center, p) <= radius;
  } else if (value.$geometry !== undefined) {
    test = geometryPredicate(value.$geometry);
  } else {
    throw new LocalDbError(
      'DATABASE_INVALID_OPERRATOR',
      '$geoWithin supports $centerSphere and $geometry',
    );
  }
  return (obj) => {
    const pts = pointsAt(obj, selector);
    return pts.length > 0 && pts.every(test);
  };
};

/** A geometry reduced to what intersection needs: its vertices, edges and polygons. */
interface Shape {
  points: LngLat[];
  segments: [LngLat, LngLat][];
  polygons: Ring[][];
}

function pointList(raw: unknown, what: string): LngLat[] {
  if (!Array.isArray(raw)) throw new LocalDbError('INVALID_PARAM', `${what} needs coordinates`);
  return raw.map((pt: unknown) => {
    const p = pointOf(pt);
    if (!p) throw new LocalDbError('INVALID_PARAM', `${what} vertex must be [lng, lat]`);
    return p;
  });
}

function edges(line: LngLat[]): [LngLat, LngLat][] {
  const out: [LngLat, LngLat][] = [];
  for (let i = 1; i < line.length; i++) out.push([line[i - 1], line[i]]);
  return out;
}

/**
 * Reads a stored or queried GeoJSON geometry (or a legacy `[lng, lat]` pair); null when the value
 * is not a geometry. Throws for a malformed geometry object.
 */
export function shapeOf(v: unknown): Shape | null {
  const single = pointOf(v);
  if (single) return { points: [single], segments: [], polygons: [] };
  if (!isPlainObject(v) || typeof v.type !== 'string') return null;
  const c = v.coordinates;
  switch (v.type) {
    case 'MultiPoint':
      return { points: pointList(c, 'MultiPoint'), segments: [], polygons: [] };
    case 'LineString': {
      const line = pointList(c, 'LineString');
      return { points: line, segments: edges(line), polygons: [] };
    }
    case 'MultiLineString': {
      if (!Array.isArray(c)) throw new LocalDbError('INVALID_PARAM', 'MultiLineString needs lines');
      const lines = c.map((l: unknown) => pointList(l, 'MultiLineString'));
      return { points: lines.flat(), segments: lines.flatMap(edges), polygons: [] };
    }
    case 'Polygon': {
      const rings = ringsOf(c);
      return { points: rings.flat(), segments: rings.flatMap(edges), polygons: [rings] };
    }
    case 'MultiPolygon': {
      if (!Array.isArray(c))
        throw new LocalDbError('INVALID_PARAM', 'MultiPolygon needs coordinates');
      const polys = c.map((poly: unknown) => ringsOf(poly));
      return {
        points: polys.flat(2),
        segments: polys.flatMap((rings) => rings.flatMap(edges)),
        polygons: polys,
      };
    }
    default:
      throw new LocalDbError('DATABASE_INVALID_OPERRATOR', `unsupported geometry type ${v.type}`);
  }
}

const EPS = 1e-12;
const cross = (o: LngLat, a: LngLat, b: LngLat): number =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

function onSegment(p: LngLat, [a, b]: [LngLat, LngLat]): boolean {
  if (Math.abs(cross(a, b, p)) > EPS) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - EPS &&
    p[0] <= Math.max(a[0], b[0]) + EPS &&
    p[1] >= Math.min(a[1], b[1]) - EPS &&
    p[1] <= Math.max(a[1], b[1]) + EPS
  );
}

function segmentsIntersect(s: [LngLat, LngLat], t: [LngLat, LngLat]): boolean {
  const d1 = cross(t[0], t[1], s[0]);
  const d2 = cross(t[0], t[1], s[1]);
  const d3 = cross(s[0], s[1], t[0]);
  const d4 = cross(s[0], s[1], t[1]);
  if (
    ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) &&
    ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))
  )
    return true;
  return onSegment(s[0], t) || onSegment(s[1], t) || onSegment(t[0], s) || onSegment(t[1], s);
}

/** Whether point p lies in, or on the boundary of, the shape. */
function covers(shape: Shape, p: LngLat): boolean {
  return (
    shape.polygons.some((rings) => inPolygon(p, rings)) ||
    shape.segments.some((seg) => onSegment(p, seg)) ||
    shape.points.some((q) => q[0] === p[0] && q[1] === p[1])
  );
}

/**
 * Planar intersection of two geometries (edges as straight lines in lng/lat, like `$geoWithin`
 * here): a vertex of one lies in or on the other, or two edges cross.
 */
export function shapesIntersect(a: Shape, b: Shape): boolean {
  if (a.points.some((p) => covers(b, p)) || b.points.some((p) => covers(a, p))) return true;
  return a.segments.some((s) => b.segments.some((t) => segmentsIntersect(s, t)));
}

/** `$geoIntersects` for any stored geometry (or array of geometries) and any queried geometry. */
const $geoIntersects: QueryOp = (selector, value) => {
  if (!isPlainObject(value))
    throw new LocalDbError('INVALID_PARAM', '$geoIntersects needs an object');
  const query = shapeOf(value.$geometry);
  if (!query) throw new LocalDbError('INVALID_PARAM', '$geoIntersects needs $geometry: GeoJSON');
  const stored = (v: unknown): Shape | null => {
    try {
      return shapeOf(v);
    } catch {
      return null; // a malformed stored value never matches
    }
  };
  return (obj) => {
    const v = resolve(obj, selector) as unknown;
    const values = stored(v) ? [v] : Array.isArray(v) ? v : [];
    return values.some((x) => {
      const s = stored(x);
      return s !== null && shapesIntersect(s, query);
    });
  };
};

/** Internal: distance band of a rewritten `$nearSphere` (metres). */
const $localNear: QueryOp = (selector, value) => {
  const spec = value as NearSpec;
  return (obj) => {
    const p = pointOf(resolve(obj, selector) as unknown);
    if (!p) return false;
    const d = distanceMeters(spec.point, p);
    return (spec.min === undefined || d >= spec.min) && (spec.max === undefined || d <= spec.max);
  };
};

/** The mingo context adding the geo operators to the defaults. */
export const geoContext = Context.init({
  query: { $geoWithin, $geoIntersects, $localNear } as unknown as NonNullable<
    Parameters<typeof Context.init>[0]
  >['query'],
});

export interface NearSpec {
  field: string;
  point: LngLat;
  /** metres */
  min?: number;
  /** metres */
  max?: number;
}

function nearSpec(field: string, raw: unknown): NearSpec {
  if (!isPlainObject(raw)) throw new LocalDbError('INVALID_PARAM', '$nearSphere needs an object');
  const point = pointOf(raw.$geometry);
  if (!point)
    throw new LocalDbError('INVALID_PARAM', '$nearSphere needs $geometry: a GeoJSON Point');
  const spec: NearSpec = { field, point };
  if (typeof raw.$maxDistance === 'number') spec.max = raw.$maxDistance;
  if (typeof raw.$minDistance === 'number') spec.min = raw.$minDistance;
  return spec;
}

/**
 * Finds a `$nearSphere` at the top level (or inside a top-level `$and`) and replaces it by the
 * internal `$localNear` filter. MongoDB allows at most one and never under `$or` / `$nor`.
 */
export function extractNear(query: Doc): { query: Doc; near?: NearSpec } {
  let near: NearSpec | undefined;
  const rewrite = (q: Doc): Doc => {
    const out: Doc = {};
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(v)) {
        out[k] = v.map((c: unknown) => (isPlainObject(c) ? rewrite(c) : c));
      } else if (!k.startsWith('$') && isPlainObject(v) && v.$nearSphere !== undefined) {
        if (near)
          throw new LocalDbError('DATABASE_INVALID_OPERRATOR', 'too many geoNear expressions');
        const { $nearSphere, ...rest } = v;
        near = nearSpec(k, $nearSphere);
        out[k] = { ...rest, $localNear: near };
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  const rewritten = rewrite(query);
  return near ? { query: rewritten, near } : { query };
}

/** Sorts documents nearest first to `near.point` (stable). */
export function sortByDistance(docs: Doc[], near: NearSpec): Doc[] {
  return docs
    .map((doc, i) => {
      const p = pointOf(resolve(doc, near.field) as unknown);
      return { doc, i, d: p ? distanceMeters(near.point, p) : Infinity };
    })
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.doc);
}

export interface GeoNearStage {
  near: LngLat;
  distanceField: string;
  /** metres */
  maxDistance?: number;
  /** metres */
  minDistance?: number;
  query?: Doc;
  includeLocs?: string;
  distanceMultiplier?: number;
  key?: string;
}

/** Validates the `$geoNear` stage value the SDK sends. */
export function parseGeoNear(raw: unknown): GeoNearStage {
  if (!isPlainObject(raw)) throw new LocalDbError('INVALID_PARAM', '$geoNear needs an object');
  const near = pointOf(raw.near);
  if (!near) throw new LocalDbError('INVALID_PARAM', '$geoNear.near must be a GeoJSON Point');
  if (typeof raw.distanceField !== 'string' || raw.distanceField === '') {
    throw new LocalDbError('INVALID_PARAM', '$geoNear.distanceField is required');
  }
  const stage: GeoNearStage = { near, distanceField: raw.distanceField };
  if (typeof raw.maxDistance === 'number') stage.maxDistance = raw.maxDistance;
  if (typeof raw.minDistance === 'number') stage.minDistance = raw.minDistance;
  if (isPlainObject(raw.query)) stage.query = raw.query;
  if (typeof raw.includeLocs === 'string') stage.includeLocs = raw.includeLocs;
  if (typeof raw.distanceMultiplier === 'number') stage.distanceMultiplier = raw.distanceMultiplier;
  if (typeof raw.key === 'string') stage.key = raw.key;
  return stage;
}

/** Writes `value` at a dotted path, creating objects on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isPlainObject(next)) cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

/**
 * Runs a `$geoNear` stage over already-filtered documents of `field`: keeps those within the
 * distance band, adds `distanceField` (metres × distanceMultiplier) and `includeLocs`, nearest first.
 */
export function runGeoNear(docs: Doc[], stage: GeoNearStage, field: string): Doc[] {
  const out: { doc: Doc; d: number; i: number }[] = [];
  docs.forEach((doc, i) => {
    const raw = resolve(doc, field) as unknown;
    const p = pointOf(raw);
    if (!p) return;
    const d = distanceMeters(stage.near, p);
    if (stage.maxDistance !== undefined && d > stage.maxDistance) return;
    if (stage.minDistance !== undefined && d < stage.minDistance) return;
    setPath(doc, stage.distanceField, d * (stage.distanceMultiplier ?? 1));
    if (stage.includeLocs) setPath(doc, stage.includeLocs, raw);
    out.push({ doc, d, i });
  });
  return out.sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.doc);
}
