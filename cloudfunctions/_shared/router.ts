import * as v from 'valibot';
import type {
  AnyActionSpec,
  ErrorOf,
  FunctionSpec,
  OutputOf,
  ParsedInputOf,
} from '../../src/domain/contract/define';
import type { Role } from '../../src/domain/account/roles';
import {
  COMMON_ERROR_MESSAGES,
  type CommonErrorCode,
  type Fail,
  type Result,
  fail,
} from '../../src/domain/shared/result';
import { type Caller, resolveCaller, secretariesFromEnv } from './caller';
import type { Database } from './db';
import { eventRefusal } from './input-guard';
import { jsonSafe } from './json';
import { isTransactionConflict } from './transact';
import { openDatabase, wxContext } from './sdk';

/** What every handler gets besides its input. */
export interface RequestContext {
  db: Database;
  /** The instant the request arrived; read once and passed to every rule. */
  now: Date;
  /** WeChat's id for this invocation, for logs and audit entries. */
  requestId?: string;
}

export type HandlerContext = Caller & RequestContext;

export type ActionHandler<S extends AnyActionSpec> = (
  input: ParsedInputOf<S>,
  ctx: HandlerContext,
) => Promise<Result<OutputOf<S>, ErrorOf<S>>>;

/** One handler per action of the contract, typed from it. */
export type Handlers<F extends FunctionSpec> = { [A in keyof F]: ActionHandler<F[A]> };

/** A group of handlers in `handlers/<group>.ts`; the router spreads the groups into `Handlers<F>`. */
export type HandlerGroup<F extends FunctionSpec> = Partial<Handlers<F>>;

/** A timer invocation has no caller. */
export interface TimerContext {
  db: Database;
  now: Date;
  triggerName: string;
  /** When WeChat fired the trigger, as reported in the event. */
  firedAt?: string;
  requestId?: string;
}

/** A timer run's clock: the instant WeChat fired the trigger when the event says so, else now. */
export function timerClock(ctx: Pick<TimerContext, 'firedAt' | 'now'>): Date {
  return ctx.firedAt && !Number.isNaN(Date.parse(ctx.firedAt)) ? new Date(ctx.firedAt) : ctx.now;
}

/** What a timer run reports (counts of things done); returned as `data`. */
export type TimerHandler = (ctx: TimerContext) => Promise<Record<string, unknown> | void>;

export interface RouterOptions<F extends FunctionSpec> {
  /** The deployed function's name, for logs. */
  name: string;
  /** Roles allowed per action; an action not listed is open to every signed-in caller. */
  roles?: { [A in keyof F]?: readonly Role[] };
  /** Handlers for the timer triggers declared in the function's config.json, by trigger name. */
  timers?: Record<string, TimerHandler>;
}

/** The function's `main` export, as WeChat calls it. */
export type CloudFunctionMain = (event: unknown, context?: unknown) => Promise<Result<unknown>>;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function commonFail(
  code: CommonErrorCode,
  message = COMMON_ERROR_MESSAGES[code],
): Fail<CommonErrorCode> {
  return fail(code, message);
}

const HAS_CHINESE = /[\u3400-\u9fff]/;

/** The first issue's message when it is written for people (Chinese); the generic one otherwise. */
function invalidInputMessage(issues: ReadonlyArray<{ message: string }>): string {
  const first = issues[0]?.message;
  return first && HAS_CHINESE.test(first) ? first : COMMON_ERROR_MESSAGES.INVALID_INPUT;
}

function requestIdOf(context: unknown): string | undefined {
  if (!isRecord(context)) return undefined;
  const id = context.request_id ?? context.requestId;
  return typeof id === 'string' ? id : undefined;
}

function isTimerEvent(
  event: unknown,
): event is { Type: 'Timer'; TriggerName: string; Time?: string } {
  return isRecord(event) && event.Type === 'Timer' && typeof event.TriggerName === 'string';
}

/**
 * Build a cloud function's `main` from its contract. For a call from a client the flow is:
 * event within its depth/size bounds (input-guard.ts)? → action known? → input valid? → caller
 * (from getWXContext().OPENID only) → role allowed? → handler. Nothing is written before the caller is established, so a refused request changes
 * nothing. A timer event (no OPENID) goes to `options.timers[TriggerName]`. Any thrown error is
 * logged and answered with INTERNAL, without details.
 */
export function createRouter<F extends FunctionSpec>(
  spec: F,
  handlers: Handlers<F>,
  options: RouterOptions<F>,
): CloudFunctionMain {
  const hasAction = (action: unknown): action is keyof F & string =>
    typeof action === 'string' && Object.prototype.hasOwnProperty.call(spec, action);

  async function handleTimer(
    event: { TriggerName: string; Time?: string },
    now: Date,
    requestId: string | undefined,
  ): Promise<Result<unknown>> {
    const timer =
      options.timers && Object.prototype.hasOwnProperty.call(options.timers, event.TriggerName)
        ? options.timers[event.TriggerName]
        : undefined;
    if (!timer) {
      console.error(`[${options.name}] no handler for timer trigger`, event.TriggerName);
      return commonFail('UNKNOWN_ACTION');
    }
    const report = await timer({
      db: openDatabase(),
      now,
      triggerName: event.TriggerName,
      firedAt: event.Time,
      requestId,
    });
    return { ok: true, data: report ?? {} };
  }

  async function handleRequest(
    event: unknown,
    openid: string | undefined,
    now: Date,
    requestId: string | undefined,
  ): Promise<Result<unknown>> {
    const action = isRecord(event) ? event.action : undefined;
    if (!hasAction(action)) return commonFail('UNKNOWN_ACTION');
    const actionSpec = spec[action];

    const rawInput = isRecord(event) && event.input !== undefined ? event.input : {};
    const parsed = v.safeParse(actionSpec.input, rawInput);
    if (!parsed.success) return commonFail('INVALID_INPUT', invalidInputMessage(parsed.issues));

    if (!openid) return commonFail('UNAUTHENTICATED');

    const db = openDatabase();
    const caller = await resolveCaller(db, openid, secretariesFromEnv());

    const allowed = options.roles?.[action];
    if (allowed && !allowed.includes(caller.role)) return commonFail('FORBIDDEN');

    const handler = handlers[action];
    const result = await handler(parsed.output as ParsedInputOf<F[typeof action]>, {
      ...caller,
      db,
      now,
      requestId,
    });
    return jsonSafe(result);
  }

  return async function main(event: unknown, context?: unknown): Promise<Result<unknown>> {
    const now = new Date();
    const requestId = requestIdOf(context);
    // Before anything walks the event recursively (schema, JSON, SDK): deep or huge input is
    // refused here, never a stack overflow answered as INTERNAL.
    const outOfBounds = eventRefusal(event);
    if (outOfBounds) {
      console.warn(
        `[${options.name}] event refused: ${outOfBounds.bound} over ${outOfBounds.limit}`,
        { requestId },
      );
      return commonFail('INVALID_INPUT', outOfBounds.message);
    }
    const action = isRecord(event) && typeof event.action === 'string' ? event.action : undefined;
    try {
      const { OPENID } = wxContext();
      // Only a trigger (no caller) is a timer run; a client cannot pose as one.
      if (!OPENID && isTimerEvent(event)) return await handleTimer(event, now, requestId);
      return await handleRequest(event, OPENID, now, requestId);
    } catch (error) {
      console.error(`[${options.name}] ${action ?? 'timer'} failed`, { requestId }, error);
      // Still conflicting after transact's retries: nothing was written, the caller may try again.
      if (isTransactionConflict(error)) return commonFail('BUSY');
      return commonFail('INTERNAL');
    }
  };
}
