import Taro from '@tarojs/taro';
import { create } from 'zustand';
import { callCloud, readLocalSession, uploadToCloud } from '@/cloud/client';
import type {
  AccessEntry,
  ElderListItem,
  ElderRecord,
  Flag,
  FlagNotice,
  PairCandidate,
  PendingService,
  VisitSettings,
  VisitStatusView,
} from '@/domain/contract';
import type { CadenceChangePreview, CadenceConfig } from '@/domain/visits/cadence';
import type { CoverageSummary } from '@/domain/visits/coverage';
import type { ElderDraftInput } from '@/domain/visits/elder';
import {
  type QueuedVisit,
  discard,
  enqueue,
  isFull,
  markFailed,
  markSending,
  markSent,
  recover,
  retry,
  sendable,
} from '@/domain/visits/queue';
import type { VisitLogInput } from '@/domain/visits/visit-log';
import { type Loadable, idle, loadInto, ready } from './loadable';
import { type Outcome, outcomeOf } from './outcome';
import { createRequestIds } from './request-ids';
import { useUrgentStore } from './urgent';
import { readPairings, readQueue, writePairings, writeQueue } from './visits-queue-storage';

/**
 * Elder visits. A volunteer's visit is first saved on the phone (the offline queue), then sent;
 * with no network it waits and goes when the network returns (network-status change), when the
 * app shows again, or on 重新发送. Every queued visit keeps its client id, so sending it twice —
 * or while a retry is in flight — is harmless: the server stores each visit once.
 */

export interface SubmitOutcome {
  /** Saved on the phone (always, unless the queue is full). */
  saved: boolean;
  /** Accepted by the server now. */
  sent: boolean;
  /** Refused by the server for a reason a resend will not fix (kept in the queue to correct or discard). */
  rejected: boolean;
  message: string;
  status?: VisitStatusView;
  /** An urgent visit that was sent: who the flag reached. */
  notice?: FlagNotice;
}

interface VisitsState {
  settings: Loadable<VisitSettings>;
  mine: Loadable<ElderListItem[]>;
  /** When `mine` shows the phone's copy (saved then) because the server has not answered: null otherwise. */
  mineSavedAt: string | null;
  elder: Loadable<ElderRecord>;
  roster: Loadable<ElderListItem[]>;
  coverage: Loadable<{ summary: CoverageSummary; elders: ElderListItem[] }>;
  flags: Loadable<Flag[]>;
  /** Who each urgent visit sent from this phone reached, by visit id. */
  notices: Record<string, FlagNotice>;
  accessLog: Loadable<{ entries: AccessEntry[]; hasMore: boolean; page: number }>;
  candidates: Loadable<PairCandidate[]>;
  pending: Loadable<PendingService[]>;

  /** Visits saved on this phone and not yet accepted. */
  queue: QueuedVisit[];
  /** True while a send of the queue is running. */
  flushing: boolean;

  loadSettings: () => Promise<void>;
  /** Secretary: how many elders' due dates a new cadence would move. */
  previewSettings: (cadence: CadenceConfig) => Promise<Outcome<CadenceChangePreview>>;
  saveSettings: (cadence: CadenceConfig) => Promise<Outcome>;
  loadMine: () => Promise<void>;
  loadElder: (elderId: string) => Promise<void>;
  /** Read the queue from storage (after start or sign-in); anything left "sending" waits again. */
  restoreQueue: () => void;
  submitVisit: (input: VisitLogInput, elderName: string) => Promise<SubmitOutcome>;
  /** Send every waiting visit, one at a time. Concurrent calls share one run. */
  flush: () => Promise<{ sent: number; waiting: number }>;
  retryVisit: (visitId: string) => Promise<void>;
  discardVisit: (visitId: string) => void;

  loadRoster: () => Promise<void>;
  saveElder: (
    draft: ElderDraftInput,
    elderId?: string,
    flaggedChange?: boolean,
  ) => Promise<Outcome<ElderRecord>>;
  archiveElder: (elderId: string, reason: string) => Promise<Outcome>;
  loadCandidates: () => Promise<void>;
  pair: (elderId: string, openid: string, claimId: string | null) => Promise<Outcome>;
  unpair: (elderId: string, openid: string) => Promise<Outcome>;
  loadCoverage: () => Promise<void>;
  loadFlags: () => Promise<void>;
  acknowledgeFlag: (flagId: string, note: string) => Promise<Outcome>;
  loadAccessLog: (page?: number, elderId?: string) => Promise<void>;
  loadPending: () => Promise<void>;
  confirmVisits: (visitIds: string[]) => Promise<Outcome<{ confirmed: number }>>;
}

const initial = {
  settings: idle<VisitSettings>(),
  mine: idle<ElderListItem[]>(),
  mineSavedAt: null,
  elder: idle<ElderRecord>(),
  roster: idle<ElderListItem[]>(),
  coverage: idle<{ summary: CoverageSummary; elders: ElderListItem[] }>(),
  flags: idle<Flag[]>(),
  notices: {} as Record<string, FlagNotice>,
  accessLog: idle<{ entries: AccessEntry[]; hasMore: boolean; page: number }>(),
  candidates: idle<PairCandidate[]>(),
  pending: idle<PendingService[]>(),
  queue: [] as QueuedVisit[],
  flushing: false,
};

type LoadKey =
  | 'settings'
  | 'mine'
  | 'elder'
  | 'roster'
  | 'coverage'
  | 'flags'
  | 'accessLog'
  | 'candidates'
  | 'pending';
type DataOf<K extends LoadKey> = VisitsState[K] extends Loadable<infer T> ? T : never;

/** Whose queue this is: the signed-in person on H5; on weapp the phone's one WeChat user. */
function owner(): string | null {
  if (process.env.TARO_ENV === 'h5') return readLocalSession()?.openid ?? null;
  return null;
}

let running: Promise<{ sent: number; waiting: number }> | null = null;
/**
 * Whose queue is in memory (undefined: none read yet). The queue is always written back under
 * its own owner's key, and sent only while that owner is the one signed in: switching persona on
 * H5 (same page, no reload) must never send or store one person's visits as another's.
 */
let queueOwner: string | null | undefined;

/** Request ids per intent (one form submission, one confirmation), reused when it is retried. */
const pendingIds = createRequestIds();

export const useVisitsStore = create<VisitsState>()((set, get) => {
  /** Change the queue in memory and on the phone together. */
  const setQueue = (next: QueuedVisit[]) => {
    if (queueOwner === undefined) queueOwner = owner();
    writeQueue(queueOwner, next);
    set({ queue: next });
  };

  /** Read the signed-in person's queue when it is not the one in memory. Nothing can be in flight for them yet. */
  const followOwner = () => {
    const who = owner();
    if (queueOwner !== undefined && who === queueOwner) return;
    queueOwner = who;
    set({ queue: recover(readQueue(who)) });
  };

  /** Before changing the queue: let a run for someone else finish, then take the signed-in person's queue. */
  const settle = async () => {
    if (running && owner() !== queueOwner) await running;
    followOwner();
  };

  const load = <K extends LoadKey>(
    key: K,
    call: () => Promise<{ ok: true; data: DataOf<K> } | { ok: false; message: string }>,
  ) => loadInto(set, get, key, call).then(() => undefined);

  async function sendAll(): Promise<{ sent: number; waiting: number }> {
    set({ flushing: true });
    let sent = 0;
    const runOwner = queueOwner;
    try {
      for (const item of sendable(get().queue)) {
        // The person changed during the run: the rest waits for its owner (checked right before
        // the call, which takes the session of this moment).
        if (owner() !== runOwner || queueOwner !== runOwner) break;
        setQueue(markSending(get().queue, item.visitId));
        const result = await callCloud('visits', 'log', item.input);
        if (result.ok) {
          const { notice } = result.data;
          if (notice) set({ notices: { ...get().notices, [item.visitId]: notice } });
          setQueue(markSent(get().queue, item.visitId));
          sent++;
        } else {
          setQueue(
            markFailed(get().queue, item.visitId, { code: result.code, message: result.message }),
          );
          if (result.code === 'NETWORK') break; // no network: the rest waits for it to return
        }
      }
    } finally {
      set({ flushing: false });
    }
    if (sent > 0) void get().loadMine();
    return { sent, waiting: get().queue.filter((q) => q.state !== 'rejected').length };
  }

  return {
    ...initial,

    loadSettings: () => load('settings', () => callCloud('visits', 'settings', {})),
    async previewSettings(cadence) {
      return outcomeOf(await callCloud('visits', 'previewSettings', { cadence }), '');
    },
    async saveSettings(cadence) {
      const intent = `saveSettings:${JSON.stringify(cadence)}`;
      const r = await callCloud('visits', 'saveSettings', {
        cadence,
        clientRequestId: pendingIds.idFor(intent),
      });
      pendingIds.settle(intent, r.ok ? undefined : r.code);
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      set({ settings: ready(r.data) });
      return { ok: true, message: '已保存' };
    },
    async loadMine() {
      const who = owner();
      // With nothing shown yet, the phone's copy shows at once (and stays when there is no signal).
      if (get().mine.data === null) {
        const saved = readPairings<ElderListItem>(who);
        if (saved) set({ mine: { ...get().mine, data: saved.elders }, mineSavedAt: saved.savedAt });
      }
      await load('mine', async () => {
        const r = await callCloud('visits', 'myElders', {});
        if (!r.ok) return r;
        writePairings(who, r.data.elders, new Date());
        set({ mineSavedAt: null });
        return { ok: true as const, data: r.data.elders };
      });
    },
    loadElder: (elderId) => {
      if (get().elder.data?.id !== elderId) set({ elder: idle<ElderRecord>() });
      return load('elder', () => callCloud('visits', 'elder', { elderId }));
    },

    restoreQueue() {
      if (running) return; // the run keeps the queue current; at its end the signed-in person's queue is read
      queueOwner = owner();
      setQueue(recover(readQueue(queueOwner)));
    },

    async submitVisit(input, elderName) {
      await settle();
      const queue = get().queue;
      if (isFull(queue) && !queue.some((q) => q.visitId === input.visitId)) {
        return {
          saved: false,
          sent: false,
          rejected: false,
          message: '手机上待发送的探访太多，请先联网发送',
        };
      }
      setQueue(enqueue(queue, { visitId: input.visitId, elderName, input }, new Date()));
      await get().flush();
      const left = get().queue.find((q) => q.visitId === input.visitId);
      if (!left) {
        const status = get().mine.data?.find((e) => e.id === input.elderId)?.status;
        const notice = get().notices[input.visitId];
        return { saved: true, sent: true, rejected: false, message: '探访已记录', status, notice };
      }
      if (left.state === 'rejected')
        return {
          saved: true,
          sent: false,
          rejected: true,
          message: left.lastError?.message ?? '探访未被接收',
        };
      return {
        saved: true,
        sent: false,
        rejected: false,
        message: '已保存在手机上，联网后自动发送',
      };
    },

    flush() {
      // One run at a time: a second trigger (network back + app shown + 重新发送) joins it; a
      // trigger for someone else signed in meanwhile runs after it, for them.
      if (running && owner() !== queueOwner) return running.then(() => get().flush());
      if (!running) {
        followOwner();
        running = sendAll().finally(() => {
          running = null;
          followOwner(); // someone else signed in during the run: show and keep their queue
        });
      }
      return running;
    },

    async retryVisit(visitId) {
      await settle();
      setQueue(retry(get().queue, visitId));
      await get().flush();
    },
    discardVisit(visitId) {
      if (running && owner() !== queueOwner) return;
      followOwner();
      setQueue(discard(get().queue, visitId));
    },

    loadRoster: () =>
      load('roster', async () => {
        const r = await callCloud('visits', 'roster', { includeArchived: false });
        return r.ok ? { ok: true as const, data: r.data.elders } : r;
      }),
    async saveElder(draft, elderId, flaggedChange) {
      const intent = `saveElder:${elderId ?? 'new'}:${JSON.stringify(draft)}:${flaggedChange ?? false}`;
      const clientRequestId = pendingIds.idFor(intent);
      const r = await callCloud('visits', 'saveElder', {
        draft,
        ...(elderId ? { elderId } : {}),
        flaggedChange: flaggedChange ?? false,
        clientRequestId,
      });
      pendingIds.settle(intent, r.ok ? undefined : r.code);
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      set({ elder: ready(r.data) });
      void get().loadRoster();
      return { ok: true, message: '已保存', data: r.data };
    },
    async archiveElder(elderId, reason) {
      const r = await callCloud('visits', 'archiveElder', { elderId, reason });
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      void get().loadRoster();
      return { ok: true, message: '已归档' };
    },
    loadCandidates: () => load('candidates', () => callCloud('visits', 'pairCandidates', {})),
    async pair(elderId, openid, claimId) {
      const intent = `pair:${elderId}:${openid}:${claimId ?? ''}`;
      const r = await callCloud('visits', 'pair', {
        elderId,
        openid,
        ...(claimId ? { claimId } : {}),
        clientRequestId: pendingIds.idFor(intent),
      });
      pendingIds.settle(intent, r.ok ? undefined : r.code);
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      await get().loadElder(elderId);
      return { ok: true, message: '已结对' };
    },
    async unpair(elderId, openid) {
      const intent = `unpair:${elderId}:${openid}`;
      const r = await callCloud('visits', 'unpair', {
        elderId,
        openid,
        clientRequestId: pendingIds.idFor(intent),
      });
      pendingIds.settle(intent, r.ok ? undefined : r.code);
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      await get().loadElder(elderId);
      return { ok: true, message: '已解除结对' };
    },
    loadCoverage: () => load('coverage', () => callCloud('visits', 'coverage', {})),
    loadFlags: () => load('flags', () => callCloud('visits', 'flags', {})),
    async acknowledgeFlag(flagId, note) {
      const r = await callCloud('visits', 'acknowledgeFlag', { flagId, note });
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      await Promise.all([get().loadFlags(), useUrgentStore.getState().loadUrgent()]);
      return { ok: true, message: '已确认' };
    },
    loadAccessLog: (page = 0, elderId) =>
      load('accessLog', async () => {
        const r = await callCloud('visits', 'accessLog', {
          page,
          ...(elderId ? { elderId } : {}),
        });
        if (!r.ok) return r;
        const before = page === 0 ? [] : (get().accessLog.data?.entries ?? []);
        const entries = [...before, ...r.data.entries];
        return { ok: true as const, data: { entries, hasMore: r.data.hasMore, page } };
      }),
    loadPending: () => load('pending', () => callCloud('visits', 'pendingServices', {})),
    async confirmVisits(visitIds) {
      const intent = `confirmVisits:${visitIds.join(',')}`;
      const r = await callCloud('visits', 'confirmVisits', {
        clientRequestId: pendingIds.idFor(intent),
        visitIds,
      });
      pendingIds.settle(intent, r.ok ? undefined : r.code);
      if (!r.ok) return { ok: false, message: r.message, code: r.code };
      await get().loadPending();
      // A retry of a confirmation that was recorded answers its visits as replayed: confirmed all the same.
      const confirmed = r.data.confirmed + r.data.replayed;
      return { ok: true, message: `已确认 ${confirmed} 条`, data: { confirmed } };
    },
  };
});

let watching = false;
/** The waiting-visits retry timer (one per app). */
let retryTimer: ReturnType<typeof setInterval> | null = null;

/**
 * Send waiting visits whenever the network comes back. Safe to call more than once. Returns
 * false where the platform offers no network events (then app show and 重新发送 still send).
 */
/**
 * While visits wait, they are tried again this often: network events are not always delivered
 * (a page opened with no signal does not hear the browser's 'online'; some phones miss it too).
 * A try with no network fails on the phone at once, costing nothing.
 */
export const WAITING_RETRY_MS = 8_000;

function retryWaiting(): void {
  const state = useVisitsStore.getState();
  if (!state.flushing && sendable(state.queue).length > 0) void state.flush();
}

export function watchNetwork(): boolean {
  if (watching) return true;
  retryTimer ??= setInterval(retryWaiting, WAITING_RETRY_MS);
  const api = Taro as unknown as {
    onNetworkStatusChange?: (cb: (r: { isConnected: boolean }) => void) => void;
  };
  const send = () => void useVisitsStore.getState().flush();
  // H5: the browser's own event is the reliable one (Taro's H5 network events follow navigator.connection).
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined')
    window.addEventListener('online', send);
  if (typeof api.onNetworkStatusChange !== 'function') return process.env.TARO_ENV === 'h5';
  api.onNetworkStatusChange((r) => {
    if (r.isConnected) send();
  });
  watching = true;
  return true;
}

/**
 * Let the volunteer take or choose one photo. On weapp it is uploaded to cloud storage at once
 * (the file id is kept with the visit); when that fails, or on H5, the local path is kept.
 * Returns '' when cancelled.
 */
export async function pickVisitPhoto(visitId: string): Promise<string> {
  let path: string;
  try {
    const res = await Taro.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sizeType: ['compressed'],
      sourceType: ['camera', 'album'],
    });
    path = res.tempFiles[0]?.tempFilePath ?? '';
  } catch {
    return '';
  }
  if (!path || process.env.TARO_ENV !== 'weapp') return path.slice(0, 300);
  try {
    return await uploadToCloud(`visits/${visitId}.jpg`, path);
  } catch {
    return path.slice(0, 300);
  }
}

/** For tests: back to a fresh store. */
export function resetVisitsStore(): void {
  if (retryTimer) clearInterval(retryTimer);
  retryTimer = null;
  running = null;
  queueOwner = undefined;
  watching = false;
  pendingIds.clear();
  useVisitsStore.setState(initial);
}
