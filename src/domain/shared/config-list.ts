/** A comma-separated list of openids from configuration (an environment variable), blanks ignored. */
export function openidList(raw: string | undefined): ReadonlySet<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}
