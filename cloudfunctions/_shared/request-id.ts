import crypto from 'node:crypto';

/**
 * Creates that carry a client request id (src/domain/shared/request-id.ts) are idempotent by
 * their document id: every retry of one request, from any instance, computes the same `_id`, and
 * the database refuses the second insert of it. 22 base64url characters of SHA-256 over the
 * caller and the request id: different callers never share an id, and the caller's openid is not
 * readable from it.
 */
export function requestDocId(prefix: string, openid: string, requestId: string): string {
  const digest = crypto.createHash('sha256').update(`${openid}\n${requestId}`).digest('base64url');
  return `${prefix}${digest.slice(0, 22)}`;
}
