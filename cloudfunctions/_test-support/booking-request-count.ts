import { grantSubscription } from '../../local/runtime/openapi';
import { WAITLIST_HOLD_TEMPLATE_ID } from '../../src/domain/booking/notify';
import type { Result } from '../../src/domain/shared/result';
import { startTestCloud, type TestCloud } from './host';
import { type RequestCount, countRequests } from './request-count';
import {
  ALICE,
  BOB,
  CAROL,
  SECRETARY,
  aBookableService,
  requestId,
  seedSpace,
  tomorrow,
} from '../booking/fixtures';

/**
 * Measures how many database requests (what WeChat Cloud bills) each booking action costs, by
 * counting what the real SDK sends through the local transport during one invocation — the
 * router's caller lookup included. Used by the booking request test and `npm run bench:booking`.
 */
/** Database requests of one call, and by database action. */
export type Measured = RequestCount;

export type BookingRequestCounts = Record<
  | 'createFirstOfSlot'
  | 'createLater'
  | 'createLaterOwnQuota'
  | 'createFull'
  | 'joinWaitlist'
  | 'cancelWithPromotion'
  | 'cancelNobodyWaiting'
  | 'claimHold'
  | 'listSlots'
  | 'listServices'
  | 'mine',
  Measured
>;

async function measure(
  cloud: TestCloud,
  action: string,
  input: unknown,
  openid: string,
): Promise<Measured & { result: Result<unknown> }> {
  const counted = await countRequests(() => cloud.call('booking', action, input, openid));
  const { result } = counted;
  if (!result.ok && action !== 'create') throw new Error(`${action} failed: ${result.code}`);
  return counted;
}

const strip = ({ requests, byKind }: Measured): Measured => ({ requests, byKind });

/** One fresh local cloud, a 2-place gym slot; each step measured once. */
export async function measureBookingRequests(): Promise<BookingRequestCounts> {
  const cloud = startTestCloud({
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY, LINLI_DEFAULT_SPACE: 'r29' },
  });
  try {
    await seedSpace(cloud, [
      aBookableService({ bookingRules: { capacity: 2, minNoticeMinutes: 0 } }),
    ]);
    const slot = (extra: Record<string, unknown> = {}) => ({
      serviceId: 'r29-gym',
      date: tomorrow(),
      startMinute: 600,
      clientRequestId: requestId(),
      ...extra,
    });
    const id = (m: { result: Result<unknown> }) =>
      m.result.ok ? (m.result.data as { id: string }).id : '';
    await grantSubscription(cloud.host.database, CAROL, WAITLIST_HOLD_TEMPLATE_ID, 1);
    // A caller's very first call registers them; every later call only looks them up.
    for (const openid of [ALICE, BOB, CAROL])
      await cloud.call('booking', 'mine', { scope: 'past' }, openid);
    // Someone else opens the 11:00 counter (not measured).
    await cloud.call('booking', 'create', slot({ startMinute: 660 }), 'resident-dave');

    const createFirstOfSlot = await measure(cloud, 'create', slot(), ALICE);
    const createLater = await measure(cloud, 'create', slot(), BOB);
    const createFull = await measure(cloud, 'create', slot(), CAROL);
    const joinWaitlist = await measure(cloud, 'joinWaitlist', slot(), CAROL);
    const cancelWithPromotion = await measure(
      cloud,
      'cancel',
      { bookingId: id(createFirstOfSlot) },
      ALICE,
    );
    const claimHold = await measure(cloud, 'claimHold', { bookingId: id(joinWaitlist) }, CAROL);
    const cancelNobodyWaiting = await measure(cloud, 'cancel', { bookingId: id(createLater) }, BOB);
    // Alice's quota document exists by now: her booking takes it with one conditional update.
    const createLaterOwnQuota = await measure(cloud, 'create', slot({ startMinute: 660 }), ALICE);
    const listSlots = await measure(
      cloud,
      'listSlots',
      { serviceId: 'r29-gym', date: tomorrow() },
      BOB,
    );
    const listServices = await measure(cloud, 'listServices', {}, BOB);
    const mine = await measure(cloud, 'mine', { scope: 'upcoming' }, CAROL);
    return {
      createFirstOfSlot: strip(createFirstOfSlot),
      createLater: strip(createLater),
      createLaterOwnQuota: strip(createLaterOwnQuota),
      createFull: strip(createFull),
      joinWaitlist: strip(joinWaitlist),
      cancelWithPromotion: strip(cancelWithPromotion),
      cancelNobodyWaiting: strip(cancelNobodyWaiting),
      claimHold: strip(claimHold),
      listSlots: strip(listSlots),
      listServices: strip(listServices),
      mine: strip(mine),
    };
  } finally {
    cloud.close();
  }
}
