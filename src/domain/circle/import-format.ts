/**
 * What the import screen and the contract need to know of an import, without its parser (which
 * brings papaparse: it stays in the cloud function and the circle admin subpackage).
 */

export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** At most this many rows per import, and this many characters of text. */
export const IMPORT_MAX_ROWS = 500;
export const IMPORT_MAX_CHARS = 300_000;

export interface RejectedRow {
  row: number;
  /** The row's name when it had one, to help find it. */
  name: string;
  reason: string;
}

/** A CSV template the secretary can fill in. */
export const CSV_TEMPLATE =
  '名称,类别,纬度,经度,营业时间,电话,地址,备注\n示例便利店,便利店,30.5910,104.1290,每天 07:00-23:00,028-00000000,锦江大道示例号,\n';
