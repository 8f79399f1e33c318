import type { CollectionName } from './collections';
import type { Condition, Database, Query, StoredDoc, Transaction } from './db';
import { sdk } from './sdk';

/**
 * The one data toolkit of the functions: the reads and refusals every function needs, written
 * once against the production limits (at most 100 documents a `get()` in a cloud function; a
 * transaction reads single documents only). A function's own store.ts builds on these.
 */

/** Documents one `get()` answers at most in a cloud function. */
export const PAGE_MAX = 100;

/** Largest number of documents any one read walks through (50 pages). */
export const READ_ALL_MAX = 5000;

/** One document by id, or null when there is none (in or outside a transaction). */
export async function getOrNull<T extends StoredDoc>(
  db: Database | Transaction,
  collection: CollectionName,
  id: string,
): Promise<T | null> {
  return (await db.collection<T>(collection).doc(id).get()).data;
}

/**
 * Every document of a query, 100 a page, up to `max`. The query must have a total order (end
 * its `orderBy` with `_id`), or a page boundary can skip or repeat documents.
 */
export async function readAll<T extends StoredDoc>(
  query: Query<T>,
  max = READ_ALL_MAX,
): Promise<T[]> {
  return (await readAllOrPart(query, max)).items;
}

/**
 * `readAll` that says whether it read everything: `complete` is false when it stopped at `max`
 * on a full page (there may be more). For a caller that must not act on part of the documents
 * (a recount from part of the bookings would give back what is held).
 */
export async function readAllOrPart<T extends StoredDoc>(
  query: Query<T>,
  max = READ_ALL_MAX,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  while (items.length < max) {
    const limit = Math.min(PAGE_MAX, max - items.length);
    const { data } = await query.skip(items.length).limit(limit).get();
    items.push(...data);
    if (data.length < limit) return { items, complete: true };
  }
  return { items, complete: false };
}

/** Distinct, non-empty values in batches of at most `size` (one `_.in` each). */
export function batches(values: readonly string[], size = PAGE_MAX): string[][] {
  const unique = [...new Set(values)].filter((value) => value.length > 0);
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

/** Documents by `_id`, 100 ids a request; ids with no document are absent from the map. */
export async function byIds<T extends StoredDoc>(
  db: Database,
  collection: CollectionName,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const _ = db.command;
  const out = new Map<string, T>();
  for (const chunk of batches(ids)) {
    const { data } = await db
      .collection<T>(collection)
      .where({ _id: _.in(chunk) })
      .limit(PAGE_MAX)
      .get();
    for (const doc of data) out.set(doc._id, doc);
  }
  return out;
}

/**
 * Every document whose `field` is one of `values` (and that matches `where`), 100 values a
 * query, every page of each (never cut short: an undercount would give places away), ordered
 * by `_id` within a batch.
 */
export async function whereIn<T extends StoredDoc>(
  db: Database,
  collection: CollectionName,
  field: string,
  values: readonly string[],
  where: Condition = {},
  max = Number.MAX_SAFE_INTEGER,
): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  for (const chunk of batches(values)) {
    const query = db
      .collection<T>(collection)
      .where({ ...where, [field]: _.in(chunk) })
      .orderBy('_id', 'asc');
    out.push(...(await readAll(query, max - out.length)));
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The database refused an insert because the `_id` (or a unique index) is taken. WeChat Cloud
 * answers `DATABASE_DUPLICATE_WRITE` or an E11000 message under the generic request-failed code,
 * so the code alone is not enough; the local cloud answers the same.
 */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null)
    return /E11000|duplicate key/i.test(String(error));
  const { code, message, errMsg } = error as {
    code?: unknown;
    message?: unknown;
    errMsg?: unknown;
  };
  if (code === 'DATABASE_DUPLICATE_WRITE') return true;
  return /E11000|duplicate key|DUPLICATE_WRITE/i.test(
    `${String(message ?? '')} ${String(errMsg ?? '')}`,
  );
}

/** The space shown when none is named: LINLI_DEFAULT_SPACE, or the pilot space "r29". */
export function defaultSpaceId(): string {
  return process.env.LINLI_DEFAULT_SPACE?.trim() || 'r29';
}

/** One subscribe message (`subscribeMessage.send`): a template, its data, the page it opens. */
export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** A page path of the mini-program, without a leading slash. */
  page: string;
  data: Record<string, { value: string }>;
}

/** What WeChat answered a subscribe message: sent, or refused with its errCode (43101: no grant left). */
export type SubscribeOutcome = { sent: true } | { sent: false; errCode: number | null };

/**
 * Best effort: the person's one-time consent may be used up (43101) or never given; the caller's
 * write has happened either way. A refusal is logged under `from`.
 */
export async function trySubscribeMessage(
  message: SubscribeMessage,
  from: string,
): Promise<SubscribeOutcome> {
  try {
    await sdk().openapi.subscribeMessage.send(message);
    return { sent: true };
  } catch (error) {
    const errCode = (error as { errCode?: unknown }).errCode;
    console.warn(`[${from}] subscribe message not sent`, errCode ?? error);
    return { sent: false, errCode: typeof errCode === 'number' ? errCode : null };
  }
}

/** `trySubscribeMessage` when only "was it sent" matters. */
export async function sendSubscribeMessage(
  message: SubscribeMessage,
  from: string,
): Promise<boolean> {
  return (await trySubscribeMessage(message, from)).sent;
}
