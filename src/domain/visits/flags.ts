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

/** The subscribe-message template for an urgent flag (production: replace with the console's id). */
export const URGENT_FLAG_TEMPLATE_ID = 'linli-visit-urgent';
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

/**
 * What the volunteer is told after raising a flag: who has it and how. Nobody to notify (no
 * secretary in the community yet) says to call the community instead: the flag must not look
 * delivered when it reached nobody.
 */
export function flagNoticeText(notice: { secretaries: string[]; messaged: string[] }): string {
  const n = notice.secretaries.length;
  if (n === 0) return '社区还没有书记账号，紧急情况没有送达任何人，请立即电话联系社区或拨打 120';
  const names = notice.secretaries.join('、');
  const inApp = `已送达 ${n} 位社区书记的应用内待办（${names}）`;
  if (notice.messaged.length === 0) return `${inApp}；没有人开启微信提醒，书记打开应用时会看到`;
  if (notice.messaged.length === n) return `${inApp}，并都已发送微信提醒`;
  return `${inApp}；其中 ${notice.messaged.join('、')} 已收到微信提醒`;
}

/** An urgent visit saved on the phone with no network: nobody has it yet. */
export const URGENT_NOT_SENT =
  '手机没有网络，探访已保存在手机上，联网后自动发送并通知社区书记。情况紧急请立即电话联系社区或拨打 120';

/** On the secretary's inbox: who the flag's last raise reached. */
export function flagReachText(flag: {
  notifiedSecretaries: number;
  messagedSecretaries: number;
}): string {
  return `应用内已送达 ${flag.notifiedSecretaries} 位书记，${flag.messagedSecretaries} 位收到微信提醒`;
}

/** The badge text for open flags (WeChat's tab badge shows at most 4 characters). */
export function urgentBadge(open: number): string | null {
  if (open <= 0) return null;
  return open > 99 ? '99+' : String(open);
}

/** What the secretary reads about their WeChat messages for urgent flags. */
export function grantsText(grants: number): string {
  return grants > 0
    ? `还可接收 ${grants} 条紧急情况的微信提醒`
    : '微信提醒已用完：新的紧急情况只会显示在应用内，请点“接收下一条提醒”';
}
