/**
 * Client request ids (src/domain/shared/request-id.ts), one per intent: made when the person acts
 * (a tap, a form submission), kept while the answer is unknown, and sent again unchanged when the
 * same intent is retried, so the server records it once. Once the server has answered (either
 * way) the intent is settled and the next attempt is a new request; a network failure keeps the id.
 * An intent names what is being done and to what ("saveList:new:<draft>"): the same submission
 * retried finds its id again, a changed form does not.
 */

export function newRequestId(): string {
  const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `r${Date.now().toString(36)}${random}`;
}

export interface RequestIds {
  /** The id for this intent: the pending one, or a new one. */
  idFor(intent: string): string;
  /** The server answered (`code` undefined: ok). Only a NETWORK failure keeps the id for a retry. */
  settle(intent: string, code?: string): void;
  clear(): void;
}

export function createRequestIds(): RequestIds {
  const pending = new Map<string, string>();
  return {
    idFor(intent) {
      const existing = pending.get(intent);
      if (existing) return existing;
      const id = newRequestId();
      pending.set(intent, id);
      return id;
    },
    settle(intent, code) {
      if (code !== 'NETWORK') pending.delete(intent);
    },
    clear() {
      pending.clear();
    },
  };
}
