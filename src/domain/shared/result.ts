/**
 * Every cloud function answers with one of these shapes. `code` is a stable SCREAMING_SNAKE
 * identifier clients switch on; `message` is Simplified Chinese text a person can read.
 */
export interface Ok<T> {
  ok: true;
  data: T;
}

export interface Fail<C extends string = string> {
  ok: false;
  code: C;
  message: string;
}

export type Result<T, C extends string = string> = Ok<T> | Fail<C>;

/** Codes any action may answer with, besides its own. */
export const COMMON_ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_ACTION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BUSY',
  'INTERNAL',
] as const;
export type CommonErrorCode = (typeof COMMON_ERROR_CODES)[number];

export const COMMON_ERROR_MESSAGES: Record<CommonErrorCode, string> = {
  INVALID_INPUT: '输入内容有误，请检查后重试',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  BUSY: '同一时间操作的人较多，请稍后再试',
  INTERNAL: '服务暂时不可用，请稍后再试',
};

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

export function fail<C extends string>(code: C, message: string): Fail<C> {
  return { ok: false, code, message };
}
