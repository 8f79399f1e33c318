import * as v from 'valibot';
import { safeText } from '../shared/text';

/**
 * Volunteer registration: real-name data is personal information (PIPL). It is collected only with
 * explicit consent to the notice below; the version consented to is stored with the data, so a
 * changed notice can ask again.
 */
export const PRIVACY_NOTICE_VERSION = '2025-01';

export const PRIVACY_NOTICE_TITLE = '志愿者个人信息保护说明';

/** What is kept, why, who sees it, for how long. Shown in full before consent. */
export const PRIVACY_NOTICE_TEXT = [
  '为开展志愿服务、记录服务时长并出具志愿服务记录证明，社区需要收集您的以下信息：',
  '1. 真实姓名、手机号码：用于核实身份、联系服务安排，并按《志愿服务记录与证明出具办法（试行）》登记服务记录；',
  '2. 工作单位、是否党员及入党时间：用于安排仅限党员认领的岗位；',
  '3. 特长技能：用于匹配合适的服务岗位；',
  '4. 认领、签到签退、服务时长、积分与兑换记录：用于确认服务和发放激励。',
  '这些信息仅社区书记（管理员）可查看完整内容，列表中手机号和姓名均做脱敏显示；荣誉榜可随时选择不公开姓名。',
  '信息保存至您注销志愿者身份后 3 年（服务记录依法需留存），不会用于其他目的，也不会提供给第三方，向全国志愿服务信息系统报送服务记录时除外。',
  '您可以随时查看、更正自己的信息，或联系社区书记注销。',
].join('\n');

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};

export const SKILLS_MAX = 8;
export const SKILL_MAX_LENGTH = 12;

const realName = v.pipe(
  v.string('姓名必须是文字'),
  v.trim(),
  v.minLength(2, '请填写真实姓名'),
  v.maxLength(20, '姓名最多 20 个字'),
  v.regex(/^[\u3400-\u9fffA-Za-z·• ]+$/, '姓名只能包含汉字或字母'),
);

export const phoneSchema = v.pipe(
  v.string('手机号必须是文字'),
  v.trim(),
  v.regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号'),
);

const yearMonth = v.pipe(
  v.string('入党时间格式不正确'),
  v.regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, '入党时间格式应为 2001-07'),
);

export const registrationSchema = v.pipe(
  v.strictObject(
    {
      name: realName,
      phone: phoneSchema,
      workUnit: v.optional(safeText('工作单位', 40), ''),
      partyMember: v.boolean('请选择是否党员'),
      partySince: v.optional(yearMonth),
      skills: v.optional(
        v.pipe(
          v.array(
            safeText('技能', SKILL_MAX_LENGTH, {
              min: 1,
              minMessage: '技能不能为空',
              maxMessage: `每项技能最多 ${SKILL_MAX_LENGTH} 个字`,
            }),
            '技能格式不正确',
          ),
          v.maxLength(SKILLS_MAX, `最多填写 ${SKILLS_MAX} 项技能`),
        ),
        [],
      ),
      /** The notice version the person agreed to; must be the current one. */
      consentVersion: v.literal(PRIVACY_NOTICE_VERSION, '请阅读并同意最新的个人信息保护说明'),
    },
    '登记信息格式不正确',
  ),
  v.check((r) => !r.partyMember || r.partySince !== undefined, '党员请填写入党时间'),
  v.transform((r) => ({ ...r, partySince: r.partyMember ? r.partySince : undefined })),
);
export type Registration = v.InferOutput<typeof registrationSchema>;
export type RegistrationInput = v.InferInput<typeof registrationSchema>;

/** A volunteer as the volunteer themself (or the secretary, in detail) sees them. */
export interface VolunteerProfile {
  openid: string;
  name: string;
  phone: string;
  workUnit: string;
  partyMember: boolean;
  partySince?: string;
  skills: string[];
  status: RegistrationStatus;
  consentVersion: string;
  consentAt: string;
  /** True when the volunteer asked not to be named on the honour board. */
  honourOptOut: boolean;
  registeredAt: string;
}

/** A volunteer in a list: personal data masked. */
export interface VolunteerListing {
  openid: string;
  maskedName: string;
  maskedPhone: string;
  partyMember: boolean;
  status: RegistrationStatus;
  registeredAt: string;
}

/** 张三 → 张*, 王小五 → 王*五, 欧阳小明 → 欧**明. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** The status a new registration gets, by the secretary's approval setting. */
export const REGISTRATION_REJECTED_MESSAGE = '您的志愿者登记未通过审核，如有疑问请联系社区书记';

/** A rejected registration is not corrected or renewed by its volunteer. */
export function registrationRefusal(
  existing: { status: RegistrationStatus } | null,
): 'REGISTRATION_REJECTED' | null {
  return existing?.status === 'rejected' ? 'REGISTRATION_REJECTED' : null;
}

export function initialRegistrationStatus(requireApproval: boolean): RegistrationStatus {
  return requireApproval ? 'pending' : 'approved';
}

/** Whether a stored registration needs renewed consent (the notice changed since). */
export function needsNewConsent(consentVersion: string | undefined): boolean {
  return consentVersion !== PRIVACY_NOTICE_VERSION;
}
