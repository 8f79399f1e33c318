import { PURPOSE_VERSION } from '../../src/domain/visits/elder';
import type { RiskLevel } from '../../src/domain/visits/cadence';
import type { LivingSituation } from '../../src/domain/visits/elder';
import { PERSONAS } from './data';

/**
 * SAMPLE elders for home visits. Every person here is FICTIONAL: names end in "（示例）", phone
 * numbers are 1380000xxxx placeholders, `sample: true` on every document. Mixed risk levels; some
 * are overdue on purpose; most are paired with the sample volunteer 李四（示例）, so signing in as
 * the volunteer persona shows 我的结对 and as the secretary shows the coverage dashboard.
 */

type Seeded = Record<string, unknown> & { _id: string };

const DAY = 86_400_000;

/** name, age, building, unit, living, risk, days since last contact (null: never), paired with 李四. */
const SAMPLE_ELDERS: ReadonlyArray<
  [string, string, number, string, string, LivingSituation, RiskLevel, number | null, boolean]
> = [
  ['sample_zhao', '赵奶奶（示例）', 84, '3', '2', 'alone', 'high', 10, true],
  ['sample_qian', '钱爷爷（示例）', 79, '5', '1', 'empty-nest', 'key', 12, true],
  ['sample_sun', '孙奶奶（示例）', 88, '2', '3', 'alone', 'high', 2, true],
  ['sample_wu', '吴奶奶（示例）', 76, '7', '1', 'empty-nest', 'key', 40, true],
  ['sample_zhou', '周爷爷（示例）', 72, '1', '2', 'with-children', 'general', 100, false],
  ['sample_zheng', '郑爷爷（示例）', 81, '6', '2', 'alone', 'key', null, false],
];

export const SAMPLE_ELDER_IDS = SAMPLE_ELDERS.map(([id]) => `elder_${id}`);

export function sampleVisitGroups(now: Date): Array<[string, Seeded[]]> {
  const volunteer = PERSONAS.volunteer.openid;
  const secretary = PERSONAS.secretary.openid;
  const elders: Seeded[] = [];
  const pairings: Seeded[] = [];
  const visits: Seeded[] = [];
  SAMPLE_ELDERS.forEach(([key, name, age, building, unit, living, risk, daysAgo, paired], i) => {
    const id = `elder_${key}`;
    const contact = daysAgo === null ? null : new Date(now.getTime() - daysAgo * DAY);
    elders.push({
      _id: id,
      _openid: secretary,
      name,
      age,
      building,
      unit,
      room: `${i + 1}01`,
      livingSituation: living,
      riskLevel: risk,
      phone: `138000010${String(i).padStart(2, '0')}`,
      emergencyContacts: [
        {
          name: `${name.slice(0, 1)}小明（示例）`,
          relation: '子女',
          phone: `139000010${String(i).padStart(2, '0')}`,
        },
      ],
      notes: '示例数据，人物虚构',
      consentVersion: PURPOSE_VERSION,
      consentBy: 'elder',
      consentAt: new Date(now.getTime() - 120 * DAY),
      status: 'active',
      pairedOpenids: paired ? [volunteer] : [],
      addedAt: new Date(now.getTime() - 120 * DAY),
      lastContactAt: contact,
      notAtHomeAt: null,
      flaggedChangeAt: null,
      lastVisitAt: contact,
      lastOutcome: contact ? 'visited' : null,
      openFlags: 0,
      sample: true,
    });
    if (paired) {
      pairings.push({
        _id: `${id}__${volunteer}`,
        _openid: volunteer,
        elderId: id,
        openid: volunteer,
        claimId: null,
        postId: null,
        active: true,
        pairedAt: new Date(now.getTime() - 100 * DAY),
        pairedBy: secretary,
        sample: true,
      });
    }
    if (contact) {
      visits.push({
        _id: `sample-visit-${key}`,
        _openid: paired ? volunteer : secretary,
        elderId: id,
        startAt: new Date(contact.getTime() - 40 * 60_000),
        endAt: contact,
        minutes: 40,
        outcome: 'visited',
        checklist: { health: 'ok', mood: 'ok', homeSafety: 'ok', needs: 'ok' },
        notes: '示例探访记录',
        photo: '',
        urgent: false,
        urgentNote: '',
        serviceId: '',
        serviceStatus: 'none',
        receivedAt: contact,
        sample: true,
      });
    }
  });
  return [
    ['elders', elders],
    ['elder_pairings', pairings],
    ['elder_visits', visits],
  ];
}
