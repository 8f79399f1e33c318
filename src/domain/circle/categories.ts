/**
 * What a 15-minute life circle should hold, as data.
 *
 * Categories follow MOFCOM's 城市一刻钟便民生活圈建设指南 (2021): 基本保障类 (basic needs) and
 * 品质提升类 (quality of life). `guideMinutes` is the walking time within which the guide (and
 * GB 50180-2018's levels) expects a resident to reach one: convenience store within 5 minutes;
 * breakfast, pharmacy, laundry, hairdresser, market within about 8 (so the 10-minute band);
 * supermarket, repair, fitness and the quality class within 15. `priority` marks the "六个一"
 * slogan: 一店一早, 一菜一修, 一老一小.
 */

export const CATEGORY_CLASSES = ['basic', 'quality'] as const;
export type CategoryClass = (typeof CATEGORY_CLASSES)[number];

export const CATEGORY_CLASS_NAMES: Record<CategoryClass, string> = {
  basic: '基本保障类',
  quality: '品质提升类',
};

/** The walking bands, in minutes. */
export const BANDS = [5, 10, 15] as const;
export type Band = (typeof BANDS)[number];

export interface CircleCategory {
  id: string;
  name: string;
  class: CategoryClass;
  /** Minutes within which the guide expects one: the band it belongs to. */
  guideMinutes: Band;
  /** Part of the "六个一" priorities. */
  priority: boolean;
  /** A short mark for map markers and list rows. */
  icon: string;
  /** Marker colour on the map (hex). */
  color: string;
}

export const CIRCLE_CATEGORIES = [
  {
    id: 'convenience-store',
    name: '便利店',
    class: 'basic',
    guideMinutes: 5,
    priority: true,
    icon: '🏪',
    color: '#0f766e',
  },
  {
    id: 'breakfast',
    name: '早餐店',
    class: 'basic',
    guideMinutes: 10,
    priority: true,
    icon: '🥟',
    color: '#b45309',
  },
  {
    id: 'wet-market',
    name: '菜市场',
    class: 'basic',
    guideMinutes: 10,
    priority: true,
    icon: '🥬',
    color: '#15803d',
  },
  {
    id: 'fresh-grocery',
    name: '生鲜超市/菜店',
    class: 'basic',
    guideMinutes: 10,
    priority: false,
    icon: '🍎',
    color: '#65a30d',
  },
  {
    id: 'supermarket',
    name: '综合超市',
    class: 'basic',
    guideMinutes: 15,
    priority: false,
    icon: '🛒',
    color: '#0369a1',
  },
  {
    id: 'pharmacy',
    name: '药店',
    class: 'basic',
    guideMinutes: 10,
    priority: false,
    icon: '💊',
    color: '#dc2626',
  },
  {
    id: 'laundry',
    name: '洗染店',
    class: 'basic',
    guideMinutes: 10,
    priority: false,
    icon: '🧺',
    color: '#7c3aed',
  },
  {
    id: 'hair-salon',
    name: '美容美发店',
    class: 'basic',
    guideMinutes: 10,
    priority: false,
    icon: '💇',
    color: '#db2777',
  },
  {
    id: 'repair',
    name: '维修点',
    class: 'basic',
    guideMinutes: 15,
    priority: true,
    icon: '🔧',
    color: '#475569',
  },
  {
    id: 'housekeeping',
    name: '家政服务点',
    class: 'basic',
    guideMinutes: 15,
    priority: false,
    icon: '🧹',
    color: '#a16207',
  },
  {
    id: 'print-photo',
    name: '照相文印店',
    class: 'basic',
    guideMinutes: 15,
    priority: false,
    icon: '🖨️',
    color: '#4b5563',
  },
  {
    id: 'post-express',
    name: '邮政快递综合服务点',
    class: 'basic',
    guideMinutes: 10,
    priority: false,
    icon: '📦',
    color: '#ca8a04',
  },
  {
    id: 'elder-care',
    name: '养老服务/日间照料',
    class: 'quality',
    guideMinutes: 15,
    priority: true,
    icon: '🍵',
    color: '#9a3412',
  },
  {
    id: 'child-care',
    name: '幼儿托管点',
    class: 'quality',
    guideMinutes: 15,
    priority: true,
    icon: '🧸',
    color: '#e11d48',
  },
  {
    id: 'fitness',
    name: '健身场所',
    class: 'quality',
    guideMinutes: 15,
    priority: false,
    icon: '🏋️',
    color: '#1d4ed8',
  },
  {
    id: 'cafe',
    name: '咖啡店',
    class: 'quality',
    guideMinutes: 15,
    priority: false,
    icon: '☕',
    color: '#78350f',
  },
  {
    id: 'restaurant',
    name: '特色餐饮',
    class: 'quality',
    guideMinutes: 15,
    priority: false,
    icon: '🍜',
    color: '#c2410c',
  },
  {
    id: 'pet-service',
    name: '宠物服务站',
    class: 'quality',
    guideMinutes: 15,
    priority: false,
    icon: '🐾',
    color: '#6d28d9',
  },
  {
    id: 'culture-education',
    name: '文化/教育服务',
    class: 'quality',
    guideMinutes: 15,
    priority: false,
    icon: '📚',
    color: '#0e7490',
  },
] as const satisfies readonly CircleCategory[];

export type CircleCategoryId = (typeof CIRCLE_CATEGORIES)[number]['id'];

export const CIRCLE_CATEGORY_IDS = CIRCLE_CATEGORIES.map(
  (c) => c.id,
) as readonly CircleCategoryId[];

const BY_ID = new Map<string, CircleCategory>(CIRCLE_CATEGORIES.map((c) => [c.id, c]));
const BY_NAME = new Map<string, CircleCategory>(CIRCLE_CATEGORIES.map((c) => [c.name, c]));

export function isCircleCategoryId(value: unknown): value is CircleCategoryId {
  return typeof value === 'string' && BY_ID.has(value);
}

export function circleCategory(id: CircleCategoryId): CircleCategory {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown circle category ${id}`);
  return found;
}

/** A category from its id ("pharmacy") or its Chinese name ("药店"), as imports may give either. */
export function findCircleCategory(text: string): CircleCategory | undefined {
  const t = text.trim();
  return BY_ID.get(t) ?? BY_NAME.get(t);
}

/**
 * GB 50180-2018 residential life-circle levels. Each level must provide its own facilities (they
 * are not nested); `distanceM` is the standard's walking distance, `residents` the population served.
 */
export interface LifeCircleLevel {
  minutes: Band;
  name: string;
  distanceM: readonly [number, number];
  residents: readonly [number, number];
}

export const GB50180_LEVELS: readonly LifeCircleLevel[] = [
  { minutes: 5, name: '五分钟生活圈居住区', distanceM: [300, 300], residents: [5000, 12000] },
  { minutes: 10, name: '十分钟生活圈居住区', distanceM: [500, 500], residents: [15000, 25000] },
  { minutes: 15, name: '十五分钟生活圈居住区', distanceM: [800, 1000], residents: [50000, 100000] },
];
