import {
  EMPTY_SUMMARY,
  type LedgerAmounts,
  type LedgerEntry,
  type LedgerSummary,
  applyEntry,
  ledgerKey,
} from '../../src/domain/volunteer/ledger';
import type { ServiceStatus } from '../../src/domain/volunteer/service';
import { COLLECTIONS } from './collections';
import type { Database, Transaction, WriteDoc } from './db';
import type { Stored } from './stored';

/**
 * The service ledger, one module for every function that records service: service records
 * (COLLECTIONS.serviceRecords), the append-only points ledger (COLLECTIONS.ledger) and each
 * volunteer's cached summary (COLLECTIONS.balances). The volunteer function confirms posts'
 * service through it; visits confirms elder visits through it. Invariant: a balance document
 * always equals the sum of its volunteer's entries, because it is written only here, in the same
 * transaction as the entries that move it.
 */

/** `_id` = claimId + '_' + YYYYMMDD: one service record per claim per day. */
export interface ServiceRecordDoc {
  _id: string;
  _openid: string;
  openid: string;
  claimId: string;
  postId: string;
  listId: string;
  postTitle: string;
  date: string;
  status: ServiceStatus;
  checkInAt?: Date;
  /** Ledger-style key of the check-in request that opened it (absent on records made before it was kept). */
  checkInRequest?: string;
  checkOutAt?: Date;
  minutes: number;
  flagged: boolean;
  confirmedAt?: Date;
  confirmedBy?: string;
}

/** A ledger entry as stored: the domain's entry with its volunteer and its request's key. */
export type LedgerDoc = Stored<LedgerEntry, 'at'> & {
  /** The subject volunteer, so the entry is theirs. */
  _openid: string;
  requestKey: string;
  redemptionId?: string;
};

/** A volunteer's cached summary; `_id` is their openid. */
export type BalanceDoc = LedgerSummary & { _id: string; _openid: string; updatedAt: Date };

/** The summary a balance document caches (none yet: all zero). */
export function summaryFromBalance(doc: BalanceDoc | null): LedgerSummary {
  if (!doc) return { ...EMPTY_SUMMARY };
  return {
    points: doc.points,
    earned: doc.earned,
    spent: doc.spent,
    confirmedMinutes: doc.confirmedMinutes,
    confirmedServices: doc.confirmedServices,
  };
}

export type NewEntry = Omit<LedgerDoc, '_id' | '_openid' | 'requestKey' | 'at'>;

/**
 * Append entries for one volunteer inside a transaction, and move the volunteer's cached summary
 * by exactly those entries. Returns the new summary.
 */
export async function appendEntries(
  tx: Transaction,
  db: Database,
  subject: string,
  entries: Array<{ key: string; entry: NewEntry }>,
): Promise<LedgerSummary> {
  const balances = tx.collection<BalanceDoc>(COLLECTIONS.balances);
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
    await tx.collection<LedgerDoc>(COLLECTIONS.ledger).add({ data: doc });
    summary = applyEntry(summary, entry as LedgerAmounts);
  }
  await balances
    .doc(subject)
    .set({ data: { _openid: subject, ...summary, updatedAt: db.serverDate() } });
  return summary;
}

/** True when an entry with this request key exists (read in the transaction's snapshot). */
export async function hasEntry(tx: Transaction, key: string): Promise<boolean> {
  return (await tx.collection<LedgerDoc>(COLLECTIONS.ledger).doc(key).get()).data !== null;
}

/** A secretary's confirmation of one piece of service: who served, for how long, for what. */
export interface ServiceConfirmation {
  secretary: string;
  /** The secretary's request; with `part` it makes the entries' keys, so a retry adds nothing. */
  clientRequestId: string;
  /** What is confirmed within the request (a claim and day, a visit). */
  part: string;
  subject: string;
  serviceId: string;
  serviceDate: string;
  minutes: number;
  /** Points the post awards; no points entry when 0. */
  points: number;
  postTitle: string;
  postId?: string;
  listId?: string;
}

/** The ledger keys of a confirmation: the confirm entry and its points entry. */
export function confirmationKeys(
  c: Pick<ServiceConfirmation, 'secretary' | 'clientRequestId' | 'part'>,
): {
  confirm: string;
  points: string;
} {
  return {
    confirm: ledgerKey('confirm', c.secretary, c.clientRequestId, c.part),
    points: ledgerKey('points', c.secretary, c.clientRequestId, c.part),
  };
}

/**
 * Inside the transaction that marks the service record confirmed: the confirm entry (the
 * minutes) and, when the post awards points, the points entry. Check `hasEntry(tx,
 * confirmationKeys(c).confirm)` first: when it exists the confirmation is a replay.
 */
export async function appendConfirmation(
  tx: Transaction,
  db: Database,
  c: ServiceConfirmation,
): Promise<LedgerSummary> {
  const keys = confirmationKeys(c);
  const common = {
    actor: c.secretary,
    subject: c.subject,
    ...(c.listId !== undefined ? { listId: c.listId } : {}),
    ...(c.postId !== undefined ? { postId: c.postId } : {}),
    postTitle: c.postTitle,
    serviceId: c.serviceId,
    serviceDate: c.serviceDate,
  };
  return appendEntries(tx, db, c.subject, [
    { key: keys.confirm, entry: { ...common, type: 'confirm', minutes: c.minutes, points: 0 } },
    ...(c.points > 0
      ? [
          {
            key: keys.points,
            entry: { ...common, type: 'points' as const, minutes: 0, points: c.points },
          },
        ]
      : []),
  ]);
}
