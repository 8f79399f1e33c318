import type { CircleCategoryId } from '../../src/domain/circle/categories';
import { parseHoursText } from '../../src/domain/circle/place';
import { METRES_PER_DEGREE } from '../../src/domain/circle/walking';
import type { Database, DocData } from '../runtime/sdk';

/**
 * SAMPLE places of the 15-minute life circle around the R29 space (lat 30.5906, lng 104.1286).
 * Every one is FICTIONAL: names end in "（示例）", `sample: true`, positions are generated from a
 * bearing and a distance (0–1.5 km) and do not correspond to real shops. The set covers most but
 * not all guide categories, so the coverage panel shows gaps: no 家政服务点 or 宠物服务站 at all, and
 * the only 菜市场 lies beyond the 15-minute band.
 *
 * Coordinates are GCJ-02 (STORED_COORDINATE_SYSTEM), like every stored place: the centre is the
 * sample space's location as WeChat's map shows it, and the places are offsets from it on the
 * circle's one sphere (EARTH_RADIUS_M), so nothing here was ever WGS-84 and nothing is converted.
 */

/** GCJ-02; the same point as SAMPLE_SPACE.location. */
export const SAMPLE_CIRCLE_CENTRE = { latitude: 30.5906, longitude: 104.1286 };

/** name, category, bearing (degrees from north), distance (m), hours as typed in an import. */
export const SAMPLE_PLACES: ReadonlyArray<[string, CircleCategoryId, number, number, string]> = [
  ['邻里便利店（示例）', 'convenience-store', 20, 60, '24小时'],
  ['成龙路便利店（示例）', 'convenience-store', 140, 260, '每天 07:00-23:30'],
  ['锦江大道便利店（示例）', 'convenience-store', 300, 620, '每天 06:30-23:00'],
  ['张记包子铺（示例）', 'breakfast', 80, 150, '每天 06:00-10:30'],
  ['李家豆浆油条（示例）', 'breakfast', 210, 420, '每天 06:30-10:00'],
  ['鲜果蔬菜店（示例）', 'fresh-grocery', 250, 380, '每天 07:30-21:00'],
  ['社区生鲜超市（示例）', 'fresh-grocery', 40, 760, '每天 08:00-21:30'],
  ['城东农贸菜市场（示例）', 'wet-market', 110, 1350, '每天 06:00-18:00'],
  ['惠民综合超市（示例）', 'supermarket', 170, 700, '每天 09:00-22:00'],
  ['锦华购物中心超市（示例）', 'supermarket', 330, 1200, '每天 10:00-22:00'],
  ['仁心大药房（示例）', 'pharmacy', 60, 330, '每天 08:00-22:00'],
  ['康宁药店（示例）', 'pharmacy', 280, 850, '24小时'],
  ['洁净洗衣店（示例）', 'laundry', 120, 480, '每天 09:00-20:00'],
  ['王五理发（示例）', 'hair-salon', 190, 200, '周二至周日 09:30-21:00'],
  ['丽人美容美发（示例）', 'hair-salon', 350, 560, '每天 10:00-21:30'],
  ['老赵家电维修（示例）', 'repair', 230, 640, '周一至周六 09:00-18:00'],
  ['快修配钥匙（示例）', 'repair', 90, 910, '每天 08:30-19:00'],
  ['快印图文（示例）', 'print-photo', 10, 450, '周一至周五 09:00-19:00；周末 10:00-17:00'],
  ['驿站快递点（示例）', 'post-express', 160, 110, '每天 08:00-21:00'],
  ['邮政便民服务点（示例）', 'post-express', 260, 990, '周一至周五 09:00-17:00'],
  ['颐养日间照料中心（示例）', 'elder-care', 70, 540, '周一至周五 08:30-17:30'],
  ['幸福老年食堂（示例）', 'elder-care', 320, 1100, '每天 11:00-13:00；每天 17:00-19:00'],
  ['童趣托管中心（示例）', 'child-care', 150, 690, '周一至周五 15:30-19:30'],
  ['小橡树幼儿托管（示例）', 'child-care', 40, 1450, '周一至周五 08:00-18:00'],
  ['活力健身房（示例）', 'fitness', 200, 800, '每天 06:00-23:00'],
  ['社区篮球场（示例）', 'fitness', 100, 300, '每天 06:00-22:00'],
  ['转角咖啡（示例）', 'cafe', 30, 90, '每天 08:00-20:00'],
  ['慢时光咖啡馆（示例）', 'cafe', 240, 720, '每天 10:00-22:00'],
  ['川味小馆（示例）', 'restaurant', 130, 350, '每天 10:30-14:00；每天 17:00-21:30'],
  ['老成都火锅（示例）', 'restaurant', 290, 470, '每天 11:00-02:00'],
  ['蓉城面馆（示例）', 'restaurant', 50, 240, '每天 06:30-20:30'],
  ['邻里书房（示例）', 'culture-education', 180, 580, '周二至周日 09:00-21:00'],
  ['青少年科创教室（示例）', 'culture-education', 10, 1000, '周末 09:00-18:00'],
  ['社区文化活动室（示例）', 'culture-education', 270, 150, ''],
  ['夜宵便利店（示例）', 'convenience-store', 220, 1300, '每天 18:00-04:00'],
  ['绿叶蔬菜铺（示例）', 'fresh-grocery', 340, 1480, '每天 07:00-20:00'],
  ['手机维修铺（示例）', 'repair', 20, 330, '每天 10:00-21:00'],
  ['如意干洗（示例）', 'laundry', 310, 1250, '每天 09:00-19:00'],
  ['便民早餐车（示例）', 'breakfast', 100, 880, '周一至周五 06:30-09:30'],
  ['街角照相馆（示例）', 'print-photo', 200, 1380, '周二至周日 10:00-19:00'],
];

/** The GCJ-02 point `metres` from the centre on `bearing` degrees (flat-earth step, fine under 2 km). */
export function pointAt(bearing: number, metres: number): { latitude: number; longitude: number } {
  const rad = (bearing * Math.PI) / 180;
  const dLat = (metres * Math.cos(rad)) / METRES_PER_DEGREE;
  const dLng =
    (metres * Math.sin(rad)) /
    (METRES_PER_DEGREE * Math.cos((SAMPLE_CIRCLE_CENTRE.latitude * Math.PI) / 180));
  return {
    latitude: Number((SAMPLE_CIRCLE_CENTRE.latitude + dLat).toFixed(6)),
    longitude: Number((SAMPLE_CIRCLE_CENTRE.longitude + dLng).toFixed(6)),
  };
}

interface GeoDatabase {
  Geo: { Point(longitude: number, latitude: number): unknown };
}

/** The sample places as `circle_places` documents, with `location` as the SDK's geo point. */
export function sampleCirclePlaces(
  db: Database,
  now: Date = new Date(),
): Array<DocData & { _id: string }> {
  const geo = (db as unknown as GeoDatabase).Geo;
  return SAMPLE_PLACES.map(([name, category, bearing, metres, hoursText], i) => {
    const hours = parseHoursText(hoursText);
    if (!hours.ok) throw new Error(`sample place ${name}: ${hours.reason}`);
    const at = pointAt(bearing, metres);
    return {
      _id: `sample-place-${String(i + 1).padStart(2, '0')}`,
      name,
      category,
      location: geo.Point(at.longitude, at.latitude),
      hours: hours.hours,
      phone: '',
      address: '示例地址，非真实商户',
      note: '示例数据',
      sample: true,
      updatedBy: 'seed',
      createdAt: now,
      updatedAt: now,
    };
  });
}

export const SAMPLE_CIRCLE_PLACE_COUNT = SAMPLE_PLACES.length;
