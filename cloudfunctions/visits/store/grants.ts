import { URGENT_FLAG_TEMPLATE_ID } from '../../../src/domain/visits/flags';
import { COLLECTIONS, type Database, getOrNull } from '../../_shared';

/**
 * The app's tally of urgent-flag messages each secretary allowed and has not yet been sent.
 * WeChat keeps the real count (one message per "允许") and never tells it; this tally goes up
 * when the app records a "允许", down when a message is sent, and to zero when WeChat answers
 * 43101 (no grant left), so it never promises more than WeChat will deliver.
 */

interface GrantDoc {
  _id: string;
  openid: string;
  templateId: string;
  remaining: number;
  updatedAt: Date;
}

const grantId = (openid: string) => `${openid}.${URGENT_FLAG_TEMPLATE_ID}`;

export async function grantsLeft(db: Database, openid: string): Promise<number> {
  return (
    (await getOrNull<GrantDoc>(db, COLLECTIONS.subscribeGrants, grantId(openid)))?.remaining ?? 0
  );
}

/** One more message allowed; answers the new tally. */
export async function addGrant(db: Database, openid: string, now: Date): Promise<number> {
  const grants = db.collection<GrantDoc>(COLLECTIONS.subscribeGrants);
  const _id = grantId(openid);
  const bump = async () =>
    (await grants.where({ _id }).update({ data: { remaining: db.command.inc(1), updatedAt: now } }))
      .stats.updated === 1;
  if (!(await bump())) {
    const first = {
      _id,
      openid,
      templateId: URGENT_FLAG_TEMPLATE_ID,
      remaining: 1,
      updatedAt: now,
    };
    try {
      await grants.add({ data: first });
    } catch {
      // A second tap's record raced this one and created the document: count on it.
      if (!(await bump())) throw new Error(`could not record a grant for ${_id}`);
    }
  }
  return grantsLeft(db, openid);
}

/** A message was sent (one grant used), or WeChat said none is left (43101). */
export async function spendGrant(db: Database, openid: string, noneLeft: boolean, now: Date) {
  const _ = db.command;
  const grants = db.collection<GrantDoc>(COLLECTIONS.subscribeGrants);
  if (noneLeft)
    await grants.where({ _id: grantId(openid) }).update({ data: { remaining: 0, updatedAt: now } });
  else
    await grants
      .where({ _id: grantId(openid), remaining: _.gt(0) })
      .update({ data: { remaining: _.inc(-1), updatedAt: now } });
}
