import { CIRCLE_CATEGORIES, CIRCLE_CATEGORY_IDS, type CircleCategoryId } from './categories';
import {
  categoriesAbsent,
  circleRadiusMetres,
  coverage,
  filterByCategory,
  missingCategories,
  nearbyPlaces,
} from './coverage';
import type { CirclePlace } from './place';
import { METRES_PER_DEGREE, bandRadiusMetres } from './walking';

const ORIGIN = { latitude: 30.5906, longitude: 104.1286 };

/** A place `metres` due north of the origin. */
function aPlace(overrides: Partial<CirclePlace> & { metres?: number } = {}): CirclePlace {
  const { metres = 100, ...rest } = overrides;
  return {
    id: `p-${Math.random().toString(36).slice(2, 8)}`,
    name: '样例',
    category: 'convenience-store',
    location: {
      latitude: ORIGIN.latitude + metres / METRES_PER_DEGREE,
      longitude: ORIGIN.longitude,
    },
    hours: [],
    phone: '',
    address: '',
    note: '',
    sample: true,
    ...rest,
  };
}

function bandOf(report: ReturnType<typeof coverage>, minutes: number) {
  const band = report.bands.find((b) => b.minutes === minutes);
  if (!band) throw new Error('no band');
  return band;
}

function categoryIn(report: ReturnType<typeof coverage>, minutes: number, id: CircleCategoryId) {
  const c = bandOf(report, minutes).categories.find((x) => x.category === id);
  if (!c) throw new Error('no category');
  return c;
}

describe('nearbyPlaces', () => {
  it('sorts by walking minutes and assigns bands', () => {
    const far = aPlace({ id: 'far', metres: 1500 });
    const mid = aPlace({ id: 'mid', metres: 500 });
    const near = aPlace({ id: 'near', metres: 50 });
    const list = nearbyPlaces(ORIGIN, [far, mid, near], 'adult');
    expect(list.map((p) => p.id)).toEqual(['near', 'mid', 'far']);
    expect(list.map((p) => p.band)).toEqual([5, 10, null]);
  });

  it('puts the same place in a wider band at the elder pace', () => {
    const p = aPlace({ metres: 280 });
    expect(nearbyPlaces(ORIGIN, [p], 'adult')[0].band).toBe(5);
    expect(nearbyPlaces(ORIGIN, [p], 'elder')[0].band).toBe(10);
  });

  it('filters by category', () => {
    const list = [aPlace({ category: 'pharmacy' }), aPlace({ category: 'cafe' })];
    expect(filterByCategory(list, 'cafe')).toHaveLength(1);
    expect(filterByCategory(list, null)).toHaveLength(2);
  });
});

describe('coverage', () => {
  const r5 = bandRadiusMetres(5);
  const r10 = bandRadiusMetres(10);
  const r15 = bandRadiusMetres(15);

  const places = [
    aPlace({ id: 'store', category: 'convenience-store', metres: r5 - 20 }),
    aPlace({ id: 'pharmacy', category: 'pharmacy', metres: r10 - 20 }),
    aPlace({ id: 'pharmacy-2', category: 'pharmacy', metres: r15 - 20 }),
    aPlace({ id: 'gym', category: 'fitness', metres: r15 - 20 }),
    aPlace({ id: 'market-far', category: 'wet-market', metres: r15 + 400 }),
  ];
  const report = coverage(ORIGIN, places, 'adult');

  it('has the three bands with every guide category in each', () => {
    expect(report.bands.map((b) => b.minutes)).toEqual([5, 10, 15]);
    for (const band of report.bands) expect(band.categories).toHaveLength(CIRCLE_CATEGORIES.length);
  });

  it('marks presence per band, bands containing the narrower ones', () => {
    expect(categoryIn(report, 5, 'convenience-store').present).toBe(true);
    expect(categoryIn(report, 5, 'pharmacy').present).toBe(false);
    expect(categoryIn(report, 10, 'pharmacy').present).toBe(true);
    expect(categoryIn(report, 15, 'fitness').present).toBe(true);
    expect(bandOf(report, 5).presentCount).toBe(1);
    expect(bandOf(report, 10).presentCount).toBe(2);
    expect(bandOf(report, 15).presentCount).toBe(3);
  });

  it('gives the nearest instance inside when present, and the nearest outside when missing', () => {
    expect(categoryIn(report, 10, 'pharmacy').nearest?.id).toBe('pharmacy');
    const missingIn5 = categoryIn(report, 5, 'pharmacy');
    expect(missingIn5.nearest?.id).toBe('pharmacy');
    expect(missingIn5.nearest?.minutes).toBeGreaterThan(5);
    const market = categoryIn(report, 15, 'wet-market');
    expect(market.present).toBe(false);
    expect(market.nearest?.id).toBe('market-far');
    expect(market.nearest?.minutes).toBeGreaterThan(15);
    expect(categoryIn(report, 15, 'pet-service').nearest).toBeNull();
  });

  it('counts gaps only for categories the guide expects within the band', () => {
    // In 5 minutes the guide expects only a convenience store, which is there.
    expect(bandOf(report, 5).gapCount).toBe(0);
    expect(categoryIn(report, 5, 'pharmacy').expected).toBe(false);
    expect(categoryIn(report, 10, 'wet-market').expected).toBe(true);
    expect(bandOf(report, 15).gapCount).toBe(bandOf(report, 15).missingCount);
  });

  it('lists the categories missing from the 15-minute band', () => {
    const missing = missingCategories(report);
    expect(missing).toContain('wet-market');
    expect(missing).not.toContain('pharmacy');
    expect(missing).toHaveLength(CIRCLE_CATEGORIES.length - 3);
  });

  it('answers the elder pace with smaller circles', () => {
    const elder = coverage(ORIGIN, places, 'elder');
    expect(bandOf(elder, 15).radiusM).toBeLessThan(bandOf(report, 15).radiusM);
    expect(categoryIn(elder, 15, 'fitness').present).toBe(false);
  });
});

describe('categoriesAbsent', () => {
  it('names every guide category with no place among those given, in the guide order', () => {
    const absent = categoriesAbsent([{ category: 'pharmacy' }, { category: 'laundry' }]);
    expect(absent).toEqual(CIRCLE_CATEGORY_IDS.filter((c) => c !== 'pharmacy' && c !== 'laundry'));
    expect(categoriesAbsent([])).toEqual([...CIRCLE_CATEGORY_IDS]);
  });
});

describe('circleRadiusMetres', () => {
  it('is the widest band at the pace, shorter for elders', () => {
    expect(circleRadiusMetres('adult')).toBe(bandRadiusMetres(15, 'adult'));
    expect(circleRadiusMetres('elder')).toBeLessThan(circleRadiusMetres('adult'));
  });
});
