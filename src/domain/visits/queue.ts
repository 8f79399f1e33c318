import type { VisitLogInput } from './visit-log';

/**
 * The phone's queue of visits not yet accepted by the server. Pure: the store keeps the queue in
 * Taro storage and calls these to change it. Every queued visit keeps the id the client gave it, so
 * sending it again (after a lost answer, from two triggers at once) is harmless: the server stores
 * each visit id once.
 *
 * States: waiting (to send), sending (a request is in flight), rejected (the server refused it
 * for a reason a retry will not fix — kept so the volunteer sees it and can correct or discard).
 */

export const QUEUE_STATES = ['waiting', 'sending', 'rejected'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
  waiting: '等待发送',
  sending: '发送中',
  rejected: '未被接收',
};

/** Most visits a phone keeps waiting; more means something is wrong and the volunteer should look. */
export const QUEUE_MAX = 50;

export interface QueuedVisit {
  visitId: string;
  /** For the screen: whom the visit was to. */
  elderName: string;
  input: VisitLogInput;
  state: QueueState;
  /** ISO instant the visit was saved on the phone. */
  queuedAt: string;
  attempts: number;
  lastError?: { code: string; message: string };
}

/** Codes after which the same request may succeed later: keep waiting. */
const RETRYABLE = new Set(['NETWORK', 'INTERNAL', 'BAD_RESPONSE', 'UNAUTHENTICATED', 'TIMEOUT']);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/** Add a visit; one with the same id already queued is left as it is. */
export function enqueue(
  queue: readonly QueuedVisit[],
  visit: { visitId: string; elderName: string; input: VisitLogInput },
  now: Date,
): QueuedVisit[] {
  if (queue.some((q) => q.visitId === visit.visitId)) return [...queue];
  return [...queue, { ...visit, state: 'waiting', queuedAt: now.toISOString(), attempts: 0 }];
}

export function isFull(queue: readonly QueuedVisit[]): boolean {
  return queue.length >= QUEUE_MAX;
}

/** The visits to send now, oldest first: waiting ones only (never one already in flight). */
export function sendable(queue: readonly QueuedVisit[]): QueuedVisit[] {
  return queue
    .filter((q) => q.state === 'waiting')
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export function markSending(queue: readonly QueuedVisit[], visitId: string): QueuedVisit[] {
  return queue.map((q) =>
    q.visitId === visitId ? { ...q, state: 'sending', attempts: q.attempts + 1 } : q,
  );
}

/** The server answered ok (a first store or a replay): the visit leaves the queue. */
export function markSent(queue: readonly QueuedVisit[], visitId: string): QueuedVisit[] {
  return queue.filter((q) => q.visitId !== visitId);
}

/** The send failed: back to waiting when a retry can help, else rejected with the reason. */
export function markFailed(
  queue: readonly QueuedVisit[],
  visitId: string,
  error: { code: string; message: string },
): QueuedVisit[] {
  return queue.map((q) =>
    q.visitId === visitId
      ? {
          ...q,
          state: isRetryable(error.code) ? 'waiting' : 'rejected',
          lastError: { code: error.code, message: error.message },
        }
      : q,
  );
}

/** After the app restarts, nothing can still be in flight: sending → waiting. */
export function recover(queue: readonly QueuedVisit[]): QueuedVisit[] {
  return queue.map((q) => (q.state === 'sending' ? { ...q, state: 'waiting' } : q));
}

/** A rejected visit the volunteer wants to try again (e.g. after being paired again). */
export function retry(queue: readonly QueuedVisit[], visitId: string): QueuedVisit[] {
  return queue.map((q) =>
    q.visitId === visitId && q.state === 'rejected' ? { ...q, state: 'waiting' } : q,
  );
}

export function discard(queue: readonly QueuedVisit[], visitId: string): QueuedVisit[] {
  return queue.filter((q) => q.visitId !== visitId || q.state === 'sending');
}

/** Anything read from storage that is not a queue becomes an empty queue; bad items are dropped. */
export function parseQueue(raw: unknown): QueuedVisit[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (q): q is QueuedVisit =>
      typeof q === 'object' &&
      q !== null &&
      typeof (q as QueuedVisit).visitId === 'string' &&
      typeof (q as QueuedVisit).input === 'object' &&
      (q as QueuedVisit).input !== null &&
      typeof (q as QueuedVisit).queuedAt === 'string' &&
      (QUEUE_STATES as readonly string[]).includes((q as QueuedVisit).state),
  );
}
