import Taro from '@tarojs/taro';
import { create } from 'zustand';
import { callCloud } from '@/cloud/client';
import type { CircleCategoryId } from '@/domain/circle/categories';
import type { CoordinateSystem } from '@/domain/circle/coordinates';
import type { CirclePlace, PlaceDraft } from '@/domain/circle/place';
import type { ImportFormat } from '@/domain/circle/import';
import type { LatLng, Pace } from '@/domain/circle/walking';
import type {
  CircleCoverage,
  CirclePlaces,
  ImportOutcome,
  ServiceRequestCount,
} from '@/domain/contract';
import { createRequestIds } from './request-ids';

type Status = 'idle' | 'loading' | 'ready' | 'error';

interface CircleState {
  status: Status;
  error: string | null;
  /** Places within 15 minutes (all categories; the page filters). */
  result: CirclePlaces | null;
  coverage: CircleCoverage | null;
  pace: Pace;
  /** The resident's own location when they allowed it, as the device gave it; null: the space. */
  here: LatLng | null;
  /** The system `here` is in; the circle function converts it to GCJ-02. */
  hereSystem: CoordinateSystem;
  category: CircleCategoryId | null;
  selectedId: string | null;
  /** Categories being requested right now. */
  requesting: CircleCategoryId[];
  load: () => Promise<void>;
  setPace: (pace: Pace) => Promise<void>;
  setHere: (here: LatLng | null, system?: CoordinateSystem) => Promise<void>;
  /** Centre on the device's location; false when it could not be had (denied, unavailable). */
  locateHere: () => Promise<boolean>;
  setCategory: (category: CircleCategoryId | null) => void;
  select: (id: string | null) => void;
  /** Ask for a missing service; answers a message for a toast. */
  requestService: (category: CircleCategoryId) => Promise<{ ok: boolean; message: string }>;
}

/** Request ids per intent (one 我需要 tap), reused when it is retried after a network failure. */
const residentIds = createRequestIds();

const initial = {
  status: 'idle' as Status,
  error: null,
  result: null,
  coverage: null,
  pace: 'adult' as Pace,
  here: null,
  hereSystem: 'gcj02' as CoordinateSystem,
  category: null,
  selectedId: null,
  requesting: [] as CircleCategoryId[],
};

export const useCircleStore = create<CircleState>()((set, get) => ({
  ...initial,
  async load() {
    const { pace, here, hereSystem } = get();
    set({ status: get().result ? 'ready' : 'loading', error: null });
    const origin = here
      ? { origin: here, ...(hereSystem !== 'gcj02' ? { originSystem: hereSystem } : {}) }
      : {};
    const input = { pace, ...origin };
    const [places, coverage] = await Promise.all([
      callCloud('circle', 'places', input),
      callCloud('circle', 'coverage', input),
    ]);
    // A newer request (pace or origin changed meanwhile) wins.
    if (get().pace !== pace || get().here !== here) return;
    if (!places.ok) set({ status: 'error', error: places.message });
    else if (!coverage.ok) set({ status: 'error', error: coverage.message });
    else set({ status: 'ready', result: places.data, coverage: coverage.data });
  },
  async setPace(pace) {
    set({ pace });
    await get().load();
  },
  async setHere(here, system = 'gcj02') {
    set({ here, hereSystem: system, selectedId: null });
    await get().load();
  },
  async locateHere() {
    // Platform trap: on H5, Taro's getLocation is the browser's W3C geolocation, which is WGS-84
    // only and fails outright for type 'gcj02' ("This coordinate system type is not temporarily
    // supported"). weapp answers GCJ-02, the system places are stored in. So ask each platform for
    // what it has and say which it is; the function converts, no converter ships in the client.
    const system: 'wgs84' | 'gcj02' = process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02';
    let at: { latitude: number; longitude: number };
    try {
      at = await Taro.getLocation({ type: system });
    } catch {
      return false;
    }
    await get().setHere({ latitude: at.latitude, longitude: at.longitude }, system);
    return true;
  },
  setCategory(category) {
    set({ category, selectedId: null });
  },
  select(id) {
    set({ selectedId: id });
  },
  async requestService(category) {
    set({ requesting: [...get().requesting, category] });
    const intent = `requestService:${category}`;
    const result = await callCloud('circle', 'requestService', {
      category,
      clientRequestId: residentIds.idFor(intent),
    });
    residentIds.settle(intent, result.ok ? undefined : result.code);
    set({ requesting: get().requesting.filter((c) => c !== category) });
    if (!result.ok) return { ok: false, message: result.message };
    const coverage = get().coverage;
    if (coverage && !coverage.myRequests.includes(category)) {
      set({ coverage: { ...coverage, myRequests: [...coverage.myRequests, category] } });
    }
    return { ok: true, message: result.data.created ? '已提交需求' : '之前已提交过' };
  },
}));

export function resetCircleStore(): void {
  residentIds.clear();
  useCircleStore.setState(initial);
}

interface CircleAdminState {
  status: Status;
  error: string | null;
  places: CirclePlace[];
  hasMore: boolean;
  page: number;
  requests: { counts: ServiceRequestCount[]; total: number } | null;
  loadPlaces: (page?: number) => Promise<void>;
  loadRequests: () => Promise<void>;
  savePlace: (id: string | null, draft: PlaceDraft) => Promise<{ ok: boolean; message: string }>;
  removePlace: (id: string) => Promise<{ ok: boolean; message: string }>;
  importPlaces: (
    format: ImportFormat,
    text: string,
    mode: 'dry-run' | 'all' | 'accepted-only',
    /** The file's coordinate system as the secretary chose it. */
    system: CoordinateSystem,
  ) => Promise<{ ok: true; outcome: ImportOutcome } | { ok: false; code: string; message: string }>;
}

/** Request ids per intent (one form submission, one confirmed removal, one import), reused when it is retried. */
const pendingIds = createRequestIds();

const adminInitial = {
  status: 'idle' as Status,
  error: null,
  places: [],
  hasMore: false,
  page: 0,
  requests: null,
};

/** The secretary's place management (packages/circle). */
export const useCircleAdminStore = create<CircleAdminState>()((set, get) => ({
  ...adminInitial,
  async loadPlaces(page = 0) {
    set({
      status: page === 0 && get().places.length === 0 ? 'loading' : get().status,
      error: null,
    });
    const result = await callCloud('circle', 'listPlaces', { page });
    if (!result.ok) {
      set({ status: 'error', error: result.message });
      return;
    }
    set({
      status: 'ready',
      page,
      hasMore: result.data.hasMore,
      places: page === 0 ? result.data.places : [...get().places, ...result.data.places],
    });
  },
  async loadRequests() {
    const result = await callCloud('circle', 'serviceRequests', {});
    if (result.ok) set({ requests: result.data });
    else set({ error: result.message });
  },
  async savePlace(id, draft) {
    const intent = `${id ? `updatePlace:${id}` : 'addPlace'}:${JSON.stringify(draft)}`;
    const clientRequestId = pendingIds.idFor(intent);
    const result = id
      ? await callCloud('circle', 'updatePlace', { id, place: draft, clientRequestId })
      : await callCloud('circle', 'addPlace', { ...draft, clientRequestId });
    pendingIds.settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    const saved = result.data;
    const others = get().places.filter((p) => p.id !== saved.id);
    set({
      places: id ? get().places.map((p) => (p.id === saved.id ? saved : p)) : [saved, ...others],
    });
    useCircleStore.setState({ result: null });
    return { ok: true, message: id ? '已保存' : '已添加' };
  },
  async removePlace(id) {
    const intent = `removePlace:${id}`;
    const result = await callCloud('circle', 'removePlace', {
      id,
      clientRequestId: pendingIds.idFor(intent),
    });
    pendingIds.settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, message: result.message };
    set({ places: get().places.filter((p) => p.id !== id) });
    return { ok: true, message: '已删除' };
  },
  async importPlaces(format, text, mode, system) {
    const intent = `importPlaces:${format}:${system}:${mode}:${text}`;
    const result = await callCloud('circle', 'importPlaces', {
      format,
      text,
      system,
      dryRun: mode === 'dry-run',
      acceptedOnly: mode === 'accepted-only',
      clientRequestId: pendingIds.idFor(intent),
    });
    pendingIds.settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    if (!result.data.dryRun) await get().loadPlaces(0);
    return { ok: true, outcome: result.data };
  },
}));

export function resetCircleAdminStore(): void {
  pendingIds.clear();
  useCircleAdminStore.setState(adminInitial);
}
