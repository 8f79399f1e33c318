import Taro from '@tarojs/taro';
import { type QueuedVisit, parseQueue } from '@/domain/visits/queue';

/**
 * Where the phone keeps visits not yet accepted by the server: Taro storage (wx storage on weapp,
 * localStorage on H5), which survives closing the mini-program. One key per signed-in person, so a
 * shared phone never sends one volunteer's visit as another's.
 */
const KEY_PREFIX = 'linli.visits.queue';

export function queueKey(openid: string | null): string {
  return openid ? `${KEY_PREFIX}.${openid}` : KEY_PREFIX;
}

export function readQueue(openid: string | null): QueuedVisit[] {
  try {
    return parseQueue(Taro.getStorageSync(queueKey(openid)));
  } catch {
    return [];
  }
}

export function writeQueue(openid: string | null, queue: readonly QueuedVisit[]): void {
  try {
    if (queue.length === 0) Taro.removeStorageSync(queueKey(openid));
    else Taro.setStorageSync(queueKey(openid), queue);
  } catch {
    // Storage full or unavailable: the queue stays in memory for this session.
  }
}

/**
 * The volunteer's 我的结对 list as last loaded (masked, as the server sends it to a volunteer), so
 * the list and its 记录探访 buttons show with no signal. One key per signed-in person.
 */
const PAIRINGS_PREFIX = 'linli.visits.mine';

export interface SavedPairings<T> {
  savedAt: string;
  elders: T[];
}

export function readPairings<T extends { id: string; name: string }>(
  openid: string | null,
): SavedPairings<T> | null {
  try {
    const raw: unknown = Taro.getStorageSync(
      openid ? `${PAIRINGS_PREFIX}.${openid}` : PAIRINGS_PREFIX,
    );
    if (typeof raw !== 'object' || raw === null) return null;
    const { savedAt, elders } = raw as { savedAt?: unknown; elders?: unknown };
    if (typeof savedAt !== 'string' || !Array.isArray(elders)) return null;
    const valid = elders.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as T).id === 'string' &&
        typeof (e as T).name === 'string',
    );
    return valid ? { savedAt, elders: elders as T[] } : null;
  } catch {
    return null;
  }
}

export function writePairings<T>(openid: string | null, elders: readonly T[], savedAt: Date): void {
  try {
    Taro.setStorageSync(openid ? `${PAIRINGS_PREFIX}.${openid}` : PAIRINGS_PREFIX, {
      savedAt: savedAt.toISOString(),
      elders,
    });
  } catch {
    // Storage full or unavailable: the list is only in memory.
  }
}
