import { fakeDateAt } from '../_test-support/clock';
import { PURPOSE_VERSION } from '../../src/domain/visits/elder';
import { PRIVACY_NOTICE_VERSION } from '../../src/domain/volunteer/registration';

/** Test-data builders for the visits function (fictional people). */

/** The fixed clock of the visits tests: a whole second, so no ISO timestamp carries chance digits. */
export const VISITS_NOW = new Date('2025-03-03T02:00:00.000Z');

/** Run the test on VISITS_NOW (or `now`); undo with `jest.useRealTimers()`. */
export function useFixedClock(now: Date = VISITS_NOW): void {
  fakeDateAt(now);
}

export function anElderDraft(overrides: Record<string, unknown> = {}) {
  return {
    name: '赵奶奶',
    age: 82,
    building: '3',
    unit: '2',
    room: '301',
    livingSituation: 'alone',
    riskLevel: 'high',
    phone: '13800002222',
    emergencyContacts: [{ name: '赵小明', relation: '儿子', phone: '13900003333' }],
    notes: '腿脚不便，敲门请稍等',
    consent: { version: PURPOSE_VERSION, by: 'elder' },
    ...overrides,
  };
}

export function aRegistration(name = '李四', phone = '13800001111') {
  return { name, phone, partyMember: false, consentVersion: PRIVACY_NOTICE_VERSION };
}

let counter = 0;
/** A fresh client visit id. */
export function visitId(): string {
  counter += 1;
  return `v-${Date.now().toString(36)}-${counter}-test`;
}

/** A visit that ended `endedMinutesAgo` minutes ago and lasted `minutes`. */
export function aVisit(
  elderId: string,
  overrides: Record<string, unknown> = {},
  minutes = 40,
  endedMinutesAgo = 5,
) {
  const end = new Date(Date.now() - endedMinutesAgo * 60_000);
  const start = new Date(end.getTime() - minutes * 60_000);
  return {
    visitId: visitId(),
    elderId,
    startAt: start.toISOString(),
    endAt: end.toISOString(),
    outcome: 'visited',
    checklist: { health: 'ok', mood: 'ok', homeSafety: 'ok', needs: 'concern' },
    notes: '聊天，帮忙换灯泡',
    ...overrides,
  };
}
