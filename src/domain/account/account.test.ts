import * as v from 'valibot';
import {
  applyProfileUpdate,
  displayName,
  EMPTY_PROFILE,
  NICKNAME_MAX,
  profileChangeApplied,
  profileChanges,
  profileUpdateSchema,
} from './profile';
import { canAssignRole, configuredSecretaries, effectiveRole } from './roles';

describe('roles', () => {
  const secretaries = configuredSecretaries(' sec-1 ,, sec-2 ');

  it('reads the configured secretaries from a comma-separated list', () => {
    expect([...secretaries]).toEqual(['sec-1', 'sec-2']);
    expect(configuredSecretaries(undefined).size).toBe(0);
  });

  it('makes every new openid a resident and configured ones secretaries', () => {
    expect(effectiveRole(undefined, 'someone', secretaries)).toBe('resident');
    expect(effectiveRole('volunteer', 'someone', secretaries)).toBe('volunteer');
    expect(effectiveRole('resident', 'sec-2', secretaries)).toBe('secretary');
  });

  it('lets only a secretary assign roles, and never to themselves', () => {
    expect(canAssignRole({ openid: 'a', role: 'secretary' }, 'b')).toBe(true);
    expect(canAssignRole({ openid: 'a', role: 'secretary' }, 'a')).toBe(false);
    expect(canAssignRole({ openid: 'a', role: 'volunteer' }, 'b')).toBe(false);
  });
});

describe('profile', () => {
  it('trims nicknames and enforces the length limit', () => {
    expect(v.parse(profileUpdateSchema, { nickname: '  张三  ' })).toEqual({ nickname: '张三' });
    const long = v.safeParse(profileUpdateSchema, { nickname: '张'.repeat(NICKNAME_MAX + 1) });
    expect(long.success).toBe(false);
    expect(long.issues?.[0].message).toBe(`昵称最多 ${NICKNAME_MAX} 个字`);
    expect(v.safeParse(profileUpdateSchema, { nickname: '   ' }).success).toBe(false);
  });

  it('rejects unknown fields and wrong types', () => {
    expect(v.safeParse(profileUpdateSchema, { role: 'secretary' }).success).toBe(false);
    expect(v.safeParse(profileUpdateSchema, { elderMode: 'yes' }).success).toBe(false);
    expect(
      v.safeParse(profileUpdateSchema, { avatarUrl: 'http://plain.example/a.png' }).success,
    ).toBe(false);
  });

  it('keeps fields that an update leaves out', () => {
    const current = { ...EMPTY_PROFILE, nickname: '李四' };
    expect(applyProfileUpdate(current, { elderMode: true })).toEqual({
      ...current,
      elderMode: true,
    });
  });

  it('never shows an empty name', () => {
    expect(displayName(EMPTY_PROFILE, 'resident')).toBe('邻居');
    expect(displayName({ ...EMPTY_PROFILE, nickname: '张三' }, 'resident')).toBe('张三');
  });
});

describe('profileChanges', () => {
  it('keeps only the fields the person changed', () => {
    expect(profileChanges({ elderMode: true })).toEqual({ elderMode: true });
    expect(profileChanges({ nickname: '张阿姨', avatarUrl: '' })).toEqual({
      nickname: '张阿姨',
      avatarUrl: '',
    });
    expect(profileChanges({})).toEqual({});
  });
});

describe('profileChangeApplied', () => {
  it('is true once the request key is among those kept on the account', () => {
    expect(profileChangeApplied({ profileRequests: ['k1', 'k2'] }, 'k2')).toBe(true);
    expect(profileChangeApplied({ profileRequests: ['k1'] }, 'k2')).toBe(false);
    expect(profileChangeApplied({}, 'k1')).toBe(false);
    expect(profileChangeApplied(null, 'k1')).toBe(false);
  });
});
