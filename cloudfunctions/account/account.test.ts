import type { Account } from '../../src/domain/account/profile';
import type { WhoAmI } from '../../src/domain/contract/account';
import type { AuditDoc, UserDoc } from '../_shared/collections';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { interleaveDatabaseRequests } from '../_test-support/interleave';

interleaveDatabaseRequests();

const SECRETARY = 'secretary-0001';
const RESIDENT = 'resident-0001';
const NEIGHBOUR = 'resident-0002';

let cloud: TestCloud;

beforeEach(() => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: `${SECRETARY}, other-secretary` } });
});

afterEach(() => cloud.close());

let requests = 0;
/** A new client request id (each setRole / updateProfile call here is a new request unless it names one). */
const rid = () => `req-account-${(++requests).toString().padStart(4, '0')}`;

const account = (action: string, input: unknown, openid: string | null) =>
  cloud.call(
    'account',
    action,
    (action === 'setRole' || action === 'updateProfile') &&
      typeof input === 'object' &&
      input !== null &&
      !('clientRequestId' in input)
      ? { ...input, clientRequestId: rid() }
      : input,
    openid,
  );

async function storedUser(openid: string): Promise<UserDoc | null> {
  return (await cloud.db.collection<UserDoc>('users').doc(openid).get()).data;
}

/** Put people in the store directly, `minutesApart` minutes apart, oldest first. */
async function seedUsers(
  openids: string[],
  role: UserDoc['role'] = 'resident',
  start = Date.UTC(2025, 0, 1),
) {
  for (const [i, openid] of openids.entries()) {
    await cloud.db.collection<UserDoc>('users').add({
      data: {
        _id: openid,
        _openid: openid,
        role,
        profile: { nickname: openid, avatarUrl: '', elderMode: false },
        createdAt: new Date(start + i * 60_000),
      },
    });
  }
}

describe('whoami', () => {
  it('creates a resident on first call, with _openid and a server createdAt', async () => {
    const before = Date.now();
    const me = expectOk<WhoAmI>(await account('whoami', {}, RESIDENT));
    expect(me).toEqual({
      openid: RESIDENT,
      role: 'resident',
      profile: { nickname: '', avatarUrl: '', elderMode: false },
      createdAt: expect.any(String),
      configuredSecretary: false,
    });
    expect(Date.parse(me.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const doc = await storedUser(RESIDENT);
    expect(doc).toMatchObject({ _id: RESIDENT, _openid: RESIDENT, role: 'resident' });
    expect(doc?.createdAt).toBeInstanceOf(Date);
    // A second call finds the same account.
    expect(expectOk<WhoAmI>(await account('whoami', {}, RESIDENT)).createdAt).toBe(me.createdAt);
    expect(await cloud.count('users')).toBe(1);
  });

  it('creates one account when first calls race', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => account('whoami', {}, RESIDENT)),
    );
    for (const r of results)
      expect(r).toMatchObject({ ok: true, data: { openid: RESIDENT, role: 'resident' } });
    expect(await cloud.count('users')).toBe(1);
  });

  it('makes a configured secretary a secretary without storing it', async () => {
    const me = expectOk<WhoAmI>(await account('whoami', {}, SECRETARY));
    expect(me).toMatchObject({ role: 'secretary', configuredSecretary: true });
    expect((await storedUser(SECRETARY))?.role).toBe('resident');
  });

  it('refuses input it does not know', async () => {
    expect(await account('whoami', { openid: SECRETARY }, RESIDENT)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await cloud.count('users')).toBe(0);
  });
});

describe('updateProfile', () => {
  it('changes only the fields given, trimming the nickname', async () => {
    await account('updateProfile', { avatarUrl: 'https://example.com/a.png' }, RESIDENT);
    const updated = expectOk<Account>(
      await account('updateProfile', { nickname: '  王阿姨 ', elderMode: true }, RESIDENT),
    );
    expect(updated.profile).toEqual({
      nickname: '王阿姨',
      avatarUrl: 'https://example.com/a.png',
      elderMode: true,
    });
    expect((await storedUser(RESIDENT))?.profile).toEqual(updated.profile);
    expect(expectOk<WhoAmI>(await account('whoami', {}, RESIDENT)).profile).toEqual(
      updated.profile,
    );
  });

  it.each([
    [{ nickname: '一二三四五六七八九十一二三四五六七八九十一' }, '昵称最多 20 个字'],
    [{ nickname: '   ' }, '昵称不能为空'],
    [{ nickname: 42 }, '昵称必须是文字'],
    [{ avatarUrl: 'http://insecure.example.com/a.png' }, '头像地址格式不正确'],
    [{ elderMode: 'yes' }, '长辈模式只能是开或关'],
    [{ role: 'secretary' }, '资料格式不正确'],
  ])('refuses %j with “%s” and changes nothing', async (input, message) => {
    await account('updateProfile', { nickname: '老张' }, RESIDENT);
    const before = await storedUser(RESIDENT);
    expect(await account('updateProfile', input, RESIDENT)).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message,
    });
    expect(await storedUser(RESIDENT)).toEqual(before);
  });

  it('keeps concurrent edits of different fields', async () => {
    await account('whoami', {}, RESIDENT);
    await Promise.all([
      account('updateProfile', { nickname: '小李' }, RESIDENT),
      account('updateProfile', { elderMode: true }, RESIDENT),
      account('updateProfile', { avatarUrl: 'cloud://env/avatar.png' }, RESIDENT),
    ]);
    expect((await storedUser(RESIDENT))?.profile).toEqual({
      nickname: '小李',
      avatarUrl: 'cloud://env/avatar.png',
      elderMode: true,
    });
  });
});

describe('setRole', () => {
  beforeEach(async () => {
    await account('whoami', {}, NEIGHBOUR);
  });

  it('refuses a resident and changes nothing', async () => {
    await account('whoami', {}, RESIDENT);
    expect(
      await account('setRole', { openid: RESIDENT, role: 'secretary' }, RESIDENT),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await account('setRole', { openid: NEIGHBOUR, role: 'volunteer' }, RESIDENT),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect((await storedUser(RESIDENT))?.role).toBe('resident');
    expect((await storedUser(NEIGHBOUR))?.role).toBe('resident');
    expect(await cloud.count('audit')).toBe(0);
  });

  it('lets a secretary give a role, and records who, what and when', async () => {
    const before = Date.now();
    const result = expectOk<Account>(
      await account('setRole', { openid: NEIGHBOUR, role: 'volunteer' }, SECRETARY),
    );
    expect(result).toMatchObject({ openid: NEIGHBOUR, role: 'volunteer' });
    expect((await storedUser(NEIGHBOUR))?.role).toBe('volunteer');
    const entries = await cloud.all<AuditDoc>('audit');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      _openid: SECRETARY,
      kind: 'role-changed',
      actorOpenid: SECRETARY,
      targetOpenid: NEIGHBOUR,
      from: 'resident',
      to: 'volunteer',
      requestId: expect.any(String),
    });
    expect(entries[0].at).toBeInstanceOf(Date);
    expect(entries[0].at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // The new volunteer acts as one from the next call.
    expect(expectOk<WhoAmI>(await account('whoami', {}, NEIGHBOUR)).role).toBe('volunteer');
  });

  it('lets a stored secretary give roles too', async () => {
    await account('setRole', { openid: NEIGHBOUR, role: 'secretary' }, SECRETARY);
    await account('whoami', {}, RESIDENT);
    expect(
      await account('setRole', { openid: RESIDENT, role: 'volunteer' }, NEIGHBOUR),
    ).toMatchObject({ ok: true });
    expect(await cloud.count('audit')).toBe(2);
  });

  it('does not record a change to the same role', async () => {
    expect(
      await account('setRole', { openid: NEIGHBOUR, role: 'resident' }, SECRETARY),
    ).toMatchObject({ ok: true });
    expect(await cloud.count('audit')).toBe(0);
  });

  it('refuses a secretary changing their own role', async () => {
    const result = await account('setRole', { openid: SECRETARY, role: 'resident' }, SECRETARY);
    expect(result).toMatchObject({ ok: false, code: 'CANNOT_CHANGE_OWN_ROLE' });
    expect(await cloud.count('audit')).toBe(0);
  });

  it('answers USER_NOT_FOUND for someone who never opened the app', async () => {
    const result = await account(
      'setRole',
      { openid: 'stranger-0001', role: 'volunteer' },
      SECRETARY,
    );
    expect(result).toMatchObject({ ok: false, code: 'USER_NOT_FOUND' });
    expect(await storedUser('stranger-0001')).toBeNull();
    expect(await cloud.count('audit')).toBe(0);
  });

  it.each([
    [{ openid: NEIGHBOUR, role: 'mayor' }, '角色只能是居民、志愿者或社区书记'],
    [{ openid: 'x', role: 'volunteer' }, '用户标识格式不正确'],
  ])('refuses %j with “%s”', async (input, message) => {
    expect(await account('setRole', input, SECRETARY)).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message,
    });
    expect(await cloud.count('audit')).toBe(0);
  });

  it('gives exactly one audit entry per change when secretaries race', async () => {
    await account('whoami', {}, 'other-secretary');
    await Promise.all([
      account('setRole', { openid: NEIGHBOUR, role: 'volunteer' }, SECRETARY),
      account('setRole', { openid: NEIGHBOUR, role: 'volunteer' }, 'other-secretary'),
    ]);
    expect((await storedUser(NEIGHBOUR))?.role).toBe('volunteer');
    expect(await cloud.count('audit')).toBe(1);
  });
});

describe('updateProfile retries', () => {
  it('answers a late retry with the profile as it is now, never undoing a later change', async () => {
    await account('whoami', {}, RESIDENT);
    const on = { elderMode: true, clientRequestId: rid() };
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => account('updateProfile', on, RESIDENT)),
    );
    expect(copies.every((c) => c.ok && (c.data as Account).profile.elderMode)).toBe(true);
    expectOk(await account('updateProfile', { elderMode: false }, RESIDENT));
    const before = await storedUser(RESIDENT);
    expect(expectOk<Account>(await account('updateProfile', on, RESIDENT)).profile.elderMode).toBe(
      false,
    );
    expect(await storedUser(RESIDENT)).toEqual(before);
  });

  it('refuses a change without a request id, writing nothing', async () => {
    await account('whoami', {}, RESIDENT);
    const before = await storedUser(RESIDENT);
    expect(
      await cloud.call('account', 'updateProfile', { elderMode: true }, RESIDENT),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await storedUser(RESIDENT)).toEqual(before);
  });
});

describe('setRole retries', () => {
  beforeEach(async () => {
    await account('whoami', {}, NEIGHBOUR);
  });

  it('changes the role once for 5 copies of one request at once, all answering the change', async () => {
    const input = { openid: NEIGHBOUR, role: 'volunteer', clientRequestId: rid() };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => account('setRole', input, SECRETARY)),
    );
    expect(answers.map((a) => (a.ok ? (a.data as Account).role : a.code))).toEqual([
      'volunteer',
      'volunteer',
      'volunteer',
      'volunteer',
      'volunteer',
    ]);
    expect(await cloud.count('audit')).toBe(1);
  });

  it('answers a late retry with the role as it is now, never undoing a later change', async () => {
    const first = { openid: NEIGHBOUR, role: 'volunteer', clientRequestId: rid() };
    expectOk(await account('setRole', first, SECRETARY));
    expectOk(await account('setRole', { openid: NEIGHBOUR, role: 'resident' }, 'other-secretary'));
    expect(await cloud.count('audit')).toBe(2);
    expect(expectOk<Account>(await account('setRole', first, SECRETARY)).role).toBe('resident');
    expect((await storedUser(NEIGHBOUR))?.role).toBe('resident');
    expect(await cloud.count('audit')).toBe(2);
  });

  it('refuses a change without a request id, writing nothing', async () => {
    expect(
      await account(
        'setRole',
        { openid: NEIGHBOUR, role: 'volunteer', clientRequestId: 'x' },
        SECRETARY,
      ),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const noId = await cloud.call(
      'account',
      'setRole',
      { openid: NEIGHBOUR, role: 'volunteer' },
      SECRETARY,
    );
    expect(noId).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await storedUser(NEIGHBOUR))?.role).toBe('resident');
    expect(await cloud.count('audit')).toBe(0);
  });
});

describe('listAccounts', () => {
  it('is for secretaries only', async () => {
    expect(await account('listAccounts', {}, RESIDENT)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });

  it('pages 20 at a time, newest first', async () => {
    const openids = Array.from({ length: 44 }, (_, i) => `person-${String(i).padStart(4, '0')}`);
    await seedUsers(openids);
    await account('whoami', {}, SECRETARY); // the 45th and newest
    type Page = { accounts: Account[]; hasMore: boolean };
    const first = expectOk<Page>(await account('listAccounts', {}, SECRETARY));
    expect(first.accounts).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    expect(first.accounts[0]).toMatchObject({ openid: SECRETARY, role: 'secretary' });
    expect(first.accounts[1].openid).toBe('person-0043');
    const third = expectOk<Page>(await account('listAccounts', { page: 2 }, SECRETARY));
    expect(third.accounts.map((a) => a.openid)).toEqual([
      'person-0004',
      'person-0003',
      'person-0002',
      'person-0001',
      'person-0000',
    ]);
    expect(third.hasMore).toBe(false);
    const seen = new Set<string>();
    for (let page = 0; page < 3; page++) {
      const p = expectOk<Page>(await account('listAccounts', { page }, SECRETARY));
      p.accounts.forEach((a) => seen.add(a.openid));
    }
    expect(seen.size).toBe(45);
    expect(expectOk<Page>(await account('listAccounts', { page: 3 }, SECRETARY))).toEqual({
      accounts: [],
      hasMore: false,
    });
  });

  it('filters by stored role', async () => {
    await seedUsers(['volunteer-0001', 'volunteer-0002'], 'volunteer');
    await seedUsers(['resident-0009']);
    const page = expectOk<{ accounts: Account[] }>(
      await account('listAccounts', { role: 'volunteer' }, SECRETARY),
    );
    expect(page.accounts.map((a) => a.openid)).toEqual(['volunteer-0002', 'volunteer-0001']);
  });

  it('refuses a bad page', async () => {
    expect(await account('listAccounts', { page: -1 }, SECRETARY)).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await account('listAccounts', { page: 1.5 }, SECRETARY)).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('failures', () => {
  it('answers INTERNAL for a damaged account without telling why', async () => {
    await cloud.db.collection<UserDoc>('users').add({
      data: {
        _id: RESIDENT,
        _openid: RESIDENT,
        role: 'resident',
        profile: { nickname: '', avatarUrl: '', elderMode: false },
        createdAt: 'not a time' as unknown as Date,
      },
    });
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await account('whoami', {}, RESIDENT);
      expect(result).toEqual({
        ok: false,
        code: 'INTERNAL',
        message: '服务暂时不可用，请稍后再试',
      });
      expect(JSON.stringify(result)).not.toContain('not a time');
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});
