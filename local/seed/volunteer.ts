import type { DocData } from '../runtime/sdk';
import { PERSONAS } from './data';
import { PRIVACY_NOTICE_VERSION } from '../../src/domain/volunteer/registration';
import { addDays, type PostDraft, type Schedule } from '../../src/domain/volunteer/opportunity';
import { shanghaiDate } from '../../src/domain/shared/time';

/**
 * SAMPLE volunteer data (fictional): the sample volunteer 李四's registration, one published
 * opportunity list modelled on 光华社区's — 3 categories, 13 posts — and a small rewards catalogue.
 * Dates are relative to the seeding day so the list is always claimable.
 */

export const SAMPLE_LIST_ID = 'sample-list-guanghua';

type Seeded = DocData & { _id: string };

const weekly = (
  today: string,
  weekdays: number[],
  start: number,
  end: number,
  days = 27,
): Schedule => ({
  kind: 'weekly',
  weekdays,
  start,
  end,
  from: today,
  until: addDays(today, days),
});
const once = (date: string, start: number, end: number): Schedule => ({
  kind: 'once',
  date,
  start,
  end,
});

function samplePosts(today: string): PostDraft[] {
  const r = { partyMemberOnly: false, note: '' };
  const party = { partyMemberOnly: true, note: '优先安排党员' };
  const home = { place: '光华社区各小区（上门）' };
  const space = { place: 'R29 社区生活空间', spaceId: 'r29' };
  return [
    {
      categoryId: 'care',
      title: '关爱老人日常探访',
      description: '上门看望独居、空巢老人，了解近况并记录需求（每周一次）',
      schedule: weekly(today, [2, 4], 540, 660),
      capacity: 8,
      points: 10,
      requirements: r,
      location: home,
    },
    {
      categoryId: 'care',
      title: '高龄老人电话问候',
      description: '给 80 岁以上老人打电话问候，异常情况及时报告',
      schedule: weekly(today, [1, 3, 5], 600, 660),
      capacity: 4,
      points: 5,
      requirements: r,
      location: space,
    },
    {
      categoryId: 'care',
      title: '助餐送餐',
      description: '为行动不便的老人把午餐送到家',
      schedule: weekly(today, [1, 2, 3, 4, 5], 660, 750),
      capacity: 6,
      points: 8,
      requirements: r,
      location: home,
    },
    {
      categoryId: 'care',
      title: '老年日照中心陪伴',
      description: '陪伴老人读报、下棋、做手工',
      schedule: weekly(today, [6], 870, 1020),
      capacity: 5,
      points: 10,
      requirements: r,
      location: space,
    },
    {
      categoryId: 'care',
      title: '智能手机教学',
      description: '教老人使用健康码、视频通话和线上挂号',
      schedule: once(addDays(today, 5), 870, 990),
      capacity: 5,
      points: 8,
      requirements: { partyMemberOnly: false, note: '需耐心细致' },
      location: space,
    },
    {
      categoryId: 'emergency',
      title: '应急处突值守',
      description: '突发事件时协助社区疏导、联络和物资分发',
      schedule: weekly(today, [0, 6], 540, 1080),
      capacity: 10,
      points: 15,
      requirements: party,
      location: { place: '光华社区党群服务中心' },
    },
    {
      categoryId: 'emergency',
      title: '居家隔离人员帮扶',
      description: '为居家隔离人员代购生活物资、转运垃圾',
      schedule: weekly(today, [1, 2, 3, 4, 5, 6, 0], 480, 600),
      capacity: 6,
      points: 12,
      requirements: party,
      location: home,
    },
    {
      categoryId: 'emergency',
      title: '防汛巡查',
      description: '雨季巡查低洼地段和地下车库，发现隐患及时上报',
      schedule: once(addDays(today, 3), 1140, 1260),
      capacity: 4,
      points: 10,
      requirements: r,
      location: { place: '光华社区低洼地段' },
    },
    {
      categoryId: 'emergency',
      title: '消防安全宣传',
      description: '入户发放消防安全手册，检查楼道堆物',
      schedule: once(addDays(today, 8), 870, 1020),
      capacity: 6,
      points: 8,
      requirements: r,
      location: home,
    },
    {
      categoryId: 'health',
      title: '健康监测',
      description: '协助社区医生为老人测量血压、血糖并登记',
      schedule: weekly(today, [3], 540, 690),
      capacity: 4,
      points: 10,
      requirements: { partyMemberOnly: false, note: '会使用血压计' },
      location: space,
    },
    {
      categoryId: 'health',
      title: '义诊活动引导',
      description: '义诊现场排队引导、秩序维护',
      schedule: once(addDays(today, 6), 510, 720),
      capacity: 8,
      points: 8,
      requirements: r,
      location: space,
    },
    {
      categoryId: 'health',
      title: '健身房安全巡查',
      description: '共享健身房器械安全巡查，提醒规范使用',
      schedule: weekly(today, [0, 6], 1140, 1260),
      capacity: 3,
      points: 6,
      requirements: r,
      location: space,
    },
    {
      categoryId: 'health',
      title: '心理疏导陪伴',
      description: '陪伴独居老人聊天，关注情绪变化',
      schedule: weekly(today, [2], 870, 990),
      capacity: 3,
      points: 10,
      requirements: { partyMemberOnly: false, note: '有心理咨询经验者优先' },
      location: home,
    },
  ];
}

/** The sample documents by collection. */
export function sampleVolunteerGroups(now: Date): Array<[string, Seeded[]]> {
  const today = shanghaiDate(now);
  const posts = samplePosts(today);
  return [
    [
      'volunteers',
      [
        {
          _id: PERSONAS.volunteer.openid,
          _openid: PERSONAS.volunteer.openid,
          name: '李四',
          phone: '13800000002',
          workUnit: '示例单位（虚构）',
          partyMember: true,
          partySince: '2010-07',
          skills: ['量血压', '智能手机教学'],
          status: 'approved',
          consentVersion: PRIVACY_NOTICE_VERSION,
          consentAt: now,
          honourOptOut: false,
          createdAt: now,
          sample: true,
        },
      ],
    ],
    [
      'volunteer_settings',
      [
        {
          _id: 'settings',
          requireApproval: false,
          organisation: '光华社区居民委员会（示例）',
          sample: true,
        },
      ],
    ],
    [
      'volunteer_lists',
      [
        {
          _id: SAMPLE_LIST_ID,
          _openid: PERSONAS.secretary.openid,
          title: '光华社区机会岗位清单（示例）',
          periodFrom: today,
          periodUntil: addDays(today, 27),
          categories: [
            { id: 'care', name: '关爱老人' },
            { id: 'emergency', name: '应急处突' },
            { id: 'health', name: '健康服务' },
          ],
          status: 'published',
          postCount: posts.length,
          createdAt: now,
          publishedAt: now,
          sample: true,
        },
      ],
    ],
    [
      'volunteer_posts',
      posts.map((p, order) => ({
        _id: `${SAMPLE_LIST_ID}-${String(order + 1).padStart(2, '0')}`,
        listId: SAMPLE_LIST_ID,
        order,
        claimed: 0,
        ...p,
        sample: true,
      })),
    ],
    [
      'rewards',
      [
        {
          _id: 'sample-reward-gym',
          title: '共享健身房一小时',
          description: 'R29 引力氧舱健身房，凭兑换码到前台使用',
          cost: 20,
          stock: 30,
          active: true,
          createdAt: now,
          sample: true,
        },
        {
          _id: 'sample-reward-coffee',
          title: '咖啡券一张',
          description: 'R29 洗衣房旁咖啡馆，任意一杯',
          cost: 10,
          stock: 50,
          active: true,
          createdAt: now,
          sample: true,
        },
        {
          _id: 'sample-reward-laundry',
          title: '自助洗衣一次',
          description: '智慧生活区自助洗衣机',
          cost: 5,
          stock: null,
          active: true,
          createdAt: now,
          sample: true,
        },
      ],
    ],
  ];
}
