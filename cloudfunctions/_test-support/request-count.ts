import { onRequest } from '../../local/cloud';
import { OUTBOX_COLLECTION, SUBSCRIPTIONS_COLLECTION } from '../../local/runtime/openapi';

/**
 * Database requests (what WeChat Cloud bills) that `work` sends through the real SDK to the local
 * transport, by database action. The local stand-in for subscribe messages keeps its state in the
 * database; in production that is one openapi call, not a database request, so it is not counted.
 */
export interface RequestCount {
  requests: number;
  /** e.g. {"getDocument": 3, "modifyDocument": 1} */
  byKind: Record<string, number>;
}

export async function countRequests<T>(
  work: () => Promise<T>,
): Promise<RequestCount & { result: T }> {
  const byKind: Record<string, number> = {};
  let requests = 0;
  const stop = onRequest((name, params) => {
    if (
      params.collectionName === OUTBOX_COLLECTION ||
      params.collectionName === SUBSCRIPTIONS_COLLECTION
    )
      return;
    requests += 1;
    const kind = name.replace(/^database\./, '');
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  });
  try {
    const result = await work();
    return { requests, byKind, result };
  } finally {
    stop();
  }
}
