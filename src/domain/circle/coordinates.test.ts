import {
  COORDINATE_SYSTEMS,
  DEFAULT_IMPORT_SYSTEM,
  STORED_COORDINATE_SYSTEM,
  parseCoordinateSystem,
  unknownCoordinateSystemMessage,
} from './coordinates';
import { IMPORT_FORMATS } from './import';

describe('coordinate systems', () => {
  it('stores GCJ-02, reads GeoJSON as WGS-84 (RFC 7946) and CSV as GCJ-02 by default', () => {
    expect(STORED_COORDINATE_SYSTEM).toBe('gcj02');
    expect(DEFAULT_IMPORT_SYSTEM).toEqual({ csv: 'gcj02', geojson: 'wgs84' });
    expect(Object.keys(DEFAULT_IMPORT_SYSTEM).sort()).toEqual([...IMPORT_FORMATS].sort());
  });

  it('reads the names people write', () => {
    for (const s of COORDINATE_SYSTEMS) expect(parseCoordinateSystem(s)).toBe(s);
    expect(parseCoordinateSystem(' WGS 84 ')).toBe('wgs84');
    expect(parseCoordinateSystem('EPSG:4326')).toBe('wgs84');
    expect(parseCoordinateSystem('GCJ_02')).toBe('gcj02');
    expect(parseCoordinateSystem('高德')).toBe('gcj02');
    expect(parseCoordinateSystem('BD-09LL')).toBe('bd09');
    expect(parseCoordinateSystem('')).toBeNull();
    expect(parseCoordinateSystem('EPSG:3857')).toBeNull();
    expect(parseCoordinateSystem('bd09mc')).toBeNull();
  });

  it('says in Chinese which systems are known', () => {
    expect(unknownCoordinateSystemMessage(' utm ')).toBe(
      '未知的坐标系“utm”，请填写 WGS-84、GCJ-02 或 BD-09',
    );
  });
});
