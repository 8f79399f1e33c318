import type { AttackCloud, Answer } from './cloud';

/** Counts for one run, configurable by environment for bigger local runs. */
export interface Sizes {
  /** Racing trials per per-person limit (LINLI_ATTACK_TRIALS, ≥ 20 by the issue). */
  trials: number;
  /** kill -9 rounds (LINLI_ATTACK_KILL_ROUNDS, ≥ 30). */
  killRounds: number;
  /** Fuzzed payloads per action (LINLI_ATTACK_FUZZ_PER_ACTION). */
  fuzzPerAction: number;
  /** Racers for one small slot / post (LINLI_ATTACK_RACERS). */
  racers: number;
  /** Concurrent copies of one request in a retry storm (LINLI_ATTACK_STORM). */
  storm: number;
  /** Seed of the pseudo-random choices (LINLI_ATTACK_SEED). */
  seed: number;
}

function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export function sizesFromEnv(): Sizes {
  return {
    trials: intFromEnv('LINLI_ATTACK_TRIALS', 20, 1),
    killRounds: intFromEnv('LINLI_ATTACK_KILL_ROUNDS', 30, 1),
    fuzzPerAction: intFromEnv('LINLI_ATTACK_FUZZ_PER_ACTION', 24, 1),
    racers: intFromEnv('LINLI_ATTACK_RACERS', 120, 2),
    storm: intFromEnv('LINLI_ATTACK_STORM', 8, 2),
    seed: intFromEnv('LINLI_ATTACK_SEED', Date.now() % 1_000_000, 0),
  };
}

export interface Personas {
  resident: string;
  /** The sample volunteer, paired with most sample elders. */
  volunteer: string;
  /** A registered volunteer (role volunteer) paired with no elder. */
  unpaired: string;
  secretary: string;
  /** An elder paired with `volunteer` only. */
  pairedElder: string;
}

export interface Ctx {
  cloud: AttackCloud;
  sizes: Sizes;
  personas: Personas;
  /** The figures the report prints, in insertion order. */
  figures: Map<string, string | number>;
  /** Refused calls whose writes were checked, and the writes found, over the whole run. */
  totals: { refusalsChecked: number; writesOnRefusal: number };
}

export function figure(ctx: Ctx, key: string, value: string | number): void {
  ctx.figures.set(key, value);
}

export function brief(answer: Answer): string {
  return answer.status === 0
    ? `no answer (${answer.error ?? ''})`
    : `HTTP ${answer.status} ${answer.body?.code ?? (answer.body?.ok ? 'ok' : '')}`;
}

/** Collects failures of one scenario and throws them together at the end. */
export class Failures {
  private readonly items: string[] = [];
  add(message: string): void {
    this.items.push(message);
  }
  get count(): number {
    return this.items.length;
  }
  throwIfAny(summary: string): void {
    if (this.items.length === 0) return;
    const shown = this.items.slice(0, 15);
    const more =
      this.items.length > shown.length ? `\n… and ${this.items.length - shown.length} more` : '';
    throw new Error(`${summary}: ${this.items.length} failure(s)\n${shown.join('\n')}${more}`);
  }
}
