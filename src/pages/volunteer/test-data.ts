/** jest only: sample volunteering data for the 志愿 component tests (fictional people). */
import type { MyVolunteering, PostView } from '@/domain/contract';
import type { OpportunityList, Schedule } from '@/domain/volunteer/opportunity';
import type { VolunteerProfile } from '@/domain/volunteer/registration';
import { EMPTY_SUMMARY } from '@/domain/volunteer/ledger';
import { addDays } from '@/domain/volunteer/opportunity';
import { shanghaiDate } from '@/domain/shared/time';

export const inDays = (n: number) => addDays(shanghaiDate(new Date()), n);

export const list: OpportunityList = {
  id: 'l1',
  title: '光华社区本周机会岗位清单（示例）',
  periodFrom: inDays(0),
  periodUntil: inDays(13),
  categories: [
    { id: 'care', name: '关爱老人' },
    { id: 'emergency', name: '应急处突' },
  ],
  status: 'published',
  postCount: 3,
  createdAt: '2025-03-01T00:00:00.000Z',
};

export function aPostView(overrides: Partial<PostView> = {}): PostView {
  const schedule: Schedule = overrides.schedule ?? {
    kind: 'once',
    date: inDays(3),
    start: 540,
    end: 660,
  };
  return {
    id: 'l1-01',
    listId: 'l1',
    order: 0,
    categoryId: 'care',
    title: '关爱老人日常探访',
    description: '',
    schedule,
    capacity: 5,
    claimed: 2,
    points: 10,
    requirements: { partyMemberOnly: false, note: '' },
    location: { place: '光华社区（示例）' },
    placesLeft: 3,
    claimDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    withdrawDeadline: new Date(Date.now() + 3 * 86_400_000 - 7_200_000).toISOString(),
    myClaim: null,
    ...overrides,
  };
}

export function aVolunteer(overrides: Partial<VolunteerProfile> = {}): VolunteerProfile {
  return {
    openid: 'sample-volunteer',
    name: '李四',
    phone: '13800002222',
    workUnit: '',
    partyMember: false,
    skills: [],
    status: 'approved',
    consentVersion: '2025-01',
    consentAt: '2025-03-01T00:00:00.000Z',
    honourOptOut: false,
    registeredAt: '2025-03-01T00:00:00.000Z',
    ...overrides,
  };
}

export function myVolunteering(overrides: Partial<MyVolunteering> = {}): MyVolunteering {
  return {
    volunteer: aVolunteer(),
    summary: EMPTY_SUMMARY,
    claims: [],
    services: [],
    ...overrides,
  };
}
