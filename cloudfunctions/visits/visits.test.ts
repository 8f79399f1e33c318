import { COLLECTIONS } from '../_shared/collections';
import { grantSubscription } from '../../local/runtime/openapi';
import type {
  AccessEntry,
  ElderListItem,
  ElderRecord,
  Flag,
  PendingService,
  VisitStatusView,
  VisitView,
} from '../../src/domain/contract/visits';
import type { CoverageSummary } from '../../src/domain/visits/coverage';
import { URGENT_FLAG_TEMPLATE_ID } from '../../src/domain/visits/flags';
import { summarize } from '../../src/domain/volunteer/ledger';
import { shanghaiDate, shanghaiInstant } from '../../src/domain/shared/time';
import { visitInstants } from '../../src/domain/visits/visit-log';
import { type CadenceConfig, addCalendarDays } from '../../src/domain/visits/cadence';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import type { BalanceDoc, LedgerDoc, ServiceDoc } from '../volunteer/docs';
import { type AccessLogDoc, type ElderDoc } from './docs';
import { remindDue } from './index';
import { aRegistration, aVisit, anElderDraft, useFixedClock } from './fixtures';
import { rid } from '../volunteer/fixtures';

const SECRETARY = 'secretary-visits';
const LI = 'volunteer-li';
const ZHANG = 'volunteer-zhang';
const RESIDENT = 'resident-wang';

let cloud: TestCloud;
beforeEach(async () => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  expectOk(await cloud.call('volunteer', 'register', aRegistration('李四', '13800001111'), LI));
  expectOk(await cloud.call('volunteer', 'register', aRegistration('张三', '13800004444'), ZHANG));
});
afterEach(() => cloud.close());

/** Actions that take a client request id: each call here is a new request unless it names one. */
const WITH_REQUEST_ID = new Set(['pair', 'unpair', 'saveSettings']);
const visits = (action: string, input: unknown, openid: string | null) =>
  cloud.call(
    'visits',
    action,
    WITH_REQUEST_ID.has(action) &&
      typeof input === 'object' &&
      input !== null &&
      !('clientRequestId' in input)
      ? { ...input, clientRequestId: rid() }
      : input,
    openid,
  );

async function addElder(overrides: Record<string, unknown> = {}): Promise<ElderRecord> {
  return expectOk<ElderRecord>(
    await visits(
      'saveElder',
      { clientRequestId: rid(), draft: anElderDraft(overrides) },
      SECRETARY,
    ),
  );
}

async function addPairedElder(
  overrides: Record<string, unknown> = {},
  volunteer = LI,
): Promise<ElderRecord> {
  const elder = await addElder(overrides);
  expectOk(await visits('pair', { elderId: elder.id, openid: volunteer }, SECRETARY));
  return elder;
}

const ALL = [
  COLLECTIONS.elders,
  COLLECTIONS.elderPairings,
  COLLECTIONS.elderVisits,
  COLLECTIONS.elderFlags,
  COLLECTIONS.elderAccessLog,
  COLLECTIONS.visitSettings,
  COLLECTIONS.visitReminders,
  'ledger',
  'volunteer_balances',
  'volunteer_services',
  'outbox',
];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of ALL) out[c] = await cloud.count(c);
  return out;
}

async function refusals(): Promise<AccessLogDoc[]> {
  return (
    await cloud.db
      .collection<AccessLogDoc>('elder_access_log')
      .where({ action: 'refused' })
      .limit(100)
      .get()
  ).data;
}

describe('roster', () => {
  it('keeps the full record for the secretary, masks phone and address in the list, and logs every view and change', async () => {
    const elder = await addElder();
    expect(elder).toMatchObject({
      name: '赵奶奶',
      phone: '13800002222',
      address: '3栋2单元301室',
      status: { state: 'due', reason: 'first-visit' },
    });
    const roster = expectOk<{ elders: ElderListItem[] }>(await visits('roster', {}, SECRETARY));
    expect(roster.elders).toEqual([
      expect.objectContaining({ id: elder.id, maskedPhone: '138****2222', maskedAddress: '3栋**' }),
    ]);
    expect(JSON.stringify(roster)).not.toContain('13800002222');
    expect(JSON.stringify(roster)).not.toContain('301');
    expectOk(
      await visits(
        'saveElder',
        { clientRequestId: rid(), elderId: elder.id, draft: anElderDraft({ riskLevel: 'key' }) },
        SECRETARY,
      ),
    );
    expectOk(await visits('elder', { elderId: elder.id }, SECRETARY));
    const log = expectOk<{ entries: AccessEntry[] }>(
      await visits('accessLog', { elderId: elder.id }, SECRETARY),
    );
    expect(log.entries.map((e) => e.action)).toEqual(['view', 'update', 'create']);
    expect(log.entries[1].detail).toContain('riskLevel');
    expect(log.entries.every((e) => e.actor === SECRETARY && e.at)).toBe(true);
  });

  it('refuses entries without consent to the stated purpose, or malformed, writing nothing', async () => {
    const before = await counts();
    for (const draft of [
      anElderDraft({ consent: { version: 'old', by: 'elder' } }),
      anElderDraft({ emergencyContacts: [] }),
      anElderDraft({ phone: '110' }),
      anElderDraft({ riskLevel: 'urgent' }),
      { ...anElderDraft(), ssn: '1' },
    ]) {
      expect(await visits('saveElder', { clientRequestId: rid(), draft }, SECRETARY)).toMatchObject(
        {
          ok: false,
          code: 'INVALID_INPUT',
        },
      );
    }
    expect(
      await visits(
        'saveElder',
        {
          clientRequestId: rid(),
          draft: anElderDraft({ consent: { version: 'old', by: 'elder' } }),
        },
        SECRETARY,
      ),
    ).toMatchObject({ message: '请先向老人说明收集目的并取得同意' });
    expect(await counts()).toEqual(before);
  });

  it('archives: the elder leaves lists and pairings end', async () => {
    const elder = await addPairedElder();
    expectOk(await visits('archiveElder', { elderId: elder.id, reason: '搬去女儿家' }, SECRETARY));
    expect(expectOk<{ elders: ElderListItem[] }>(await visits('myElders', {}, LI)).elders).toEqual(
      [],
    );
    expect(
      expectOk<{ elders: ElderListItem[] }>(await visits('roster', {}, SECRETARY)).elders,
    ).toEqual([]);
    expect(await visits('elder', { elderId: elder.id }, LI)).toMatchObject({
      ok: false,
      code: 'ELDER_NOT_FOUND',
    });
  });
});

describe('who may see an elder', () => {
  // A fixed clock: the answers' timestamps never happen to contain the digits the tests look for.
  beforeEach(() => useFixedClock());
  afterEach(() => jest.useRealTimers());

  it('gives a resident and an unpaired volunteer nothing — not in a list, not by id, not by guessing — and records each refusal', async () => {
    const elder = await addPairedElder();
    const answers = [
      await visits('roster', {}, RESIDENT),
      await visits('coverage', {}, RESIDENT),
      await visits('flags', {}, ZHANG),
      await visits('accessLog', {}, ZHANG),
      await visits(
        'saveElder',
        { clientRequestId: rid(), elderId: elder.id, draft: anElderDraft() },
        ZHANG,
      ),
      await visits('pair', { elderId: elder.id, openid: ZHANG }, ZHANG),
    ];
    for (const a of answers) expect(a).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const byId = await visits('elder', { elderId: elder.id }, RESIDENT);
    const unpaired = await visits('elder', { elderId: elder.id }, ZHANG);
    const guessed = await visits('elder', { elderId: 'elder_AAAAAAAAAAAA' }, ZHANG);
    expect(byId).toEqual(guessed);
    expect(unpaired).toEqual(guessed);
    expect(guessed).toMatchObject({ ok: false, code: 'ELDER_NOT_FOUND' });
    const log = await visits('log', aVisit(elder.id), ZHANG);
    expect(log).toMatchObject({ ok: false, code: 'ELDER_NOT_FOUND' });
    const mine = expectOk<{ elders: ElderListItem[] }>(await visits('myElders', {}, ZHANG));
    const residentMine = expectOk<{ elders: ElderListItem[] }>(
      await visits('myElders', {}, RESIDENT),
    );
    expect(mine.elders).toEqual([]);
    expect(residentMine.elders).toEqual([]);
    for (const a of [...answers, byId, unpaired, guessed, log, mine, residentMine]) {
      expect(JSON.stringify(a)).not.toMatch(/赵奶奶|13800002222|赵小明/);
    }
    expect(await cloud.count('elder_visits')).toBe(0);
    const refused = await refusals();
    expect(refused).toHaveLength(answers.length + 4);
    expect(
      refused
        .filter((r) => r.elderId === elder.id)
        .map((r) => r._openid)
        .sort(),
    ).toEqual([RESIDENT, ZHANG, ZHANG].sort());
    expect(refused.every((r) => r.elderName === null)).toBe(true);
  });

  it('a volunteer paired with one elder: myElders and the roster never carry another elder, nor any unmasked phone or address; full data only via elder, logged', async () => {
    const theirs = await addPairedElder(
      {
        name: '赵奶奶',
        phone: '13800002222',
        room: '301',
        emergencyContacts: [{ name: '赵小明', relation: '儿子', phone: '13900003333' }],
      },
      LI,
    );
    const mine = await addPairedElder(
      {
        name: '钱爷爷',
        building: '5',
        unit: '1',
        room: '602',
        phone: '13800005555',
        emergencyContacts: [{ name: '钱小红', relation: '女儿', phone: '13900006666' }],
      },
      ZHANG,
    );
    const NOT_MINE = /赵奶奶|13800002222|13900003333|赵小明|301/;
    const MINE_UNMASKED = /13800005555|13900006666|钱小红|602|5栋1单元/;

    const list = expectOk<{ elders: ElderListItem[] }>(await visits('myElders', {}, ZHANG));
    expect(list.elders.map((e) => e.id)).toEqual([mine.id]);
    expect(list.elders[0]).toMatchObject({
      name: '钱爷爷',
      maskedPhone: '138****5555',
      maskedAddress: '5栋**',
      volunteers: [],
    });
    expect(JSON.stringify(list)).not.toMatch(NOT_MINE);
    expect(JSON.stringify(list)).not.toMatch(MINE_UNMASKED);
    for (const action of ['roster', 'coverage']) {
      const answer = await visits(action, {}, ZHANG);
      expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(JSON.stringify(answer)).not.toMatch(NOT_MINE);
      expect(JSON.stringify(answer)).not.toMatch(MINE_UNMASKED);
    }
    const refusedBefore = (await refusals()).length;
    const other = await visits('elder', { elderId: theirs.id }, ZHANG);
    expect(other).toMatchObject({ ok: false, code: 'ELDER_NOT_FOUND' });
    expect(JSON.stringify(other)).not.toMatch(NOT_MINE);
    expect((await refusals()).length).toBe(refusedBefore + 1);

    const viewsBefore = (
      await cloud.db
        .collection<AccessLogDoc>('elder_access_log')
        .where({ action: 'view', _openid: ZHANG })
        .get()
    ).data;
    expect(viewsBefore).toEqual([]);
    const record = expectOk<ElderRecord>(await visits('elder', { elderId: mine.id }, ZHANG));
    expect(record).toMatchObject({
      phone: '13800005555',
      address: '5栋1单元602室',
      emergencyContacts: [{ name: '钱小红', phone: '13900006666' }],
    });
    expect(JSON.stringify(record)).not.toMatch(NOT_MINE);
    const views = (
      await cloud.db
        .collection<AccessLogDoc>('elder_access_log')
        .where({ action: 'view', _openid: ZHANG })
        .get()
    ).data;
    expect(views).toEqual([
      expect.objectContaining({ elderId: mine.id, elderName: '钱爷爷', actorRole: 'volunteer' }),
    ]);
  });

  it('shows a paired volunteer the full record with only their own visits, and logs the view', async () => {
    const elder = await addPairedElder();
    expectOk(await visits('pair', { elderId: elder.id, openid: ZHANG }, SECRETARY));
    expectOk(await visits('log', aVisit(elder.id), ZHANG));
    const record = expectOk<ElderRecord>(await visits('elder', { elderId: elder.id }, LI));
    expect(record).toMatchObject({
      phone: '13800002222',
      emergencyContacts: [{ name: '赵小明' }],
      recentVisits: [],
    });
    expect(record.pairings.map((p) => p.openid)).toEqual([LI]);
    const views = (
      await cloud.db
        .collection<AccessLogDoc>('elder_access_log')
        .where({ action: 'view', _openid: LI })
        .get()
    ).data;
    expect(views).toHaveLength(1);
    // Unpaired: the door closes again.
    expectOk(await visits('unpair', { elderId: elder.id, openid: LI }, SECRETARY));
    expect(await visits('elder', { elderId: elder.id }, LI)).toMatchObject({
      ok: false,
      code: 'ELDER_NOT_FOUND',
    });
  });
});

describe('pairing', () => {
  it('pairs from a claim on a visiting post and refuses non-volunteers and second pairings', async () => {
    const list = expectOk<{ id: string }>(
      await cloud.call(
        'volunteer',
        'saveList',
        {
          clientRequestId: rid(),
          draft: {
            title: '本周机会岗位清单',
            periodFrom: shanghaiDate(new Date()),
            periodUntil: addCalendarDays(shanghaiDate(new Date()), 13),
            categories: [{ id: 'care', name: '关爱老人' }],
            posts: [
              {
                categoryId: 'care',
                title: '关爱老人日常探访',
                description: '每周上门看望独居老人',
                schedule: {
                  kind: 'once',
                  date: addCalendarDays(shanghaiDate(new Date()), 3),
                  start: 540,
                  end: 660,
                },
                capacity: 5,
                points: 10,
                requirements: { partyMemberOnly: false, note: '' },
                location: { place: '光华社区' },
              },
            ],
          },
        },
        SECRETARY,
      ),
    );
    expectOk(await cloud.call('volunteer', 'publishList', { listId: list.id }, SECRETARY));
    const posts = expectOk<{ posts: Array<{ id: string }> }>(
      await cloud.call('volunteer', 'listPosts', { listId: list.id }, LI),
    ).posts;
    expectOk(
      await cloud.call(
        'volunteer',
        'claim',
        { postId: posts[0].id, clientRequestId: 'req-claim-0001' },
        LI,
      ),
    );
    const candidates = expectOk<
      Array<{ openid: string; claimId: string | null; maskedName: string }>
    >(await visits('pairCandidates', {}, SECRETARY));
    expect(candidates[0]).toMatchObject({ openid: LI, maskedName: '李*' });
    expect(candidates[0].claimId).toBeTruthy();
    const elder = await addElder();
    expectOk(
      await visits(
        'pair',
        { elderId: elder.id, openid: LI, claimId: candidates[0].claimId },
        SECRETARY,
      ),
    );
    expect(await visits('pair', { elderId: elder.id, openid: LI }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'ALREADY_PAIRED',
    });
    expect(await visits('pair', { elderId: elder.id, openid: RESIDENT }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'NOT_VOLUNTEER',
    });
    expect(
      await visits(
        'pair',
        { elderId: elder.id, openid: ZHANG, claimId: candidates[0].claimId },
        SECRETARY,
      ),
    ).toMatchObject({ ok: false, code: 'CLAIM_NOT_FOUND' });
    // Confirming the visit awards the post's points, like any confirmed service on it.
    const v = expectOk<{ visit: VisitView }>(await visits('log', aVisit(elder.id, {}, 60), LI));
    expectOk(
      await visits(
        'confirmVisits',
        { clientRequestId: 'req-confirm-01', visitIds: [v.visit.id] },
        SECRETARY,
      ),
    );
    const balance = (await cloud.db.collection<BalanceDoc>('volunteer_balances').doc(LI).get())
      .data;
    expect(balance).toMatchObject({ points: 10, confirmedMinutes: 60 });
  });
});

describe('logging a visit', () => {
  it('stores a visit once however often it is sent, and its time becomes a volunteer service to confirm', async () => {
    const elder = await addPairedElder();
    const visit = aVisit(elder.id, {}, 45);
    const first = expectOk<{ visit: VisitView; status: VisitStatusView; replayed: boolean }>(
      await visits('log', visit, LI),
    );
    expect(first).toMatchObject({
      replayed: false,
      visit: { minutes: 45, serviceStatus: 'closed' },
      status: { state: 'visited', reason: 'cadence' },
    });
    const after = await counts();
    const again = expectOk<{ replayed: boolean; visit: VisitView }>(await visits('log', visit, LI));
    expect(again).toMatchObject({ replayed: true, visit: { id: visit.visitId } });
    expect(await counts()).toEqual(after);

    const ledger = (await cloud.db.collection<LedgerDoc>('ledger').where({ subject: LI }).get())
      .data;
    expect(ledger).toEqual([
      expect.objectContaining({ type: 'service', minutes: 45, postTitle: '关爱老人日常探访' }),
    ]);
    const service = (
      await cloud.db
        .collection<ServiceDoc>('volunteer_services')
        .doc(`visit_${visit.visitId}`)
        .get()
    ).data;
    expect(service).toMatchObject({ status: 'closed', minutes: 45, openid: LI });
    // The volunteer sees it among their services, like any other.
    const me = expectOk<{ services: Array<{ id: string; status: string }> }>(
      await cloud.call('volunteer', 'me', {}, LI),
    );
    expect(me.services.map((s) => s.id)).toContain(`visit_${visit.visitId}`);

    const pending = expectOk<PendingService[]>(await visits('pendingServices', {}, SECRETARY));
    expect(pending).toEqual([
      expect.objectContaining({
        visitId: visit.visitId,
        minutes: 45,
        volunteer: '李*',
        elderName: '赵奶奶',
      }),
    ]);
    expect(
      expectOk(
        await visits(
          'confirmVisits',
          { clientRequestId: 'req-confirm-02', visitIds: [visit.visitId] },
          SECRETARY,
        ),
      ),
    ).toEqual({ confirmed: 1, replayed: 0, skipped: [] });
    expect(
      expectOk(
        await visits(
          'confirmVisits',
          { clientRequestId: 'req-confirm-02', visitIds: [visit.visitId] },
          SECRETARY,
        ),
      ),
    ).toEqual({ confirmed: 0, replayed: 1, skipped: [] });
    expect(
      expectOk(
        await visits(
          'confirmVisits',
          { clientRequestId: 'req-confirm-03', visitIds: [visit.visitId] },
          SECRETARY,
        ),
      ),
    ).toMatchObject({ confirmed: 0, skipped: [{ code: 'ALREADY_CONFIRMED' }] });
    const entries = (await cloud.db.collection<LedgerDoc>('ledger').where({ subject: LI }).get())
      .data;
    const cached = (await cloud.db.collection<BalanceDoc>('volunteer_balances').doc(LI).get()).data;
    expect(summarize(entries)).toMatchObject({ confirmedMinutes: 45, confirmedServices: 1 });
    expect(cached).toMatchObject(summarize(entries));
    const ledgerView = expectOk<{ summary: { confirmedMinutes: number } }>(
      await cloud.call('volunteer', 'ledger', {}, LI),
    );
    expect(ledgerView.summary.confirmedMinutes).toBe(45);
  });

  it('refuses malformed or impossible visits with a clear code, writing nothing', async () => {
    const elder = await addPairedElder();
    const before = await counts();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ outcome: 'maybe' }, 'INVALID_INPUT'],
      [{ visitId: 'x' }, 'INVALID_INPUT'],
      [{ endAt: new Date(Date.now() - 3 * 3600_000).toISOString() }, 'INVALID_INPUT'],
      [{ urgent: true }, 'INVALID_INPUT'],
      [{ checklist: { health: 'ok' } }, 'INVALID_INPUT'],
      [{ elderId: '../elders' }, 'INVALID_INPUT'],
      [
        {
          startAt: new Date(Date.now() + 3600_000).toISOString(),
          endAt: new Date(Date.now() + 7200_000).toISOString(),
        },
        'VISIT_IN_FUTURE',
      ],
      [
        {
          startAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
          endAt: new Date(Date.now() - 40 * 86_400_000 + 3600_000).toISOString(),
        },
        'VISIT_TOO_OLD',
      ],
    ];
    for (const [overrides, code] of bad) {
      const r = await visits('log', aVisit(elder.id, overrides), LI);
      expect(r).toMatchObject({ ok: false, code });
      if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await visits('log', 'not an object', LI)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await counts()).toEqual(before);
  });

  it('at 00:30 Shanghai takes a visit from 23:00 the evening before, dated that evening; the same times dated today are refused, writing nothing', async () => {
    useFixedClock(shanghaiInstant('2025-03-02', 30));
    try {
      const elder = await addPairedElder();
      const before = await counts();
      const today = await visits(
        'log',
        aVisit(elder.id, visitInstants('2025-03-02', 23 * 60, 23 * 60 + 40)),
        LI,
      );
      expect(today).toMatchObject({ ok: false, code: 'VISIT_IN_FUTURE' });
      expect(await counts()).toEqual(before);
      const visit = aVisit(elder.id, visitInstants('2025-03-01', 23 * 60, 23 * 60 + 40));
      const r = expectOk<{ visit: VisitView; status: VisitStatusView }>(
        await visits('log', visit, LI),
      );
      expect(r.visit).toMatchObject({ startAt: '2025-03-01T15:00:00.000Z', minutes: 40 });
      expect(r.status).toMatchObject({ state: 'visited', dueDate: '2025-03-08' });
      const service = (
        await cloud.db
          .collection<ServiceDoc>('volunteer_services')
          .doc(`visit_${visit.visitId}`)
          .get()
      ).data;
      expect(service).toMatchObject({ date: '2025-03-01' });
      // The oldest a visit may arrive: 30 Shanghai calendar days back (2025-01-31), not a day more.
      expectOk(await visits('log', aVisit(elder.id, visitInstants('2025-01-31', 0, 30)), LI));
      expect(
        await visits(
          'log',
          aVisit(elder.id, visitInstants('2025-01-30', 23 * 60, 23 * 60 + 59)),
          LI,
        ),
      ).toMatchObject({ ok: false, code: 'VISIT_TOO_OLD', message: '只能补记 30 天内的探访' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('"not at home" asks for a follow-up within 2 days', async () => {
    const elder = await addPairedElder({ riskLevel: 'general' });
    expectOk(await visits('log', aVisit(elder.id, {}, 30, 60 * 24 * 3), LI));
    const r = expectOk<{ status: VisitStatusView }>(
      await visits(
        'log',
        aVisit(
          elder.id,
          {
            outcome: 'not-at-home',
            checklist: {
              health: 'unknown',
              mood: 'unknown',
              homeSafety: 'unknown',
              needs: 'unknown',
            },
          },
          5,
        ),
        LI,
      ),
    );
    expect(r.status).toMatchObject({
      state: 'due',
      reason: 'not-at-home',
      dueDate: addCalendarDays(shanghaiDate(new Date(Date.now() - 5 * 60_000)), 2),
    });
    const mine = expectOk<{ elders: ElderListItem[] }>(await visits('myElders', {}, LI));
    expect(mine.elders[0]).toMatchObject({
      lastOutcome: 'not-at-home',
      status: { reason: 'not-at-home' },
    });
  });
});

describe('coverage and my elders', () => {
  it('lists overdue elders first and moves an elder from overdue to visited after a visit', async () => {
    const overdue = await addPairedElder({ name: '钱爷爷', riskLevel: 'high' });
    const fine = await addPairedElder({ name: '孙奶奶', riskLevel: 'general' });
    // 钱爷爷 was added a month ago and never visited.
    await cloud.db
      .collection<ElderDoc>('elders')
      .doc(overdue.id)
      .update({ data: { addedAt: new Date(Date.now() - 30 * 86_400_000) } });
    expectOk(await visits('log', aVisit(fine.id), LI));
    const before = expectOk<{ summary: CoverageSummary; elders: ElderListItem[] }>(
      await visits('coverage', {}, SECRETARY),
    );
    expect(before.elders.map((e) => [e.name, e.status.state])).toEqual([
      ['钱爷爷', 'overdue'],
      ['孙奶奶', 'visited'],
    ]);
    expect(before.summary).toMatchObject({ total: 2, onTime: 1, overdue: 1, rate: 0.5, target: 1 });
    const mine = expectOk<{ elders: ElderListItem[] }>(await visits('myElders', {}, LI));
    expect(mine.elders.map((e) => e.name)).toEqual(['钱爷爷', '孙奶奶']);
    expect(mine.elders[0]).toMatchObject({
      maskedPhone: '138****2222',
      maskedAddress: '3栋**',
      volunteers: [],
    });

    expectOk(await visits('log', aVisit(overdue.id), LI));
    const after = expectOk<{ summary: CoverageSummary; elders: ElderListItem[] }>(
      await visits('coverage', {}, SECRETARY),
    );
    expect(after.elders.find((e) => e.name === '钱爷爷')?.status.state).toBe('visited');
    expect(after.summary).toMatchObject({ onTime: 2, overdue: 0, rate: 1 });
  });
});

describe('urgent flags', () => {
  it('reach the secretary at once, stay open until acknowledged and are raised again by the timer', async () => {
    await grantSubscription(cloud.host.database, SECRETARY, URGENT_FLAG_TEMPLATE_ID, 3);
    const elder = await addPairedElder();
    const r = expectOk<{ status: VisitStatusView }>(
      await visits('log', aVisit(elder.id, { urgent: true, urgentNote: '老人摔倒，膝盖肿痛' }), LI),
    );
    expect(r.status).toMatchObject({ state: 'due', reason: 'flagged-change' });
    const outbox = await cloud.all<{
      _id: string;
      touser: string;
      templateId: string;
      data: Record<string, { value: string }>;
    }>('outbox');
    expect(outbox).toEqual([
      expect.objectContaining({ touser: SECRETARY, templateId: URGENT_FLAG_TEMPLATE_ID }),
    ]);
    expect(outbox[0].data.thing2.value).toBe('老人摔倒，膝盖肿痛');

    const flags = expectOk<Flag[]>(await visits('flags', { status: 'open' }, SECRETARY));
    expect(flags).toEqual([
      expect.objectContaining({
        elderName: '赵奶奶',
        status: 'open',
        raiseCount: 1,
        raisedBy: '李*',
      }),
    ]);
    expect(
      expectOk<ElderRecord>(await visits('elder', { elderId: elder.id }, SECRETARY)).openFlags,
    ).toBe(1);

    // Too early: nothing raised. After the set time (4 h): raised again, once even if the timer runs twice.
    // The function's one trigger ("jobs", every 30 minutes) raises flags on every tick.
    expect(
      await cloud.host.fireTimer('visits', 'jobs', new Date(Date.now() + 3600_000)),
    ).toMatchObject({ ok: true, data: { ran: { reraiseFlags: { reraised: 0 } } } });
    const later = new Date(Date.now() + 5 * 3600_000);
    expect(await cloud.host.fireTimer('visits', 'jobs', later)).toMatchObject({
      ok: true,
      data: { ran: { reraiseFlags: { reraised: 1, notified: 1 } } },
    });
    expect(await cloud.host.fireTimer('visits', 'jobs', later)).toMatchObject({
      ok: true,
      data: { ran: { reraiseFlags: { reraised: 0 } } },
    });
    expect(await cloud.count('outbox')).toBe(2);

    const acked = expectOk<Flag>(
      await visits(
        'acknowledgeFlag',
        { flagId: flags[0].id, note: '已联系儿子陪同就医' },
        SECRETARY,
      ),
    );
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgeNote: '已联系儿子陪同就医' });
    expect(
      await cloud.host.fireTimer('visits', 'jobs', new Date(Date.now() + 20 * 3600_000)),
    ).toMatchObject({ ok: true, data: { ran: { reraiseFlags: { reraised: 0 } } } });
    expect(expectOk<Flag[]>(await visits('flags', { status: 'open' }, SECRETARY))).toEqual([]);
    expect(
      expectOk<ElderRecord>(await visits('elder', { elderId: elder.id }, SECRETARY)).openFlags,
    ).toBe(0);
    expect(await visits('acknowledgeFlag', { flagId: 'flag_nothing' }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'FLAG_NOT_FOUND',
    });
  });

  it('keeps the flag open when the secretary has no subscription consent left', async () => {
    const elder = await addPairedElder();
    expectOk(await visits('log', aVisit(elder.id, { urgent: true, urgentNote: '家中燃气味' }), LI));
    expect(await cloud.count('outbox')).toBe(0);
    expect(expectOk<Flag[]>(await visits('flags', {}, SECRETARY))).toHaveLength(1);
  });
});

describe('urgent flags reach every secretary in the app', () => {
  const SECOND = 'secretary-second';
  type Notice = { secretaries: string[]; messaged: string[] };
  type Summary = { open: number; grants: number };

  async function secondSecretary(): Promise<void> {
    expectOk(await cloud.call('account', 'whoami', {}, SECOND));
    expectOk(
      await cloud.call(
        'account',
        'setRole',
        { openid: SECOND, role: 'secretary', clientRequestId: rid() },
        SECRETARY,
      ),
    );
  }

  it('each secretary has it on the badge; the volunteer is told who got it and how, also on a retry', async () => {
    await secondSecretary();
    // SECRETARY taps 允许 once: WeChat holds one message, and the app counts it.
    await grantSubscription(cloud.host.database, SECRETARY, URGENT_FLAG_TEMPLATE_ID, 1);
    expect(expectOk<Summary>(await visits('recordGrant', {}, SECRETARY))).toEqual({
      open: 0,
      grants: 1,
    });
    const elder = await addPairedElder();
    const visit = aVisit(elder.id, { urgent: true, urgentNote: '老人摔倒，膝盖肿痛' });
    const first = expectOk<{ notice: Notice }>(await visits('log', visit, LI));
    expect(first.notice.secretaries).toHaveLength(2);
    expect(first.notice.messaged).toHaveLength(1);
    expect(await cloud.count('outbox')).toBe(1);

    // Both see it on the badge; the message used the grant.
    expect(expectOk<Summary>(await visits('urgentSummary', {}, SECRETARY))).toEqual({
      open: 1,
      grants: 0,
    });
    expect(expectOk<Summary>(await visits('urgentSummary', {}, SECOND))).toEqual({
      open: 1,
      grants: 0,
    });
    const [flag] = expectOk<Flag[]>(await visits('flags', {}, SECOND));
    expect(flag).toMatchObject({ notifiedSecretaries: 2, messagedSecretaries: 1 });

    // The offline queue sends the same visit again: the same notice, nothing sent twice.
    const again = expectOk<{ replayed: boolean; notice: Notice }>(await visits('log', visit, LI));
    expect(again).toMatchObject({ replayed: true, notice: first.notice });
    expect(await cloud.count('outbox')).toBe(1);

    // Acknowledged by one: off both badges.
    expectOk(await visits('acknowledgeFlag', { flagId: flag.id, note: '已上门' }, SECOND));
    expect(expectOk<Summary>(await visits('urgentSummary', {}, SECRETARY)).open).toBe(0);
  });

  it('a retry that overtakes the raise (still sending elsewhere) still names who has it in the app', async () => {
    const elder = await addPairedElder();
    const visit = aVisit(elder.id, { urgent: true, urgentNote: '老人摔倒' });
    expectOk(await visits('log', visit, LI));
    // As another instance sees the flag before its raise has written who it reached.
    await cloud.db
      .collection(COLLECTIONS.elderFlags)
      .doc(`flag_${visit.visitId}`)
      .update({
        data: {
          notifiedOpenids: cloud.db.command.remove(),
          messagedOpenids: cloud.db.command.remove(),
        },
      });
    const again = expectOk<{ replayed: boolean; notice: Notice }>(await visits('log', visit, LI));
    expect(again.replayed).toBe(true);
    expect(again.notice.secretaries).toHaveLength(1);
    expect(again.notice.messaged).toEqual([]);
  });

  it('a visit that is not urgent answers no notice', async () => {
    const elder = await addPairedElder();
    const r = expectOk<{ notice: Notice | null }>(await visits('log', aVisit(elder.id), LI));
    expect(r.notice).toBeNull();
  });

  it('the app never counts more messages than WeChat will send: a 43101 sets the tally to 0', async () => {
    // Recorded twice by the app, but WeChat holds none (the grant was spent elsewhere).
    expectOk(await visits('recordGrant', {}, SECRETARY));
    expect(expectOk<Summary>(await visits('recordGrant', {}, SECRETARY)).grants).toBe(2);
    const elder = await addPairedElder();
    const r = expectOk<{ notice: Notice }>(
      await visits('log', aVisit(elder.id, { urgent: true, urgentNote: '家中燃气味' }), LI),
    );
    expect(r.notice.messaged).toEqual([]);
    expect(expectOk<Summary>(await visits('urgentSummary', {}, SECRETARY))).toEqual({
      open: 1,
      grants: 0,
    });
  });

  it('the badge and the grant are for secretaries only, and a refusal writes nothing', async () => {
    for (const who of [LI, RESIDENT]) {
      for (const action of ['urgentSummary', 'recordGrant']) {
        const before = await cloud.count(COLLECTIONS.subscribeGrants);
        expect(await visits(action, {}, who)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(await cloud.count(COLLECTIONS.subscribeGrants)).toBe(before);
      }
    }
  });
});

describe('due reminders', () => {
  it('remind paired volunteers of due and overdue elders once a day', async () => {
    const { VISIT_DUE_TEMPLATE_ID } = await import('../../src/domain/visits/flags');
    await grantSubscription(cloud.host.database, LI, VISIT_DUE_TEMPLATE_ID, 5);
    const elder = await addPairedElder();
    await addElder({ name: '周爷爷' }); // nobody paired: counted, nobody to remind
    await cloud.db
      .collection<ElderDoc>('elders')
      .doc(elder.id)
      .update({ data: { addedAt: new Date(Date.now() - 30 * 86_400_000) } });
    // A tick at or after 01:00 Asia/Shanghai today runs the daily job once; later ticks that day skip it.
    const at = new Date(
      Math.max(Date.now(), shanghaiInstant(shanghaiDate(new Date()), 60).getTime()),
    );
    const first = await cloud.host.fireTimer('visits', 'jobs', at);
    expect(first).toMatchObject({
      ok: true,
      data: { ran: { remindDue: { checked: 2, overdue: 1, reminded: 1 } } },
    });
    expect(await cloud.host.fireTimer('visits', 'jobs', at)).toMatchObject({
      ok: true,
      data: { notDue: ['remindDue'] },
    });
    // The job itself is idempotent by date: run again the same day, it reminds nobody twice.
    expect(await remindDue({ db: cloud.db, now: at })).toMatchObject({ overdue: 1, reminded: 0 });
    const outbox = await cloud.all<{ _id: string; touser: string; templateId: string }>('outbox');
    expect(outbox).toEqual([
      expect.objectContaining({ touser: LI, templateId: VISIT_DUE_TEMPLATE_ID }),
    ]);
  });
});

describe('settings', () => {
  it('lets the secretary change the cadence, used at once by every screen', async () => {
    const settings = expectOk<{ cadence: { levels: Record<string, unknown> } }>(
      await visits('settings', {}, LI),
    );
    const cadence = { ...settings.cadence, firstVisitDays: 1 };
    expect(await visits('saveSettings', { cadence }, LI)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await visits('saveSettings', { cadence: { ...cadence, afterFlagHours: 0 } }, SECRETARY),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expectOk(await visits('saveSettings', { cadence }, SECRETARY));
    const elder = await addElder();
    expect(elder.status.dueDate).toBe(addCalendarDays(shanghaiDate(new Date()), 1));
  });

  it("previews how many elders' due dates a new cadence moves, for the secretary only, writing nothing", async () => {
    const high = await addPairedElder({ riskLevel: 'high' });
    await addElder({ name: '周爷爷', riskLevel: 'general' });
    expectOk(await visits('log', aVisit(high.id), LI));
    const { cadence } = expectOk<{ cadence: CadenceConfig }>(
      await visits('settings', {}, SECRETARY),
    );
    const next: CadenceConfig = {
      ...cadence,
      levels: {
        ...cadence.levels,
        high: { ...cadence.levels.high, every: { unit: 'day', count: 3 } },
      },
    };
    const before = await counts();
    expect(expectOk(await visits('previewSettings', { cadence: next }, SECRETARY))).toEqual({
      total: 2,
      changed: 1,
      earlier: 1,
      later: 0,
      newlyOverdue: 0,
    });
    expect(expectOk(await visits('previewSettings', { cadence }, SECRETARY))).toMatchObject({
      total: 2,
      changed: 0,
    });
    expect(
      await visits(
        'previewSettings',
        { cadence: { ...next, notAtHomeFollowUpDays: 8 } },
        SECRETARY,
      ),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '未遇回访天数不能大于 7' });
    expect(await counts()).toEqual(before);
    expect(await visits('previewSettings', { cadence: next }, LI)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });
});

describe('sample data', () => {
  it('seeds fictional elders with mixed risk, some overdue, paired with the sample volunteer', async () => {
    const { seedOnce } = await import('../../local/seed/seed');
    const { PERSONAS } = await import('../../local/seed/data');
    await seedOnce(cloud.host.database);
    const mine = expectOk<{ elders: ElderListItem[] }>(
      await visits('myElders', {}, PERSONAS.volunteer.openid),
    );
    expect(mine.elders.length).toBe(4);
    expect(mine.elders.every((e) => e.name.endsWith('（示例）') && e.sample)).toBe(true);
    expect(mine.elders[0].status.state).toBe('overdue');
    const coverage = expectOk<{ summary: CoverageSummary; elders: ElderListItem[] }>(
      await visits('coverage', {}, SECRETARY),
    );
    expect(new Set(coverage.elders.map((e) => e.riskLevel))).toEqual(
      new Set(['high', 'key', 'general']),
    );
    expect(coverage.summary.overdue).toBeGreaterThanOrEqual(2);
    expect(coverage.summary.rate).toBeLessThan(1);
  });
});
