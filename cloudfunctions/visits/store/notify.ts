import { describeDue, type VisitStatus } from '../../../src/domain/visits/cadence';
import {
  URGENT_FLAG_TEMPLATE_ID,
  VISIT_DUE_TEMPLATE_ID,
  urgentFlagMessage,
  visitDueMessage,
} from '../../../src/domain/visits/flags';
import { inShanghai } from '../../../src/domain/shared/time';
import {
  COLLECTIONS,
  type Database,
  secretariesFromEnv,
  sendSubscribeMessage,
  trySubscribeMessage,
} from '../../_shared';
import type { ElderDoc, FlagDoc, ReminderDoc } from '../docs';
import { spendGrant } from './grants';
import { secretaryOpenids } from './names';

/** WeChat's errCode when the person has no message allowed for the template. */
const NO_GRANT_LEFT = 43101;

/** Subscribe messages of the visits function (best effort), and the reminders' once-a-day record. */

const FROM = 'visits';

/** Who a raise of an urgent flag reached, by openid. */
export interface FlagReach {
  notified: string[];
  messaged: string[];
}

/**
 * Raise an urgent flag to every secretary: each has it in the in-app inbox (the badge counts open
 * flags), and each who allowed a message gets one (a grant spent; 43101 sets their tally to 0).
 * Who it reached is written on the flag, for the inbox and for the volunteer's retries.
 */
export async function raiseFlag(
  db: Database,
  flag: Pick<FlagDoc, '_id' | 'elderName' | 'note' | 'lastRaisedAt' | 'raiseCount'>,
  now: Date,
): Promise<FlagReach> {
  const when = inShanghai(flag.lastRaisedAt).format('YYYY年M月D日 HH:mm');
  const data = urgentFlagMessage(flag.elderName, flag.note, when, flag.raiseCount);
  const notified = await secretaryOpenids(db, secretariesFromEnv());
  const messaged: string[] = [];
  for (const touser of notified) {
    const page = 'packages/visits/flags/index';
    const message = { touser, templateId: URGENT_FLAG_TEMPLATE_ID, page, data };
    const outcome = await trySubscribeMessage(message, FROM);
    // Only what WeChat said moves the tally: sent (one used) or 43101 (none left). Any other
    // failure says nothing about the grants.
    if (outcome.sent) messaged.push(touser);
    if (outcome.sent || outcome.errCode === NO_GRANT_LEFT)
      await spendGrant(db, touser, !outcome.sent, now);
  }
  await db
    .collection<FlagDoc>(COLLECTIONS.elderFlags)
    .doc(flag._id)
    .update({ data: { notifiedOpenids: notified, messagedOpenids: messaged } });
  return { notified, messaged };
}

/**
 * Record today's reminder for an elder; false when it is recorded already (another run, or a
 * retry of this one), so each elder is reminded once a day.
 */
export async function recordReminder(
  db: Database,
  elder: ElderDoc,
  date: string,
  now: Date,
): Promise<boolean> {
  const reminder: ReminderDoc = {
    _id: `${elder._id}_${date}`,
    elderId: elder._id,
    date,
    sentTo: elder.pairedOpenids,
    at: now,
  };
  try {
    await db.collection<ReminderDoc>(COLLECTIONS.visitReminders).add({ data: reminder });
    return true;
  } catch {
    return false;
  }
}

/** Remind the volunteers paired with an elder of the visit due. Messages sent. */
export async function remindPaired(elder: ElderDoc, status: VisitStatus): Promise<number> {
  const data = visitDueMessage(elder.name, describeDue(status));
  let sent = 0;
  for (const touser of elder.pairedOpenids) {
    const page = 'packages/visits/mine/index';
    if (await sendSubscribeMessage({ touser, templateId: VISIT_DUE_TEMPLATE_ID, page, data }, FROM))
      sent++;
  }
  return sent;
}
