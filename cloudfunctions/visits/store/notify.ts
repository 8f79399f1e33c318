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
} from '../../_shared';
import type { ElderDoc, FlagDoc, ReminderDoc } from '../docs';
import { secretaryOpenids } from './names';

/** Subscribe messages of the visits function (best effort), and the reminders' once-a-day record. */

const FROM = 'visits';

/** Notify every secretary of an urgent flag; the flag stays open in the inbox regardless. Messages sent. */
export async function raiseFlag(
  db: Database,
  flag: Pick<FlagDoc, 'elderName' | 'note' | 'lastRaisedAt' | 'raiseCount'>,
): Promise<number> {
  const when = inShanghai(flag.lastRaisedAt).format('YYYY年M月D日 HH:mm');
  const data = urgentFlagMessage(flag.elderName, flag.note, when, flag.raiseCount);
  let sent = 0;
  for (const touser of await secretaryOpenids(db, secretariesFromEnv())) {
    const page = 'packages/visits/flags/index';
    if (
      await sendSubscribeMessage({ touser, templateId: URGENT_FLAG_TEMPLATE_ID, page, data }, FROM)
    )
      sent++;
  }
  return sent;
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
