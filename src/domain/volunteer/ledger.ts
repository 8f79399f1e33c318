/**
 * The volunteer ledger: append-only entries for claims, withdrawals, service records,
 * confirmations, points awarded, redemptions and adjustments. Balances and hours are derived from
 * the entries; nothing is changed in place.
 *
 * Units: `minutes` are service minutes (hours are shown as minutes / 60); `points` are whole points,
 * positive when earned, negative when spent.
 */

export const LEDGER_TYPES = [
  'claim',
  'withdraw',
  'service',
  'confirm',
  'points',
  'redeem',
  'adjust',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export const LEDGER_TYPE_LABELS: Record<LedgerType, string> = {
  claim: '认领岗位',
  withdraw: '退出岗位',
  service: '服务签退',
  confirm: '服务确认',
  points: '获得积分',
  redeem: '积分兑换',
  adjust: '积分调整',
};

export interface LedgerEntry {
  id: string;
  type: LedgerType;
  /** Who did it (openid; "system" for the auto-close timer). */
  actor: string;
  /** The volunteer the entry is about. */
  subject: string;
  listId?: string;
  postId?: string;
  postTitle?: string;
  serviceId?: string;
  /** Service date (YYYY-MM-DD, Asia/Shanghai) for service and confirm entries. */
  serviceDate?: string;
  minutes: number;
  points: number;
  reason?: string;
  /** When the entry was written (the database's clock), ISO. */
  at: string;
}

/** Just the numbers of an entry. */
export type LedgerAmounts = Pick<LedgerEntry, 'type' | 'minutes' | 'points'>;

export interface LedgerSummary {
  /** Points available to spend. */
  points: number;
  /** Points ever earned (points entries and positive adjustments). */
  earned: number;
  /** Points spent on rewards (positive number). */
  spent: number;
  /** Confirmed service minutes. */
  confirmedMinutes: number;
  /** Minutes recorded at check-out and not yet confirmed are not counted here. */
  confirmedServices: number;
}

export const EMPTY_SUMMARY: LedgerSummary = {
  points: 0,
  earned: 0,
  spent: 0,
  confirmedMinutes: 0,
  confirmedServices: 0,
};

/** Which entry types move points. Only these; a claim or a check-out never does. */
export function movesPoints(type: LedgerType): boolean {
  return type === 'points' || type === 'redeem' || type === 'adjust';
}

/** Add one entry to a summary. Pure; folding every entry of a volunteer gives their summary. */
export function applyEntry(summary: LedgerSummary, entry: LedgerAmounts): LedgerSummary {
  const next = { ...summary };
  if (movesPoints(entry.type)) {
    next.points += entry.points;
    if (entry.type === 'redeem') next.spent -= entry.points;
    else if (entry.points > 0) next.earned += entry.points;
  }
  if (entry.type === 'confirm') {
    next.confirmedMinutes += entry.minutes;
    next.confirmedServices += 1;
  }
  return next;
}

export function summarize(entries: readonly LedgerAmounts[]): LedgerSummary {
  return entries.reduce(applyEntry, EMPTY_SUMMARY);
}

/** Hours for display: one decimal, e.g. 90 → "1.5". */
export function formatHours(minutes: number): string {
  return (Math.round((minutes / 60) * 10) / 10).toString();
}

export type PointsRefusal = 'INSUFFICIENT_POINTS' | 'NEGATIVE_BALANCE';

/** A redemption may not take the balance below zero. */
export function redemptionRefusal(balance: number, cost: number): 'INSUFFICIENT_POINTS' | null {
  return cost > balance ? 'INSUFFICIENT_POINTS' : null;
}

/** An adjustment may not take the balance below zero either. */
export type RewardRefusal = 'REWARD_NOT_FOUND' | 'OUT_OF_STOCK';

export const REWARD_REFUSAL_MESSAGES: Record<RewardRefusal, string> = {
  REWARD_NOT_FOUND: '没有找到这个奖励，或已下架',
  OUT_OF_STOCK: '这个奖励已兑完',
};

/** A reward can be redeemed while it is active and in stock (`stock` null: unlimited). */
export function rewardRefusal(
  reward: { active: boolean; stock: number | null } | null,
): RewardRefusal | null {
  if (!reward || !reward.active) return 'REWARD_NOT_FOUND';
  if (reward.stock !== null && reward.stock <= 0) return 'OUT_OF_STOCK';
  return null;
}

export function insufficientPointsMessage(cost: number, balance: number): string {
  return `积分不足：需要 ${cost}，当前 ${balance}`;
}

export function negativeBalanceMessage(balance: number): string {
  return `调整后积分不能为负（当前 ${balance}）`;
}

/** A volunteer reads their own ledger; the secretary reads anyone's. */
export function mayReadLedger(subject: string, caller: { openid: string; role: string }): boolean {
  return subject === caller.openid || caller.role === 'secretary';
}

export function adjustmentRefusal(balance: number, delta: number): 'NEGATIVE_BALANCE' | null {
  return balance + delta < 0 ? 'NEGATIVE_BALANCE' : null;
}

/**
 * Retried requests record once: each entry carries a key derived from the client's request id,
 * unique in the ledger, and used as the entry's document id.
 */
export function ledgerKey(kind: string, openid: string, requestId: string, part?: string): string {
  return part ? `${kind}:${openid}:${requestId}:${part}` : `${kind}:${openid}:${requestId}`;
}

/** Client request ids: 8–64 letters, digits, '-' or '_'. */
export { REQUEST_ID_PATTERN } from '../shared/request-id';

/** Redemption codes: 8 characters without look-alikes (no 0/O, 1/I/L). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;
export const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** A verification code from random bytes (at least CODE_LENGTH of them). */
export function redemptionCode(random: ArrayLike<number>): string {
  if (random.length < CODE_LENGTH) throw new Error('redemptionCode needs at least 8 random bytes');
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[random[i] % CODE_ALPHABET.length];
  return out;
}

/** Normalise what staff type: upper case, no spaces or dashes. */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}
