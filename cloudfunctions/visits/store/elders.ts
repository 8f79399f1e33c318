import type { ElderRecord } from '../../../src/domain/contract/visits';
import { elderRecordScope, personLabel } from '../../../src/domain/visits/access';
import type { CadenceConfig } from '../../../src/domain/visits/cadence';
import type { ElderDraft } from '../../../src/domain/visits/elder';
import { consentRenewed } from '../../../src/domain/visits/roster';
import {
  COLLECTIONS,
  type Database,
  type HandlerContext,
  getOrNull,
  isDuplicateKey,
  readAll,
  transact,
} from '../../_shared';
import {
  type ElderDoc,
  type PairingDoc,
  type VisitDoc,
  elderRecordView,
  elderStatus,
  listItem,
  pairingView,
  visitView,
} from '../docs';
import { maskedNames, nameOr } from './names';
import { pairId } from './pairings';
import { REQUESTS_KEPT, hasRequest } from './requests';

/** The elder roster: reads of the elders, and the changes the secretary makes to it. */

const RECENT_VISITS = 10;
const PAIRINGS_SHOWN = 20;

export async function loadElder(db: Database, elderId: string): Promise<ElderDoc | null> {
  return getOrNull<ElderDoc>(db, COLLECTIONS.elders, elderId);
}

/** Every elder on the active roster (with the archived ones when asked), by id. */
export async function activeElders(db: Database, includeArchived = false): Promise<ElderDoc[]> {
  const elders = db.collection<ElderDoc>(COLLECTIONS.elders);
  const query = includeArchived ? elders : elders.where({ status: 'active' });
  return readAll(query.orderBy('_id', 'asc'));
}

/** The active elders a volunteer is paired with. */
export async function pairedElders(db: Database, openid: string): Promise<ElderDoc[]> {
  return readAll(
    db
      .collection<ElderDoc>(COLLECTIONS.elders)
      .where({ pairedOpenids: openid, status: 'active' })
      .orderBy('_id', 'asc'),
    200,
  );
}

/** The masked names of the volunteers paired with an elder. */
export function pairedNames(doc: ElderDoc, names: ReadonlyMap<string, string>): string[] {
  return doc.pairedOpenids.map((o) => nameOr(names, o));
}

/** The full record as the caller may see it: a secretary every pairing and visit, a volunteer their own. */
export async function loadElderRecord(
  ctx: Pick<HandlerContext, 'db' | 'role' | 'openid' | 'now'>,
  doc: ElderDoc,
  cadence: CadenceConfig,
): Promise<ElderRecord> {
  const { db } = ctx;
  const all = elderRecordScope(ctx.role) === 'all';
  const pairings = (
    await db
      .collection<PairingDoc>(COLLECTIONS.elderPairings)
      .where(all ? { elderId: doc._id } : { elderId: doc._id, openid: ctx.openid })
      .orderBy('pairedAt', 'desc')
      .limit(PAIRINGS_SHOWN)
      .get()
  ).data;
  const visits = (
    await db
      .collection<VisitDoc>(COLLECTIONS.elderVisits)
      .where(all ? { elderId: doc._id } : { elderId: doc._id, _openid: ctx.openid })
      .orderBy('endAt', 'desc')
      .limit(RECENT_VISITS)
      .get()
  ).data;
  const names = await maskedNames(db, [
    ...pairings.map((p) => p.openid),
    ...visits.map((v) => v._openid),
    ...doc.pairedOpenids,
  ]);
  const list = listItem(
    doc,
    elderStatus(doc, ctx.now, cadence),
    all ? pairedNames(doc, names) : [],
  );
  return elderRecordView(
    doc,
    list,
    pairings.map((p) => pairingView(p, nameOr(names, p.openid))),
    visits.map((v) => visitView(v, personLabel(v._openid, ctx.openid, nameOr(names, v._openid)))),
  );
}

/** A change to an elder's record, as the secretary sends it. */
export interface ElderChange {
  key: string;
  fields: Omit<ElderDraft, 'consent'>;
  consent: ElderDraft['consent'];
  flaggedChange: boolean;
  openid: string;
  now: Date;
}

/**
 * Change an active elder where this request is not yet recorded, its key pushed with the change:
 * of racing copies one changes ('updated'); a copy that lost finds its key ('recorded'); an
 * archive that came in between is not written over ('archived').
 */
export async function updateElder(
  db: Database,
  existing: ElderDoc,
  c: ElderChange,
): Promise<'updated' | 'recorded' | 'archived'> {
  const _ = db.command;
  const { stats } = await db
    .collection<ElderDoc>(COLLECTIONS.elders)
    .where({ _id: existing._id, status: 'active', requests: _.neq(c.key) })
    .update({
      data: {
        requests: _.push({ each: [c.key], slice: -REQUESTS_KEPT }),
        ...c.fields,
        consentVersion: c.consent.version,
        consentBy: c.consent.by,
        ...(consentRenewed(existing, c.consent) ? { consentAt: c.now } : {}),
        ...(c.flaggedChange ? { flaggedChangeAt: c.now } : {}),
        updatedAt: c.now,
        updatedBy: c.openid,
      },
    });
  if (stats.updated === 1) return 'updated';
  return hasRequest(await loadElder(db, existing._id), c.key) ? 'recorded' : 'archived';
}

/** Add an elder under `id` (it follows from the request): false when the same submission added it already. */
export async function addElder(
  db: Database,
  id: string,
  c: Omit<ElderChange, 'key'>,
): Promise<boolean> {
  const doc: Omit<ElderDoc, '_id'> = {
    _openid: c.openid,
    ...c.fields,
    consentVersion: c.consent.version,
    consentBy: c.consent.by,
    consentAt: c.now,
    status: 'active',
    pairedOpenids: [],
    addedAt: c.now,
    lastContactAt: null,
    notAtHomeAt: null,
    flaggedChangeAt: c.flaggedChange ? c.now : null,
    lastVisitAt: null,
    lastOutcome: null,
    openFlags: 0,
  };
  try {
    await db.collection<ElderDoc>(COLLECTIONS.elders).add({ data: { _id: id, ...doc } });
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return false;
  }
}

/**
 * Take an elder off the roster, ending every pairing, in one transaction. False when the elder is
 * gone or archived already (a retry, or a copy that lost the race): only the one that archived
 * logs it.
 */
export async function archiveElder(
  db: Database,
  elderId: string,
  a: { reason: string; openid: string; now: Date },
): Promise<boolean> {
  return transact(db, async (tx) => {
    const elder = await getOrNull<ElderDoc>(tx, COLLECTIONS.elders, elderId);
    if (!elder || elder.status === 'archived') return false;
    for (const openid of elder.pairedOpenids) {
      await tx
        .collection<PairingDoc>(COLLECTIONS.elderPairings)
        .doc(pairId(elderId, openid))
        .update({ data: { active: false, endedAt: a.now } });
    }
    await tx
      .collection<ElderDoc>(COLLECTIONS.elders)
      .doc(elderId)
      .update({
        data: {
          status: 'archived',
          archivedReason: a.reason,
          pairedOpenids: [],
          updatedAt: a.now,
          updatedBy: a.openid,
        },
      });
    return true;
  });
}
