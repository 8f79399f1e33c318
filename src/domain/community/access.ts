import { openidList } from '../shared/config-list';

/**
 * Who a caller is in a community. Roles are held per community: a secretary (书记) or staff member
 * (工作人员) of one community is nobody special in another. A person may volunteer in several
 * communities and is a resident of one (their home). The street-office administrator (街道管理员)
 * creates communities and appoints their secretaries, and sees aggregates only: the role gives no
 * right inside a community (an elder's data never leaves it).
 */

export const COMMUNITY_ROLES = ['secretary', 'staff'] as const;
export type CommunityRole = (typeof COMMUNITY_ROLES)[number];

export const COMMUNITY_ROLE_LABELS: Record<CommunityRole, string> = {
  secretary: '社区书记',
  staff: '社区工作人员',
};

/** Everything the router knows of a caller, read once per call. */
export interface Standing {
  openid: string;
  /** A street-office administrator. */
  admin: boolean;
  /** Community id → the roles held there. */
  roles: Readonly<Record<string, readonly CommunityRole[]>>;
  /** Communities where the caller is an approved volunteer. */
  volunteerIn: readonly string[];
  /** The community the caller lives in, once chosen (or given by an entrance code). */
  home?: string;
}

/** The caller's place in one community, highest first. */
export type Place = 'secretary' | 'staff' | 'volunteer' | 'resident' | 'visitor';

export function placeIn(standing: Standing, communityId: string): Place {
  const roles = standing.roles[communityId] ?? [];
  if (roles.includes('secretary')) return 'secretary';
  if (roles.includes('staff')) return 'staff';
  if (standing.volunteerIn.includes(communityId)) return 'volunteer';
  if (standing.home === communityId) return 'resident';
  return 'visitor';
}

/**
 * Who may call an action, as the router checks it:
 * - anyone: every signed-in caller, visitors of the community included (a space's services are
 *   open to all who scan its code);
 * - member: residents, volunteers, staff and secretaries of the community;
 * - volunteer: its approved volunteers (staff and secretaries also act as volunteers there);
 * - staff: its staff and secretaries;
 * - secretary: its secretaries;
 * - admin: street-office administrators (no community needed).
 */
export const AUDIENCES = ['anyone', 'member', 'volunteer', 'staff', 'secretary', 'admin'] as const;
export type Audience = (typeof AUDIENCES)[number];

const RANK: Record<Place, number> = {
  visitor: 0,
  resident: 1,
  volunteer: 2,
  staff: 3,
  secretary: 4,
};
const NEEDS: Record<Exclude<Audience, 'admin'>, number> = {
  anyone: 0,
  member: 1,
  volunteer: 2,
  staff: 3,
  secretary: 4,
};

/** Whether `standing` may call an action for `audience` in `communityId`. */
export function admits(audience: Audience, standing: Standing, communityId: string): boolean {
  if (audience === 'admin') return standing.admin;
  return RANK[placeIn(standing, communityId)] >= NEEDS[audience];
}

export type AppointmentRefusal = 'FORBIDDEN' | 'CANNOT_CHANGE_OWN_ROLE' | 'LAST_SECRETARY';

export const APPOINTMENT_MESSAGES: Record<AppointmentRefusal, string> = {
  FORBIDDEN: '没有权限任免这个社区的这一角色',
  CANNOT_CHANGE_OWN_ROLE: '不能任免自己的角色',
  LAST_SECRETARY: '这是社区唯一的书记，请先任命新书记再免去',
};

/**
 * May `actor` give or take `role` in `communityId` from `target`? The administrator appoints and
 * removes secretaries of any community; a community's secretary appoints and removes its staff
 * and further secretaries. Nobody changes their own roles, and a community keeps one secretary.
 */
export function appointmentRefusal(
  actor: Standing,
  change: {
    communityId: string;
    target: string;
    role: CommunityRole;
    give: boolean;
    /** How many secretaries the community has now. */
    secretaries: number;
  },
): AppointmentRefusal | null {
  if (actor.openid === change.target) return 'CANNOT_CHANGE_OWN_ROLE';
  const secretaryHere = placeIn(actor, change.communityId) === 'secretary';
  const allowed = actor.admin || (secretaryHere && (change.role === 'staff' || change.give));
  if (!allowed) return 'FORBIDDEN';
  if (change.role === 'secretary' && !change.give && change.secretaries <= 1)
    return 'LAST_SECRETARY';
  return null;
}

/**
 * The first administrators come from configuration (a comma-separated list of openids in
 * LINLI_ADMIN_OPENIDS); every later administrator or secretary is data. Configuration only grants.
 */
export function configuredAdmins(raw: string | undefined): ReadonlySet<string> {
  return openidList(raw);
}
