/**
 * Fake only `Date` (the functions read their clock from it) at `now`; timers and I/O run as
 * usual, so the local cloud, its transport and the SDK behave as they do for real. Undo with
 * `jest.useRealTimers()`. Tests over a second server process stay on the real clock: that process
 * reads its own. Each area's fixtures name its fixed instant (BOOKING_NOW, VISITS_NOW).
 */
export function fakeDateAt(now: Date): void {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}
