import { EARTH_RADIUS_M as QUERY_EARTH_RADIUS_M } from '../../local/cloud/geo';
import { EARTH_RADIUS_M, distanceMetres } from '../../src/domain/circle/walking';
import { convertPoint, toStoredSystem } from './store/coordinates';

/**
 * Known point pairs: gcoord's own test fixture, test/fixtures/china-cities.json, entry
 * 四川省 成都市 武侯区 (github.com/hujiulong/gcoord, commit fedbaa105f198d5afc23fec2d60c0a0df32ef663),
 * the same place in three systems, [longitude, latitude]:
 *   WGS84 [104.0640437, 30.5747262]   GCJ02 [104.0665489, 30.5722732]   BD09 [104.0730134, 30.5783237]
 * gcoord's tests accept its output to 4 decimals (about 5 m); here it must land within 1 m (it
 * lands about 0.7 m from the GCJ-02 value going from WGS-84, 0.1 m going from BD-09).
 */
const CHENGDU = {
  wgs84: { latitude: 30.5747262, longitude: 104.0640437 },
  gcj02: { latitude: 30.5722732, longitude: 104.0665489 },
  bd09: { latitude: 30.5783237, longitude: 104.0730134 },
};

describe('coordinate conversion (gcoord)', () => {
  it('puts the Chengdu WGS-84 point at its published GCJ-02 position, about 360 m away', () => {
    const gcj = toStoredSystem(CHENGDU.wgs84, 'wgs84');
    expect(distanceMetres(gcj, CHENGDU.gcj02)).toBeLessThan(1);
    // The shift this whole issue is about: more than the 5-minute band (about 308 m).
    const shift = distanceMetres(CHENGDU.wgs84, CHENGDU.gcj02);
    expect(shift).toBeGreaterThan(350);
    expect(shift).toBeLessThan(370);
  });

  it('puts the Chengdu BD-09 point at the same GCJ-02 position, and GCJ-02 stays as it is', () => {
    expect(distanceMetres(toStoredSystem(CHENGDU.bd09, 'bd09'), CHENGDU.gcj02)).toBeLessThan(1);
    expect(toStoredSystem(CHENGDU.gcj02, 'gcj02')).toEqual(CHENGDU.gcj02);
  });

  it('converts back (GCJ-02 to WGS-84) to within a metre', () => {
    expect(
      distanceMetres(convertPoint(CHENGDU.gcj02, 'gcj02', 'wgs84'), CHENGDU.wgs84),
    ).toBeLessThan(1);
  });

  it('leaves points outside China unchanged (GCJ-02 is defined only inside China)', () => {
    const paris = { latitude: 48.85, longitude: 2.35 };
    expect(toStoredSystem(paris, 'wgs84')).toEqual(paris);
  });
});

describe('one Earth radius', () => {
  it('is the same for the local geo query and the walking estimate', () => {
    expect(QUERY_EARTH_RADIUS_M).toBe(EARTH_RADIUS_M);
  });
});
