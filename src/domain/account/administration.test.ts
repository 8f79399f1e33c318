import { ACCOUNTS_PAGE_SIZE, isRoleChange, roleChangeRefusal } from './administration';

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
