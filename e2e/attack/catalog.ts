/**
 * Every action of every cloud function with one VALID input (checked against the contract's
 * valibot schema before anything runs) and who may call it, as the product's rules say:
 *
 *   all        any signed-in caller (the function decides the rest from the caller's own data)
 *   secretary  the role tables (createRouter's `roles` in account/booking/circle/volunteer, and the
 *              secretary checks inside visits' handlers, which log each refusal)
 *   paired     the secretary, or a volunteer paired with the elder (visits.elder); anyone else is
 *              answered ELDER_NOT_FOUND, exactly as for an elder that does not exist
 *   pairedVolunteer  only a volunteer paired with the elder (visits.log: visits are logged by the
 *              people who make them); anyone else, the secretary too, is answered ELDER_NOT_FOUND
 *
 * Inputs point at things that do not exist where an allowed call would change shared state
 * (bookings, lists, elders, places to remove), so the matrix can run every allowed call safely.
 */
import * as v from 'valibot';
import { contract, type FunctionName } from '../../src/domain/contract';
import { addDays } from '../../src/domain/booking/slots';
import { shanghaiDate } from '../../src/domain/shared/time';
import { DEFAULT_CADENCE } from '../../src/domain/visits/cadence';
import { CIRCLE_CATEGORY_IDS } from '../../src/domain/circle/categories';
import { aList, aRegistration } from '../../cloudfunctions/volunteer/fixtures';
import { anElderDraft, aVisit } from '../../cloudfunctions/visits/fixtures';

export type Access = 'all' | 'secretary' | 'paired' | 'pairedVolunteer';

export interface Fixtures {
  /** An elder paired with the sample volunteer only. */
  pairedElder: string;
  /** Another person's openid (for "someone else's ledger"). */
  otherOpenid: string;
  /** A fresh id on every call (request ids, names). */
  unique(prefix?: string): string;
}

export interface ActionCase {
  fn: FunctionName;
  action: string;
  /** Shown in reports when one action has several cases. */
  label: string;
  access: Access;
  input(f: Fixtures): Record<string, unknown>;
}

const today = () => shanghaiDate(new Date());
const inDays = (n: number) => addDays(today(), n);

/** Every case carries a fresh request id when its contract takes one (saveElder, saveList… once they do). */
const c = (
  fn: FunctionName,
  action: string,
  access: Access,
  input: (f: Fixtures) => Record<string, unknown>,
  label = `${fn}.${action}`,
): ActionCase => ({
  fn,
  action,
  label,
  access,
  input(f) {
    const made = input(f);
    const key = requestIdKey(fn, action);
    return key && !(key in made) ? { ...made, [key]: f.unique('rid') } : made;
  },
});

const NONE = 'attack-none-0001';

export const ACTION_CASES: ActionCase[] = [
  // account
  c('account', 'whoami', 'all', () => ({})),
  c('account', 'updateProfile', 'all', () => ({ nickname: '攻击测试' })),
  c('account', 'setRole', 'secretary', () => ({
    openid: 'attack-no-such-user',
    role: 'volunteer',
  })),
  c('account', 'listAccounts', 'secretary', () => ({})),
  // booking
  c('booking', 'space', 'all', () => ({ spaceId: 'r29' })),
  c('booking', 'listServices', 'all', () => ({ spaceId: 'r29' })),
  c('booking', 'listSlots', 'all', () => ({ serviceId: 'r29-gym', date: inDays(1) })),
  c('booking', 'create', 'all', (f) => ({
    serviceId: 'r29-gym',
    date: inDays(2),
    startMinute: 1380,
    clientRequestId: f.unique('role-create'),
  })),
  c('booking', 'joinWaitlist', 'all', (f) => ({
    serviceId: 'r29-gym',
    date: inDays(2),
    startMinute: 1320,
    clientRequestId: f.unique('role-wait'),
  })),
  c('booking', 'claimHold', 'all', () => ({ bookingId: NONE })),
  c('booking', 'cancel', 'all', () => ({ bookingId: NONE })),
  c('booking', 'mine', 'all', () => ({ scope: 'upcoming' })),
  c('booking', 'checkInOptions', 'all', () => ({})),
  c('booking', 'checkIn', 'all', () => ({ bookingId: NONE })),
  c('booking', 'updateService', 'secretary', () => ({
    serviceId: 'attack-no-such-service',
    rules: { capacity: 3 },
  })),
  c('booking', 'schedule', 'secretary', () => ({ serviceId: 'r29-gym', date: inDays(1) })),
  c('booking', 'markAttendance', 'secretary', () => ({ bookingId: NONE, attended: true })),
  c('booking', 'cancelBySecretary', 'secretary', () => ({ bookingId: NONE, reason: '设备检修' })),
  c('booking', 'utilization', 'secretary', () => ({ serviceId: 'r29-gym', weekStart: today() })),
  // circle
  c('circle', 'places', 'all', () => ({ spaceId: 'r29' })),
  c('circle', 'coverage', 'all', () => ({ spaceId: 'r29' })),
  c('circle', 'requestService', 'all', () => ({
    category: CIRCLE_CATEGORY_IDS[0],
    spaceId: 'r29',
  })),
  c('circle', 'listPlaces', 'secretary', () => ({})),
  c('circle', 'addPlace', 'secretary', (f) => ({
    name: f.unique('地点'),
    category: CIRCLE_CATEGORY_IDS[0],
    location: { latitude: 30.5906, longitude: 104.1286 },
  })),
  c('circle', 'updatePlace', 'secretary', () => ({
    id: NONE,
    place: {
      name: '不存在的地点',
      category: CIRCLE_CATEGORY_IDS[0],
      location: { latitude: 30.5906, longitude: 104.1286 },
    },
  })),
  c('circle', 'removePlace', 'secretary', () => ({ id: NONE })),
  c('circle', 'importPlaces', 'secretary', () => ({
    format: 'csv',
    text: '名称,类别,纬度,经度\n测试点,' + CIRCLE_CATEGORY_IDS[0] + ',30.59,104.12\n',
    dryRun: true,
  })),
  c('circle', 'serviceRequests', 'secretary', () => ({})),
  // volunteer
  c('volunteer', 'settings', 'all', () => ({})),
  c('volunteer', 'updateSettings', 'secretary', () => ({})),
  c(
    'volunteer',
    'register',
    'all',
    () => aRegistration({ name: '测试者' }) as Record<string, unknown>,
  ),
  c('volunteer', 'me', 'all', () => ({})),
  c('volunteer', 'setHonourOptOut', 'all', () => ({ optOut: false })),
  c('volunteer', 'volunteers', 'secretary', () => ({})),
  c('volunteer', 'approve', 'secretary', () => ({ openid: 'attack-no-such-user', approve: true })),
  c('volunteer', 'listPosts', 'all', () => ({})),
  c('volunteer', 'claim', 'all', (f) => ({
    postId: NONE,
    clientRequestId: f.unique('role-claim'),
  })),
  c('volunteer', 'withdraw', 'all', (f) => ({
    postId: NONE,
    clientRequestId: f.unique('role-withdraw'),
  })),
  c('volunteer', 'checkIn', 'all', (f) => ({ postId: NONE, clientRequestId: f.unique('role-in') })),
  c('volunteer', 'checkOut', 'all', (f) => ({
    postId: NONE,
    clientRequestId: f.unique('role-out'),
  })),
  c('volunteer', 'feedback', 'all', () => ({ serviceId: NONE, rating: 5, text: '很好' })),
  c('volunteer', 'feedbackList', 'all', () => ({})),
  c('volunteer', 'ledger', 'all', () => ({})),
  c(
    'volunteer',
    'ledger',
    'secretary',
    (f) => ({ openid: f.otherOpenid }),
    "volunteer.ledger (someone else's)",
  ),
  c('volunteer', 'rewards', 'all', () => ({})),
  c('volunteer', 'saveReward', 'secretary', (f) => ({
    title: f.unique('奖励').slice(0, 30),
    cost: 5,
    stock: 3,
    active: false,
  })),
  c('volunteer', 'redeem', 'all', (f) => ({
    rewardId: NONE,
    clientRequestId: f.unique('role-redeem'),
  })),
  c('volunteer', 'myRedemptions', 'all', () => ({})),
  c('volunteer', 'verifyRedemption', 'secretary', () => ({ code: 'ABCDEFGH' })),
  c('volunteer', 'honourBoard', 'all', () => ({})),
  c('volunteer', 'lists', 'secretary', () => ({})),
  c('volunteer', 'getList', 'secretary', () => ({ listId: NONE })),
  c('volunteer', 'saveList', 'secretary', () => ({ draft: aList({ title: '攻击测试清单' }) })),
  c('volunteer', 'publishList', 'secretary', () => ({ listId: NONE })),
  c('volunteer', 'closeList', 'secretary', () => ({ listId: NONE })),
  c('volunteer', 'copyList', 'secretary', () => ({ listId: NONE, periodFrom: inDays(7) })),
  c('volunteer', 'claims', 'secretary', () => ({ listId: NONE })),
  c('volunteer', 'confirm', 'secretary', (f) => ({
    clientRequestId: f.unique('role-confirm'),
    items: [{ claimId: NONE, date: today(), hours: 1 }],
  })),
  c('volunteer', 'adjust', 'secretary', (f) => ({
    openid: 'attack-no-such-user',
    points: 5,
    reason: '测试调整',
    clientRequestId: f.unique('role-adjust'),
  })),
  c('volunteer', 'export', 'secretary', () => ({ from: inDays(-30), until: today() })),
  // visits
  c('visits', 'settings', 'all', () => ({})),
  c('visits', 'previewSettings', 'secretary', () => ({ cadence: DEFAULT_CADENCE })),
  c('visits', 'saveSettings', 'secretary', () => ({ cadence: DEFAULT_CADENCE })),
  c('visits', 'roster', 'secretary', () => ({})),
  c('visits', 'elder', 'paired', (f) => ({ elderId: f.pairedElder })),
  c('visits', 'saveElder', 'secretary', () => anElderDraftInput()),
  c('visits', 'archiveElder', 'secretary', () => ({
    elderId: 'elder_attack_none',
    reason: '测试归档',
  })),
  c('visits', 'pairCandidates', 'secretary', () => ({})),
  c('visits', 'pair', 'secretary', () => ({
    elderId: 'elder_attack_none',
    openid: 'attack-no-such-user',
  })),
  c('visits', 'unpair', 'secretary', () => ({
    elderId: 'elder_attack_none',
    openid: 'attack-no-such-user',
  })),
  c('visits', 'myElders', 'all', () => ({})),
  c(
    'visits',
    'log',
    'pairedVolunteer',
    (f) => aVisit(f.pairedElder, { visitId: f.unique('v-role') }) as Record<string, unknown>,
  ),
  c('visits', 'coverage', 'secretary', () => ({})),
  c('visits', 'urgentSummary', 'secretary', () => ({})),
  c('visits', 'recordGrant', 'secretary', () => ({})),
  c('visits', 'flags', 'secretary', () => ({})),
  c('visits', 'acknowledgeFlag', 'secretary', () => ({ flagId: NONE })),
  c('visits', 'accessLog', 'secretary', () => ({})),
  c('visits', 'pendingServices', 'secretary', () => ({})),
  c('visits', 'confirmVisits', 'secretary', (f) => ({
    clientRequestId: f.unique('role-cv'),
    visitIds: [f.unique('v-none')],
  })),
];

function anElderDraftInput(): Record<string, unknown> {
  return { draft: anElderDraft({ name: '攻击测试老人' }) };
}

/** The action's input schema from the contract. */
export function schemaOf(fn: FunctionName, action: string): v.GenericSchema {
  const spec = (contract[fn] as Record<string, { input: v.GenericSchema }>)[action];
  if (!spec) throw new Error(`no action ${fn}.${action} in the contract`);
  return spec.input;
}

/**
 * The key under which an action takes a client request id (requestId / clientRequestId), or null
 * when its contract has none.
 */
export function requestIdKey(fn: FunctionName, action: string): string | null {
  const schema = schemaOf(fn, action) as unknown as {
    entries?: Record<string, unknown>;
    pipe?: Array<{ entries?: Record<string, unknown> }>;
  };
  const entries = schema.entries ?? schema.pipe?.find((p) => p.entries)?.entries;
  if (!entries) return null;
  return 'clientRequestId' in entries ? 'clientRequestId' : null;
}

/** The catalogue covers every contract action, and every case's input is valid by its schema. */
export function checkCatalog(f: Fixtures): string[] {
  const problems: string[] = [];
  for (const fn of Object.keys(contract) as FunctionName[]) {
    for (const action of Object.keys(contract[fn])) {
      if (!ACTION_CASES.some((k) => k.fn === fn && k.action === action))
        problems.push(`${fn}.${action} has no case in e2e/attack/catalog.ts`);
    }
  }
  for (const k of ACTION_CASES) {
    const parsed = v.safeParse(schemaOf(k.fn, k.action), k.input(f));
    if (!parsed.success)
      problems.push(
        `${k.label}: the catalogue's input is not valid: ${parsed.issues.map((i) => i.message).join('; ')}`,
      );
  }
  return problems;
}

export function actionCount(): number {
  return Object.values(contract).reduce((n, spec) => n + Object.keys(spec).length, 0);
}
