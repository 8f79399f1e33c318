import * as v from 'valibot';
import { type LatLng, distanceMetres, isInChina } from '../circle/walking';

/**
 * A community (社区) under a street office (街道): the unit every community-scoped record belongs
 * to. Its life circle is drawn from its service area: a point and radius, or a polygon.
 */

export const SERVICE_AREA_RADIUS_MIN = 200;
export const SERVICE_AREA_RADIUS_MAX = 5000;
export const POLYGON_POINTS_MIN = 3;
export const POLYGON_POINTS_MAX = 200;

export type ServiceArea =
  { kind: 'circle'; center: LatLng; radiusMetres: number } | { kind: 'polygon'; points: LatLng[] };

export interface Community {
  id: string;
  name: string;
  /** The street office (街道) it belongs to, e.g. "示例街道办事处". */
  street: string;
  /** The district (区), e.g. "锦江区". */
  district: string;
  area: ServiceArea;
  /** True for the bundled sample data, shown as such in the UI. */
  sample: boolean;
  createdAt: string;
}

const latLng = v.pipe(
  v.strictObject(
    {
      latitude: v.number('纬度必须是数字'),
      longitude: v.number('经度必须是数字'),
    },
    '坐标格式不正确',
  ),
  v.check(isInChina, '坐标不在中国境内，请检查经纬度'),
);

const areaSchema = v.variant(
  'kind',
  [
    v.strictObject({
      kind: v.literal('circle'),
      center: latLng,
      radiusMetres: v.pipe(
        v.number('半径必须是数字'),
        v.integer('半径必须是整数米'),
        v.minValue(SERVICE_AREA_RADIUS_MIN, `服务范围半径至少 ${SERVICE_AREA_RADIUS_MIN} 米`),
        v.maxValue(SERVICE_AREA_RADIUS_MAX, `服务范围半径最多 ${SERVICE_AREA_RADIUS_MAX} 米`),
      ),
    }),
    v.strictObject({
      kind: v.literal('polygon'),
      points: v.pipe(
        v.array(latLng, '边界点格式不正确'),
        v.minLength(POLYGON_POINTS_MIN, `边界至少 ${POLYGON_POINTS_MIN} 个点`),
        v.maxLength(POLYGON_POINTS_MAX, `边界最多 ${POLYGON_POINTS_MAX} 个点`),
      ),
    }),
  ],
  '服务范围只能是圆形或多边形',
);

const label = (what: string, max: number) =>
  v.pipe(
    v.string(`${what}必须是文字`),
    v.trim(),
    v.minLength(2, `请填写${what}`),
    v.maxLength(max, `${what}最多 ${max} 个字`),
  );

/** What the street-office administrator fills in to create a community. */
export const communityDraftSchema = v.strictObject(
  {
    name: label('社区名称', 30),
    street: label('所属街道', 30),
    district: label('所属区县', 20),
    area: areaSchema,
  },
  '社区信息格式不正确',
);
export type CommunityDraft = v.InferOutput<typeof communityDraftSchema>;

/** Ray casting on the plane of degrees: fine at the scale of a community (a few km). */
function inPolygon(p: LatLng, points: readonly LatLng[]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i];
    const b = points[j];
    const crosses =
      a.latitude > p.latitude !== b.latitude > p.latitude &&
      p.longitude <
        ((b.longitude - a.longitude) * (p.latitude - a.latitude)) / (b.latitude - a.latitude) +
          a.longitude;
    if (crosses) inside = !inside;
  }
  return inside;
}

/** Whether a point lies in the community's service area (its edge counts as inside a circle). */
export function inServiceArea(point: LatLng, area: ServiceArea): boolean {
  if (area.kind === 'circle') return distanceMetres(point, area.center) <= area.radiusMetres;
  return inPolygon(point, area.points);
}

/** The point a map of the area centres on: the circle's centre, or the polygon's mean point. */
export function areaCentre(area: ServiceArea): LatLng {
  if (area.kind === 'circle') return area.center;
  const n = area.points.length;
  return {
    latitude: area.points.reduce((sum, p) => sum + p.latitude, 0) / n,
    longitude: area.points.reduce((sum, p) => sum + p.longitude, 0) / n,
  };
}
