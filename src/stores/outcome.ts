/**
 * The one result type a store's action gives a page: whether it worked, a message in Chinese to
 * show, the server's code when refused (NETWORK when the request did not arrive), and the data.
 */
export interface Outcome<T = undefined> {
  ok: boolean;
  message: string;
  code?: string;
  data?: T;
}

/** A cloud result as an outcome: `success` is the message when it worked. */
export function outcomeOf<T>(
  result: { ok: true; data: T } | { ok: false; code: string; message: string },
  success: string | ((data: T) => string),
): Outcome<T> {
  if (!result.ok) return { ok: false, message: result.message, code: result.code };
  const message = typeof success === 'function' ? success(result.data) : success;
  return { ok: true, message, data: result.data };
}
