import * as v from 'valibot';
import { RISK_LEVELS, type RiskLevel } from './cadence';
import { safeText } from '../shared/text';

/**
 * The elder roster. Health, address and family contacts of elders are sensitive personal
 * information (PIPL): collected for a stated purpose with separate consent, shown in full only to
 * the secretary and to volunteers paired with the elder, masked in every list, and every view and
 * change is recorded in the access log.
 */

export const PURPOSE_VERSION = '2025-01';
export const PURPOSE_TITLE = '老人探访信息收集目的';
export const PURPOSE_STATEMENT = [
  '收集目的：仅用于社区安排志愿者定期上门探访、了解老人近况，并在紧急情况时联系家属。',
  '收集范围：姓名、年龄、楼栋单元、居住情况、风险等级、联系电话、紧急联系人及探访备注，不收集与探访无关的信息。',
  '查看范围：仅社区书记和与老人结对的志愿者可查看完整信息；列表中电话、地址均做遮挡。每一次查看和修改都会留下记录（谁、做了什么、何时）。',
  '老人或其监护人同意后方可登记；老人不再需要探访时，记录归档不再展示。',
];

export const LIVING_SITUATIONS = ['alone', 'empty-nest', 'with-children'] as const;
export type LivingSituation = (typeof LIVING_SITUATIONS)[number];
export const LIVING_LABELS: Record<LivingSituation, string> = {
  alone: '独居',
  'empty-nest': '空巢',
  'with-children': '与子女同住',
};

/**
 * Health as the secretary judges it when adding an elder. It only suggests a risk level in the
 * form and is not stored (the purpose statement does not list it; minimum collection).
 */
export const HEALTH_STATES = ['well', 'chronic', 'frail'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];
export const HEALTH_LABELS: Record<HealthState, string> = {
  well: '身体尚好',
  chronic: '有慢性病',
  frail: '失能/行动不便',
};

export interface RiskSuggestion {
  level: RiskLevel;
  /** Why, in the secretary's words, e.g. "独居且有慢性病". */
  because: string;
}

/**
 * The risk level that living situation and health suggest (the secretary decides). Those living
 * alone or unwell are visited whenever needed, so frail elders, and elders living alone with a
 * chronic illness, are high risk; living alone, empty-nest or a chronic illness is key; living with
 * children and well is general (still visited monthly by default, see DEFAULT_CADENCE). Health
 * not yet given counts as well, and the reason names the living situation only.
 */
export function suggestRiskLevel(living: LivingSituation, health?: HealthState): RiskSuggestion {
  const because = health
    ? `${LIVING_LABELS[living]}、${HEALTH_LABELS[health]}`
    : LIVING_LABELS[living];
  if (health === 'frail' || (living === 'alone' && health === 'chronic'))
    return { level: 'high', because };
  if (living !== 'with-children' || health === 'chronic') return { level: 'key', because };
  return { level: 'general', because };
}

export const CONSENT_BY = ['elder', 'guardian'] as const;
export type ConsentBy = (typeof CONSENT_BY)[number];
export const CONSENT_BY_LABELS: Record<ConsentBy, string> = {
  elder: '老人本人',
  guardian: '监护人',
};

export const EMERGENCY_CONTACTS_MAX = 3;
export const ELDER_NOTES_MAX = 300;

const text = (label: string, min: number, max: number) => safeText(label, max, { min });

const personName = (label: string) =>
  v.pipe(
    text(label, 2, 20),
    v.regex(/^[\u3400-\u9fffA-Za-z·•（）() ]+$/, `${label}只能包含汉字或字母`),
  );

/** Mobile (11 digits) or a landline such as 028-12345678. */
export const contactPhoneSchema = v.pipe(
  v.string('电话必须是文字'),
  v.trim(),
  v.regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '请填写 11 位手机号或带区号的固定电话'),
);

export const emergencyContactSchema = v.strictObject({
  name: personName('紧急联系人姓名'),
  relation: text('与老人关系', 1, 10),
  phone: contactPhoneSchema,
});
export type EmergencyContact = v.InferOutput<typeof emergencyContactSchema>;

/** What the secretary enters for one elder. */
export const elderDraftSchema = v.strictObject({
  name: personName('老人姓名'),
  age: v.pipe(
    v.number('年龄必须是数字'),
    v.integer('年龄必须是整数'),
    v.minValue(50, '年龄应在 50–120 岁之间'),
    v.maxValue(120, '年龄应在 50–120 岁之间'),
  ),
  building: v.pipe(
    text('楼栋', 1, 10),
    v.regex(/^[0-9A-Za-z\u3400-\u9fff-]+$/, '楼栋只能包含数字、字母或汉字'),
  ),
  unit: v.pipe(
    text('单元', 1, 10),
    v.regex(/^[0-9A-Za-z\u3400-\u9fff-]+$/, '单元只能包含数字、字母或汉字'),
  ),
  room: v.optional(
    v.pipe(
      v.string('门牌号必须是文字'),
      v.trim(),
      v.maxLength(10, '门牌号最多 10 个字'),
      v.regex(/^[0-9A-Za-z\u3400-\u9fff-]*$/, '门牌号只能包含数字、字母或汉字'),
    ),
    '',
  ),
  livingSituation: v.picklist(LIVING_SITUATIONS, '请选择居住情况'),
  riskLevel: v.picklist(RISK_LEVELS, '请选择风险等级'),
  phone: v.optional(
    v.union([v.literal(''), contactPhoneSchema], '请填写 11 位手机号或带区号的固定电话'),
    '',
  ),
  emergencyContacts: v.pipe(
    v.array(emergencyContactSchema, '紧急联系人格式不正确'),
    v.minLength(1, '请至少填写一位紧急联系人'),
    v.maxLength(EMERGENCY_CONTACTS_MAX, `紧急联系人最多 ${EMERGENCY_CONTACTS_MAX} 位`),
  ),
  notes: v.optional(safeText('备注', ELDER_NOTES_MAX, { multiline: true }), ''),
  /** Consent to PURPOSE_STATEMENT of this version, given by the elder or a guardian. */
  consent: v.strictObject({
    version: v.pipe(
      v.string(),
      v.check((s) => s === PURPOSE_VERSION, '请先向老人说明收集目的并取得同意'),
    ),
    by: v.picklist(CONSENT_BY, '请选择由谁同意'),
  }),
});
export type ElderDraft = v.InferOutput<typeof elderDraftSchema>;
export type ElderDraftInput = v.InferInput<typeof elderDraftSchema>;

/** Phone for lists: 138****1111, 028-****5678. */
export function maskPhone(phone: string): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Address for lists: the building only ("3栋**"); unit and room are hidden. */
/** "8" and "8栋" both read "8栋": what a person typed with its suffix is not doubled. */
function withSuffix(text: string, suffix: string): string {
  const t = text.trim();
  return t.endsWith(suffix) ? t : `${t}${suffix}`;
}

export function maskAddress(address: { building: string; unit: string; room?: string }): string {
  return `${withSuffix(address.building, '栋')}**`;
}

export function fullAddress(address: { building: string; unit: string; room?: string }): string {
  const room = address.room ? withSuffix(address.room, '室') : '';
  return `${withSuffix(address.building, '栋')}${withSuffix(address.unit, '单元')}${room}`;
}

/** Name as a list line shows it: the elder's name to people entitled to the roster. */
export function elderDisplayName(name: string, age: number): string {
  return `${name}（${age}岁）`;
}

export type { RiskLevel };
