import { formatHours } from './ledger';

/**
 * Export of confirmed service for the national volunteer service information system
 * (全国志愿服务信息系统): one row per volunteer, project and day with the fields a record entry needs.
 */

export const EXPORT_ROWS_MAX = 5000;

export interface ServiceRecordRow {
  name: string;
  phone: string;
  project: string;
  date: string;
  minutes: number;
  organisation: string;
  confirmedAt: string;
}

export const EXPORT_HEADER = [
  '志愿者姓名',
  '联系电话',
  '服务项目',
  '服务日期',
  '服务时长（小时）',
  '确认组织',
  '确认时间',
];

/**
 * A CSV cell: quoted when needed; a leading = + - @ is prefixed with an apostrophe so a spreadsheet
 * never runs it as a formula.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text with a UTF-8 byte-order mark (Excel reads Chinese correctly) and CRLF line ends. */
export function volunteerRecordCsv(rows: readonly ServiceRecordRow[]): string {
  const lines = [EXPORT_HEADER.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push(
      [r.name, r.phone, r.project, r.date, formatHours(r.minutes), r.organisation, r.confirmedAt]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Merge several confirmed services of one person, project and day into one row. */
export function mergeRows(rows: readonly ServiceRecordRow[]): ServiceRecordRow[] {
  const by = new Map<string, ServiceRecordRow>();
  for (const r of rows) {
    const key = `${r.name}|${r.phone}|${r.project}|${r.date}`;
    const row = by.get(key);
    if (row) {
      row.minutes += r.minutes;
      if (r.confirmedAt > row.confirmedAt) row.confirmedAt = r.confirmedAt;
    } else by.set(key, { ...r });
  }
  return [...by.values()].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.name.localeCompare(b.name) ||
      a.project.localeCompare(b.project),
  );
}
