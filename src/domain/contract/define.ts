import type { GenericSchema, InferInput, InferOutput } from 'valibot';
import type { CommonErrorCode } from '../shared/result';

/**
 * One action of one cloud function: its input schema (validated by the function's router, and
 * usable by pages for instant feedback), the shape it answers with, and the error codes it may
 * return besides the common ones.
 */
export interface ActionSpec<I extends GenericSchema, O, E extends string> {
  input: I;
  errors: readonly E[];
  /** Phantom field carrying the output type; never set at run time. */
  readonly __output?: O;
}

/** `defineAction<Output>()(inputSchema, ['OWN_ERROR'])` */
export function defineAction<O>() {
  return <I extends GenericSchema, E extends string = never>(
    input: I,
    errors: readonly E[] = [],
  ): ActionSpec<I, O, E> => ({ input, errors });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionSpec = ActionSpec<GenericSchema, any, string>;
export type FunctionSpec = Record<string, AnyActionSpec>;

export type InputOf<S> = S extends ActionSpec<infer I, unknown, string> ? InferInput<I> : never;
export type ParsedInputOf<S> =
  S extends ActionSpec<infer I, unknown, string> ? InferOutput<I> : never;
export type OutputOf<S> = S extends ActionSpec<GenericSchema, infer O, string> ? O : never;
export type ErrorOf<S> =
  (S extends ActionSpec<GenericSchema, unknown, infer E> ? E : never) | CommonErrorCode;

/**
 * What a client sends as `data` to callFunction (and as the body of POST /api/cloud/<fn>):
 * the action name and its input. Identity is never part of it.
 */
export interface CloudRequest<A extends string = string, I = unknown> {
  action: A;
  input: I;
}
