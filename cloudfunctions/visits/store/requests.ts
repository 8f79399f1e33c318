import { requestDocId } from '../../_shared';

/**
 * How many request keys a document keeps (each change by a request adds one): far more than the
 * retries of one request ever span.
 */
export const REQUESTS_KEPT = 20;

/**
 * The key a change request leaves on the document it changed (a pairing, an elder, the settings):
 * the secretary and the request id, hashed. A retry finds it there and answers what was recorded.
 */
export function changeRequestKey(openid: string, clientRequestId: string): string {
  return requestDocId('', openid, clientRequestId);
}

/** The document's request keys with `key` added (oldest dropped first). */
export function withRequest(doc: { requests?: string[] } | null, key: string): string[] {
  return [...(doc?.requests ?? []), key].slice(-REQUESTS_KEPT);
}

/** Whether the request with `key` changed the document (a retry answers what it recorded). */
export function hasRequest(doc: { requests?: string[] } | null, key: string): boolean {
  return doc?.requests?.includes(key) === true;
}
