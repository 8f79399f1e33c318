import {
  type Audience,
  type Standing,
  AUDIENCES,
  admits,
  appointmentRefusal,
  configuredAdmins,
  placeIn,
} from './access';

const A = 'community-a';
const B = 'community-b';

const who = (openid: string, over: Partial<Standing> = {}): Standing => ({
  openid,
  admin: false,
  roles: {},
  volunteerIn: [],
  ...over,
});

const resident = who('zhang', { home: A });
const volunteer = who('li', { home: B, volunteerIn: [A, B] });
const staff = who('wang', { roles: { [A]: ['staff'] } });
const secretaryA = who('zhao', { roles: { [A]: ['secretary'] } });
const secretaryB = who('qian', { roles: { [B]: ['secretary'] } });
const admin = who('sun', { admin: true });

describe('placeIn', () => {
  it('is the highest standing in that community only', () => {
    expect(placeIn(resident, A)).toBe('resident');
    expect(placeIn(resident, B)).toBe('visitor');
    expect(placeIn(volunteer, A)).toBe('volunteer');
    expect(placeIn(volunteer, B)).toBe('volunteer');
    expect(placeIn(staff, A)).toBe('staff');
    expect(placeIn(secretaryA, A)).toBe('secretary');
    expect(placeIn(secretaryA, B)).toBe('visitor');
    expect(placeIn(who('x', { roles: { [A]: ['staff', 'secretary'] } }), A)).toBe('secretary');
  });

  it('gives the street-office administrator no place inside a community', () => {
    expect(placeIn(admin, A)).toBe('visitor');
  });
});

describe('admits: the role matrix for community A', () => {
  const callers: Array<[string, Standing]> = [
    ['resident of A', resident],
    ['volunteer of A', volunteer],
    ['staff of A', staff],
    ['secretary of A', secretaryA],
    ['secretary of B', secretaryB],
    ['administrator', admin],
  ];
  const expected: Record<Audience, string[]> = {
    anyone: callers.map(([name]) => name),
    member: ['resident of A', 'volunteer of A', 'staff of A', 'secretary of A'],
    volunteer: ['volunteer of A', 'staff of A', 'secretary of A'],
    staff: ['staff of A', 'secretary of A'],
    secretary: ['secretary of A'],
    admin: ['administrator'],
  };
  it.each(AUDIENCES.map((a) => [a]))('%s', (audience) => {
    const admitted = callers.filter(([, s]) => admits(audience, s, A)).map(([name]) => name);
    expect(admitted).toEqual(expected[audience]);
  });
});

describe('appointmentRefusal', () => {
  const change = (over: Partial<Parameters<typeof appointmentRefusal>[1]> = {}) => ({
    communityId: A,
    target: 'zhou',
    role: 'secretary' as const,
    give: true,
    secretaries: 1,
    ...over,
  });

  it('lets the administrator appoint and remove secretaries of any community', () => {
    expect(appointmentRefusal(admin, change())).toBeNull();
    expect(
      appointmentRefusal(admin, change({ communityId: B, give: false, secretaries: 2 })),
    ).toBeNull();
  });

  it('lets a secretary appoint staff and co-secretaries of their own community only', () => {
    expect(appointmentRefusal(secretaryA, change({ role: 'staff' }))).toBeNull();
    expect(appointmentRefusal(secretaryA, change({ role: 'staff', give: false }))).toBeNull();
    expect(appointmentRefusal(secretaryA, change())).toBeNull();
    expect(appointmentRefusal(secretaryA, change({ give: false, secretaries: 2 }))).toBe(
      'FORBIDDEN',
    );
    expect(appointmentRefusal(secretaryB, change({ role: 'staff' }))).toBe('FORBIDDEN');
  });

  it('refuses staff, volunteers and residents', () => {
    for (const s of [staff, volunteer, resident])
      expect(appointmentRefusal(s, change({ role: 'staff' }))).toBe('FORBIDDEN');
  });

  it('refuses changing one’s own roles, and removing the last secretary', () => {
    expect(appointmentRefusal(admin, change({ target: admin.openid }))).toBe(
      'CANNOT_CHANGE_OWN_ROLE',
    );
    expect(appointmentRefusal(admin, change({ give: false, secretaries: 1 }))).toBe(
      'LAST_SECRETARY',
    );
  });
});

it('configuredAdmins reads a comma-separated list and ignores blanks', () => {
  expect([...configuredAdmins(' a, b ,,c')]).toEqual(['a', 'b', 'c']);
  expect(configuredAdmins(undefined).size).toBe(0);
});
