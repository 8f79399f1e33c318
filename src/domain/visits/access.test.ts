import { elderAccess, managesVisits, mayLogVisit } from './access';
import { compareRoster, pairCandidates } from './roster';
import { visitStatus } from './cadence';
import { DEFAULT_CADENCE } from './cadence';
import { isResentVisit, visitLogRefusal } from './visit-log';

const NOW = new Date('2025-03-03T02:00:00.000Z');

describe('who manages the roster and who may see an elder', () => {
  it('only the secretary manages visits', () => {
    expect(managesVisits('secretary')).toBe(true);
    expect(managesVisits('volunteer')).toBe(false);
    expect(managesVisits('resident')).toBe(false);
  });

  it('a secretary sees any elder; anyone else an active elder only if paired, never an archived or unknown one', () => {
    expect(elderAccess('secretary', { status: 'archived' })).toBe('granted');
    expect(elderAccess('secretary', null)).toBe('granted');
    expect(elderAccess('volunteer', { status: 'active' })).toBe('ifPaired');
    expect(elderAccess('resident', { status: 'active' })).toBe('ifPaired');
    expect(elderAccess('volunteer', { status: 'archived' })).toBe('refused');
    expect(elderAccess('volunteer', null)).toBe('refused');
  });

  it('a visit is logged only for an active elder by a volunteer paired now', () => {
    expect(mayLogVisit({ status: 'active' }, { active: true })).toBe(true);
    expect(mayLogVisit({ status: 'active' }, { active: false })).toBe(false);
    expect(mayLogVisit({ status: 'active' }, null)).toBe(false);
    expect(mayLogVisit({ status: 'archived' }, { active: true })).toBe(false);
    expect(mayLogVisit(null, { active: true })).toBe(false);
  });
});

describe('visit log refusals', () => {
  const visit = { startAt: '2025-03-03T01:00:00.000Z', endAt: '2025-03-03T01:40:00.000Z' };
  it('a taken id first, then the time', () => {
    expect(visitLogRefusal(visit, true, NOW)?.code).toBe('VISIT_ID_TAKEN');
    expect(visitLogRefusal(visit, false, NOW)).toBeNull();
    expect(visitLogRefusal({ ...visit, endAt: '2025-03-03T05:00:00.000Z' }, false, NOW)?.code).toBe(
      'VISIT_IN_FUTURE',
    );
    expect(
      visitLogRefusal({ ...visit, startAt: '2025-01-01T01:00:00.000Z' }, false, NOW)?.code,
    ).toBe('VISIT_TOO_OLD');
  });
  it('a resend is the same volunteer for the same elder', () => {
    const stored = { volunteer: 'li', elderId: 'e1' };
    expect(isResentVisit(stored, { elderId: 'e1' }, 'li')).toBe(true);
    expect(isResentVisit(stored, { elderId: 'e2' }, 'li')).toBe(false);
    expect(isResentVisit(stored, { elderId: 'e1' }, 'zhang')).toBe(false);
    expect(isResentVisit(null, { elderId: 'e1' }, 'li')).toBe(false);
  });
});

describe('roster order and pairing candidates', () => {
  const status = (lastContactAt: Date | null) =>
    visitStatus(
      {
        riskLevel: 'high',
        addedAt: new Date('2025-01-01T00:00:00.000Z'),
        lastContactAt,
        notAtHomeAt: null,
        flaggedChangeAt: null,
      },
      NOW,
      DEFAULT_CADENCE,
    );
  it('active before archived, then the most due first', () => {
    const rows = [
      { name: '甲', archived: true, status: status(null) },
      { name: '乙', archived: false, status: status(new Date('2025-03-02T00:00:00.000Z')) },
      { name: '丙', archived: false, status: status(null) },
    ];
    expect([...rows].sort(compareRoster).map((r) => r.name)).toEqual(['丙', '乙', '甲']);
  });

  it('volunteers holding a claim on a visit post first, with their first such claim; then by name', () => {
    const rows = pairCandidates(
      [
        { openid: 'a', maskedName: '王*', maskedPhone: '138****0001' },
        { openid: 'b', maskedName: '李*', maskedPhone: '138****0002' },
        { openid: 'c', maskedName: '张*', maskedPhone: '138****0003' },
      ],
      [
        { id: 'c1', openid: 'b', postId: 'garden' },
        { id: 'c2', openid: 'c', postId: 'visit' },
        { id: 'c3', openid: 'c', postId: 'visit2' },
      ],
      [
        { id: 'garden', title: '花园维护' },
        { id: 'visit', title: '关爱老人日常探访' },
        { id: 'visit2', title: '周末探访' },
      ],
    );
    expect(rows.map((r) => [r.openid, r.claimId, r.postTitle])).toEqual([
      ['c', 'c2', '关爱老人日常探访'],
      ['b', null, null],
      ['a', null, null],
    ]);
  });
});
