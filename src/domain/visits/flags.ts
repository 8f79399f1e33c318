import type { CadenceConfig } from './cadence';
import { DEFAULT_CADENCE } from './cadence';

/**
 * Urgent flags raised from a visit. They reach the secretary at once, stay open until a secretary
 * acknowledges them, and an open flag is raised again every `reraiseFlagAfterHours`.
 */

export const FLAG_STATUSES = ['open', 'acknowledged'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export const FLAG_STATUS_LABELS: Record<FlagStatus, string> = {
  open: '待处理',
  acknowledged: '已确认',
};

export { URGENT_FLAG_TEMPLATE_ID } from './urgent';
/** The subscribe-message template reminding a volunteer of a due visit. */
export const VISIT_DUE_TEMPLATE_ID = 'linli-visit-due';

/** Raised again at most this many times; after that it stays in the inbox. */
export const FLAG_RERAISE_MAX = 12;

export function flagNeedsReraise(
  flag: { status: FlagStatus; lastRaisedAt: Date; raiseCount: number },
  now: Date,
  config: CadenceConfig = DEFAULT_CADENCE,
): boolean {
  return (
    flag.status === 'open' &&
    flag.raiseCount <= FLAG_RERAISE_MAX &&
    now.getTime() - flag.lastRaisedAt.getTime() >= config.reraiseFlagAfterHours * 3_600_000
  );
}

/** The instant before which an open flag last raised is due to be raised again. */
export function reraiseCutoff(now: Date, config: CadenceConfig = DEFAULT_CADENCE): Date {
  return new Date(now.getTime() - config.reraiseFlagAfterHours * 3_600_000);
}

/** WeChat limits `thing` values to 20 characters. */
export function thing(text: string): string {
  return [...text].length > 20 ? `${[...text].slice(0, 19).join('')}…` : text;
}

export function urgentFlagMessage(
  elderName: string,
  note: string,
  when: string,
  raiseCount: number,
): Record<string, { value: string }> {
  return {
    thing1: { value: thing(`${elderName}探访紧急情况`) },
    thing2: { value: thing(note) },
    time3: { value: when },
    thing4: { value: thing(raiseCount > 1 ? `第${raiseCount}次提醒，请尽快处理` : '请尽快处理') },
  };
}

export function visitDueMessage(
  elderName: string,
  dueText: string,
): Record<string, { value: string }> {
  return {
    thing1: { value: thing(`探访${elderName}`) },
    thing2: { value: thing(dueText) },
  };
}

export const FLAG_NOT_FOUND = { code: 'FLAG_NOT_FOUND', message: '没有找到这条紧急情况' } as const;

/** The inbox order: open flags before acknowledged ones (otherwise as given: newest first). */
export function openFirst(a: { status: FlagStatus }, b: { status: FlagStatus }): number {
  return Number(a.status !== 'open') - Number(b.status !== 'open');
}

/** An elder's count of open flags after one is acknowledged (never below zero). */
export function openFlagsAfterAcknowledge(openFlags: number): number {
  return Math.max(0, openFlags - 1);
}

/**
 * Whether the daily reminder goes out for an elder, and as what: overdue, or due within a day;
 * null for an elder not yet close to due.
 */
export function dueReminder(status: {
  state: 'overdue' | 'due' | 'visited';
  daysLeft: number;
}): 'overdue' | 'due' | null {
  if (status.state === 'overdue') return 'overdue';
  return status.state === 'due' && status.daysLeft <= 1 ? 'due' : null;
}
