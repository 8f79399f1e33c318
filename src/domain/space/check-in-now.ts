import { formatMinuteOfDay, inShanghai, shanghaiMinuteOfDay } from '../shared/time';

/** What the entrance card needs of one of today's check-in options (as the server sent it). */
export interface CheckInShown {
  kind: 'open' | 'not-yet' | 'closed' | 'not-confirmed' | 'done';
  reason: string;
  checkInOpens: string;
  checkInCloses: string;
}

const at = (iso: string) => {
  const d = inShanghai(iso);
  return `${d.format('M月D日')} ${formatMinuteOfDay(shanghaiMinuteOfDay(iso))}`;
};

/**
 * The option as it stands at `now` on the phone: the server's answer was true when it was read,
 * but the window opens and closes while the card is on screen. Only the two clock transitions are
 * moved on (not-yet → open → closed); every other state stays the server's. The server remains the
 * authority when 签到 is tapped.
 */
export function checkInNow(
  option: CheckInShown,
  now: Date,
): { kind: CheckInShown['kind']; reason: string } {
  const opens = Date.parse(option.checkInOpens);
  const closes = Date.parse(option.checkInCloses);
  const t = now.getTime();
  if (option.kind !== 'not-yet' && option.kind !== 'open')
    return { kind: option.kind, reason: option.reason };
  if (t >= closes) return { kind: 'closed', reason: `签到已于 ${at(option.checkInCloses)} 截止` };
  if (t >= opens) return { kind: 'open', reason: '' };
  return { kind: 'not-yet', reason: `签到将于 ${at(option.checkInOpens)} 开始` };
}

/** The next instant after `now` at which any option's shown state changes (for a timer), or null. */
export function nextCheckInChange(options: readonly CheckInShown[], now: Date): Date | null {
  const t = now.getTime();
  const times = options
    .filter((o) => o.kind === 'not-yet' || o.kind === 'open')
    .flatMap((o) => [Date.parse(o.checkInOpens), Date.parse(o.checkInCloses)])
    .filter((x) => x > t);
  return times.length === 0 ? null : new Date(Math.min(...times));
}
