import Taro from '@tarojs/taro';
import { create } from 'zustand';
import {
  callCloud,
  devSignIn,
  readLocalSession,
  writeLocalSession,
  type Persona,
} from '@/cloud/client';
import type { WhoAmI } from '@/domain/contract';
import { createRequestIds } from './request-ids';

export type { Persona };

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'signed-out' | 'error';

interface SessionState {
  status: SessionStatus;
  account: WhoAmI | null;
  error: string | null;
  /** True when `account` is the phone's copy because the server could not be reached. */
  offline: boolean;
  /** Who am I? Creates the account as a resident on first use. */
  load: () => Promise<void>;
  /** H5 + local cloud: sign in as a sample persona, then load the account. */
  signInAs: (persona: Persona) => Promise<void>;
  signOut: () => void;
  setElderMode: (on: boolean) => Promise<void>;
}

const initial = { status: 'idle' as SessionStatus, account: null, error: null, offline: false };

/**
 * The last account the server answered, kept on the phone so the app opens with no signal (a
 * volunteer logging a visit in a basement). On H5 it counts only for the same signed-in person.
 * The server decides every action anyway: a stale role shows a screen, it never grants a write.
 */
const ACCOUNT_KEY = 'linli.account';

function savedAccount(): WhoAmI | null {
  try {
    const value: unknown = Taro.getStorageSync(ACCOUNT_KEY);
    if (!value || typeof value !== 'object') return null;
    const account = value as WhoAmI;
    if (typeof account.openid !== 'string' || typeof account.role !== 'string') return null;
    if (process.env.TARO_ENV === 'h5' && readLocalSession()?.openid !== account.openid) return null;
    return account;
  } catch {
    return null;
  }
}

function saveAccount(account: WhoAmI | null): void {
  try {
    if (account) Taro.setStorageSync(ACCOUNT_KEY, account);
    else Taro.removeStorageSync(ACCOUNT_KEY);
  } catch {
    // Storage unavailable: the app needs the network to open.
  }
}

/** Request ids per intent (one switch of elder mode), reused when it is retried after a network failure. */
const profileIds = createRequestIds();

export const useSessionStore = create<SessionState>()((set, get) => ({
  ...initial,
  async load() {
    if (process.env.TARO_ENV === 'h5' && !readLocalSession()) {
      set({ status: 'signed-out', account: null, error: null });
      return;
    }
    set({ status: 'loading', error: null });
    const result = await callCloud('account', 'whoami', {});
    if (result.ok) {
      saveAccount(result.data);
      set({ status: 'ready', account: result.data, error: null, offline: false });
      return;
    }
    if (result.code === 'UNAUTHENTICATED') {
      saveAccount(null);
      set({ status: 'signed-out', account: null, error: null, offline: false });
      return;
    }
    const saved = result.code === 'NETWORK' ? savedAccount() : null;
    if (saved) set({ status: 'ready', account: saved, error: result.message, offline: true });
    else set({ status: 'error', error: result.message });
  },
  async signInAs(persona) {
    set({ status: 'loading', error: null });
    const signed = await devSignIn(persona);
    if (!signed.ok) {
      set({ status: 'signed-out', error: signed.message });
      return;
    }
    await get().load();
  },
  signOut() {
    writeLocalSession(null);
    saveAccount(null);
    set({ status: 'signed-out', account: null, error: null, offline: false });
  },
  async setElderMode(on) {
    const before = get().account;
    if (!before) return;
    set({ account: { ...before, profile: { ...before.profile, elderMode: on } } });
    const intent = `updateProfile:elderMode:${on}`;
    const result = await callCloud('account', 'updateProfile', {
      elderMode: on,
      clientRequestId: profileIds.idFor(intent),
    });
    profileIds.settle(intent, result.ok ? undefined : result.code);
    if (result.ok) set({ account: { ...before, ...result.data } });
    else set({ account: before, error: result.message });
  },
}));

/** For tests: back to a fresh store. */
export function resetSessionStore(): void {
  profileIds.clear();
  useSessionStore.setState(initial);
}
