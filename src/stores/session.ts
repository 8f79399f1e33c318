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
  /** Who am I? Creates the account as a resident on first use. */
  load: () => Promise<void>;
  /** H5 + local cloud: sign in as a sample persona, then load the account. */
  signInAs: (persona: Persona) => Promise<void>;
  signOut: () => void;
  setElderMode: (on: boolean) => Promise<void>;
}

const initial = { status: 'idle' as SessionStatus, account: null, error: null };

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
    if (result.ok) set({ status: 'ready', account: result.data, error: null });
    else if (result.code === 'UNAUTHENTICATED')
      set({ status: 'signed-out', account: null, error: null });
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
    set({ status: 'signed-out', account: null, error: null });
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
