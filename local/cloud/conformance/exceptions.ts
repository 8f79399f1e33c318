/**
 * The one list of conformance cases where the local cloud does not behave as production, and why.
 *
 * Each entry is used by exactly one case (`kase(source, body, {exception: id, local})`): that case's
 * production assertions must fail locally and its `local` assertions must pass, so an entry that
 * starts matching production breaks the suite. README.md's section「本地云不复现的行为」lists every
 * id (checked by exceptions.test.ts).
 */
export interface ConformanceException {
  /** Stable id, also written in README.md. */
  id: string;
  /** The case's source (same string as the case's name). */
  source: string;
  /** What production does, per the source. */
  production: string;
  /** What the local cloud does instead. */
  local: string;
  /** Why we keep the difference. */
  reason: string;
}

export const EXCEPTIONS: ConformanceException[] = [];
