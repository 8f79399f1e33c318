import type { Role } from '../account/roles';

/**
 * Who may see and change what of the elder roster. Elders' records are personal data collected
 * for one purpose (elder.ts): only the secretary manages them; a volunteer sees an elder only
 * while paired with them, and only while the elder is on the active roster.
 */

/** The roster, pairing, cadence, coverage, urgent flags, the access log and confirming visit time: the secretary's. */
export function managesVisits(role: Role): boolean {
  return role === 'secretary';
}

/** The refusal every secretary-only action answers (the same whatever was asked). */
export const NOT_SECRETARY = { code: 'FORBIDDEN', message: '没有权限进行此操作' } as const;

/**
 * Whether a caller may see an elder's full record: `granted` (a secretary, even an archived
 * elder), `refused` (no such elder, or archived), or `ifPaired` (an active elder: a volunteer
 * paired with them now). Only `ifPaired` needs the pairing read.
 */
export function elderAccess(
  role: Role,
  elder: { status: 'active' | 'archived' } | null,
): 'granted' | 'refused' | 'ifPaired' {
  if (managesVisits(role)) return 'granted';
  return elder?.status === 'active' ? 'ifPaired' : 'refused';
}

/** A visit is logged only by a volunteer paired now with an active elder. */
export function mayLogVisit<E extends { status: 'active' | 'archived' }>(
  elder: E | null,
  pairing: { active: boolean } | null,
): elder is E {
  return elder?.status === 'active' && pairing?.active === true;
}

/** The refusal that answers an elder the caller may not see: the same whether the elder exists or not. */
export const ELDER_NOT_FOUND = {
  code: 'ELDER_NOT_FOUND',
  message: '没有找到这位老人，或您没有查看权限',
} as const;

/**
 * How much of an elder's history a caller sees in the full record: a secretary every pairing and
 * visit; a paired volunteer their own only.
 */
export function elderRecordScope(role: Role): 'all' | 'own' {
  return managesVisits(role) ? 'all' : 'own';
}

/** Who a line names (a visit's volunteer, a flag's acknowledger): the caller themself is 我. */
export function personLabel(person: string, caller: string, maskedName: string): string {
  return person === caller ? '我' : maskedName;
}
