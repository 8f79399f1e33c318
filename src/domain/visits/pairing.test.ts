import { elderRecordScope, personLabel } from './access';
import { dueReminder, openFirst, openFlagsAfterAcknowledge } from './flags';
import {
  alreadyPairedRefusal,
  elderGoneRefusal,
  pairClaimRefusal,
  pairElderRefusal,
  pairVolunteerRefusal,
  unpairRefusal,
  withPaired,
  withoutPaired,
} from './pairing';
import {
  changeRefusal,
  changedFields,
  consentRenewed,
  elderChangeDetail,
  elderCreateDetail,
} from './roster';
import {
  serviceConfirmRefusal,
  statusWithoutElder,
  visitConfirmRefusal,
  visitLogDetail,
  visitServiceId,
} from './visit-log';

const NOW = new Date('2025-03-03T02:00:00.000Z');

describe('pairing a volunteer with an elder', () => {
  it('only an elder on the active roster', () => {
    expect(pairElderRefusal(null)?.code).toBe('ELDER_NOT_FOUND');
    expect(pairElderRefusal({ status: 'archived' })?.code).toBe('ELDER_ARCHIVED');
    expect(pairElderRefusal({ status: 'active' })).toBeNull();
  });

  it('only with an approved volunteer', () => {
    expect(pairVolunteerRefusal(null)?.code).toBe('NOT_VOLUNTEER');
    expect(pairVolunteerRefusal({ status: 'pending' })?.code).toBe('NOT_VOLUNTEER');
    expect(pairVolunteerRefusal({ status: 'approved' })).toBeNull();
  });

  it('from the volunteer’s own claim, still held', () => {
    expect(pairClaimRefusal({ openid: 'li', status: 'claimed' }, 'li')).toBeNull();
    expect(pairClaimRefusal({ openid: 'zhang', status: 'claimed' }, 'li')?.code).toBe(
      'CLAIM_NOT_FOUND',
    );
    expect(pairClaimRefusal({ openid: 'li', status: 'withdrawn' }, 'li')?.code).toBe(
      'CLAIM_NOT_FOUND',
    );
    expect(pairClaimRefusal(null, 'li')?.code).toBe('CLAIM_NOT_FOUND');
  });

  it('once: an active pair is not made again; an elder archived meanwhile is not paired', () => {
    expect(alreadyPairedRefusal({ active: true })?.code).toBe('ALREADY_PAIRED');
    expect(alreadyPairedRefusal({ active: false })).toBeNull();
    expect(alreadyPairedRefusal(null)).toBeNull();
    expect(elderGoneRefusal({ status: 'active' })).toBeNull();
    expect(elderGoneRefusal({ status: 'archived' })?.code).toBe('ELDER_NOT_FOUND');
    expect(elderGoneRefusal(null)?.code).toBe('ELDER_NOT_FOUND');
  });

  it('only an active pair is ended', () => {
    expect(unpairRefusal(null)?.code).toBe('NOT_PAIRED');
    expect(unpairRefusal({ active: false })?.code).toBe('NOT_PAIRED');
    expect(unpairRefusal({ active: true })).toBeNull();
  });

  it('the elder’s paired volunteers: added once, last; removed', () => {
    expect(withPaired(['a', 'b'], 'a')).toEqual(['b', 'a']);
    expect(withPaired([], 'a')).toEqual(['a']);
    expect(withoutPaired(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('the full record and the roster’s changes', () => {
  it('a secretary sees every pairing and visit; a volunteer their own, called 我', () => {
    expect(elderRecordScope('secretary')).toBe('all');
    expect(elderRecordScope('volunteer')).toBe('own');
    expect(personLabel('li', 'li', '李*')).toBe('我');
    expect(personLabel('li', 'zhang', '李*')).toBe('李*');
  });

  it('names the fields a change changes, and renews consent when it changes', () => {
    const before = { name: '赵奶奶', emergencyContacts: [{ name: '赵小明' }], age: 82 };
    expect(changedFields(before, { ...before, age: 83 })).toEqual(['age']);
    expect(changedFields(before, { ...before, emergencyContacts: [{ name: '赵小明' }] })).toEqual(
      [],
    );
    const stored = { consentVersion: '2025-01', consentBy: 'elder' };
    expect(consentRenewed(stored, { version: '2025-01', by: 'elder' })).toBe(false);
    expect(consentRenewed(stored, { version: '2025-01', by: 'guardian' })).toBe(true);
    expect(consentRenewed(stored, { version: '2025-02', by: 'elder' })).toBe(true);
  });

  it('changes only an elder on the active roster', () => {
    expect(changeRefusal({ status: 'archived' })?.code).toBe('ELDER_ARCHIVED');
    expect(changeRefusal({ status: 'active' })).toBeNull();
  });

  it('describes the change in the access log', () => {
    expect(elderChangeDetail(['age', 'notes'], false)).toBe('修改：age、notes');
    expect(elderChangeDetail([], true)).toBe('保存（无改动）；标记重大变化');
    expect(elderCreateDetail({ version: '2025-01', by: 'guardian' })).toBe(
      '新增（监护人同意收集目的 2025-01）',
    );
  });
});

describe('flags and reminders', () => {
  it('open flags first, otherwise in the order given', () => {
    const flags = [
      { id: 1, status: 'acknowledged' as const },
      { id: 2, status: 'open' as const },
      { id: 3, status: 'acknowledged' as const },
      { id: 4, status: 'open' as const },
    ];
    expect([...flags].sort(openFirst).map((f) => f.id)).toEqual([2, 4, 1, 3]);
    expect(openFlagsAfterAcknowledge(2)).toBe(1);
    expect(openFlagsAfterAcknowledge(0)).toBe(0);
  });

  it('reminds of an elder overdue, or due within a day', () => {
    expect(dueReminder({ state: 'overdue', daysLeft: -2 })).toBe('overdue');
    expect(dueReminder({ state: 'due', daysLeft: 1 })).toBe('due');
    expect(dueReminder({ state: 'due', daysLeft: 2 })).toBeNull();
    expect(dueReminder({ state: 'visited', daysLeft: 0 })).toBeNull();
  });
});

describe('a visit’s service time', () => {
  it('a visit of a minute or more becomes a service record', () => {
    expect(visitServiceId('v-1', 40)).toBe('visit_v-1');
    expect(visitServiceId('v-1', 0)).toBe('');
    expect(visitLogDetail(40, true)).toBe('探访 40 分钟，标记紧急');
    expect(visitLogDetail(0, false)).toBe('探访 0 分钟');
  });

  it('is confirmed once, only where there is a service record', () => {
    expect(visitConfirmRefusal(null)).toBe('VISIT_NOT_FOUND');
    expect(visitConfirmRefusal({ serviceId: '' })).toBe('VISIT_NOT_FOUND');
    expect(visitConfirmRefusal({ serviceId: 'visit_v-1' })).toBeNull();
    expect(serviceConfirmRefusal(null)).toBe('SERVICE_NOT_FOUND');
    expect(serviceConfirmRefusal({ status: 'confirmed' })).toBe('ALREADY_CONFIRMED');
    expect(serviceConfirmRefusal({ status: 'closed' })).toBeNull();
  });

  it('an elder whose record is gone shows a first visit due', () => {
    expect(statusWithoutElder(NOW)).toMatchObject({ state: 'due', reason: 'first-visit' });
  });
});
