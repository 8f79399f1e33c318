import * as v from 'valibot';
import { safeText } from '../shared/text';
import type { Role } from './roles';

/** What a person chooses to show of themselves. Real-name data for volunteers lives elsewhere. */
export interface Profile {
  nickname: string;
  avatarUrl: string;
  /** Bigger type and controls for older residents; a per-person display preference. */
  elderMode: boolean;
}

export interface Account {
  openid: string;
  role: Role;
  profile: Profile;
  createdAt: string;
}

export const NICKNAME_MAX = 20;

export const EMPTY_PROFILE: Profile = { nickname: '', avatarUrl: '', elderMode: false };

export const profileUpdateSchema = v.strictObject(
  {
    nickname: v.optional(safeText('昵称', NICKNAME_MAX, { min: 1, minMessage: '昵称不能为空' })),
    avatarUrl: v.optional(
      v.pipe(
        v.string('头像地址必须是文字'),
        v.maxLength(512, '头像地址过长'),
        v.regex(/^(https:\/\/|cloud:\/\/|$)/, '头像地址格式不正确'),
      ),
    ),
    elderMode: v.optional(v.boolean('长辈模式只能是开或关')),
  },
  '资料格式不正确',
);
export type ProfileUpdate = v.InferOutput<typeof profileUpdateSchema>;

/** Apply an update to a stored profile; absent fields stay as they were. */
export function applyProfileUpdate(current: Profile, update: ProfileUpdate): Profile {
  return {
    nickname: update.nickname ?? current.nickname,
    avatarUrl: update.avatarUrl ?? current.avatarUrl,
    elderMode: update.elderMode ?? current.elderMode,
  };
}

/** A display name that never shows an openid. */
export function displayName(profile: Profile, role: Role): string {
  if (profile.nickname) return profile.nickname;
  return role === 'secretary' ? '社区书记' : role === 'volunteer' ? '志愿者' : '邻居';
}

/** Only the fields the person changed, so concurrent edits of different fields both survive. */
export function profileChanges(update: ProfileUpdate): Partial<Profile> {
  const changes: Partial<Profile> = {};
  if (update.nickname !== undefined) changes.nickname = update.nickname;
  if (update.avatarUrl !== undefined) changes.avatarUrl = update.avatarUrl;
  if (update.elderMode !== undefined) changes.elderMode = update.elderMode;
  return changes;
}

/**
 * A profile change whose request key is among those the account keeps was already applied: its
 * retry answers the account as it is now, without writing its fields over a later change.
 */
export function profileChangeApplied(
  stored: { profileRequests?: readonly string[] } | null,
  requestKey: string,
): boolean {
  return stored?.profileRequests?.includes(requestKey) ?? false;
}
