/**
 * `tsx scripts/bench-booking.ts` — database requests per booking action (WeChat Cloud bills per
 * request), counted at the local transport while the real wx-server-sdk runs each action once
 * against a fresh local cloud. The router's caller lookup is included; the local stand-in for the
 * subscribe-message API is not (in production that is an openapi call). Counts, not timings: they
 * do not depend on the machine.
 */
import { measureBookingRequests } from '../cloudfunctions/_test-support/booking-request-count';

const LABELS: Record<string, string> = {
  createFirstOfSlot: 'create (first booking of a slot)',
  createLater: 'create (later bookings)',
  createFull: 'create (slot full → SLOT_FULL)',
  joinWaitlist: 'joinWaitlist',
  cancelWithPromotion: 'cancel (place passes to the waitlist)',
  cancelNobodyWaiting: 'cancel (nobody waiting)',
  claimHold: 'claimHold',
  listSlots: 'listSlots',
  listServices: 'listServices',
  mine: 'mine',
};

async function main(): Promise<void> {
  const counts = await measureBookingRequests();
  for (const [key, m] of Object.entries(counts)) {
    const kinds = Object.entries(m.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(`${(LABELS[key] ?? key).padEnd(40)} ${String(m.requests).padStart(2)}  (${kinds})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
