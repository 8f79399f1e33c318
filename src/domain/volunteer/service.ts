import { parseEntranceScene } from '../space/entrance-scene';
import { shanghaiDate } from '../shared/time';
import type { ClaimStatus } from './claims';
import { type PostLocation, type Schedule, occurrences } from './opportunity';

/**
 * Service records: a volunteer checks in (scanning the space's QR code, or the secretary confirms
 * directly) and checks out. A service left open for 24 hours closes itself and is flagged for the
 * secretary; its minutes are not counted until the secretary confirms hours.
 */

export const SERVICE_STATUSES = ['open', 'closed', 'auto-closed', 'confirmed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SERVICE_STATUS_LABELS: Record<ServiceStatus, string> = {
  open: '服务中',
  closed: '待确认',
  'auto-closed': '超时自动结束',
  confirmed: '已确认',
};

export const AUTO_CLOSE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Longest service that can be confirmed for one day, in minutes. */
export const SERVICE_MINUTES_MAX = 12 * 60;

/** One service record per claim per day (Asia/Shanghai date of check-in or of the confirmed day). */
export function serviceId(claimId: string, date: string): string {
  return `${claimId}_${date.replace(/-/g, '')}`;
}

export function serviceDateOf(at: Date): string {
  return shanghaiDate(at);
}

/** Whole minutes between check-in and check-out, capped at SERVICE_MINUTES_MAX. */
export function serviceMinutes(checkInAt: Date, checkOutAt: Date): number {
  const minutes = Math.floor((checkOutAt.getTime() - checkInAt.getTime()) / 60_000);
  return Math.max(0, Math.min(SERVICE_MINUTES_MAX, minutes));
}

/** An open service checked in at least 24 h before `now` must be closed by the timer. */
export function isOverdueOpen(
  service: { status: ServiceStatus; checkInAt: Date },
  now: Date,
): boolean {
  return (
    service.status === 'open' && now.getTime() - service.checkInAt.getTime() >= AUTO_CLOSE_AFTER_MS
  );
}

/** The cut-off instant: open services checked in before it are overdue. */
export function autoCloseCutoff(now: Date): Date {
  return new Date(now.getTime() - AUTO_CLOSE_AFTER_MS);
}

/** The check-out a service closed by the timer records: 24 hours after its check-in (its minutes stay 0 until confirmed). */
export function autoCloseCheckOut(checkInAt: Date): Date {
  return new Date(checkInAt.getTime() + AUTO_CLOSE_AFTER_MS);
}

/** Hours a secretary may confirm: 0.5 h steps, from 0.5 h to 12 h → minutes. */
export function confirmableMinutes(hours: number): number | null {
  const minutes = Math.round(hours * 60);
  if (
    !Number.isFinite(hours) ||
    minutes % 30 !== 0 ||
    minutes < 30 ||
    minutes > SERVICE_MINUTES_MAX
  )
    return null;
  return minutes;
}

export type ConfirmRefusal = 'ALREADY_CONFIRMED' | 'SERVICE_OPEN';

/** A service is confirmed once; an open one must be checked out (or closed by time) first. */
export function confirmRefusal(status: ServiceStatus | null): ConfirmRefusal | null {
  if (status === 'confirmed') return 'ALREADY_CONFIRMED';
  return null;
}

export type CheckInRefusal = 'NOT_CLAIMED' | 'WRONG_PLACE' | 'NOT_SERVICE_DAY';

export const CHECK_IN_REFUSAL_MESSAGES: Record<CheckInRefusal, string> = {
  NOT_CLAIMED: '请先认领这个岗位',
  WRONG_PLACE: '请扫描服务地点入口处的二维码签到',
  NOT_SERVICE_DAY: '今天不是这个岗位的服务日',
};

/**
 * A volunteer checks in on a claimed post, on one of its service days (Asia/Shanghai), and, when
 * the post is served at a space, by scanning that space's entrance QR code (`scene`).
 */
export function checkInRefusal(ctx: {
  claimStatus: ClaimStatus | null;
  post: { location: PostLocation; schedule: Schedule };
  scene: string | undefined;
  now: Date;
}): CheckInRefusal | null {
  if (ctx.claimStatus !== 'claimed') return 'NOT_CLAIMED';
  const spaceId = ctx.post.location.spaceId;
  if (spaceId && parseEntranceScene(ctx.scene)?.spaceId !== spaceId) return 'WRONG_PLACE';
  const date = serviceDateOf(ctx.now);
  if (!occurrences(ctx.post.schedule).some((o) => o.date === date)) return 'NOT_SERVICE_DAY';
  return null;
}

/** A record from before check-in requests were kept counts as a retry within this window. */
export const CHECK_IN_RETRY_WINDOW_MS = 60_000;

/**
 * Whether a check-in finding today's record already made is the request that made it (a retry,
 * from any instance, at any later time), rather than a second check-in. A record from before the
 * request was kept is a retry when it is open and was checked in within the last minute.
 */
export function isSameCheckIn(
  made: { checkInRequest?: string; status: ServiceStatus; checkInAt?: Date },
  requestKey: string,
  now: Date,
): boolean {
  if (made.checkInRequest !== undefined) return made.checkInRequest === requestKey;
  return (
    made.status === 'open' &&
    made.checkInAt !== undefined &&
    made.checkInAt.getTime() > now.getTime() - CHECK_IN_RETRY_WINDOW_MS
  );
}

export type ConfirmItemRefusal = 'NOT_CLAIMED' | 'INVALID_HOURS';

/**
 * One item of a secretary's confirmation: the claim must still be held, on a post that exists,
 * and the hours confirmable. Answers what to confirm (with the minutes), or why it is skipped.
 */
export function confirmItem<C extends { status: ClaimStatus }, P>(
  claim: C | undefined,
  post: P | undefined,
  hours: number,
): { refusal: ConfirmItemRefusal } | { claim: C; post: P; minutes: number } {
  if (!claim || post === undefined || claim.status !== 'claimed') return { refusal: 'NOT_CLAIMED' };
  const minutes = confirmableMinutes(hours);
  return minutes === null ? { refusal: 'INVALID_HOURS' } : { claim, post, minutes };
}
