import type { CoordinateSystem, ToStoredSystem } from './coordinates';
import {
  type ImportFormat,
  IMPORT_MAX_ROWS,
  type PlaceImportOptions,
  parseCsv,
  parsePlaceImport as parseWith,
  importWriteRefusal,
  rejectedSummary,
} from './import';
import { hoursToText, parseHoursText } from './place';

/**
 * A stand-in for the server's converter (gcoord, tested against published point pairs in
 * cloudfunctions/circle/coordinates.test.ts): a fixed shift per source system of about the size of
 * the real one in Chengdu, so each test sees which system a row was read in.
 */
const SHIFT: Record<CoordinateSystem, { latitude: number; longitude: number }> = {
  gcj02: { latitude: 0, longitude: 0 },
  wgs84: { latitude: -0.0024531, longitude: 0.0025052 },
  bd09: { latitude: -0.0060505, longitude: -0.0064645 },
};
const fakeToStored: ToStoredSystem = (p, from) => ({
  latitude: p.latitude + SHIFT[from].latitude,
  longitude: p.longitude + SHIFT[from].longitude,
});
const shifted = (p: { latitude: number; longitude: number }, from: CoordinateSystem) => {
  const q = fakeToStored(p, from);
  return { latitude: Number(q.latitude.toFixed(6)), longitude: Number(q.longitude.toFixed(6)) };
};

function parsePlaceImport(
  format: ImportFormat,
  text: string,
  options: Partial<PlaceImportOptions> = {},
) {
  return parseWith(format, text, { toStored: fakeToStored, ...options });
}

describe('parseHoursText', () => {
  it('reads the usual shapes', () => {
    expect(parseHoursText('')).toEqual({ ok: true, hours: [] });
    expect(parseHoursText('24小时')).toEqual({
      ok: true,
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
    });
    expect(parseHoursText('每天 7:00-22:00')).toEqual({
      ok: true,
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 420, close: 1320 }],
    });
    expect(parseHoursText('周一至周五 09:00-17:30；周末 10:00-16:00')).toEqual({
      ok: true,
      hours: [
        { days: [1, 2, 3, 4, 5], open: 540, close: 1050 },
        { days: [0, 6], open: 600, close: 960 },
      ],
    });
    expect(parseHoursText('周六、周日 20:00-02:00')).toEqual({
      ok: true,
      hours: [{ days: [6, 0], open: 1200, close: 1560 }],
    });
  });

  it('explains what it cannot read', () => {
    const bad = parseHoursText('早上开门');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/看不懂/);
    expect(parseHoursText('周八 09:00-10:00').ok).toBe(false);
    expect(parseHoursText('每天 25:00-26:00').ok).toBe(false);
  });

  it('round-trips through hoursToText', () => {
    const text = '周一至周五 09:00-17:30；周末 10:00-16:00';
    const parsed = parseHoursText(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(hoursToText(parsed.hours)).toBe(text);
  });
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, CRLF, blank lines and a BOM', () => {
    const parsed = parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\r\n\r\nz,"multi\nline"\n');
    expect(parsed?.rows).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['z', 'multi\nline'],
    ]);
    expect(parsed?.lines).toEqual([1, 2, 4]);
  });
  it('refuses an unclosed quote', () => {
    expect(parseCsv('a,b\n"x,y\n')).toBeNull();
  });
});

const HEADER = '名称,类别,纬度,经度,营业时间,电话,地址,备注';

describe('parsePlaceImport: CSV', () => {
  it('accepts good rows and reports each bad row with its line and reason', () => {
    const csv = [
      HEADER,
      '张三便利店,便利店,30.5910,104.1290,每天 07:00-23:00,028-1234567,锦江大道1号,',
      '李四药房,pharmacy,30.5920,104.1300,,,,',
      '没有类别的店,,30.59,104.12,,,,',
      '王五书店,书店,30.59,104.12,,,,',
      '赵六菜店,生鲜超市/菜店,104.1286,30.5906,,,,',
      '错时间的店,早餐店,30.59,104.12,早上,,,',
      ',便利店,30.59,104.12,,,,',
      '张三便利店,便利店,30.59101,104.12901,,,,',
      '坏电话,药店,30.59,104.12,,abc,,',
    ].join('\n');
    const result = parsePlaceImport('csv', csv);
    if (!result.ok) throw new Error(result.reason);
    const { accepted, rejected } = result.report;
    expect(accepted.map((a) => a.row)).toEqual([2, 3]);
    expect(accepted[0].draft).toMatchObject({
      name: '张三便利店',
      category: 'convenience-store',
      location: { latitude: 30.591, longitude: 104.129 },
      phone: '028-1234567',
    });
    expect(accepted[1].draft.category).toBe('pharmacy');
    expect(rejected).toEqual([
      { row: 4, name: '没有类别的店', reason: '缺少类别' },
      { row: 5, name: '王五书店', reason: '未知的类别“书店”' },
      { row: 6, name: '赵六菜店', reason: '坐标不在中国境内，可能把经度和纬度写反了' },
      { row: 7, name: '错时间的店', reason: expect.stringMatching(/看不懂/) },
      { row: 8, name: '', reason: '缺少名称' },
      { row: 9, name: '张三便利店', reason: '与第 2 行重复' },
      { row: 10, name: '坏电话', reason: '电话格式不正确' },
    ]);
    expect(rejectedSummary(rejected)).toMatch(/^第 4 行：缺少类别；.*等共 7 行$/);
  });

  it('accepts English headers in any order', () => {
    const result = parsePlaceImport('csv', 'lng,lat,category,name\n104.1290,30.5910,cafe,Cafe A\n');
    expect(result.ok && result.report.accepted[0].draft.location).toEqual({
      latitude: 30.591,
      longitude: 104.129,
    });
  });

  it('calls a file malformed when it has no usable header, no rows, or too many rows', () => {
    expect(parsePlaceImport('csv', '')).toEqual({
      ok: false,
      code: 'IMPORT_MALFORMED',
      reason: '文件是空的',
    });
    const noHeader = parsePlaceImport('csv', '张三便利店,便利店,30.59,104.12\n');
    expect(noHeader.ok).toBe(false);
    if (!noHeader.ok) expect(noHeader.reason).toMatch(/缺少列：名称、类别、纬度、经度/);
    expect(parsePlaceImport('csv', `${HEADER}\n`).ok).toBe(false);
    const many = [
      HEADER,
      ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `店${i},便利店,30.59,104.12`),
    ].join('\n');
    const tooMany = parsePlaceImport('csv', many);
    expect(tooMany.ok).toBe(false);
    expect(parsePlaceImport('csv', `${HEADER}\n"unclosed,便利店,30.59,104.12\n`).ok).toBe(false);
  });
});

describe('parsePlaceImport: GeoJSON', () => {
  it('reads Point features and rejects others with reasons', () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [104.129, 30.591] },
          properties: { name: '钱七咖啡', category: '咖啡店', hours: '每天 08:00-20:00' },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [104.1, 30.5],
              [104.2, 30.6],
            ],
          },
          properties: { name: '一条路' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [104.129, 30.591] },
          properties: { name: '孙八', category: 'bank' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: ['x', 30.591] },
          properties: { name: '周九', category: 'cafe' },
        },
      ],
    });
    const result = parsePlaceImport('geojson', geojson);
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.accepted).toHaveLength(1);
    // GeoJSON is WGS-84 (RFC 7946): the point is stored converted.
    expect(result.report.system).toBe('wgs84');
    expect(result.report.accepted[0].draft).toMatchObject({
      name: '钱七咖啡',
      category: 'cafe',
      location: shifted({ latitude: 30.591, longitude: 104.129 }, 'wgs84'),
    });
    expect(result.report.rejected).toEqual([
      { row: 2, name: '一条路', reason: '几何类型须是 Point（点）' },
      { row: 3, name: '孙八', reason: '未知的类别“bank”' },
      { row: 4, name: '周九', reason: '经纬度缺失或不是数字' },
    ]);
  });

  it('calls non-JSON and non-collections malformed', () => {
    expect(parsePlaceImport('geojson', '{oops')).toEqual({
      ok: false,
      code: 'IMPORT_MALFORMED',
      reason: 'GeoJSON 不是有效的 JSON',
    });
    expect(parsePlaceImport('geojson', '{"type":"Feature"}').ok).toBe(false);
    expect(parsePlaceImport('geojson', '{"type":"FeatureCollection","features":[]}').ok).toBe(
      false,
    );
  });
});

describe('parsePlaceImport: coordinate systems', () => {
  const A = { latitude: 30.591, longitude: 104.129 };
  const csvRow = (name: string, p: { latitude: number; longitude: number }, system?: string) =>
    `${name},便利店,${p.latitude},${p.longitude}${system === undefined ? '' : `,${system}`}`;

  it('reads a CSV as GCJ-02 unless told otherwise, and stores GCJ-02 unchanged', () => {
    const result = parsePlaceImport('csv', `名称,类别,纬度,经度\n${csvRow('甲', A)}\n`);
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.system).toBe('gcj02');
    expect(result.report.accepted[0].draft.location).toEqual(A);
  });

  it('converts a CSV declared WGS-84 or BD-09 by the import option, in any usual spelling', () => {
    for (const [declared, system] of [
      ['wgs84', 'wgs84'],
      ['WGS-84', 'wgs84'],
      ['GPS', 'wgs84'],
      ['bd09', 'bd09'],
      ['百度坐标', 'bd09'],
      ['GCJ-02', 'gcj02'],
      ['火星坐标', 'gcj02'],
    ] as const) {
      const result = parsePlaceImport('csv', `名称,类别,纬度,经度\n${csvRow('甲', A)}\n`, {
        system: declared,
      });
      if (!result.ok) throw new Error(result.reason);
      expect(result.report.system).toBe(system);
      expect(result.report.accepted[0].draft.location).toEqual(shifted(A, system));
    }
  });

  it('lets each CSV row name its system in a 坐标系 column; an empty cell means the file’s', () => {
    const csv = [
      '名称,类别,纬度,经度,坐标系',
      csvRow('甲', A, 'WGS-84'),
      csvRow('乙', { latitude: 30.6, longitude: 104.14 }, ''),
      csvRow('丙', A, 'UTM'),
    ].join('\n');
    const result = parsePlaceImport('csv', csv, { system: 'bd09' });
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.accepted.map((a) => a.draft.location)).toEqual([
      shifted(A, 'wgs84'),
      shifted({ latitude: 30.6, longitude: 104.14 }, 'bd09'),
    ]);
    expect(result.report.rejected).toEqual([
      { row: 4, name: '丙', reason: '未知的坐标系“UTM”，请填写 WGS-84、GCJ-02 或 BD-09' },
    ]);
  });

  it('finds one place listed twice in two systems, after conversion', () => {
    const wgs = {
      latitude: A.latitude - SHIFT.wgs84.latitude,
      longitude: A.longitude - SHIFT.wgs84.longitude,
    };
    const csv = [
      '名称,类别,纬度,经度,坐标系',
      csvRow('甲', A, 'gcj02'),
      csvRow('甲', wgs, 'wgs84'),
    ].join('\n');
    const result = parsePlaceImport('csv', csv);
    expect(result.ok && result.report.rejected).toEqual([
      { row: 3, name: '甲', reason: '与第 2 行重复' },
    ]);
  });

  it('spots swapped latitude and longitude in the numbers as written, whatever the system', () => {
    const result = parsePlaceImport(
      'csv',
      `名称,类别,纬度,经度\n${csvRow('甲', { latitude: 104.129, longitude: 30.591 })}\n`,
      { system: 'wgs84' },
    );
    expect(result.ok && result.report.rejected[0].reason).toBe(
      '坐标不在中国境内，可能把经度和纬度写反了',
    );
  });

  it('reads GeoJSON in the system the secretary chose instead of WGS-84', () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [A.longitude, A.latitude] },
          properties: { name: '甲', category: '便利店' },
        },
      ],
    });
    const result = parsePlaceImport('geojson', geojson, { system: 'gcj02' });
    expect(result.ok && result.report.accepted[0].draft.location).toEqual(A);
  });

  it('refuses a file declared in a system nobody knows, before reading it', () => {
    expect(
      parsePlaceImport('csv', `名称,类别,纬度,经度\n${csvRow('甲', A)}\n`, { system: 'utm50' }),
    ).toEqual({
      ok: false,
      code: 'UNKNOWN_COORDINATE_SYSTEM',
      reason: '未知的坐标系“utm50”，请填写 WGS-84、GCJ-02 或 BD-09',
    });
    expect(parsePlaceImport('geojson', '{}', { system: 'EPSG:3857' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_COORDINATE_SYSTEM',
    });
  });
});

describe('importWriteRefusal', () => {
  const accepted = [{ row: 2, draft: {} as never }];
  const rejected = [{ row: 3, name: '乙店', reason: '类别不认识' }];

  it('refuses the whole import when any row is rejected, unless accepted rows only were asked for', () => {
    expect(importWriteRefusal({ accepted, rejected }, false)).toEqual({
      code: 'IMPORT_ROWS_REJECTED',
      message: `有 1 行有问题，未导入任何地点。${rejectedSummary(rejected)}`,
    });
    expect(importWriteRefusal({ accepted, rejected }, true)).toBeNull();
  });

  it('refuses an import with no accepted row either way', () => {
    for (const acceptedOnly of [false, true]) {
      expect(importWriteRefusal({ accepted: [], rejected: [] }, acceptedOnly)).toEqual({
        code: 'IMPORT_ROWS_REJECTED',
        message: '没有可以导入的行',
      });
    }
    expect(importWriteRefusal({ accepted: [], rejected }, true)?.message).toBe('没有可以导入的行');
  });

  it('lets a clean import write', () => {
    expect(importWriteRefusal({ accepted, rejected: [] }, false)).toBeNull();
  });
});

describe('parsePlaceImport: what secretaries actually have', () => {
  it('reads tab-separated text pasted from Excel / WPS, with its line numbers', () => {
    const pasted = [
      '名称\t类别\t纬度\t经度\t营业时间\t电话\t地址\t备注',
      '张三便利店\t便利店\t30.5910\t104.1290\t每天 07:00-23:00\t028-1234567\t锦江大道1号, 底商\t',
      '',
      '王五书店\t书店\t30.59\t104.12\t\t\t\t',
    ].join('\r\n');
    expect(parseCsv(pasted)?.delimiter).toBe('\t');
    const result = parsePlaceImport('csv', pasted);
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.accepted).toEqual([
      {
        row: 2,
        draft: expect.objectContaining({
          name: '张三便利店',
          category: 'convenience-store',
          address: '锦江大道1号, 底商',
          hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 420, close: 1380 }],
        }),
      },
    ]);
    expect(result.report.rejected).toEqual([
      { row: 4, name: '王五书店', reason: '未知的类别“书店”' },
    ]);
  });

  it('reads semicolon-separated exports and keeps reading commas as before', () => {
    const semi = parsePlaceImport('csv', '名称;类别;纬度;经度\n李四药房;药店;30.592;104.13\n');
    if (!semi.ok) throw new Error(semi.reason);
    expect(semi.report.accepted.map((a) => a.draft.name)).toEqual(['李四药房']);
    expect(parseCsv('a,b\nc,d\n')?.delimiter).toBe(',');
  });

  it('reads OSM opening hours in a CSV column too', () => {
    const result = parsePlaceImport(
      'csv',
      `${HEADER}\n张三便利店,便利店,30.5910,104.1290,Mo-Fr 08:00-18:00; Sa-Su 09:00-17:00,,,\n`,
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.accepted[0].draft.hours).toEqual([
      { days: [1, 2, 3, 4, 5], open: 480, close: 1080 },
      { days: [0, 6], open: 540, close: 1020 },
    ]);
  });

  it('reads an OpenStreetMap GeoJSON export: tags give the category, hours, phone and address', () => {
    const feature = (id: number, properties: Record<string, unknown>) => ({
      type: 'Feature',
      id: `node/${id}`,
      geometry: { type: 'Point', coordinates: [104.129 + id / 10_000, 30.591] },
      properties: { '@id': `node/${id}`, ...properties },
    });
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      generator: 'overpass-turbo',
      features: [
        feature(1, { name: '红旗连锁', shop: 'convenience', opening_hours: 'Mo-Su 07:00-23:00' }),
        feature(2, {
          name: '老百姓大药房',
          amenity: 'pharmacy',
          opening_hours: '24/7',
          phone: '+86 28 8888 0000',
          'addr:street': '锦江大道',
          'addr:housenumber': '1号',
        }),
        feature(3, { name: '某银行', amenity: 'bank' }),
        feature(4, { name: '夜市', amenity: 'marketplace', opening_hours: 'Mo-Fr 18:00+' }),
        feature(5, { name: '菜店', tags: { shop: 'greengrocer' } }),
        feature(6, { name: '没有标签' }),
      ],
    });
    const result = parsePlaceImport('geojson', geojson);
    if (!result.ok) throw new Error(result.reason);
    expect(result.report.accepted.map((a) => [a.row, a.draft.category])).toEqual([
      [1, 'convenience-store'],
      [2, 'pharmacy'],
      [5, 'fresh-grocery'],
    ]);
    expect(result.report.accepted[0].draft.hours).toEqual([
      { days: [0, 1, 2, 3, 4, 5, 6], open: 420, close: 1380 },
    ]);
    expect(result.report.accepted[1].draft).toMatchObject({
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
      phone: '+86 28 8888 0000',
      address: '锦江大道1号',
    });
    expect(result.report.rejected).toEqual([
      {
        row: 3,
        name: '某银行',
        reason:
          'OpenStreetMap 标签 amenity=bank 没有对应的类别，请在 properties 里加 category（如“便利店”）',
      },
      { row: 4, name: '夜市', reason: expect.stringMatching(/^营业时间“Mo-Fr 18:00\+”看不懂/) },
      { row: 6, name: '没有标签', reason: '缺少类别' },
    ]);
  });
});
