/**
 * Bounds on a function's event, checked before anything walks it recursively (schema
 * validation, JSON serialisation, the SDK): input nested thousands of levels deep would
 * otherwise overflow the stack and answer INTERNAL (HTTP 500 locally) instead of a refusal.
 *
 * - depth: at most EVENT_MAX_DEPTH levels of objects/arrays, the event itself being level 1.
 *   The deepest input any contract accepts is 7 levels (a list draft's post schedule weekdays).
 * - nodes: at most EVENT_MAX_NODES values in all (objects, arrays, and every value inside them).
 * - bytes: at most EVENT_MAX_BYTES of JSON, estimated while walking (UTF-8 of strings and keys).
 *   The largest input a contract accepts is an import of 300,000 characters (< 1 MB as UTF-8 for
 *   Chinese text). WeChat's own bounds are wider: wx.cloud.callFunction asks for wx.cloud.CDN above
 *   100 KB of data, and Tencent's SCF InvokeFunction takes an Event of at most 6 MB.
 *
 * The walk is iterative (an explicit stack), so it cannot overflow itself, and it stops at the
 * first bound crossed, so its cost is bounded by the limits, not by the input. Cycles (impossible
 * in JSON, possible for a caller in the same process) end at the depth bound.
 */

export const EVENT_MAX_DEPTH = 32;
export const EVENT_MAX_NODES = 10_000;
export const EVENT_MAX_BYTES = 1024 * 1024;

export type EventBound = 'depth' | 'nodes' | 'bytes';

export interface EventRefusal {
  bound: EventBound;
  limit: number;
  /** Simplified Chinese, for the person. */
  message: string;
}

export interface EventLimits {
  depth: number;
  nodes: number;
  bytes: number;
}

export const EVENT_LIMITS: EventLimits = {
  depth: EVENT_MAX_DEPTH,
  nodes: EVENT_MAX_NODES,
  bytes: EVENT_MAX_BYTES,
};

const MESSAGES: Record<EventBound, (limit: number) => string> = {
  depth: (limit) => `输入内容层级过深（最多 ${limit} 层）`,
  nodes: (limit) => `输入内容项数过多（最多 ${limit} 项）`,
  bytes: (limit) => `输入内容过大（最多 ${Math.round(limit / 1024)} KB）`,
};

function refusal(bound: EventBound, limits: EventLimits): EventRefusal {
  return { bound, limit: limits[bound], message: MESSAGES[bound](limits[bound]) };
}

/** UTF-8 bytes of a string (surrogate pairs count 4, lone surrogates 3, as TextEncoder writes them). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (
      c >= 0xd800 &&
      c <= 0xdbff &&
      i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Which bound `event` crosses, or null when it is within all of them. */
export function eventRefusal(
  event: unknown,
  limits: EventLimits = EVENT_LIMITS,
): EventRefusal | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: event, depth: 1 }];
  let nodes = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > limits.nodes) return refusal('nodes', limits);
    if (typeof value === 'string') bytes += utf8Length(value) + 2;
    else if (typeof value === 'number') bytes += 8;
    else if (typeof value === 'object' && value !== null) {
      if (depth > limits.depth) return refusal('depth', limits);
      bytes += 2;
      const members = Array.isArray(value) ? value.length : Object.keys(value).length;
      // A huge flat array or object is refused before its members are pushed.
      if (nodes + stack.length + members > limits.nodes) return refusal('nodes', limits);
      if (Array.isArray(value)) {
        bytes += value.length;
        for (let i = value.length - 1; i >= 0; i--)
          stack.push({ value: value[i], depth: depth + 1 });
      } else {
        for (const key of Object.keys(value)) {
          bytes += utf8Length(key) + 4;
          stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    } else bytes += 5;
    if (bytes > limits.bytes) return refusal('bytes', limits);
  }
  return null;
}

/**
 * How deeply JSON text nests, read character by character without parsing it: a request body
 * can be refused before JSON.parse and everything after it walk the structure.
 * Returns the refusal when the text nests deeper than `maxDepth`, else null. Malformed text is
 * left to JSON.parse.
 */
export function jsonDepthRefusal(
  text: string,
  limits: EventLimits = EVENT_LIMITS,
): EventRefusal | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limits.depth) return refusal('depth', limits);
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return null;
}
