import type { StoreApi } from 'zustand';

/**
 * The one shape of anything a store loads: one `Loadable<T>` per load, never one status shared
 * by unrelated loads. `data` stays while a reload runs or fails, so a screen keeps showing what it
 * had (pull-to-refresh, a weak signal) and shows the error beside it.
 *
 *   mine: Loadable<MyVolunteering>;                       // in the state
 *   loadMine: () => loadInto(set, get, 'mine', () => callCloud('volunteer', 'me', {})),
 */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface Loadable<T> {
  status: LoadStatus;
  data: T | null;
  /** The server's (or the network's) message in Chinese when the last load failed. */
  error: string | null;
}

export function idle<T>(): Loadable<T> {
  return { status: 'idle', data: null, error: null };
}

/** Data the store has just been given (an action's answer): ready, no error. */
export function ready<T>(data: T): Loadable<T> {
  return { status: 'ready', data, error: null };
}

/** The same load with its data changed by an action's answer; nothing when nothing is loaded yet. */
export function patched<T>(current: Loadable<T>, change: (data: T) => T): Loadable<T> {
  return current.data === null ? current : { ...current, data: change(current.data) };
}

/** A load starting: `loading` the first time, `ready` (still showing the old data) on a reload. */
export function reloading<T>(current: Loadable<T>): Loadable<T> {
  return { status: current.data ? 'ready' : 'loading', data: current.data, error: null };
}

/** A load's answer: the new data, or the error with the old data kept. */
export function settled<T>(
  current: Loadable<T>,
  result: { ok: true; data: T } | { ok: false; message: string },
): Loadable<T> {
  return result.ok
    ? { status: 'ready', data: result.data, error: null }
    : { status: 'error', data: current.data, error: result.message };
}

/** The state keys of `S` that hold a `Loadable`. */
export type LoadableKey<S> = {
  [K in keyof S]: S[K] extends Loadable<unknown> ? K : never;
}[keyof S];

type DataOf<L> = L extends Loadable<infer T> ? T : never;

/**
 * Run one load into `state[key]`: reloading → call → settled. A newer load of the same key that
 * started meanwhile wins; this one's answer is then dropped. Returns whether it succeeded.
 */
export async function loadInto<S, K extends LoadableKey<S>>(
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
  key: K,
  call: () => Promise<{ ok: true; data: DataOf<S[K]> } | { ok: false; message: string }>,
): Promise<boolean> {
  const before = get()[key] as Loadable<DataOf<S[K]>>;
  const started = reloading(before);
  set({ [key]: started } as unknown as Partial<S>);
  const result = await call();
  if (get()[key] !== started) return result.ok;
  set({ [key]: settled(started, result) } as unknown as Partial<S>);
  return result.ok;
}
