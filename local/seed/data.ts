import type { Role } from '../../src/domain/account/roles';
import type { OpeningRule } from '../../src/domain/space/opening-hours';
import type { ServiceDoc, SpaceDoc } from '../../cloudfunctions/_shared/collections';

/**
 * Sample data for the local cloud. Everything here is FICTIONAL and marked as such: `sample: true`
 * on every document and "（示例）" in every name. The R29 space is modelled on the public article
 * (../shared/seed/r29-and-guanghua-article.txt); its hours are plausible examples, not the real
 * timetable, and the coordinates are approximate.
 */

export const SAMPLE_SPACE_ID = 'r29';

/** The three sample people one can sign in as on the H5 build. */
export const PERSONAS = {
  resident: { openid: 'sample-resident-zhangsan', nickname: '张三（示例）', role: 'resident' },
  volunteer: { openid: 'sample-volunteer-lisi', nickname: '李四（示例）', role: 'volunteer' },
  secretary: { openid: 'sample-secretary-wangwu', nickname: '王五（示例）', role: 'secretary' },
} as const satisfies Record<string, { openid: string; nickname: string; role: Role }>;

export type PersonaName = keyof typeof PERSONAS;
export const PERSONA_NAMES = Object.keys(PERSONAS) as PersonaName[];

/** The sample secretary is a secretary through LINLI_SECRETARY_OPENIDS, like a real deployment. */
export const SAMPLE_SECRETARY_OPENIDS = PERSONAS.secretary.openid;

export interface SampleUserDoc {
  _id: string;
  _openid: string;
  role: Role;
  profile: { nickname: string; avatarUrl: string; elderMode: boolean };
  createdAt: Date;
  sample: true;
}

/** The sample space and services are stored exactly as the booking function reads them, marked sample. */
export type SampleSpaceDoc = SpaceDoc & { sample: true };
export type SampleServiceDoc = ServiceDoc & { sample: true };

export function sampleUsers(now: Date): SampleUserDoc[] {
  return PERSONA_NAMES.map((p) => ({
    _id: PERSONAS[p].openid,
    _openid: PERSONAS[p].openid,
    role: PERSONAS[p].role,
    profile: { nickname: PERSONAS[p].nickname, avatarUrl: '', elderMode: false },
    createdAt: now,
    sample: true,
  }));
}

export const SAMPLE_SPACE: SampleSpaceDoc = {
  _id: SAMPLE_SPACE_ID,
  name: 'R29社区生活空间（示例）',
  address: '成都市锦江区成龙路街道锦江大道 R29C 社区商业中心（示例地址）',
  intro:
    '约 1200 平方米的社区生活空间（示例数据）：共享健身、邻里会客、托育、老年日照、政务服务、双创办公、咖啡与自助洗衣，一站满足一刻钟便民生活。',
  // GCJ-02 (the system places are stored in), as WeChat's map shows it.
  location: { latitude: 30.5906, longitude: 104.1286 },
  sample: true,
};

/** Minutes from 00:00 Asia/Shanghai for "HH:mm". */
function hm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];
const ALWAYS: OpeningRule[] = [{ days: EVERY_DAY, open: 0, close: 1440 }];

function daily(open: string, close: string, days: number[] = EVERY_DAY): OpeningRule {
  return { days, open: hm(open), close: hm(close) };
}

type ServiceSeed = Omit<SampleServiceDoc, 'spaceId' | 'order' | 'sample'>;

const SERVICES: ServiceSeed[] = [
  {
    _id: 'r29-gym',
    name: '24小时共享健身房（示例）',
    category: 'gym',
    summary: '引力氧舱共享健身，按时段预约，每时段限定人数。',
    place: '二楼北侧',
    hours: ALWAYS,
    bookingKind: 'capacity',
  },
  {
    _id: 'r29-living-room',
    name: '邻里会客厅（示例）',
    category: 'living-room',
    summary: '邻里聚会、议事、生日会，整间预约。',
    place: '一楼东侧',
    hours: [daily('09:00', '21:00')],
    bookingKind: 'room',
  },
  {
    _id: 'r29-child-care',
    name: '童乐托育（示例）',
    category: 'child-care',
    summary: '工作日托育服务，按场次预约。',
    place: '一楼南侧',
    hours: [daily('08:30', '17:30', WEEKDAYS)],
    bookingKind: 'session',
  },
  {
    _id: 'r29-elder-day-care',
    name: '老年日照中心（示例）',
    category: 'elder-day-care',
    summary: '长辈日间照料、午餐与活动，按场次预约。',
    place: '一楼西侧',
    hours: [daily('08:30', '17:00')],
    bookingKind: 'session',
  },
  {
    _id: 'r29-government',
    name: '政务服务点（示例）',
    category: 'government',
    summary: '社保、居住证等常办事项，预约到号；下班后可用自助终端。',
    place: '一楼大厅',
    hours: [daily('09:00', '12:00', WEEKDAYS), daily('13:30', '17:30', WEEKDAYS)],
    bookingKind: 'appointment',
  },
  {
    _id: 'r29-co-working',
    name: '双创共享办公（示例）',
    category: 'co-working',
    summary: '创业者共享工位，到场即用。',
    place: '二楼南侧',
    hours: [daily('09:00', '22:00')],
    bookingKind: 'walk-in',
  },
  {
    _id: 'r29-cafe',
    name: '咖啡空间（示例）',
    category: 'cafe',
    summary: '社区咖啡，与自助洗衣相邻。',
    place: '一楼北侧',
    hours: [daily('08:00', '22:00')],
    bookingKind: 'walk-in',
  },
  {
    _id: 'r29-laundry',
    name: '自助洗衣（示例）',
    category: 'laundry',
    summary: '24 小时自助洗衣烘干。',
    place: '一楼北侧（咖啡空间旁）',
    hours: ALWAYS,
    bookingKind: 'walk-in',
  },
  {
    _id: 'r29-shared-desk',
    name: '便民共享服务台（示例）',
    category: 'shared-desk',
    summary: '借用工具、雨伞、充电宝，咨询社区事务。',
    place: '一楼入口',
    hours: [daily('09:00', '21:00')],
    bookingKind: 'walk-in',
  },
];

export const SAMPLE_SERVICES: SampleServiceDoc[] = SERVICES.map((s, i) => ({
  ...s,
  spaceId: SAMPLE_SPACE_ID,
  order: i + 1,
  sample: true,
}));
