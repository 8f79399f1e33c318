import {
  CSV_TEMPLATE,
  IMPORT_FORMATS,
  IMPORT_MAX_CHARS,
  IMPORT_MAX_ROWS,
  type ImportFormat,
  type RejectedRow,
} from './import-format';
import * as v from 'valibot';
import { parse } from 'papaparse/papaparse.min.js';
import { findCircleCategory } from './categories';
import {
  CONVERTED_DECIMALS,
  type CoordinateSystem,
  DEFAULT_IMPORT_SYSTEM,
  STORED_COORDINATE_SYSTEM,
  type ToStoredSystem,
  UNKNOWN_COORDINATE_SYSTEM,
  parseCoordinateSystem,
  unknownCoordinateSystemMessage,
} from './coordinates';
import {
  looksLikeOsmHours,
  osmAddress,
  osmCategory,
  osmPhone,
  osmTags,
  parseOsmOpeningHours,
} from './osm';
import { type PlaceDraft, parseHoursText, placeDraftSchema } from './place';
import { type LatLng, coordinateProblem, distanceMetres } from './walking';

/**
 * Reading places from a CSV or GeoJSON file a secretary pastes or picks. Every row is judged on its
 * own: accepted rows become drafts, rejected rows carry the row number and a reason a person can
 * act on. A file that cannot be read at all (wrong format, no header, too many rows) is malformed
 * and yields no rows.
 *
 * Coordinates are read in a declared system, checked as written, and converted into
 * STORED_COORDINATE_SYSTEM (GCJ-02) before duplicates are looked for and drafts are made; the
 * converter is the server's (ToStoredSystem). A GeoJSON file is WGS-84 (RFC 7946) unless the
 * secretary says otherwise; a CSV row is in the system of its optional 坐标系 column, else the one
 * the secretary chose, else GCJ-02 (DEFAULT_IMPORT_SYSTEM). A system nobody knows refuses the whole
 * file when chosen for it (UNKNOWN_COORDINATE_SYSTEM), and the row when written in a row.
 */

/** Two rows with the same name and category closer than this are one place listed twice. */
export const DUPLICATE_WITHIN_M = 30;

export interface AcceptedRow {
  /** CSV: line number in the file (header = 1). GeoJSON: feature number from 1. */
  row: number;
  draft: PlaceDraft;
}

export interface ImportReport {
  format: ImportFormat;
  /** The system the file's coordinates were read in (rows may name their own in CSV). */
  system: CoordinateSystem;
  /** Drafts are in STORED_COORDINATE_SYSTEM. */
  accepted: AcceptedRow[];
  rejected: RejectedRow[];
}

export type ImportRefusal = 'IMPORT_MALFORMED' | typeof UNKNOWN_COORDINATE_SYSTEM;

export type ImportParse =
  { ok: true; report: ImportReport } | { ok: false; code: ImportRefusal; reason: string };

export interface PlaceImportOptions {
  /**
   * The system the secretary declared for the file, as written ("wgs84", "GCJ-02", "百度"…);
   * absent or empty: DEFAULT_IMPORT_SYSTEM[format].
   */
  system?: string;
  /** The converter into STORED_COORDINATE_SYSTEM (server side). */
  toStored: ToStoredSystem;
}

/** Header names accepted for each field (Chinese or English, case-insensitive). */
const HEADER_ALIASES: Record<string, readonly string[]> = {
  name: ['名称', '名字', 'name'],
  category: ['类别', '分类', 'category'],
  latitude: ['纬度', 'latitude', 'lat'],
  longitude: ['经度', 'longitude', 'lng', 'lon'],
  hours: ['营业时间', 'hours'],
  phone: ['电话', 'phone'],
  address: ['地址', 'address'],
  note: ['备注', 'note'],
  system: ['坐标系', '坐标系统', 'coordinate system', 'coordinate_system', 'coord_system', 'crs'],
};
const REQUIRED_FIELDS = ['name', 'category', 'latitude', 'longitude'] as const;
const FIELD_LABELS: Record<string, string> = {
  name: '名称',
  category: '类别',
  latitude: '纬度',
  longitude: '经度',
};

/** The delimiters a pasted table may use: commas (CSV), tabs (copied from Excel / WPS), semicolons. */
export const CSV_DELIMITERS = [',', '\t', ';'] as const;

/**
 * A CSV-like table (RFC 4180 quoting: double-quoted fields with "" escapes, CRLF or LF, a BOM),
 * its delimiter detected from the first rows by papaparse: a comma file, tab-separated text pasted
 * from Excel / WPS, or a semicolon export. Blank lines carry no row; `lines` are the line numbers
 * where each kept row starts. Null when a quote never closes.
 */
export function parseCsv(
  text: string,
): { rows: string[][]; lines: number[]; delimiter: string } | null {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const rows: string[][] = [];
  const lines: number[] = [];
  let unclosed = false;
  let rowStart = 0;
  let line = 1;
  let counted = 0;
  let delimiter = ',';
  parse<string[]>(src, {
    delimiter: '',
    delimitersToGuess: [...CSV_DELIMITERS],
    newline: '\n',
    quoteChar: '"',
    skipEmptyLines: false,
    step: (step) => {
      if (step.errors.some((e) => e.code === 'MissingQuotes')) unclosed = true;
      for (; counted < rowStart; counted++) if (src[counted] === '\n') line++;
      if (step.data.some((c) => c.trim() !== '')) {
        rows.push(step.data);
        lines.push(line);
      }
      rowStart = step.meta.cursor;
      delimiter = step.meta.delimiter;
    },
  });
  if (unclosed) return null;
  return { rows, lines, delimiter };
}

interface RawRow {
  row: number;
  name: unknown;
  category: unknown;
  latitude: unknown;
  longitude: unknown;
  hours: unknown;
  phone: unknown;
  address: unknown;
  note: unknown;
  /** CSV only: the row's own coordinate system, empty for the file's. */
  system?: unknown;
  /** GeoJSON only: why no category came from the feature's OpenStreetMap tags, when none did. */
  categoryProblem?: string;
}

/** How a file's rows are turned into stored coordinates. */
interface Reading {
  system: CoordinateSystem;
  toStored: ToStoredSystem;
}

const round = (x: number): number => Number(x.toFixed(CONVERTED_DECIMALS));

/** A point as the file gave it, in STORED_COORDINATE_SYSTEM. */
function storedPoint(source: LatLng, system: CoordinateSystem, toStored: ToStoredSystem): LatLng {
  if (system === STORED_COORDINATE_SYSTEM) return source;
  const p = toStored(source, system);
  return { latitude: round(p.latitude), longitude: round(p.longitude) };
}

function numberOf(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x.trim());
  return Number.NaN;
}

function textOf(x: unknown): string {
  if (x === undefined || x === null) return '';
  return typeof x === 'string' ? x : String(x);
}

/** Hours as we write them ("每天 07:00-22:00"), or in OpenStreetMap's syntax ("Mo-Su 07:00-23:00"). */
export function parseImportHours(text: string): ReturnType<typeof parseHoursText> {
  const ours = parseHoursText(text);
  return ours.ok || !looksLikeOsmHours(text) ? ours : parseOsmOpeningHours(text);
}

/** One raw row judged: a draft, or the first reason it cannot be one. */
function judge(raw: RawRow, reading: Reading): { draft: PlaceDraft } | { reason: string } {
  const name = textOf(raw.name).trim();
  if (name === '') return { reason: '缺少名称' };
  const categoryText = textOf(raw.category).trim();
  if (categoryText === '') return { reason: raw.categoryProblem ?? '缺少类别' };
  const category = findCircleCategory(categoryText);
  if (!category) return { reason: `未知的类别“${categoryText}”` };
  const latitude = numberOf(raw.latitude);
  const longitude = numberOf(raw.longitude);
  if (Number.isNaN(latitude) || Number.isNaN(longitude)) return { reason: '经纬度缺失或不是数字' };
  const systemText = textOf(raw.system).trim();
  const system = systemText === '' ? reading.system : parseCoordinateSystem(systemText);
  if (!system) return { reason: unknownCoordinateSystemMessage(systemText) };
  // Judged as written (a swapped pair is spotted in the secretary's own numbers), then converted.
  const problem = coordinateProblem({ latitude, longitude });
  if (problem) return { reason: problem };
  const location = storedPoint({ latitude, longitude }, system, reading.toStored);
  const hours = parseImportHours(textOf(raw.hours));
  if (!hours.ok) return { reason: hours.reason };
  const parsed = v.safeParse(placeDraftSchema, {
    name,
    category: category.id,
    location,
    hours: hours.hours,
    phone: textOf(raw.phone).trim(),
    address: textOf(raw.address).trim(),
    note: textOf(raw.note).trim(),
  });
  if (!parsed.success) return { reason: parsed.issues[0]?.message ?? '内容有误' };
  return { draft: parsed.output };
}

function judgeAll(format: ImportFormat, rows: RawRow[], reading: Reading): ImportReport {
  const accepted: AcceptedRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const raw of rows) {
    const verdict = judge(raw, reading);
    const name = textOf(raw.name).trim();
    if ('reason' in verdict) {
      rejected.push({ row: raw.row, name, reason: verdict.reason });
      continue;
    }
    const twin = accepted.find(
      (a) =>
        a.draft.name === verdict.draft.name &&
        a.draft.category === verdict.draft.category &&
        distanceMetres(a.draft.location, verdict.draft.location) < DUPLICATE_WITHIN_M,
    );
    if (twin) rejected.push({ row: raw.row, name, reason: `与第 ${twin.row} 行重复` });
    else accepted.push({ row: raw.row, draft: verdict.draft });
  }
  return { format, system: reading.system, accepted, rejected };
}

const malformed = (reason: string): ImportParse => ({
  ok: false,
  code: 'IMPORT_MALFORMED',
  reason,
});

function parseCsvImport(text: string, reading: Reading): ImportParse {
  const parsed = parseCsv(text);
  if (!parsed) return malformed('CSV 格式有误：有引号没有闭合');
  const [header, ...body] = parsed.rows;
  if (!header) return malformed('文件是空的');
  const columns = new Map<string, number>();
  header.forEach((cell, index) => {
    const key = cell.trim().toLowerCase();
    for (const [field, aliases] of Object.entries(HEADER_ALIASES)) {
      if (aliases.some((a) => a.toLowerCase() === key) && !columns.has(field))
        columns.set(field, index);
    }
  });
  const missing = REQUIRED_FIELDS.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    return malformed(
      `第一行须是表头（用逗号或制表符分隔），缺少列：${missing.map((f) => FIELD_LABELS[f]).join('、')}`,
    );
  }
  if (body.length === 0) return malformed('除表头外没有数据行');
  if (body.length > IMPORT_MAX_ROWS)
    return malformed(`一次最多导入 ${IMPORT_MAX_ROWS} 行，这个文件有 ${body.length} 行`);
  const cell = (r: string[], field: string): string | undefined => {
    const i = columns.get(field);
    return i === undefined ? undefined : r[i];
  };
  const rows = body.map((r, i): RawRow => ({
    row: parsed.lines[i + 1],
    name: cell(r, 'name'),
    category: cell(r, 'category'),
    latitude: cell(r, 'latitude'),
    longitude: cell(r, 'longitude'),
    hours: cell(r, 'hours'),
    phone: cell(r, 'phone'),
    address: cell(r, 'address'),
    note: cell(r, 'note'),
    system: cell(r, 'system'),
  }));
  return { ok: true, report: judgeAll('csv', rows, reading) };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A feature's category, hours, phone and address: our own properties (category / 类别, hours /
 * 营业时间…) when given, else read from its OpenStreetMap tags (shop=convenience,
 * opening_hours=Mo-Su 07:00-23:00, phone, addr:*).
 */
function withOsmTags(
  props: Record<string, unknown>,
): Pick<RawRow, 'category' | 'categoryProblem' | 'hours' | 'phone' | 'address'> {
  const tags = osmTags(props);
  const own = props.category ?? props['类别'];
  const osm = own === undefined ? osmCategory(tags) : null;
  const blankToUndefined = (x: string) => (x === '' ? undefined : x);
  return {
    category: own ?? (osm && 'id' in osm ? osm.id : undefined),
    categoryProblem:
      osm && 'unknown' in osm
        ? `OpenStreetMap 标签 ${osm.unknown} 没有对应的类别，请在 properties 里加 category（如“便利店”）`
        : undefined,
    hours: props.hours ?? props['营业时间'] ?? tags.opening_hours,
    phone: props.phone ?? props['电话'] ?? blankToUndefined(osmPhone(tags)),
    address: props.address ?? props['地址'] ?? blankToUndefined(osmAddress(tags)),
  };
}

function parseGeoJsonImport(text: string, reading: Reading): ImportParse {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return malformed('GeoJSON 不是有效的 JSON');
  }
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    return malformed('GeoJSON 须是 FeatureCollection（含 features 数组）');
  }
  const features: unknown[] = json.features;
  if (features.length === 0) return malformed('GeoJSON 里没有要素');
  if (features.length > IMPORT_MAX_ROWS) {
    return malformed(`一次最多导入 ${IMPORT_MAX_ROWS} 个地点，这个文件有 ${features.length} 个`);
  }
  const shapeRejected: RejectedRow[] = [];
  const rows: RawRow[] = [];
  features.forEach((f, i) => {
    const row = i + 1;
    const props = isRecord(f) && isRecord(f.properties) ? f.properties : {};
    const geometry = isRecord(f) ? f.geometry : undefined;
    const name = textOf(props.name ?? props['名称']).trim();
    if (!isRecord(f) || f.type !== 'Feature') {
      shapeRejected.push({ row, name, reason: '不是 Feature 要素' });
      return;
    }
    if (!isRecord(geometry) || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates)) {
      shapeRejected.push({ row, name, reason: '几何类型须是 Point（点）' });
      return;
    }
    const [longitude, latitude] = geometry.coordinates as unknown[];
    rows.push({
      row,
      name,
      latitude: typeof latitude === 'number' ? latitude : Number.NaN,
      longitude: typeof longitude === 'number' ? longitude : Number.NaN,
      note: props.note ?? props['备注'],
      ...withOsmTags(props),
    });
  });
  const judged = judgeAll('geojson', rows, reading);
  return {
    ok: true,
    report: {
      ...judged,
      rejected: [...shapeRejected, ...judged.rejected].sort((a, b) => a.row - b.row),
    },
  };
}

/** Reads an import file; `format` and `options.system` as the secretary chose them. */
export function parsePlaceImport(
  format: ImportFormat,
  text: string,
  options: PlaceImportOptions,
): ImportParse {
  const declared = options.system?.trim() ?? '';
  const system = declared === '' ? DEFAULT_IMPORT_SYSTEM[format] : parseCoordinateSystem(declared);
  if (!system)
    return {
      ok: false,
      code: UNKNOWN_COORDINATE_SYSTEM,
      reason: unknownCoordinateSystemMessage(declared),
    };
  if (text.trim() === '') return malformed('文件是空的');
  if (text.length > IMPORT_MAX_CHARS) return malformed('文件太大，请分批导入');
  const reading: Reading = { system, toStored: options.toStored };
  return format === 'csv' ? parseCsvImport(text, reading) : parseGeoJsonImport(text, reading);
}

/** A one-line Chinese summary of the rejected rows, e.g. for an error message. */
export function rejectedSummary(rejected: readonly RejectedRow[], max = 3): string {
  const shown = rejected
    .slice(0, max)
    .map((r) => `第 ${r.row} 行：${r.reason}`)
    .join('；');
  return rejected.length > max ? `${shown}；等共 ${rejected.length} 行` : shown;
}

/** Why an import that writes is refused once its file was read. */
export interface ImportWriteRefusal {
  code: 'IMPORT_ROWS_REJECTED';
  message: string;
}

/**
 * All or nothing by default: any rejected row refuses the whole import unless the secretary asked
 * for the accepted rows only; an import with no accepted row writes nothing either way.
 */
export function importWriteRefusal(
  report: Pick<ImportReport, 'accepted' | 'rejected'>,
  acceptedOnly: boolean,
): ImportWriteRefusal | null {
  const { accepted, rejected } = report;
  if (rejected.length > 0 && !acceptedOnly) {
    return {
      code: 'IMPORT_ROWS_REJECTED',
      message: `有 ${rejected.length} 行有问题，未导入任何地点。${rejectedSummary(rejected)}`,
    };
  }
  if (accepted.length === 0) return { code: 'IMPORT_ROWS_REJECTED', message: '没有可以导入的行' };
  return null;
}

export { CSV_TEMPLATE, IMPORT_FORMATS, IMPORT_MAX_CHARS, IMPORT_MAX_ROWS };
export type { ImportFormat, RejectedRow };
