/**
 * Results travel through callFunction as JSON. Dates leave a function as ISO-8601 strings (UTC,
 * e.g. "2025-03-01T02:00:00.000Z"); this is the one place that turns stored times into them.
 */
export function isoString(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  if (typeof value === 'object' && value !== null && '$date' in value) {
    return isoString((value as { $date: unknown }).$date);
  }
  throw new Error(`not a time: ${JSON.stringify(value)}`);
}

/** A deep copy with every Date replaced by its ISO string: the last guard before a result leaves. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
