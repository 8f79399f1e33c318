/**
 * What a weapp journey gets: one person's phone running the built mini-program, and the local
 * cloud its calls reach (for setting the scene through the real functions as other people, and
 * for reading stored state).
 */
import type { FunctionHost } from '../../local/runtime/function-host';
import { PERSONAS, type PersonaName } from '../../local/seed/data';
import type { Phone } from './fake-wx';
import type { FunctionsCloud } from './local-cloud';
import type { MiniProgram } from './simulator';

export interface JourneyContext {
  mp: MiniProgram;
  phone: Phone;
  cloud: FunctionsCloud;
  /** Call a function as someone else (their own phone), through the same host. */
  as: <T = unknown>(
    openid: string,
    fn: string,
    action: string,
    input?: unknown,
  ) => Promise<Result<T>>;
  /** Stored documents of `collection` matching `where` (host-level read, no caller). */
  stored: <T = Record<string, unknown>>(
    collection: string,
    where?: Record<string, unknown>,
  ) => Promise<T[]>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

export interface Journey {
  name: string;
  /** Whose phone the journey runs on. */
  persona: PersonaName;
  run: (ctx: JourneyContext) => Promise<void>;
}

export function openidOf(persona: PersonaName): string {
  return PERSONAS[persona].openid;
}

export function contextFor(mp: MiniProgram, cloud: FunctionsCloud): JourneyContext {
  const host: FunctionHost = cloud.host;
  return {
    mp,
    phone: mp.phone,
    cloud,
    async as(openid, fn, action, input = {}) {
      return (await host.invoke(fn, { action, input }, { openid })) as Result<never>;
    },
    async stored(collection, where = {}) {
      const out: unknown[] = [];
      for (let skip = 0; ; skip += 100) {
        const page = await host.database
          .collection(collection)
          .where(where)
          .skip(skip)
          .limit(100)
          .get();
        out.push(...(page.data as unknown[]));
        if (page.data.length < 100) break;
      }
      return out as never[];
    },
  };
}

export { eventually } from '../support/eventually';
