/**
 * A tiny sequential scenario runner shared by the weapp-simulator and browser tests: runs named
 * scenarios one after another, prints each verdict with its duration, then one line
 * `N passed, N failed`, and sets a non-zero exit code when anything failed.
 */
export interface Scenario<C> {
  name: string;
  run: (context: C) => Promise<void>;
}

export interface RunSummary {
  passed: number;
  failed: number;
}

export interface RunOptions<C> {
  title: string;
  /** Runs before each scenario; whatever it returns is handed to the scenario. */
  before: (scenario: string) => Promise<C>;
  /** Runs after each scenario, passed or failed (screenshots, cleanup). */
  after?: (context: C, scenario: string, error: unknown) => Promise<void>;
  /** Per-scenario time limit in milliseconds. */
  timeoutMs?: number;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only the scenarios whose name contains one of the command-line filters (all when none). */
export function selectScenarios<C>(
  scenarios: Array<Scenario<C>>,
  filters: string[],
): Array<Scenario<C>> {
  if (filters.length === 0) return scenarios;
  return scenarios.filter((s) => filters.some((f) => s.name.includes(f)));
}

export async function runScenarios<C>(
  scenarios: Array<Scenario<C>>,
  options: RunOptions<C>,
): Promise<RunSummary> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const summary: RunSummary = { passed: 0, failed: 0 };
  console.log(`\n${options.title}\n`);
  for (const scenario of scenarios) {
    const started = Date.now();
    let error: unknown = null;
    let context: C | undefined;
    try {
      context = await options.before(scenario.name);
      await withTimeout(scenario.run(context), timeoutMs, `scenario "${scenario.name}"`);
    } catch (e) {
      error = e ?? new Error('scenario failed without an error value');
    }
    if (context !== undefined && options.after) {
      try {
        await options.after(context, scenario.name, error);
      } catch (e) {
        console.error(`  (cleanup after "${scenario.name}" failed: ${describeError(e)})`);
      }
    }
    const ms = Date.now() - started;
    if (error === null) {
      summary.passed++;
      console.log(`  ✓ ${scenario.name} (${ms} ms)`);
    } else {
      summary.failed++;
      console.log(`  ✗ ${scenario.name} (${ms} ms)`);
      console.log(
        describeError(error)
          .split('\n')
          .map((line) => `      ${line}`)
          .join('\n'),
      );
    }
  }
  console.log(`\n${summary.passed} passed, ${summary.failed} failed`);
  if (summary.failed > 0 || scenarios.length === 0) process.exitCode = 1;
  return summary;
}

/** A failed expectation with a message that says what was expected and what was seen. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Shorten long page text for an error message. */
export function excerpt(text: string, max = 600): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
