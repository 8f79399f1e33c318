import {
  DETOUR_FACTOR,
  EARTH_RADIUS_M,
  METRES_PER_DEGREE,
  bandRadiusMetres,
  coordinateProblem,
  distanceMetres,
  formatDistance,
  formatWalkingMinutes,
  walkingBand,
  walkingMinutes,
  walkingMinutesForDistance,
} from './walking';

const R29 = { latitude: 30.5906, longitude: 104.1286 };

describe('distanceMetres (haversine)', () => {
  it('is zero for the same point and symmetric', () => {
    expect(distanceMetres(R29, R29)).toBe(0);
    const b = { latitude: 30.6, longitude: 104.13 };
    expect(distanceMetres(R29, b)).toBeCloseTo(distanceMetres(b, R29), 6);
  });

  it('uses the geo query sphere (MongoDB 6378.1 km): about 111.32 km per degree of latitude', () => {
    expect(EARTH_RADIUS_M).toBe(6_378_100);
    const d = distanceMetres({ latitude: 30, longitude: 104 }, { latitude: 31, longitude: 104 });
    expect(d).toBeCloseTo(METRES_PER_DEGREE, 6);
    expect(d).toBeCloseTo(111_318.8, 0);
  });

  it('shrinks a degree of longitude by cos(latitude)', () => {
    const d = distanceMetres(
      { latitude: 30.5906, longitude: 104 },
      { latitude: 30.5906, longitude: 105 },
    );
    expect(d / METRES_PER_DEGREE).toBeCloseTo(Math.cos((30.5906 * Math.PI) / 180), 3);
  });
});

describe('walking minutes', () => {
  it('applies the detour factor and the pace', () => {
    expect(walkingMinutesForDistance(800, 'adult')).toBeCloseTo((800 * DETOUR_FACTOR) / 80, 9);
    expect(walkingMinutesForDistance(600, 'elder')).toBeCloseTo((600 * DETOUR_FACTOR) / 60, 9);
  });

  it('makes an elder take 4/3 the time of an adult', () => {
    const to = { latitude: 30.5956, longitude: 104.1336 };
    expect(walkingMinutes(R29, to, 'elder') / walkingMinutes(R29, to, 'adult')).toBeCloseTo(
      4 / 3,
      9,
    );
  });

  it('draws band radii that the same rule maps back onto the band edge', () => {
    for (const band of [5, 10, 15]) {
      expect(walkingMinutesForDistance(bandRadiusMetres(band, 'adult'), 'adult')).toBeCloseTo(
        band,
        9,
      );
      expect(walkingMinutesForDistance(bandRadiusMetres(band, 'elder'), 'elder')).toBeCloseTo(
        band,
        9,
      );
    }
    // GB 50180: 5-minute ≈ 300 m, 15-minute 800–1000 m at an adult pace.
    expect(bandRadiusMetres(5)).toBeGreaterThan(290);
    expect(bandRadiusMetres(5)).toBeLessThan(320);
    expect(bandRadiusMetres(15)).toBeGreaterThan(800);
    expect(bandRadiusMetres(15)).toBeLessThan(1000);
  });
});

describe('walkingBand', () => {
  it('puts minutes in the smallest band that holds them, edges inclusive', () => {
    expect(walkingBand(0)).toBe(5);
    expect(walkingBand(5)).toBe(5);
    expect(walkingBand(5.01)).toBe(10);
    expect(walkingBand(10)).toBe(10);
    expect(walkingBand(14.9)).toBe(15);
    expect(walkingBand(15.01)).toBeNull();
  });
});

describe('labels', () => {
  it('states minutes and distances the way people read them', () => {
    expect(formatWalkingMinutes(0.4)).toBe('步行不到 1 分钟');
    expect(formatWalkingMinutes(7.4)).toBe('步行约 7 分钟');
    expect(formatDistance(318)).toBe('320 米');
    expect(formatDistance(1234)).toBe('1.2 公里');
  });
});

describe('coordinateProblem', () => {
  it('accepts a point in Chengdu', () => {
    expect(coordinateProblem(R29)).toBeNull();
  });
  it('refuses non-numbers, out-of-range and out-of-China points, spotting swapped ones', () => {
    expect(coordinateProblem({ latitude: Number.NaN, longitude: 104 })).toMatch(/数字/);
    expect(coordinateProblem({ latitude: 91, longitude: 104 })).toMatch(/超出范围/);
    expect(coordinateProblem({ latitude: 104.1286, longitude: 30.5906 })).toMatch(/写反/);
    expect(coordinateProblem({ latitude: 48.85, longitude: 2.35 })).toBe('坐标不在中国境内');
  });
});
