import * as v from 'valibot';
import { areaCentre, communityDraftSchema, inServiceArea, type ServiceArea } from './community';

const centre = { latitude: 30.59, longitude: 104.13 };

describe('inServiceArea', () => {
  it('a circle holds the points within its radius', () => {
    const area: ServiceArea = { kind: 'circle', center: centre, radiusMetres: 1000 };
    expect(inServiceArea(centre, area)).toBe(true);
    // ~0.005° of latitude is ~556 m; 0.01° is ~1.1 km
    expect(inServiceArea({ latitude: 30.595, longitude: 104.13 }, area)).toBe(true);
    expect(inServiceArea({ latitude: 30.6, longitude: 104.13 }, area)).toBe(false);
  });

  it('a polygon holds the points inside its boundary, concave ones too', () => {
    // an L shape: the notch at the top right is outside
    const area: ServiceArea = {
      kind: 'polygon',
      points: [
        { latitude: 30.58, longitude: 104.12 },
        { latitude: 30.58, longitude: 104.14 },
        { latitude: 30.59, longitude: 104.14 },
        { latitude: 30.59, longitude: 104.13 },
        { latitude: 30.6, longitude: 104.13 },
        { latitude: 30.6, longitude: 104.12 },
      ],
    };
    expect(inServiceArea({ latitude: 30.585, longitude: 104.135 }, area)).toBe(true);
    expect(inServiceArea({ latitude: 30.595, longitude: 104.125 }, area)).toBe(true);
    expect(inServiceArea({ latitude: 30.595, longitude: 104.135 }, area)).toBe(false);
    expect(inServiceArea({ latitude: 30.61, longitude: 104.125 }, area)).toBe(false);
    expect(areaCentre(area).latitude).toBeCloseTo(30.59, 5);
  });
});

describe('communityDraftSchema', () => {
  const draft = {
    name: '示例社区',
    street: '示例街道',
    district: '锦江区',
    area: { kind: 'circle', center: centre, radiusMetres: 1200 },
  };

  it('accepts a community with a circle or a polygon', () => {
    expect(v.safeParse(communityDraftSchema, draft).success).toBe(true);
    const polygon = {
      ...draft,
      area: {
        kind: 'polygon',
        points: [centre, { ...centre, latitude: 30.6 }, { ...centre, longitude: 104.14 }],
      },
    };
    expect(v.safeParse(communityDraftSchema, polygon).success).toBe(true);
  });

  it.each([
    [{ name: ' ' }, '请填写社区名称'],
    [{ area: { kind: 'circle', center: centre, radiusMetres: 50 } }, '服务范围半径至少 200 米'],
    [
      { area: { kind: 'circle', center: { latitude: 0, longitude: 0 }, radiusMetres: 500 } },
      '坐标不在中国境内，请检查经纬度',
    ],
    [{ area: { kind: 'polygon', points: [centre, centre] } }, '边界至少 3 个点'],
    [{ area: { kind: 'square' } }, '服务范围只能是圆形或多边形'],
  ])('refuses %j with “%s”', (over, message) => {
    const result = v.safeParse(communityDraftSchema, { ...draft, ...over });
    expect(result.success).toBe(false);
    expect(result.issues?.[0].message).toBe(message);
  });
});
