import { shanghaiDate } from '../shared/time';

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
