import { osmAddress, osmCategory, osmPhone, osmTags, parseOsmOpeningHours } from './osm';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

describe('parseOsmOpeningHours', () => {
  it('reads the common OpenStreetMap forms into weekly rules', () => {
    expect(parseOsmOpeningHours('Mo-Su 07:00-23:00')).toEqual({
      ok: true,
      hours: [{ days: EVERY_DAY, open: 420, close: 1380 }],
    });
    expect(parseOsmOpeningHours('Mo-Fr 08:00-18:00; Sa,Su 09:00-17:00')).toEqual({
      ok: true,
      hours: [
        { days: [1, 2, 3, 4, 5], open: 480, close: 1080 },
        { days: [0, 6], open: 540, close: 1020 },
      ],
    });
    expect(parseOsmOpeningHours('24/7')).toEqual({
      ok: true,
      hours: [{ days: EVERY_DAY, open: 0, close: 1440 }],
    });
    expect(parseOsmOpeningHours('07:00-23:00')).toEqual({
      ok: true,
      hours: [{ days: EVERY_DAY, open: 420, close: 1380 }],
    });
  });

  it('reads split spans, wrapping day ranges, past-midnight hours, "off" and later rules overriding', () => {
    expect(parseOsmOpeningHours('Mo-Fr 08:00-12:00,14:00-18:00')).toEqual({
      ok: true,
      hours: [
        { days: [1, 2, 3, 4, 5], open: 480, close: 720 },
        { days: [1, 2, 3, 4, 5], open: 840, close: 1080 },
      ],
    });
    expect(parseOsmOpeningHours('Fr-Mo 20:00-02:00')).toEqual({
      ok: true,
      hours: [{ days: [0, 1, 5, 6], open: 1200, close: 1560 }],
    });
    expect(parseOsmOpeningHours('Mo-Su 08:00-20:00; Su off')).toEqual({
      ok: true,
      hours: [{ days: [1, 2, 3, 4, 5, 6], open: 480, close: 1200 }],
    });
    expect(parseOsmOpeningHours('Mo-Su 08:00-20:00; Sa 10:00-24:00')).toEqual({
      ok: true,
      hours: [
        { days: [0, 1, 2, 3, 4, 5], open: 480, close: 1200 },
        { days: [6], open: 600, close: 1440 },
      ],
    });
  });

  it('gives a reason in Chinese for what it cannot read, never throws', () => {
    for (const text of [
      'Mo-Fr 08:00-18:00; PH off',
      'Jan-Mar Mo-Fr 08:00-18:00',
      'sunrise-sunset',
      'Mo-Fr 08:00+',
      'Mo-Fr 25:00-26:00',
      'Xx 08:00-18:00',
      '"by appointment"',
      'off',
    ]) {
      const parsed = parseOsmOpeningHours(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/营业时间/);
    }
    const holiday = parseOsmOpeningHours('Mo-Fr 08:00-18:00; PH off');
    if (!holiday.ok) expect(holiday.reason).toMatch(/节假日/);
  });
});

describe('OpenStreetMap tags', () => {
  it('maps common tags to our categories, including lists and nested tags', () => {
    expect(osmCategory({ shop: 'convenience' })).toEqual({ id: 'convenience-store' });
    expect(osmCategory({ amenity: 'pharmacy' })).toEqual({ id: 'pharmacy' });
    expect(osmCategory({ shop: 'greengrocer;butcher' })).toEqual({ id: 'fresh-grocery' });
    expect(osmCategory({ amenity: 'restaurant', cuisine: 'breakfast' })).toEqual({
      id: 'breakfast',
    });
    expect(osmCategory({ leisure: 'fitness_centre' })).toEqual({ id: 'fitness' });
    expect(osmCategory({ amenity: 'bank' })).toEqual({ unknown: 'amenity=bank' });
    expect(osmCategory({ name: '无类别' })).toBeNull();
    expect(osmTags({ name: 'A', tags: { shop: 'laundry' }, '@id': 'node/1' })).toEqual({
      name: 'A',
      shop: 'laundry',
      '@id': 'node/1',
    });
  });

  it('reads the first phone and builds an address from addr:* tags', () => {
    expect(osmPhone({ phone: '+86 28 8888 0000;+86 28 8888 0001' })).toBe('+86 28 8888 0000');
    expect(osmPhone({ 'contact:phone': '028-88880000' })).toBe('028-88880000');
    expect(
      osmAddress({ 'addr:city': '成都市', 'addr:street': '锦江大道', 'addr:housenumber': '1号' }),
    ).toBe('成都市锦江大道1号');
    expect(osmAddress({ 'addr:full': '锦江大道 1 号' })).toBe('锦江大道 1 号');
  });
});
