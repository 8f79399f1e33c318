import { measureBookingRequests, type BookingRequestCounts } from './request-count';

/**
 * Database requests per booking action, counted at the local transport (what WeChat Cloud bills).
 * The numbers are stated in README's 预约 section; a change here must update them there.
 */
jest.setTimeout(30_000);

let counts: BookingRequestCounts;
beforeAll(async () => {
  counts = await measureBookingRequests();
});

it('a booking costs 5 requests, the first of a slot 9', () => {
  // caller, service, own history, conditional take, insert
  expect(counts.createLater).toEqual({ requests: 5, byKind: { getDocument: 3, modifyDocument: 1, insertDocument: 1 } });
  // + failed take, counter read (absent), counter insert, service re-read, opening update
  expect(counts.createFirstOfSlot.requests).toBe(9);
  // a full slot: failed take and counter read instead of the insert
  expect(counts.createFull.requests).toBe(5);
});

it('cancel with waitlist promotion, claim and reads stay small', () => {
  expect(counts.cancelWithPromotion.requests).toBe(6);
  expect(counts.cancelNobodyWaiting.requests).toBe(6);
  expect(counts.joinWaitlist.requests).toBe(5);
  expect(counts.claimHold.requests).toBe(4);
  expect(counts.listSlots.requests).toBe(4);
  expect(counts.listServices.requests).toBe(3);
  expect(counts.mine.requests).toBe(3);
});
