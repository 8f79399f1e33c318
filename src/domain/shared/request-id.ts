import * as v from 'valibot';

/**
 * The one shape of a client request id: made once per intent on the client (one tap, one form
 * submission), sent again unchanged on every retry, so a retry changes nothing new.
 * 8–64 letters, digits, '-' or '_'.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const requestIdSchema = v.pipe(
  v.string('请求编号必须是文字'),
  v.regex(REQUEST_ID_PATTERN, '请求编号格式不正确'),
);

/** The one field name a request id travels under: `clientRequestId` (WeChat's own `requestId` names its invocation). */
export const clientRequestIdSchema = requestIdSchema;
