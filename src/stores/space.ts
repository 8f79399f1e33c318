import { create } from 'zustand';
import { callCloud } from '@/cloud/client';
import type { SpaceOverview } from '@/domain/contract';

interface SpaceState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  overview: SpaceOverview | null;
  error: string | null;
  /** Set when the page was opened from the entrance QR code. */
  arrivedBy: 'entrance' | null;
  load: (spaceId?: string, arrivedBy?: 'entrance') => Promise<void>;
}

const initial = { status: 'idle' as const, overview: null, error: null, arrivedBy: null };

export const useSpaceStore = create<SpaceState>()((set, get) => ({
  ...initial,
  async load(spaceId, arrivedBy) {
    const current = get().overview;
    set({
      status: current && (!spaceId || current.space.id === spaceId) ? 'ready' : 'loading',
      error: null,
      arrivedBy: arrivedBy ?? get().arrivedBy,
    });
    const result = await callCloud('booking', 'space', spaceId ? { spaceId } : {});
    if (result.ok) set({ status: 'ready', overview: result.data });
    else set({ status: 'error', error: result.message });
  },
}));

export function resetSpaceStore(): void {
  useSpaceStore.setState(initial);
}
