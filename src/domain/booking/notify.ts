import { formatMinuteOfDay, inShanghai, shanghaiMinuteOfDay } from '../shared/time';

/**
 * The subscribe-message template for "a place on the waitlist is held for you". Production: the
 * template id from the mini-program console (replace here); the client asks for consent with the
 * same id when someone joins a waitlist. Locally the message lands in the `outbox` collection.
 */
export const WAITLIST_HOLD_TEMPLATE_ID = 'linli-waitlist-hold';

/** WeChat limits `thing` values to 20 characters. */
function thing(text: string): string {
  return [...text].length > 20 ? `${[...text].slice(0, 19).join('')}…` : text;
}

export function waitlistHoldMessage(
  serviceName: string,
  when: string,
  holdUntil: Date,
): Record<string, { value: string }> {
  const until = `${inShanghai(holdUntil).format('M月D日')} ${formatMinuteOfDay(shanghaiMinuteOfDay(holdUntil))}`;
  return {
    thing1: { value: thing(serviceName) },
    thing2: { value: thing(when) },
    thing3: { value: thing(`候补到位，请在${until}前确认`) },
  };
}
