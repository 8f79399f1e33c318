import {
  ACCOUNTS_PAGE_SIZE,
  ROLE_CHANGE_MESSAGES,
  USER_NOT_FOUND,
  isRoleChange,
  roleChangeRefusal,
} from './administration';

describe('roleChangeRefusal', () => {
  const secretary = { openid: 'secretary-1', role: 'secretary' as const };

  it('lets a secretary give someone else a role', () => {
    expect(roleChangeRefusal(secretary, 'resident-1')).toBeNull();
  });

  it('refuses residents and volunteers', () => {
    expect(roleChangeRefusal({ openid: 'resident-1', role: 'resident' }, 'resident-2')).toBe(
      'FORBIDDEN',
    );
    expect(roleChangeRefusal({ openid: 'volunteer-1', role: 'volunteer' }, 'resident-2')).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses a secretary changing their own role', () => {
    expect(roleChangeRefusal(secretary, 'secretary-1')).toBe('CANNOT_CHANGE_OWN_ROLE');
  });
});

describe('isRoleChange', () => {
  it('is false for the same role', () => {
    expect(isRoleChange('volunteer', 'volunteer')).toBe(false);
    expect(isRoleChange('resident', 'volunteer')).toBe(true);
  });
});

it('pages accounts by 20', () => {
  expect(ACCOUNTS_PAGE_SIZE).toBe(20);
});

describe('role change refusals', () => {
  it('say in Chinese why the change is refused', () => {
    expect(ROLE_CHANGE_MESSAGES.CANNOT_CHANGE_OWN_ROLE).toBe(
      '不能修改自己的角色，请让另一位社区书记操作',
    );
    expect(ROLE_CHANGE_MESSAGES.FORBIDDEN).toBe('没有权限进行此操作');
    expect(USER_NOT_FOUND).toEqual({
      code: 'USER_NOT_FOUND',
      message: '找不到这位用户，请确认对方已打开过小程序',
    });
  });
});
