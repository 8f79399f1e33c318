import Taro from '@tarojs/taro';
import type {
  ActionError,
  ActionInput,
  ActionName,
  ActionOutput,
  CloudRequest,
  FunctionName,
} from '@/domain/contract';
import type { Result } from '@/domain/shared/result';

/**
 * The one way the app talks to its backend.
 * - weapp: Taro.cloud.callFunction; WeChat attaches the caller's identity.
 * - h5: POST /api/cloud/<function> on the local server, with the token from the dev sign-in.
 * Both answer with the function's own `{ok, data} | {ok:false, code, message}`; transport
 * failures become the client-side codes below so pages handle one shape only.
 */
export const CLIENT_ERROR_CODES = ['NETWORK', 'UNAUTHENTICATED', 'BAD_RESPONSE'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type CloudResult<F extends FunctionName, A extends ActionName<F>> = Result<
  ActionOutput<F, A>,
  ActionError<F, A> | ClientErrorCode
>;

const NETWORK_MESSAGE = '网络不给力，请检查网络后重试';
const SESSION_KEY = 'linli.session';

export interface LocalSession {
  token: string;
  openid: string;
}

/** H5 only: the signed token from POST /api/dev/sign-in, kept in local storage. */
export function readLocalSession(): LocalSession | null {
  const value: unknown = Taro.getStorageSync(SESSION_KEY);
  if (value && typeof value === 'object' && 'token' in value && 'openid' in value) {
    const { token, openid } = value as Record<string, unknown>;
    if (typeof token === 'string' && typeof openid === 'string') return { token, openid };
  }
  return null;
}

export function writeLocalSession(session: LocalSession | null): void {
  if (session) Taro.setStorageSync(SESSION_KEY, session);
  else Taro.removeStorageSync(SESSION_KEY);
}

function isResult(value: unknown): value is { ok: boolean } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok?: unknown }).ok === 'boolean'
  );
}

export async function callCloud<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<CloudResult<F, A>> {
  const request: CloudRequest<A, ActionInput<F, A>> = { action, input };
  if (process.env.TARO_ENV === 'h5') return callLocalServer<F, A>(fn, request);
  try {
    const res = await Taro.cloud.callFunction({
      name: fn,
      data: { action: request.action, input: request.input },
    });
    const result: unknown = res.result;
    if (!isResult(result))
      return { ok: false, code: 'BAD_RESPONSE', message: '服务返回了无法识别的结果' };
    return result as CloudResult<F, A>;
  } catch {
    return { ok: false, code: 'NETWORK', message: NETWORK_MESSAGE };
  }
}

/** Where the local server is; same origin as the H5 app. */
export const LOCAL_API_BASE = '/api';

async function callLocalServer<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  request: CloudRequest<A, unknown>,
): Promise<CloudResult<F, A>> {
  const session = readLocalSession();
  if (!session) return { ok: false, code: 'UNAUTHENTICATED', message: '请先选择身份登录' };
  let response: Response;
  try {
    response = await fetch(`${LOCAL_API_BASE}/cloud/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify(request),
    });
  } catch {
    return { ok: false, code: 'NETWORK', message: NETWORK_MESSAGE };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, code: 'BAD_RESPONSE', message: '服务返回了无法识别的结果' };
  }
  if (response.status === 401) {
    writeLocalSession(null);
    return { ok: false, code: 'UNAUTHENTICATED', message: '登录已失效，请重新选择身份' };
  }
  if (!isResult(body))
    return { ok: false, code: 'BAD_RESPONSE', message: '服务返回了无法识别的结果' };
  return body as CloudResult<F, A>;
}

export type Persona = 'resident' | 'volunteer' | 'secretary';

export interface DevSignIn {
  token: string;
  openid: string;
  role: string;
}

/** H5 + local cloud only: sign in as a seeded sample persona. */
export async function devSignIn(
  persona: Persona,
): Promise<Result<DevSignIn, ClientErrorCode | 'SIGN_IN_FAILED'>> {
  try {
    const response = await fetch(`${LOCAL_API_BASE}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona }),
    });
    const body = (await response.json()) as Partial<DevSignIn> & { message?: string };
    if (!response.ok || typeof body.token !== 'string' || typeof body.openid !== 'string') {
      return { ok: false, code: 'SIGN_IN_FAILED', message: body.message ?? '登录失败，请重试' };
    }
    writeLocalSession({ token: body.token, openid: body.openid });
    return { ok: true, data: { token: body.token, openid: body.openid, role: String(body.role) } };
  } catch {
    return { ok: false, code: 'NETWORK', message: NETWORK_MESSAGE };
  }
}

/**
 * Ask the person for one-time consent to subscribe messages (at most 3 templates per prompt).
 * weapp: WeChat's own prompt. H5 + local cloud: a modal stands in for it, and the consent is
 * recorded by the local server so `subscribeMessage.send` behaves as in production (43101 without
 * it). Answers the template ids the person accepted; refusing is normal and never an error.
 */
export async function requestSubscription(templateIds: string[]): Promise<string[]> {
  const ids = templateIds.slice(0, 3);
  if (ids.length === 0) return [];
  if (process.env.TARO_ENV === 'h5') {
    const session = readLocalSession();
    if (!session) return [];
    const { confirm } = await Taro.showModal({
      title: '消息通知',
      content: '允许“邻里一刻钟”在有结果时给你发一次通知吗？',
      confirmText: '允许',
      cancelText: '拒绝',
    });
    if (!confirm) return [];
    try {
      const response = await fetch(`${LOCAL_API_BASE}/dev/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ templateIds: ids }),
      });
      return response.ok ? ids : [];
    } catch {
      return [];
    }
  }
  try {
    const answer = (await Taro.requestSubscribeMessage({
      tmplIds: ids,
    } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
    return ids.filter((id) => answer[id] === 'accept');
  } catch {
    return [];
  }
}

/**
 * weapp only: upload a local file to cloud storage at `cloudPath`; answers its file id. Throws
 * when the upload fails (the caller keeps the local path instead).
 */
export async function uploadToCloud(cloudPath: string, filePath: string): Promise<string> {
  const up = await Taro.cloud.uploadFile({ cloudPath, filePath });
  return up.fileID;
}
