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
