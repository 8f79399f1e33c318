import * as v from 'valibot';
import { safeText } from '../shared/text';
import { MINUTES_PER_DAY, formatMinuteOfDay, parseMinuteOfDay } from '../shared/time';
import {
  type OpenState,
  type OpeningRule,
  describeOpeningRules,
  openState,
  openStateLabel,
} from '../space/opening-hours';
import { CIRCLE_CATEGORY_IDS, type CircleCategoryId, isCircleCategoryId } from './categories';
import { type LatLng, coordinateProblem } from './walking';

/** A place (POI) in the life circle, as functions return it. */
export interface CirclePlace {
  id: string;
  name: string;
  category: CircleCategoryId;
  location: LatLng;
  /** Weekly hours; empty when unknown. */
  hours: OpeningRule[];
  phone: string;
  address: string;
  note: string;
  /** Bundled sample data, shown as such. */
  sample: boolean;
}

/** What a secretary writes: a place without its id. */
export type PlaceDraft = Omit<CirclePlace, 'id' | 'sample'>;

export const PLACE_LIMITS = {
  name: 40,
  phone: 20,
  address: 80,
  note: 200,
  hoursRules: 14,
} as const;

const PHONE = /^[0-9+\-() ]{3,20}$/;

export const latLngSchema = v.pipe(
  v.object({
    latitude: v.number('纬度必须是数字'),
    longitude: v.number('经度必须是数字'),
  }),
  v.check(
    (p) =>
      Number.isFinite(p.latitude) &&
      Number.isFinite(p.longitude) &&
      Math.abs(p.latitude) <= 90 &&
      Math.abs(p.longitude) <= 180,
    '经纬度超出范围（纬度 -90~90，经度 -180~180）',
  ),
);

/** A place's location: valid degrees inside China (see coordinateProblem). */
export const placeLocationSchema = v.pipe(
  v.strictObject({
    latitude: v.number('纬度必须是数字'),
    longitude: v.number('经度必须是数字'),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = coordinateProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

export const circleCategorySchema = v.custom<CircleCategoryId>(
  (x) => isCircleCategoryId(x),
  '未知的服务类别',
);

export const openingRuleSchema = v.pipe(
  v.strictObject({
    days: v.pipe(
      v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)), '营业日必须是 0–6'),
      v.minLength(1, '至少选择一天'),
      v.maxLength(7),
    ),
    open: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MINUTES_PER_DAY)),
    close: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MINUTES_PER_DAY * 2)),
  }),
  v.check((r) => r.close > r.open, '关门时间必须晚于开门时间'),
);

const text = (max: number, label: string) => safeText(label, max);

export const placeDraftSchema = v.strictObject({
  name: v.pipe(text(PLACE_LIMITS.name, '名称'), v.minLength(1, '请填写名称')),
  category: circleCategorySchema,
  location: placeLocationSchema,
  hours: v.optional(
    v.pipe(v.array(openingRuleSchema), v.maxLength(PLACE_LIMITS.hoursRules, '营业时间规则太多')),
    [],
  ),
  phone: v.optional(
    v.pipe(
      text(PLACE_LIMITS.phone, '电话'),
      v.check((p) => p === '' || PHONE.test(p), '电话格式不正确'),
    ),
    '',
  ),
  address: v.optional(text(PLACE_LIMITS.address, '地址'), ''),
  note: v.optional(safeText('备注', PLACE_LIMITS.note, { multiline: true }), ''),
});

export type PlaceDraftInput = v.InferInput<typeof placeDraftSchema>;

export { CIRCLE_CATEGORY_IDS };

/** Open-now for a place; places with unknown hours say so instead of "closed". */
export type PlaceOpenState = OpenState | { kind: 'unknown' };

export function placeOpenState(place: Pick<CirclePlace, 'hours'>, now: Date): PlaceOpenState {
  if (place.hours.length === 0) return { kind: 'unknown' };
  return openState(place.hours, now);
}

export function placeOpenLabel(state: PlaceOpenState, now: Date): string {
  return state.kind === 'unknown' ? '营业时间未知' : openStateLabel(state, now);
}

export function isPlaceOpen(state: PlaceOpenState): boolean {
  return state.kind === 'always' || state.kind === 'open';
}

export function describePlaceHours(hours: OpeningRule[]): string {
  return hours.length === 0 ? '营业时间未知' : describeOpeningRules(hours);
}

const DAY_WORDS: Record<string, number[]> = {
  每天: [0, 1, 2, 3, 4, 5, 6],
  每日: [0, 1, 2, 3, 4, 5, 6],
  工作日: [1, 2, 3, 4, 5],
  周末: [0, 6],
};
const WEEKDAY_INDEX: Record<string, number> = {
  日: 0,
  天: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
};

function parseDays(word: string): number[] | null {
  if (DAY_WORDS[word]) return DAY_WORDS[word];
  const range = /^周([一二三四五六日天])[至到\-~～]周?([一二三四五六日天])$/.exec(word);
  if (range) {
    const from = WEEKDAY_INDEX[range[1]];
    const to = WEEKDAY_INDEX[range[2]];
    // Ranges run Monday→Sunday, with Sunday as 7.
    const a = from === 0 ? 7 : from;
    const b = to === 0 ? 7 : to;
    if (b < a) return null;
    const days: number[] = [];
    for (let d = a; d <= b; d++) days.push(d % 7);
    return days;
  }
  const list = word.split(/[、,，]/);
  const days: number[] = [];
  for (const item of list) {
    const m = /^周([一二三四五六日天])$/.exec(item);
    if (!m) return null;
    days.push(WEEKDAY_INDEX[m[1]]);
  }
  return days.length > 0 ? days : null;
}

/**
 * Hours as a secretary types them in an import: "每天 07:00-22:00", "周一至周五 09:00-17:30；周末
 * 10:00-16:00", "24小时", or empty (unknown). A close at or before the open time runs past
 * midnight ("20:00-02:00"). Answers the rules, or a reason the text cannot be read.
 */
export function parseHoursText(
  input: string,
): { ok: true; hours: OpeningRule[] } | { ok: false; reason: string } {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: true, hours: [] };
  if (/^(24\s*(小时|h|H)|全天)$/.test(trimmed)) {
    return { ok: true, hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: MINUTES_PER_DAY }] };
  }
  const hours: OpeningRule[] = [];
  for (const part of trimmed
    .split(/[;；|]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(?:(\S+)\s+)?(\d{1,2}:\d{2})\s*[-–~～至到]\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) return { ok: false, reason: `营业时间“${part}”看不懂，请写成“每天 07:00-22:00”` };
    const days = m[1] ? parseDays(m[1]) : DAY_WORDS['每天'];
    if (!days)
      return { ok: false, reason: `营业日“${m[1]}”看不懂，可写每天、周一至周五、周末、周六、周日` };
    const pad = (t: string) => (t.length === 4 ? `0${t}` : t);
    const open = parseMinuteOfDay(pad(m[2]));
    let close = parseMinuteOfDay(pad(m[3]));
    if (open === null || close === null || open >= MINUTES_PER_DAY)
      return { ok: false, reason: `时间“${part}”不正确` };
    if (close <= open) close += MINUTES_PER_DAY;
    hours.push({ days, open, close });
  }
  if (hours.length > PLACE_LIMITS.hoursRules) return { ok: false, reason: '营业时间规则太多' };
  return { ok: true, hours };
}

/** The inverse of parseHoursText for one rule set, for editing forms. */
export function hoursToText(hours: OpeningRule[]): string {
  return hours
    .map((r) => {
      const days = [...r.days].sort((a, b) => a - b).join(',');
      const word =
        days === '0,1,2,3,4,5,6'
          ? '每天'
          : days === '1,2,3,4,5'
            ? '周一至周五'
            : days === '0,6'
              ? '周末'
              : r.days.map((d) => `周${'日一二三四五六'[d]}`).join('、');
      const close =
        r.close === MINUTES_PER_DAY ? '24:00' : formatMinuteOfDay(r.close % MINUTES_PER_DAY);
      return `${word} ${formatMinuteOfDay(r.open)}-${close}`;
    })
    .join('；');
}

/** The refusals of the circle's actions, with the message a person reads. */
export const CIRCLE_REFUSALS = {
  SPACE_NOT_FOUND: { code: 'SPACE_NOT_FOUND', message: '没有找到这个空间，请重新扫码或稍后再试' },
  PLACE_NOT_FOUND: { code: 'PLACE_NOT_FOUND', message: '这个地点不存在，可能已被删除' },
} as const;

/**
 * A change whose request key is among those the place keeps was already applied: its retry
 * answers the place as it is now and writes nothing over a later change.
 */
export function changeApplied(keys: readonly string[] | undefined, requestKey: string): boolean {
  return keys?.includes(requestKey) ?? false;
}
