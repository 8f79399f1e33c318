/**
 * Transactions with an explicit, bounded retry — the only way functions run one.
 *
 * In production a transactional write on a document that another transaction holds (or that
 * changed since this transaction's snapshot) fails at once with DATABASE_TRANSACTION_CONFLICT and
 * the server aborts the transaction. wx-server-sdk rewrites errors raised inside the callback to
 * `{errCode: -501001, errMsg}` without the code, so the SDK's own `runTransaction(fn, times)` does
 * not run the callback again — its retry count only covers conflicts found at commit. Here the
 * SDK is told not to retry (times = 0) and every conflict, wherever it surfaces, reruns `work` on a
 * fresh snapshot after a short random back-off, at most `attempts` times. `work` must therefore be
 * safe to repeat: read, decide and write inside it, and keep side effects (messages) outside.
 */
import type { Database, Transaction } from './db';

/** Runs of `work` before the conflict is handed to the caller (the router answers BUSY). */
export const TRANSACTION_ATTEMPTS = 8;

/** Longest back-off between two runs, in milliseconds. */
const MAX_BACKOFF_MS = 200;

const CONFLICT_TEXT = /TransactionConflict|DATABASE_TRANSACTION_CONFLICT/;

/** Whether an error from the SDK is a transaction conflict (as a code, or inside errMsg). */
export function isTransactionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errMsg?: unknown; message?: unknown };
  if (e.code === 'DATABASE_TRANSACTION_CONFLICT') return true;
  const text =
    typeof e.errMsg === 'string' ? e.errMsg : typeof e.message === 'string' ? e.message : '';
  return CONFLICT_TEXT.test(text);
}

/** Full-jitter exponential back-off: a random wait up to 10·2^attempt ms, capped. */
function backoff(attempt: number): Promise<void> {
  const bound = Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
}

export async function transact<R>(
  db: Database,
  work: (tx: Transaction) => Promise<R>,
  options: { attempts?: number } = {},
): Promise<R> {
  const attempts = options.attempts ?? TRANSACTION_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.runTransaction(work, 0);
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await backoff(attempt);
    }
  }
}
