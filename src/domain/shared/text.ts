import * as v from 'valibot';

/**
 * Free text that other people read (names, titles, reasons shown to residents, notes, feedback)
 * is refused, not silently cleaned, when it carries characters that are invisible or that change
 * how the text around them is displayed:
 *
 * - C0 control characters (U+0000–U+001F) except TAB and LF in multi-line text; CR is accepted
 *   only as part of a line break and stored as LF. Single-line text refuses TAB and LF too.
 * - DEL and the C1 controls (U+007F–U+009F).
 * - Bidirectional formatting: the marks ALM, LRM, RLM (U+061C, U+200E, U+200F), the embeddings
 *   and overrides (U+202A–U+202E) and the isolates (U+2066–U+2069). Simplified Chinese text never
 *   needs them, and an override can make a reason or a name read differently from what is stored.
 *   The marks are refused too: invisible, and they move neutral characters such as digits.
 * - The line and paragraph separators U+2028 / U+2029, and unpaired surrogates (not text).
 *
 * Zero-width joiners (U+200C, U+200D) stay allowed: emoji sequences use them.
 */
const UNSAFE_ALWAYS =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/;
const LINE_BREAKS = /[\t\n]/;

/** True when a surrogate has no partner (no lookbehind: older iOS JS engines lack it). */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** True when `text` has a character free text may not carry (see above). */
export function hasUnsafeChars(text: string, multiline = true): boolean {
  return (
    UNSAFE_ALWAYS.test(text) || (!multiline && LINE_BREAKS.test(text)) || hasLoneSurrogate(text)
  );
}

/** CRLF and lone CR as LF: the one line break stored. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export interface SafeTextOptions {
  /** Shortest length after trimming; default 0. */
  min?: number;
  /** Text may span lines (notes, reasons, feedback); default false (names, titles, labels). */
  multiline?: boolean;
  typeMessage?: string;
  minMessage?: string;
  maxMessage?: string;
}

export const unsafeTextMessage = (label: string): string =>
  `${label}含有不可见的控制字符或文字方向字符，请删除后重试`;

/**
 * The one schema for free text in the contracts: a string, line breaks normalised, trimmed, no
 * unsafe characters, `min`–`max` characters (UTF-16 code units, as `maxLength` counts).
 */
export function safeText(label: string, max: number, options: SafeTextOptions = {}) {
  const min = options.min ?? 0;
  const multiline = options.multiline ?? false;
  return v.pipe(
    v.string(options.typeMessage ?? `${label}必须是文字`),
    v.transform(normalizeLineBreaks),
    v.trim(),
    v.check(
      (s: string) => !hasUnsafeChars(s, multiline),
      multiline
        ? unsafeTextMessage(label)
        : `${label}只能写一行，且不能含有不可见的控制字符或文字方向字符`,
    ),
    v.minLength(min, options.minMessage ?? `请填写${label}`),
    v.maxLength(max, options.maxMessage ?? `${label}最多 ${max} 个字`),
  );
}
