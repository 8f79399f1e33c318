import type { VisitLog } from '../../../src/domain/visits/visit-log';
import {
  VISIT_SERVICE_TITLE,
  applyVisit,
  serviceConfirmRefusal,
  visitMinutes,
  visitServiceId,
} from '../../../src/domain/visits/visit-log';
import { ledgerKey } from '../../../src/domain/volunteer/ledger';
import { shanghaiDate } from '../../../src/domain/shared/time';
import { COLLECTIONS, type Database, type Transaction, getOrNull, transact } from '../../_shared';
import {
  type ServiceRecordDoc,
  appendConfirmation,
  appendEntries,
  confirmationKeys,
  hasEntry,
} from '../../_shared/ledger';
import type { PostDoc } from '../../_shared/volunteering';
import type { ElderDoc, FlagDoc, VisitDoc } from '../docs';

/** Visits as logged, the service records they become, and the secretary's confirmation of them. */

const PENDING_SHOWN = 100;

export async function loadVisit(db: Database, visitId: string): Promise<VisitDoc | null> {
  return getOrNull<VisitDoc>(db, COLLECTIONS.elderVisits, visitId);
}

/** A visit as first stored: its service record is closed (to confirm) when it lasted a minute. */
export function newVisitDoc(log: VisitLog, openid: string, now: Date): VisitDoc {
  const minutes = visitMinutes(log);
  return {
    _id: log.visitId,
    _openid: openid,
    elderId: log.elderId,
    startAt: new Date(log.startAt),
    endAt: new Date(log.endAt),
    minutes,
    outcome: log.outcome,
    checklist: log.checklist,
    notes: log.notes,
    photo: log.photo,
    urgent: log.urgent,
    urgentNote: log.urgent ? log.urgentNote : '',
    serviceId: visitServiceId(log.visitId, minutes),
    serviceStatus: minutes > 0 ? 'closed' : 'none',
    receivedAt: now,
  };
}

/** The urgent flag an urgent visit raises, open, raised once. */
export function newFlagDoc(visit: VisitDoc, elderName: string, now: Date): FlagDoc {
  return {
    _id: `flag_${visit._id}`,
    _openid: visit._openid,
    elderId: visit.elderId,
    elderName,
    visitId: visit._id,
    note: visit.urgentNote,
    raisedAt: now,
    lastRaisedAt: now,
    raiseCount: 1,
    status: 'open',
  };
}

/** The visit's service record and its ledger entry (the minutes, to be confirmed). */
async function addVisitService(
  tx: Transaction,
  db: Database,
  visit: VisitDoc,
  postId: string | null,
): Promise<void> {
  const { _openid: openid, serviceId, startAt, endAt, minutes } = visit;
  const date = shanghaiDate(startAt);
  const service: Omit<ServiceRecordDoc, '_id'> = {
    ...{ _openid: openid, openid, postId: postId ?? 'visits', listId: '' },
    // A visit is its own service record: one per visit, not one per claim and day.
    ...{ claimId: serviceId, postTitle: VISIT_SERVICE_TITLE, date, status: 'closed' },
    ...{ checkInAt: startAt, checkOutAt: endAt, minutes, flagged: visit.urgent },
  };
  await tx
    .collection<ServiceRecordDoc>(COLLECTIONS.serviceRecords)
    .doc(serviceId)
    .set({ data: service });
  await appendEntries(tx, db, openid, [
    {
      key: ledgerKey('visit', openid, visit._id),
      entry: {
        ...{ type: 'service', actor: openid, subject: openid, postId: service.postId },
        ...{ postTitle: VISIT_SERVICE_TITLE, serviceId, serviceDate: date, minutes, points: 0 },
      },
    },
  ]);
}

export type Stored = { kind: 'stored' | 'replayed'; doc: VisitDoc } | { kind: 'gone' };

/**
 * Store a visit once, in one transaction: the visit, the elder's summary facts (each only moves
 * forward), the urgent flag, and the service record with its ledger entry. The same visit id
 * stored already (a resend, or a copy that won the race) answers 'replayed' with what was
 * stored; an elder gone or archived meanwhile is 'gone'.
 */
export async function storeVisit(
  db: Database,
  visit: VisitDoc,
  flag: FlagDoc | null,
  postId: string | null,
): Promise<Stored> {
  const run = () =>
    transact(db, async (tx): Promise<Stored> => {
      const again = await getOrNull<VisitDoc>(tx, COLLECTIONS.elderVisits, visit._id);
      if (again) return { kind: 'replayed', doc: again };
      const e = await getOrNull<ElderDoc>(tx, COLLECTIONS.elders, visit.elderId);
      if (!e || e.status !== 'active') return { kind: 'gone' };
      const { lastContactAt, notAtHomeAt, flaggedChangeAt, lastVisitAt, lastOutcome } = e;
      const before = { lastContactAt, notAtHomeAt, flaggedChangeAt, lastVisitAt, lastOutcome };
      const facts = applyVisit(before, visit);
      await tx
        .collection<ElderDoc>(COLLECTIONS.elders)
        .doc(visit.elderId)
        .update({ data: { ...facts, openFlags: e.openFlags + (flag ? 1 : 0) } });
      const { _id, ...visitData } = visit;
      await tx.collection<VisitDoc>(COLLECTIONS.elderVisits).doc(_id).set({ data: visitData });
      if (flag) {
        const { _id: flagId, ...flagData } = flag;
        await tx.collection<FlagDoc>(COLLECTIONS.elderFlags).doc(flagId).set({ data: flagData });
      }
      if (visit.minutes > 0) await addVisitService(tx, db, visit, postId);
      return { kind: 'stored', doc: visit };
    });
  try {
    return await run();
  } catch (error) {
    // A concurrent send of the same visit may have won the race to the same document ids.
    const raced = await loadVisit(db, visit._id);
    if (raced && raced._openid === visit._openid) return { kind: 'replayed', doc: raced };
    throw error;
  }
}

/** Visits whose service time is not yet confirmed, newest first. */
export async function pendingVisits(db: Database): Promise<VisitDoc[]> {
  return (
    await db
      .collection<VisitDoc>(COLLECTIONS.elderVisits)
      .where({ serviceStatus: 'closed' })
      .orderBy('endAt', 'desc')
      .limit(PENDING_SHOWN)
      .get()
  ).data;
}

/**
 * Confirm one visit's service time, in one transaction: the service record and the visit marked
 * confirmed, and the ledger's confirm entry with the post's points (_shared/ledger:
 * appendConfirmation, as volunteer confirms posts). A retry of the same request is 'replayed'.
 */
export async function confirmVisit(
  db: Database,
  c: { secretary: string; clientRequestId: string; visit: VisitDoc; post: PostDoc | null },
  now: Date,
): Promise<'confirmed' | 'replayed' | 'SERVICE_NOT_FOUND' | 'ALREADY_CONFIRMED'> {
  const { secretary, clientRequestId, visit } = c;
  const part = visit._id;
  return transact(db, async (tx) => {
    if (await hasEntry(tx, confirmationKeys({ secretary, clientRequestId, part }).confirm))
      return 'replayed' as const;
    const services = tx.collection<ServiceRecordDoc>(COLLECTIONS.serviceRecords);
    const service = (await services.doc(visit.serviceId).get()).data;
    const refusal = serviceConfirmRefusal(service);
    if (refusal || !service) return refusal ?? 'SERVICE_NOT_FOUND';
    await services
      .doc(visit.serviceId)
      .update({ data: { status: 'confirmed', confirmedAt: now, confirmedBy: secretary } });
    await tx
      .collection<VisitDoc>(COLLECTIONS.elderVisits)
      .doc(visit._id)
      .update({ data: { serviceStatus: 'confirmed' } });
    await appendConfirmation(tx, db, {
      ...{ secretary, clientRequestId, part, subject: visit._openid, serviceId: service._id },
      ...{ serviceDate: service.date, minutes: service.minutes, points: c.post?.points ?? 0 },
      ...{ postTitle: VISIT_SERVICE_TITLE, postId: service.postId },
    });
    return 'confirmed' as const;
  });
}
