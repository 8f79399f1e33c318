import {
  measureBookingRequests,
  type BookingRequestCounts,
} from '../_test-support/booking-request-count';
import { useFixedClock } from './fixtures';

/**
 * Database requests per booking action, counted at the local transport (what WeChat Cloud bills).
 * The numbers are stated in README's 预约 section; a change here must update them there.
 */
jest.setTimeout(30_000);

let counts: BookingRequestCounts;
beforeAll(async () => {
  useFixedClock();
  counts = await measureBookingRequests();
  jest.useRealTimers();
});

it('a booking costs 6 requests, the first of a slot 10', () => {
  // caller, service, own history, quota (the person's first: created), conditional place take, insert
  expect(counts.createLater).toEqual({
    requests: 6,
    byKind: { getDocument: 3, modifyDocument: 1, insertDocument: 2 },
  });
  // the person's quota document exists: one conditional update takes it
  expect(counts.createLaterOwnQuota).toEqual({
    requests: 6,
    byKind: { getDocument: 3, modifyDocument: 2, insertDocument: 1 },
  });
  // + failed take, counter read (absent), counter insert, service re-read, opening update
  expect(counts.createFirstOfSlot.requests).toBe(10);
  // a full slot: the quota is taken first (Carol's first: created), the place take misses, the
  // counter is read, and the quota document she created is removed again: nothing is left behind
  expect(counts.createFull).toEqual({
    requests: 7,
    byKind: { getDocument: 4, insertDocument: 1, modifyDocument: 1, removeDocument: 1 },
  });
});

it('cancel with waitlist promotion, claim and reads stay small', () => {
  // caller, booking, service, conditional cancel, quota give-back, waitlist query, hold (or counter +1)
  expect(counts.cancelWithPromotion.requests).toBe(7);
  expect(counts.cancelNobodyWaiting.requests).toBe(7);
  // caller, service, history, counter read, quota, insert
  expect(counts.joinWaitlist.requests).toBe(6);
  expect(counts.claimHold.requests).toBe(4);
  expect(counts.listSlots.requests).toBe(4);
  expect(counts.listServices.requests).toBe(3);
  expect(counts.mine.requests).toBe(3);
});
