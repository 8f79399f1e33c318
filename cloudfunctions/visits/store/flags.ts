import type { FlagStatus } from '../../../src/domain/visits/flags';
import { openFlagsAfterAcknowledge } from '../../../src/domain/visits/flags';
import { COLLECTIONS, type Database, getOrNull, readAll, transact } from '../../_shared';
import type { ElderDoc, FlagDoc } from '../docs';

/** Urgent flags raised from visits: the inbox, acknowledging one, raising open ones again. */

const FLAGS_PAGE = 100;

/** The newest flags (of one status, when asked). */
export async function latestFlags(db: Database, status?: FlagStatus): Promise<FlagDoc[]> {
  const flags = db.collection<FlagDoc>(COLLECTIONS.elderFlags);
  const query = status ? flags.where({ status }) : flags;
  return (await query.orderBy('raisedAt', 'desc').limit(FLAGS_PAGE).get()).data;
}

/** Open flags, for the secretary's badge. */
export async function openFlagCount(db: Database): Promise<number> {
  return (await db.collection<FlagDoc>(COLLECTIONS.elderFlags).where({ status: 'open' }).count())
    .total;
}

/**
 * Acknowledge a flag, and count it off the elder's open flags, in one transaction. Acknowledged
 * already (a retry, a copy that lost the race, or another secretary first): the acknowledgement
 * as recorded, unchanged. Null when there is no such flag.
 */
export async function acknowledgeFlag(
  db: Database,
  flagId: string,
  a: { openid: string; note: string; now: Date },
): Promise<{ flag: FlagDoc; changed: boolean } | null> {
  return transact(db, async (tx) => {
    const flag = await getOrNull<FlagDoc>(tx, COLLECTIONS.elderFlags, flagId);
    if (!flag) return null;
    if (flag.status === 'acknowledged') return { flag, changed: false };
    const elder = await getOrNull<ElderDoc>(tx, COLLECTIONS.elders, flag.elderId);
    const done = {
      status: 'acknowledged' as const,
      acknowledgedAt: a.now,
      acknowledgedBy: a.openid,
      acknowledgeNote: a.note,
    };
    await tx.collection<FlagDoc>(COLLECTIONS.elderFlags).doc(flagId).update({ data: done });
    if (elder)
      await tx
        .collection<ElderDoc>(COLLECTIONS.elders)
        .doc(flag.elderId)
        .update({ data: { openFlags: openFlagsAfterAcknowledge(elder.openFlags) } });
    return { flag: { ...flag, ...done }, changed: true };
  });
}

/** Open flags last raised at or before `cutoff`, by id. */
export async function flagsToReraise(db: Database, cutoff: Date): Promise<FlagDoc[]> {
  const _ = db.command;
  return readAll(
    db
      .collection<FlagDoc>(COLLECTIONS.elderFlags)
      .where({ status: 'open', lastRaisedAt: _.lte(cutoff) })
      .orderBy('_id', 'asc'),
    FLAGS_PAGE * 5,
  );
}

/** Count a flag raised again, conditional on the value read: two timer runs at once raise it once. */
export async function markReraised(db: Database, flag: FlagDoc, now: Date): Promise<boolean> {
  const _ = db.command;
  const moved = await db
    .collection<FlagDoc>(COLLECTIONS.elderFlags)
    .where({ _id: flag._id, status: 'open', raiseCount: flag.raiseCount })
    .update({ data: { lastRaisedAt: now, raiseCount: _.inc(1) } });
  return moved.stats.updated === 1;
}
