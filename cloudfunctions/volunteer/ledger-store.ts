import {
  type LedgerAmounts,
  type LedgerSummary,
  applyEntry,
} from '../../src/domain/volunteer/ledger';
import type { Database, Query, StoredDoc, Transaction, WriteDoc } from '../_shared/db';
import { type BalanceDoc, type LedgerDoc, VOLUNTEER_COLLECTIONS as C } from './docs';
import { summaryFromBalance } from './mappers';

/** Largest number of documents any one read walks through (100 per page). */
export const READ_ALL_MAX = 5000;

/** Every document of a query, 100 a page, up to `max`. The query must have a total order. */
export async function readAll<T extends StoredDoc>(
  query: Query<T>,
  max = READ_ALL_MAX,
): Promise<T[]> {
  const out: T[] = [];
  while (out.length < max) {
    const { data } = await query
      .skip(out.length)
      .limit(Math.min(100, max - out.length))
      .get();
    out.push(...data);
    if (data.length < 100) break;
  }
  return out;
}

export type NewEntry = Omit<LedgerDoc, '_id' | '_openid' | 'requestKey' | 'at'>;

/**
 * Append entries for one volunteer inside a transaction, and move the volunteer's cached summary
 * by exactly those entries. The cache is only ever written here, so it always equals the sum of
 * the volunteer's entries. Returns the new summary.
 */
export async function appendEntries(
  tx: Transaction,
  db: Database,
  subject: string,
  entries: Array<{ key: string; entry: NewEntry }>,
): Promise<LedgerSummary> {
  const balances = tx.collection<BalanceDoc>(C.balances);
  const current = (await balances.doc(subject).get()).data;
  let summary = summaryFromBalance(current);
  for (const { key, entry } of entries) {
    const doc: WriteDoc<Omit<LedgerDoc, '_id'>> & { _id: string } = {
      _id: key,
      _openid: subject,
      requestKey: key,
      ...entry,
      at: db.serverDate(),
    };
    await tx.collection<LedgerDoc>(C.ledger).add({ data: doc });
    summary = applyEntry(summary, entry as LedgerAmounts);
  }
  await balances
    .doc(subject)
    .set({ data: { _openid: subject, ...summary, updatedAt: db.serverDate() } });
  return summary;
}

/** True when an entry with this request key exists (read in the transaction's snapshot). */
export async function hasEntry(tx: Transaction, key: string): Promise<boolean> {
  return (await tx.collection<LedgerDoc>(C.ledger).doc(key).get()).data !== null;
}
