import * as v from 'valibot';
import {
  PRIVACY_NOTICE_VERSION,
  initialRegistrationStatus,
  maskName,
  maskPhone,
  needsNewConsent,
  registrationSchema,
} from './registration';
import { honourBoard, monthRange, monthlyTotals, ANONYMOUS_NAME } from './honour-board';
import { csvCell, mergeRows, volunteerRecordCsv } from './record-export';
import {
  autoCloseCheckOut,
  autoCloseCutoff,
  confirmableMinutes,
  isOverdueOpen,
  serviceMinutes,
} from './service';

const valid = {
  name: '张三',
  phone: '13800001111',
  partyMember: true,
  partySince: '2001-07',
  consentVersion: PRIVACY_NOTICE_VERSION,
};

describe('registration', () => {
  it('needs real name, phone and consent to the current notice', () => {
    expect(v.safeParse(registrationSchema, valid).success).toBe(true);
    expect(v.safeParse(registrationSchema, { ...valid, consentVersion: '2000-01' }).success).toBe(
      false,
    );
    expect(v.safeParse(registrationSchema, { ...valid, phone: '12345' }).success).toBe(false);
    expect(v.safeParse(registrationSchema, { ...valid, partySince: undefined }).success).toBe(
      false,
    );
    const nonMember = v.parse(registrationSchema, { ...valid, partyMember: false });
    expect(nonMember.partySince).toBeUndefined();
    expect(v.safeParse(registrationSchema, { ...valid, extra: 1 }).success).toBe(false);
  });
  it('masks names and phones in lists', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小五')).toBe('王*五');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskPhone('13800001111')).toBe('138****1111');
  });
  it('approves at once unless the secretary requires approval', () => {
    expect(initialRegistrationStatus(false)).toBe('approved');
    expect(initialRegistrationStatus(true)).toBe('pending');
    expect(needsNewConsent(PRIVACY_NOTICE_VERSION)).toBe(false);
    expect(needsNewConsent(undefined)).toBe(true);
  });
});

describe('honour board', () => {
  it('ranks monthly minutes, shares ranks on ties and hides those who opted out', () => {
    const totals = monthlyTotals([
      { subject: 'a', minutes: 60 },
      { subject: 'b', minutes: 120 },
      { subject: 'a', minutes: 60 },
      { subject: 'c', minutes: 30 },
    ]);
    const people = new Map([
      ['a', { name: '张三', optOut: false }],
      ['b', { name: '李四', optOut: true }],
      ['c', { name: '王小五', optOut: false }],
    ]);
    const rows = honourBoard(totals, people, 'b');
    expect(rows.map((r) => [r.rank, r.name, r.minutes, r.isMe])).toEqual([
      [1, '张*', 120, false],
      [1, ANONYMOUS_NAME, 120, true],
      [3, '王*五', 30, false],
    ]);
  });
  it('knows month boundaries', () => {
    expect(monthRange('2025-12')).toEqual({ from: '2025-12-01', before: '2026-01-01' });
  });
});

describe('service records', () => {
  it('counts whole minutes, capped', () => {
    expect(serviceMinutes(new Date('2025-03-01T01:00:00Z'), new Date('2025-03-01T02:30:59Z'))).toBe(
      90,
    );
    expect(serviceMinutes(new Date('2025-03-01T01:00:00Z'), new Date('2025-03-02T01:00:00Z'))).toBe(
      720,
    );
  });
  it('flags open services after 24 hours', () => {
    const checkInAt = new Date('2025-03-01T01:00:00Z');
    expect(isOverdueOpen({ status: 'open', checkInAt }, new Date('2025-03-02T00:59:59Z'))).toBe(
      false,
    );
    expect(isOverdueOpen({ status: 'open', checkInAt }, new Date('2025-03-02T01:00:00Z'))).toBe(
      true,
    );
    expect(isOverdueOpen({ status: 'closed', checkInAt }, new Date('2025-03-05T01:00:00Z'))).toBe(
      false,
    );
  });
  it('closes an overdue service 24 hours after its check-in', () => {
    const checkInAt = new Date('2025-03-01T01:00:00Z');
    expect(autoCloseCheckOut(checkInAt).toISOString()).toBe('2025-03-02T01:00:00.000Z');
    expect(autoCloseCutoff(new Date('2025-03-02T01:00:00Z')).toISOString()).toBe(
      checkInAt.toISOString(),
    );
  });
  it('confirms half-hour steps', () => {
    expect(confirmableMinutes(1.5)).toBe(90);
    expect(confirmableMinutes(0.25)).toBeNull();
    expect(confirmableMinutes(13)).toBeNull();
  });
});

describe('volunteer record export', () => {
  it('writes the national record fields, escaped and formula-safe', () => {
    const rows = mergeRows([
      {
        name: '张三',
        phone: '13800001111',
        project: '健康监测',
        date: '2025-03-10',
        minutes: 60,
        organisation: '光华社区',
        confirmedAt: '2025-03-10',
      },
      {
        name: '张三',
        phone: '13800001111',
        project: '健康监测',
        date: '2025-03-10',
        minutes: 30,
        organisation: '光华社区',
        confirmedAt: '2025-03-11',
      },
      {
        name: '李四',
        phone: '13800002222',
        project: '=HYPERLINK("x")',
        date: '2025-03-09',
        minutes: 120,
        organisation: '光华社区',
        confirmedAt: '2025-03-10',
      },
    ]);
    expect(rows).toHaveLength(2);
    const csv = volunteerRecordCsv(rows);
    expect(
      csv.startsWith('\uFEFF志愿者姓名,联系电话,服务项目,服务日期,服务时长（小时）,确认组织'),
    ).toBe(true);
    expect(csv).toContain('张三,13800001111,健康监测,2025-03-10,1.5,光华社区,2025-03-11');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});
