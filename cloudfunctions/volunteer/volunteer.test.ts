import type {
  ClaimView,
  Feedback,
  MyVolunteering,
  PostView,
  Redemption,
  ServiceRecord,
} from '../../src/domain/contract/volunteer';
import { summarize, type LedgerEntry, type LedgerSummary } from '../../src/domain/volunteer/ledger';
import type { ListDraft, OpportunityList } from '../../src/domain/volunteer/opportunity';
import type { VolunteerProfile } from '../../src/domain/volunteer/registration';
import type { UserDoc } from '../_shared/collections';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { COLLECTIONS } from '../_shared/collections';
import type { BalanceDoc, LedgerDoc } from './docs';

/** The volunteer function's collections. */
const VOLUNTEER_COLLECTIONS = [
  COLLECTIONS.volunteers,
  COLLECTIONS.volunteerSettings,
  COLLECTIONS.volunteerLists,
  COLLECTIONS.volunteerPosts,
  COLLECTIONS.volunteerClaims,
  COLLECTIONS.serviceRecords,
  COLLECTIONS.ledger,
  COLLECTIONS.balances,
  COLLECTIONS.rewards,
  COLLECTIONS.redemptions,
  COLLECTIONS.volunteerFeedback,
];
import {
  type RegistrationOverrides,
  aList,
  aPost,
  aRegistration,
  inDays,
  rid,
  today,
} from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';

interleaveDatabaseRequests();

const SECRETARY = 'secretary-0001';
const ZHANG = 'volunteer-zhang';
const LI = 'volunteer-li';
const RESIDENT = 'resident-wang';

let cloud: TestCloud;
beforeEach(() => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
});
afterEach(() => cloud.close());

const vol = (action: string, input: unknown, openid: string | null) =>
  cloud.call('volunteer', action, input, openid);

async function publishList(draft = aList()): Promise<{ list: OpportunityList; posts: PostView[] }> {
  const list = expectOk<OpportunityList>(
    await vol('saveList', { clientRequestId: rid(), draft }, SECRETARY),
  );
  expectOk(await vol('publishList', { listId: list.id }, SECRETARY));
  const view = expectOk<{ lists: OpportunityList[]; posts: PostView[] }>(
    await vol('listPosts', { listId: list.id }, SECRETARY),
  );
  return { list: view.lists[0], posts: view.posts };
}

async function register(openid: string, overrides: RegistrationOverrides = {}) {
  return expectOk<VolunteerProfile>(await vol('register', aRegistration(overrides), openid));
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of VOLUNTEER_COLLECTIONS) out[c] = await cloud.count(c);
  return out;
}

async function entriesOf(subject: string): Promise<LedgerDoc[]> {
  return (await cloud.db.collection<LedgerDoc>('ledger').where({ subject }).limit(100).get()).data;
}

/** The cached summary must always equal the sum of the volunteer's entries. */
async function expectBalanceMatchesEntries(subject: string) {
  const entries = await entriesOf(subject);
  const cached = (await cloud.db.collection<BalanceDoc>('volunteer_balances').doc(subject).get())
    .data;
  const derived = summarize(entries);
  expect(
    cached && {
      points: cached.points,
      earned: cached.earned,
      spent: cached.spent,
      confirmedMinutes: cached.confirmedMinutes,
      confirmedServices: cached.confirmedServices,
    },
  ).toEqual(derived);
}

describe('registration', () => {
  it('makes a resident a volunteer at once when approval is not required, with consent stored', async () => {
    const me = await register(ZHANG, {
      partyMember: true,
      partySince: '2001-07',
      skills: ['量血压'],
    });
    expect(me).toMatchObject({
      status: 'approved',
      name: '张三',
      partyMember: true,
      partySince: '2001-07',
      consentVersion: '2025-01',
    });
    const user = (await cloud.db.collection<UserDoc>('users').doc(ZHANG).get()).data;
    expect(user?.role).toBe('volunteer');
  });

  it('holds registrations for the secretary when approval is required', async () => {
    expectOk(await vol('updateSettings', { requireApproval: true }, SECRETARY));
    expect((await register(LI)).status).toBe('pending');
    const { posts } = await publishList();
    const refused = await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, LI);
    expect(refused).toMatchObject({ ok: false, code: 'REGISTRATION_PENDING' });
    const listing = expectOk<{ volunteers: Array<{ maskedName: string; maskedPhone: string }> }>(
      await vol('volunteers', { status: 'pending' }, SECRETARY),
    );
    expect(listing.volunteers).toEqual([
      expect.objectContaining({ maskedName: '张*', maskedPhone: '138****1111' }),
    ]);
    expectOk(await vol('approve', { openid: LI, approve: true }, SECRETARY));
    expect((await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, LI)).ok).toBe(true);
  });

  it('refuses registration without consent to the current notice, writing nothing', async () => {
    const before = await counts();
    expect(await vol('register', aRegistration({ consentVersion: 'old' }), ZHANG)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('claims', () => {
  it('lets a volunteer claim once; a retried request records once; a second claim is refused', async () => {
    await register(ZHANG);
    const { posts } = await publishList();
    const clientRequestId = rid();
    const first = expectOk<{ replayed: boolean; claim: { status: string } }>(
      await vol('claim', { postId: posts[0].id, clientRequestId }, ZHANG),
    );
    expect(first).toMatchObject({ replayed: false, claim: { status: 'claimed' } });
    const retried = expectOk<{ replayed: boolean }>(
      await vol('claim', { postId: posts[0].id, clientRequestId }, ZHANG),
    );
    expect(retried.replayed).toBe(true);
    expect(
      await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG),
    ).toMatchObject({
      ok: false,
      code: 'ALREADY_CLAIMED',
    });
    const view = expectOk<{ posts: PostView[] }>(await vol('listPosts', {}, ZHANG));
    expect(view.posts[0]).toMatchObject({ claimed: 1, placesLeft: 4, myClaim: 'claimed' });
    expect((await entriesOf(ZHANG)).map((e) => e.type)).toEqual(['claim']);
  });

  it('refuses residents who are not volunteers, and writes nothing', async () => {
    const { posts } = await publishList();
    const before = await counts();
    expect(
      await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, RESIDENT),
    ).toMatchObject({
      ok: false,
      code: 'NOT_VOLUNTEER',
    });
    expect(await counts()).toEqual(before);
  });

  it('keeps party-member posts for party members', async () => {
    await register(ZHANG);
    await register(LI, { name: '李四', partyMember: true, partySince: '1998-07' });
    const { posts } = await publishList(
      aList({ posts: [aPost({ requirements: { partyMemberOnly: true, note: '' } })] }),
    );
    expect(
      await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG),
    ).toMatchObject({
      ok: false,
      code: 'REQUIREMENT_NOT_MET',
    });
    expect((await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, LI)).ok).toBe(true);
  });

  it('never goes past capacity and refuses a full post', async () => {
    const { posts } = await publishList(aList({ posts: [aPost({ capacity: 1 })] }));
    await register(ZHANG);
    await register(LI, { name: '李四' });
    expect((await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG)).ok).toBe(
      true,
    );
    expect(await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, LI)).toMatchObject({
      ok: false,
      code: 'POST_FULL',
    });
  });

  it("warns when a claim overlaps another of the volunteer's claims", async () => {
    await register(ZHANG);
    const date = inDays(4);
    const { posts } = await publishList(
      aList({
        posts: [
          aPost({ title: '健康监测', schedule: { kind: 'once', date, start: 540, end: 660 } }),
          aPost({
            title: '应急处突',
            categoryId: 'emergency',
            schedule: { kind: 'once', date, start: 600, end: 720 },
          }),
        ],
      }),
    );
    expectOk(await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG));
    const second = expectOk<{ overlaps: Array<{ title: string }> }>(
      await vol('claim', { postId: posts[1].id, clientRequestId: rid() }, ZHANG),
    );
    expect(second.overlaps).toEqual([{ postId: posts[0].id, title: '健康监测' }]);
  });

  it('lets a volunteer withdraw before the deadline, freeing the place; a retry records once', async () => {
    await register(ZHANG);
    const { posts } = await publishList();
    expectOk(await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG));
    const clientRequestId = rid();
    expectOk(await vol('withdraw', { postId: posts[0].id, clientRequestId }, ZHANG));
    expect(
      expectOk<{ replayed: boolean }>(
        await vol('withdraw', { postId: posts[0].id, clientRequestId }, ZHANG),
      ).replayed,
    ).toBe(true);
    expect(
      await vol('withdraw', { postId: posts[0].id, clientRequestId: rid() }, ZHANG),
    ).toMatchObject({
      ok: false,
      code: 'NOT_CLAIMED',
    });
    const view = expectOk<{ posts: PostView[] }>(await vol('listPosts', {}, ZHANG));
    expect(view.posts[0]).toMatchObject({ claimed: 0, myClaim: 'withdrawn' });
    expect((await entriesOf(ZHANG)).map((e) => e.type).sort()).toEqual(['claim', 'withdraw']);
    // Claiming again after withdrawing is allowed.
    expect((await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG)).ok).toBe(
      true,
    );
  });

  it('holds capacity and one claim per volunteer under concurrent claims in one process', async () => {
    const people = Array.from({ length: 12 }, (_, i) => `volunteer-c${String(i).padStart(2, '0')}`);
    for (const p of people) await register(p);
    const { posts } = await publishList(aList({ posts: [aPost({ capacity: 3 })] }));
    const results = await Promise.all(
      [...people, ...people].map((p) =>
        vol('claim', { postId: posts[0].id, clientRequestId: rid() }, p),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    for (const r of results) if (!r.ok) expect(['POST_FULL', 'ALREADY_CLAIMED']).toContain(r.code);
    const claims = await cloud.all<{ _id: string; openid: string; status: string }>(
      'volunteer_claims',
    );
    expect(claims).toHaveLength(3);
    expect(new Set(claims.map((c) => c.openid)).size).toBe(3);
    const view = expectOk<{ posts: PostView[] }>(await vol('listPosts', {}, SECRETARY));
    expect(view.posts[0].claimed).toBe(3);
  });
});

describe('service, confirmation, points and rewards', () => {
  async function claimedPost(points = 10) {
    await register(ZHANG);
    const everyDay = {
      kind: 'weekly' as const,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      start: 0,
      end: 1440,
      from: today(),
      until: inDays(6),
    };
    const { list, posts } = await publishList(
      aList({
        posts: [
          aPost({
            points,
            schedule: everyDay,
            location: { place: 'R29 社区生活空间', spaceId: 'r29' },
          }),
        ],
      }),
    );
    expectOk(await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG));
    return { list, post: posts[0], claimId: `${posts[0].id}_${ZHANG}` };
  }

  it('checks in by the space QR code, checks out, and the secretary confirms hours and points once', async () => {
    const { list, post, claimId } = await claimedPost(15);
    expect(
      await vol('checkIn', { postId: post.id, scene: 's=other', clientRequestId: rid() }, ZHANG),
    ).toMatchObject({ ok: false, code: 'WRONG_PLACE' });
    const opened = expectOk<ServiceRecord>(
      await vol(
        'checkIn',
        { postId: post.id, scene: encodeURIComponent('s=r29'), clientRequestId: rid() },
        ZHANG,
      ),
    );
    expect(opened.status).toBe('open');
    const closed = expectOk<ServiceRecord>(
      await vol('checkOut', { postId: post.id, clientRequestId: rid() }, ZHANG),
    );
    expect(closed.status).toBe('closed');

    const claims = expectOk<ClaimView[]>(await vol('claims', { listId: list.id }, SECRETARY));
    expect(claims[0]).toMatchObject({
      maskedName: '张*',
      maskedPhone: '138****1111',
      services: [expect.objectContaining({ status: 'closed' })],
    });

    const clientRequestId = rid();
    const confirm = { clientRequestId, items: [{ claimId, date: today(), hours: 2 }] };
    expect(expectOk(await vol('confirm', confirm, SECRETARY))).toEqual({
      confirmed: 1,
      skipped: [],
      replayed: 0,
    });
    expect(expectOk(await vol('confirm', confirm, SECRETARY))).toEqual({
      confirmed: 0,
      skipped: [],
      replayed: 1,
    });
    expect(
      expectOk(await vol('confirm', { ...confirm, clientRequestId: rid() }, SECRETARY)),
    ).toMatchObject({ confirmed: 0, skipped: [{ claimId, code: 'ALREADY_CONFIRMED' }] });

    const ledger = expectOk<{ entries: LedgerEntry[]; summary: LedgerSummary }>(
      await vol('ledger', {}, ZHANG),
    );
    expect(ledger.summary).toMatchObject({
      points: 15,
      confirmedMinutes: 120,
      confirmedServices: 1,
    });
    expect(ledger.entries.map((e) => e.type).sort()).toEqual([
      'claim',
      'confirm',
      'points',
      'service',
    ]);
    expect(ledger.entries.every((e) => e.actor && e.at)).toBe(true);
    await expectBalanceMatchesEntries(ZHANG);

    const me = expectOk<MyVolunteering>(await vol('me', {}, ZHANG));
    expect(me.services[0]).toMatchObject({ status: 'confirmed', minutes: 120 });

    // Feedback after service.
    expectOk(await vol('feedback', { serviceId: closed.id, rating: 4, text: '老人很开心' }, ZHANG));
    expect(expectOk<Feedback[]>(await vol('feedbackList', {}, ZHANG))).toEqual([
      expect.objectContaining({ rating: 4, text: '老人很开心', fromRole: 'volunteer' }),
    ]);
    // The secretary sees every volunteer's feedback with its rating; other volunteers see none of it.
    expect(expectOk<Feedback[]>(await vol('feedbackList', {}, SECRETARY))).toEqual([
      expect.objectContaining({ rating: 4, postTitle: closed.postTitle }),
    ]);
    await register(LI);
    expect(expectOk<Feedback[]>(await vol('feedbackList', {}, LI))).toEqual([]);
    expect(
      await vol('feedback', { serviceId: closed.id, rating: 6, text: '' }, ZHANG),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('redeems rewards without ever going negative, and a code verifies once', async () => {
    const { claimId } = await claimedPost(10);
    expectOk(
      await vol(
        'confirm',
        { clientRequestId: rid(), items: [{ claimId, date: today(), hours: 1 }] },
        SECRETARY,
      ),
    );
    const gym = expectOk<{ id: string }>(
      await vol(
        'saveReward',
        { clientRequestId: rid(), title: '健身房一小时', cost: 8, stock: 5, active: true },
        SECRETARY,
      ),
    );
    const cafe = expectOk<{ id: string }>(
      await vol(
        'saveReward',
        { clientRequestId: rid(), title: '咖啡券', cost: 3, stock: null, active: true },
        SECRETARY,
      ),
    );

    const clientRequestId = rid();
    const first = expectOk<{ redemption: Redemption; summary: LedgerSummary }>(
      await vol('redeem', { rewardId: gym.id, clientRequestId }, ZHANG),
    );
    expect(first.summary.points).toBe(2);
    expect(first.redemption.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    const again = expectOk<{ redemption: Redemption; replayed: boolean }>(
      await vol('redeem', { rewardId: gym.id, clientRequestId }, ZHANG),
    );
    expect(again).toMatchObject({ replayed: true, redemption: { code: first.redemption.code } });
    expect(await vol('redeem', { rewardId: cafe.id, clientRequestId: rid() }, ZHANG)).toMatchObject(
      {
        ok: false,
        code: 'INSUFFICIENT_POINTS',
      },
    );

    // Concurrent redemptions of the last points: at most what the balance covers.
    expectOk(
      await vol(
        'adjust',
        { openid: ZHANG, points: 4, reason: '补记活动积分', clientRequestId: rid() },
        SECRETARY,
      ),
    );
    const racing = await Promise.all(
      Array.from({ length: 6 }, () =>
        vol('redeem', { rewardId: cafe.id, clientRequestId: rid() }, ZHANG),
      ),
    );
    expect(racing.filter((r) => r.ok)).toHaveLength(2);
    const ledger = expectOk<{ summary: LedgerSummary }>(await vol('ledger', {}, ZHANG));
    expect(ledger.summary.points).toBe(0);
    await expectBalanceMatchesEntries(ZHANG);

    const verified = await vol(
      'verifyRedemption',
      { code: first.redemption.code.toLowerCase() },
      SECRETARY,
    );
    expect(verified).toMatchObject({ ok: true, data: { status: 'used', maskedName: '张*' } });
    expect(await vol('verifyRedemption', { code: first.redemption.code }, SECRETARY)).toMatchObject(
      { ok: false, code: 'CODE_ALREADY_USED' },
    );
    expect(await vol('verifyRedemption', { code: 'ABCDEFGH' }, SECRETARY)).toMatchObject({
      ok: false,
      code: 'CODE_NOT_FOUND',
    });
    const rewards = expectOk<Array<{ id: string; stock: number | null }>>(
      await vol('rewards', {}, ZHANG),
    );
    expect(rewards.find((r) => r.id === gym.id)?.stock).toBe(4);
  });

  it('refuses an adjustment that would make the balance negative', async () => {
    await register(ZHANG);
    expect(
      await vol(
        'adjust',
        { openid: ZHANG, points: -1, reason: '测试扣分', clientRequestId: rid() },
        SECRETARY,
      ),
    ).toMatchObject({ ok: false, code: 'NEGATIVE_BALANCE' });
    expect(await entriesOf(ZHANG)).toHaveLength(0);
  });

  it('closes a service left open for 24 hours and flags it for the secretary', async () => {
    const { post } = await claimedPost();
    expectOk(
      await vol('checkIn', { postId: post.id, scene: 's=r29', clientRequestId: rid() }, ZHANG),
    );
    // The function's one trigger ("jobs", every 10 minutes) runs the sweep on every tick.
    expect(
      await cloud.host.fireTimer('volunteer', 'jobs', new Date(Date.now() + 3600_000)),
    ).toMatchObject({ ok: true, data: { ran: { autoCloseServices: { closed: 0 } } } });
    expect(
      await cloud.host.fireTimer('volunteer', 'jobs', new Date(Date.now() + 25 * 3600_000)),
    ).toMatchObject({ ok: true, data: { ran: { autoCloseServices: { closed: 1 } } } });
    const me = expectOk<MyVolunteering>(await vol('me', {}, ZHANG));
    expect(me.services[0]).toMatchObject({ status: 'auto-closed', flagged: true, minutes: 0 });
    const entries = await entriesOf(ZHANG);
    expect(entries.find((e) => e.type === 'service')).toMatchObject({ actor: 'system' });
    // Running again does nothing more.
    expect(
      await cloud.host.fireTimer('volunteer', 'jobs', new Date(Date.now() + 26 * 3600_000)),
    ).toMatchObject({ data: { ran: { autoCloseServices: { closed: 0 } } } });
  });

  it('exports confirmed hours as CSV with the national record fields, and ranks the honour board', async () => {
    const { claimId } = await claimedPost();
    expectOk(await vol('updateSettings', { organisation: '光华社区居民委员会' }, SECRETARY));
    expectOk(
      await vol(
        'confirm',
        { clientRequestId: rid(), items: [{ claimId, date: today(), hours: 1.5 }] },
        SECRETARY,
      ),
    );
    const exported = expectOk<{ csv: string; rows: number }>(
      await vol('export', { from: inDays(-1), until: inDays(1) }, SECRETARY),
    );
    expect(exported.rows).toBe(1);
    expect(exported.csv).toContain(
      '志愿者姓名,联系电话,服务项目,服务日期,服务时长（小时）,确认组织',
    );
    expect(exported.csv).toContain(
      `张三,13800001111,关爱老人日常探访,${today()},1.5,光华社区居民委员会`,
    );

    const board = expectOk<{ rows: Array<{ name: string; minutes: number; isMe: boolean }> }>(
      await vol('honourBoard', {}, ZHANG),
    );
    expect(board.rows).toEqual([expect.objectContaining({ name: '张*', minutes: 90, isMe: true })]);
    expectOk(await vol('setHonourOptOut', { optOut: true }, ZHANG));
    const hidden = expectOk<{ rows: Array<{ name: string }> }>(await vol('honourBoard', {}, LI));
    expect(hidden.rows[0].name).toBe('匿名志愿者');
  });
});

describe('lists', () => {
  it('saves drafts, publishes, closes and copies', async () => {
    const draft = expectOk<OpportunityList>(
      await vol('saveList', { clientRequestId: rid(), draft: aList() }, SECRETARY),
    );
    expect(draft.status).toBe('draft');
    await register(ZHANG);
    // Drafts are not visible or claimable.
    expect(expectOk<{ lists: unknown[] }>(await vol('listPosts', {}, ZHANG)).lists).toHaveLength(0);
    const edited = expectOk<OpportunityList>(
      await vol(
        'saveList',
        {
          clientRequestId: rid(),
          listId: draft.id,
          draft: aList({ posts: [aPost(), aPost({ title: '健康监测' })] }),
        },
        SECRETARY,
      ),
    );
    expect(edited.postCount).toBe(2);
    expectOk(await vol('publishList', { listId: draft.id }, SECRETARY));
    // Publishing again (a retry after a lost answer) answers the list as published.
    expect(await vol('publishList', { listId: draft.id }, SECRETARY)).toMatchObject({
      ok: true,
      data: { id: draft.id, status: 'published' },
    });
    expect(
      await vol(
        'saveList',
        { clientRequestId: rid(), listId: draft.id, draft: aList() },
        SECRETARY,
      ),
    ).toMatchObject({ ok: false, code: 'LIST_NOT_DRAFT' });
    const copy = expectOk<OpportunityList>(
      await vol(
        'copyList',
        { clientRequestId: rid(), listId: draft.id, periodFrom: inDays(7) },
        SECRETARY,
      ),
    );
    expect(copy).toMatchObject({
      status: 'draft',
      postCount: 2,
      copiedFrom: draft.id,
      periodFrom: inDays(7),
    });
    expectOk(await vol('closeList', { listId: draft.id }, SECRETARY));
    const posts = expectOk<{ posts: PostView[] }>(
      await vol('listPosts', { listId: draft.id }, ZHANG),
    ).posts;
    expect(
      await vol('claim', { postId: posts[0].id, clientRequestId: rid() }, ZHANG),
    ).toMatchObject({
      ok: false,
      code: 'LIST_NOT_OPEN',
    });
  });

  it('keeps a recurring post recurring, and a copy moves it to the period the secretary chose', async () => {
    const weekly = {
      kind: 'weekly' as const,
      weekdays: [1, 3],
      start: 540,
      end: 660,
      from: today(),
      until: inDays(13),
    };
    const { list, posts } = await publishList(aList({ posts: [aPost({ schedule: weekly })] }));
    expect(posts[0].schedule).toEqual(weekly);
    const copy = expectOk<OpportunityList>(
      await vol(
        'copyList',
        { clientRequestId: rid(), listId: list.id, periodFrom: inDays(28) },
        SECRETARY,
      ),
    );
    expect(copy).toMatchObject({ periodFrom: inDays(28), periodUntil: inDays(41) });
    const { draft } = expectOk<{ draft: ListDraft }>(
      await vol('getList', { listId: copy.id }, SECRETARY),
    );
    expect(draft.posts[0].schedule).toEqual({ ...weekly, from: inDays(28), until: inDays(41) });
  });
});

describe('roles and malformed input', () => {
  it('lets only secretaries publish, confirm, adjust or export; a volunteer sees only their own ledger', async () => {
    await register(ZHANG);
    await register(LI, { name: '李四' });
    const { list } = await publishList();
    const before = await counts();
    const attempts: Array<[string, unknown]> = [
      ['saveList', { clientRequestId: rid(), draft: aList() }],
      ['publishList', { listId: list.id }],
      ['closeList', { listId: list.id }],
      ['confirm', { clientRequestId: rid(), items: [{ claimId: 'x_y', date: today(), hours: 1 }] }],
      ['adjust', { openid: LI, points: 5, reason: '奖励', clientRequestId: rid() }],
      ['export', { from: today(), until: today() }],
      ['claims', { listId: list.id }],
      [
        'saveReward',
        { clientRequestId: rid(), title: '咖啡券', cost: 3, stock: null, active: true },
      ],
      ['verifyRedemption', { code: 'ABCDEFGH' }],
      ['volunteers', {}],
      ['approve', { openid: LI, approve: false }],
    ];
    for (const [action, input] of attempts) {
      expect([action, await vol(action, input, ZHANG)]).toEqual([
        action,
        expect.objectContaining({ ok: false, code: 'FORBIDDEN' }),
      ]);
    }
    expect(await vol('ledger', { openid: LI }, ZHANG)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect((await vol('ledger', { openid: LI }, SECRETARY)).ok).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('answers malformed input with INVALID_INPUT and writes nothing', async () => {
    await register(ZHANG);
    const { posts } = await publishList();
    const before = await counts();
    const bad: Array<[string, unknown, string]> = [
      ['claim', { postId: posts[0].id }, ZHANG],
      ['claim', { postId: posts[0].id, clientRequestId: 'x' }, ZHANG],
      ['claim', { postId: '../etc', clientRequestId: rid() }, ZHANG],
      ['claim', { postId: posts[0].id, clientRequestId: rid(), extra: true }, ZHANG],
      ['withdraw', 'nonsense', ZHANG],
      ['redeem', { rewardId: 42, clientRequestId: rid() }, ZHANG],
      [
        'saveList',
        { clientRequestId: rid(), draft: { ...aList(), posts: [aPost({ capacity: 0 })] } },
        SECRETARY,
      ],
      [
        'saveList',
        { clientRequestId: rid(), draft: { ...aList(), periodUntil: '2020-01-01' } },
        SECRETARY,
      ],
      ['confirm', { clientRequestId: rid(), items: [] }, SECRETARY],
      [
        'confirm',
        { clientRequestId: rid(), items: [{ claimId: 'a_b', date: today(), hours: 0.3 }] },
        SECRETARY,
      ],
      ['adjust', { openid: ZHANG, points: 0, reason: '无', clientRequestId: rid() }, SECRETARY],
      ['export', { from: today(), until: inDays(-3) }, SECRETARY],
      ['register', { ...aRegistration(), phone: '123' }, LI],
    ];
    for (const [action, input, who] of bad) {
      const r = await vol(action, input, who);
      expect([action, r]).toEqual([
        action,
        expect.objectContaining({ ok: false, code: 'INVALID_INPUT' }),
      ]);
      if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await counts()).toEqual(before);
  });
});
