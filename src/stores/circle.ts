import Taro from '@tarojs/taro';
import { create } from 'zustand';
import { callCloud } from '@/cloud/client';
import type { CircleCategoryId } from '@/domain/circle/categories';
import type { CoordinateSystem } from '@/domain/circle/coordinates';
import type { CirclePlace, PlaceDraft } from '@/domain/circle/place';
import type { ImportFormat } from '@/domain/circle/import-format';
import type { LatLng, Pace } from '@/domain/circle/walking';
import type {
  CircleCoverage,
  CirclePlaces,
  ImportOutcome,
  ServiceRequestCount,
} from '@/domain/contract';
import { type Loadable, idle, loadInto, patched } from './loadable';
import { type Outcome, outcomeOf } from './outcome';
import { createRequestIds } from './request-ids';

interface CircleState {
  /** Places within 15 minutes (all categories; the page filters). */
  places: Loadable<CirclePlaces>;
  /** Which kinds of service are near, and which the resident asked for. */
  coverage: Loadable<CircleCoverage>;
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
  requestService: (category: CircleCategoryId) => Promise<Outcome>;
}

/** Request ids per intent (one 我需要 tap), reused when it is retried after a network failure. */
const residentIds = createRequestIds();

const initial = {
  places: idle<CirclePlaces>(),
  coverage: idle<CircleCoverage>(),
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
    const origin = here
      ? { origin: here, ...(hereSystem !== 'gcj02' ? { originSystem: hereSystem } : {}) }
      : {};
    const input = { pace, ...origin };
    // A newer load (pace or origin changed meanwhile) wins: loadInto drops the older answer.
    await Promise.all([
      loadInto(set, get, 'places', () => callCloud('circle', 'places', input)),
      loadInto(set, get, 'coverage', () => callCloud('circle', 'coverage', input)),
    ]);
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
    set({
      coverage: patched(get().coverage, (c) =>
        c.myRequests.includes(category) ? c : { ...c, myRequests: [...c.myRequests, category] },
      ),
    });
    return { ok: true, message: result.data.created ? '已提交需求' : '之前已提交过' };
  },
}));

export function resetCircleStore(): void {
  residentIds.clear();
  useCircleStore.setState(initial);
}

export interface PlacePages {
  places: CirclePlace[];
  hasMore: boolean;
  /** The last page loaded. */
  page: number;
}

interface CircleAdminState {
  places: Loadable<PlacePages>;
  requests: Loadable<{ counts: ServiceRequestCount[]; total: number }>;
  loadPlaces: (page?: number) => Promise<void>;
  loadRequests: () => Promise<void>;
  savePlace: (id: string | null, draft: PlaceDraft) => Promise<Outcome<CirclePlace>>;
  removePlace: (id: string) => Promise<Outcome>;
  /** A dry run answers the report (no message); an import answers 已导入 N 个. */
  importPlaces: (
    format: ImportFormat,
    text: string,
    mode: 'dry-run' | 'all' | 'accepted-only',
    /** The file's coordinate system as the secretary chose it. */
    system: CoordinateSystem,
  ) => Promise<Outcome<ImportOutcome>>;
}

/** Request ids per intent (one form submission, one confirmed removal, one import), reused when it is retried. */
const pendingIds = createRequestIds();

const adminInitial = {
  places: idle<PlacePages>(),
  requests: idle<{ counts: ServiceRequestCount[]; total: number }>(),
};

/** The secretary's place management (packages/circle). */
export const useCircleAdminStore = create<CircleAdminState>()((set, get) => ({
  ...adminInitial,
  async loadPlaces(page = 0) {
    await loadInto(set, get, 'places', async () => {
      const result = await callCloud('circle', 'listPlaces', { page });
      if (!result.ok) return result;
      const before = page === 0 ? [] : (get().places.data?.places ?? []);
      const places = [...before, ...result.data.places];
      return { ok: true as const, data: { places, hasMore: result.data.hasMore, page } };
    });
  },
  async loadRequests() {
    await loadInto(set, get, 'requests', () => callCloud('circle', 'serviceRequests', {}));
  },
  async savePlace(id, draft) {
    const intent = `${id ? `updatePlace:${id}` : 'addPlace'}:${JSON.stringify(draft)}`;
    const clientRequestId = pendingIds.idFor(intent);
    const result = id
      ? await callCloud('circle', 'updatePlace', { id, place: draft, clientRequestId })
      : await callCloud('circle', 'addPlace', { ...draft, clientRequestId });
    pendingIds.settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return outcomeOf(result, '');
    const saved = result.data;
    set({
      places: patched(get().places, (d) => ({
        ...d,
        places: id
          ? d.places.map((p) => (p.id === saved.id ? saved : p))
          : [saved, ...d.places.filter((p) => p.id !== saved.id)],
      })),
    });
    // The resident's circle is read again next time it shows.
    useCircleStore.setState({ places: idle(), coverage: idle() });
    return outcomeOf(result, id ? '已保存' : '已添加');
  },
  async removePlace(id) {
    const intent = `removePlace:${id}`;
    const result = await callCloud('circle', 'removePlace', {
      id,
      clientRequestId: pendingIds.idFor(intent),
    });
    pendingIds.settle(intent, result.ok ? undefined : result.code);
    if (!result.ok) return outcomeOf(result, '');
    set({
      places: patched(get().places, (d) => ({ ...d, places: d.places.filter((p) => p.id !== id) })),
    });
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
    if (result.ok && !result.data.dryRun) await get().loadPlaces(0);
    return outcomeOf(result, (r) => (r.dryRun ? '' : `已导入 ${r.written} 个`));
  },
}));

export function resetCircleAdminStore(): void {
  pendingIds.clear();
  useCircleAdminStore.setState(adminInitial);
}
