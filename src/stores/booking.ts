import { create } from 'zustand';
import { callCloud, requestSubscription } from '@/cloud/client';
import { WAITLIST_HOLD_TEMPLATE_ID } from '@/domain/booking/notify';
import type {
  BookableServiceView,
  BookingView,
  CheckInOption,
  ScheduleSlot,
  SlotView,
} from '@/domain/contract';
import type { RulesPatch } from '@/domain/booking/rules';
import type { WeekUtilization } from '@/domain/booking/utilization';
import { weekOfDate } from '@/domain/booking/policy';
import { addDays } from '@/domain/booking/slots';
import { createRequestIds } from './request-ids';
import type { OpeningRule } from '@/domain/space/opening-hours';

type Status = 'idle' | 'loading' | 'ready' | 'error';
export type MineScope = 'upcoming' | 'past';

/** One id per booking intent; a retry after a network failure reuses it, so the server books once. */
const ids = createRequestIds();

interface BookingState {
  servicesStatus: Status;
  services: BookableServiceView[];
  servicesError: string | null;

  slotsStatus: Status;
  slotsError: string | null;
  slotService: BookableServiceView | null;
  slotDate: string | null;
  slotDates: string[];
  slots: SlotView[];

  mineStatus: Status;
  mineError: string | null;
  upcoming: BookingView[];
  past: BookingView[];
  /** 我的预约 pages: the last page loaded per list, whether more exist, which list is loading more. */
  minePages: Record<MineScope, number>;
  mineHasMore: Record<MineScope, boolean>;
  mineMoreBusy: MineScope | null;

  checkIn: CheckInOption[];

  /** The request in flight for a slot, kept so a retry after a network error reuses its id. */
  busy: boolean;

  loadServices: (spaceId?: string) => Promise<void>;
  loadSlots: (serviceId: string, date?: string) => Promise<void>;
  loadMine: () => Promise<void>;
  /** The next page of one list of 我的预约 (加载更多), appended. */
  loadMoreMine: (scope: MineScope) => Promise<{ ok: boolean; message: string }>;
  loadCheckIn: (spaceId?: string) => Promise<void>;
  book: (
    slot: SlotView,
    options?: { slots?: number; attendee?: string },
  ) => Promise<{ ok: boolean; message: string; booking?: BookingView }>;
  joinWaitlist: (slot: SlotView, attendee?: string) => Promise<{ ok: boolean; message: string }>;
  claim: (bookingId: string) => Promise<{ ok: boolean; message: string }>;
  cancel: (bookingId: string) => Promise<{ ok: boolean; message: string }>;
  doCheckIn: (bookingId: string) => Promise<{ ok: boolean; message: string }>;
}

const initial = {
  servicesStatus: 'idle' as Status,
  services: [],
  servicesError: null,
  slotsStatus: 'idle' as Status,
  slotsError: null,
  slotService: null,
  slotDate: null,
  slotDates: [],
  slots: [],
  mineStatus: 'idle' as Status,
  mineError: null,
  upcoming: [],
  past: [],
  minePages: { upcoming: 0, past: 0 },
  mineHasMore: { upcoming: false, past: false },
  mineMoreBusy: null,
  checkIn: [],
  busy: false,
};

/** Sequence of listSlots requests; an answer to an older one is dropped. */
let slotsRequest = 0;

export const useBookingStore = create<BookingState>()((set, get) => ({
  ...initial,

  async loadServices(spaceId) {
    set({ servicesStatus: get().services.length ? 'ready' : 'loading', servicesError: null });
    const r = await callCloud('booking', 'listServices', spaceId ? { spaceId } : {});
    if (r.ok) set({ servicesStatus: 'ready', services: r.data.services });
    else set({ servicesStatus: 'error', servicesError: r.message });
  },

  async loadSlots(serviceId, date) {
    const request = ++slotsRequest;
    const keep = get().slotService?.id === serviceId;
    const day =
      date ??
      (keep ? get().slotDate : null) ??
      get().services.find((s) => s.id === serviceId)?.days[0]?.date;
    set({ slotsStatus: keep && get().slots.length ? 'ready' : 'loading', slotsError: null });
    const today = day ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const r = await callCloud('booking', 'listSlots', { serviceId, date: today });
    // Answers may arrive out of order (a day tapped, then another): only the latest request is shown.
    if (request !== slotsRequest) return;
    if (r.ok)
      set({
        slotsStatus: 'ready',
        slotService: r.data.service,
        slotDate: r.data.date,
        slotDates: r.data.dates,
        slots: r.data.slots,
      });
    else set({ slotsStatus: 'error', slotsError: r.message });
  },

  async loadMine() {
    set({
      mineStatus: get().upcoming.length || get().past.length ? 'ready' : 'loading',
      mineError: null,
    });
    const [up, past] = await Promise.all([
      callCloud('booking', 'mine', { scope: 'upcoming' }),
      callCloud('booking', 'mine', { scope: 'past' }),
    ]);
    if (up.ok && past.ok) {
      set({
        mineStatus: 'ready',
        upcoming: up.data.bookings,
        past: past.data.bookings,
        minePages: { upcoming: 0, past: 0 },
        mineHasMore: { upcoming: up.data.hasMore, past: past.data.hasMore },
      });
    } else
      set({
        mineStatus: 'error',
        mineError: (!up.ok ? up.message : !past.ok ? past.message : null) ?? '加载失败',
      });
  },

  async loadMoreMine(scope) {
    if (get().mineMoreBusy || !get().mineHasMore[scope]) return { ok: true, message: '' };
    const page = get().minePages[scope] + 1;
    set({ mineMoreBusy: scope });
    const r = await callCloud('booking', 'mine', { scope, page });
    if (!r.ok) {
      set({ mineMoreBusy: null });
      return { ok: false, message: r.message };
    }
    // A booking may move between pages while reading (one was cancelled or ended): keep each once.
    const have = new Set(get()[scope].map((b) => b.id));
    set({
      mineMoreBusy: null,
      [scope]: [...get()[scope], ...r.data.bookings.filter((b) => !have.has(b.id))],
      minePages: { ...get().minePages, [scope]: page },
      mineHasMore: { ...get().mineHasMore, [scope]: r.data.hasMore },
    });
    return { ok: true, message: '' };
  },

  async loadCheckIn(spaceId) {
    const r = await callCloud('booking', 'checkInOptions', spaceId ? { spaceId } : {});
    if (r.ok) set({ checkIn: r.data.options });
  },

  async book(slot, options = {}) {
    const service = get().slotService;
    if (!service || get().busy) return { ok: false, message: '请稍候' };
    const intent = `create:${slot.id}:${options.slots ?? 1}`;
    const clientRequestId = ids.idFor(intent);
    set({ busy: true });
    const r = await callCloud('booking', 'create', {
      serviceId: service.id,
      date: slot.date,
      startMinute: slot.startMinute,
      slots: options.slots ?? 1,
      clientRequestId,
      ...(options.attendee ? { attendee: options.attendee } : {}),
    });
    // The id is kept only when the outcome is unknown (network), so tapping again is a retry.
    ids.settle(intent, r.ok ? undefined : r.code);
    set({ busy: false });
    void get().loadSlots(service.id, slot.date);
    if (r.ok) {
      void get().loadMine();
      return { ok: true, message: '预约成功', booking: r.data };
    }
    return { ok: false, message: r.message };
  },

  async joinWaitlist(slot, attendee) {
    const service = get().slotService;
    if (!service || get().busy) return { ok: false, message: '请稍候' };
    // One-time consent for the "a place is held for you" message; refusing still joins the line.
    await requestSubscription([WAITLIST_HOLD_TEMPLATE_ID]);
    const intent = `joinWaitlist:${slot.id}`;
    set({ busy: true });
    const r = await callCloud('booking', 'joinWaitlist', {
      serviceId: service.id,
      date: slot.date,
      startMinute: slot.startMinute,
      clientRequestId: ids.idFor(intent),
      ...(attendee ? { attendee } : {}),
    });
    ids.settle(intent, r.ok ? undefined : r.code);
    set({ busy: false });
    void get().loadSlots(service.id, slot.date);
    return r.ok ? { ok: true, message: '已加入候补' } : { ok: false, message: r.message };
  },

  async claim(bookingId) {
    const r = await callCloud('booking', 'claimHold', { bookingId });
    void get().loadMine();
    return r.ok ? { ok: true, message: '预约成功' } : { ok: false, message: r.message };
  },

  async cancel(bookingId) {
    const r = await callCloud('booking', 'cancel', { bookingId });
    void get().loadMine();
    const service = get().slotService;
    if (service) void get().loadSlots(service.id);
    return r.ok ? { ok: true, message: '已取消' } : { ok: false, message: r.message };
  },

  async doCheckIn(bookingId) {
    const r = await callCloud('booking', 'checkIn', { bookingId });
    if (r.ok)
      set({
        checkIn: get().checkIn.map((o) =>
          o.booking.id === bookingId
            ? { ...o, booking: r.data, kind: 'done', reason: '已签到' }
            : o,
        ),
      });
    return r.ok ? { ok: true, message: '签到成功' } : { ok: false, message: r.message };
  },
}));

export function resetBookingStore(): void {
  ids.clear();
  useBookingStore.setState(initial);
  useBookingAdminStore.setState(adminInitial);
}

// ---------------------------------------------------------------------------------------------
// Secretary.

interface BookingAdminState {
  status: Status;
  error: string | null;
  schedule: { service: BookableServiceView; date: string; slots: ScheduleSlot[] } | null;
  week: WeekUtilization | null;
  loadSchedule: (serviceId: string, date: string) => Promise<void>;
  loadWeek: (serviceId: string, weekStart: string) => Promise<void>;
  mark: (bookingId: string, attended: boolean) => Promise<{ ok: boolean; message: string }>;
  cancelWithReason: (
    bookingId: string,
    reason: string,
  ) => Promise<{ ok: boolean; message: string }>;
  saveRules: (serviceId: string, rules: RulesPatch) => Promise<{ ok: boolean; message: string }>;
  /** Change opening hours and/or rules (capacity…) of a service. */
  saveService: (
    serviceId: string,
    change: { hours?: OpeningRule[]; rules?: RulesPatch },
  ) => Promise<{ ok: boolean; message: string }>;
  /** Places taken from today through next week (null when unknown), to warn before a change. */
  upcomingTaken: (serviceId: string, today: string) => Promise<number | null>;
}

const adminInitial = { status: 'idle' as Status, error: null, schedule: null, week: null };

export const useBookingAdminStore = create<BookingAdminState>()((set, get) => ({
  ...adminInitial,
  async loadSchedule(serviceId, date) {
    set({ status: get().schedule ? 'ready' : 'loading', error: null });
    const r = await callCloud('booking', 'schedule', { serviceId, date });
    if (r.ok) set({ status: 'ready', schedule: r.data });
    else set({ status: 'error', error: r.message });
  },
  async loadWeek(serviceId, weekStart) {
    const r = await callCloud('booking', 'utilization', { serviceId, weekStart });
    if (r.ok) set({ week: r.data });
    else set({ error: r.message });
  },
  async mark(bookingId, attended) {
    const r = await callCloud('booking', 'markAttendance', { bookingId, attended });
    const s = get().schedule;
    if (s) void get().loadSchedule(s.service.id, s.date);
    return r.ok
      ? { ok: true, message: attended ? '已登记到场' : '已登记爽约' }
      : { ok: false, message: r.message };
  },
  async cancelWithReason(bookingId, reason) {
    const r = await callCloud('booking', 'cancelBySecretary', { bookingId, reason });
    const s = get().schedule;
    if (s) void get().loadSchedule(s.service.id, s.date);
    return r.ok ? { ok: true, message: '已取消并通知' } : { ok: false, message: r.message };
  },
  async saveRules(serviceId, rules) {
    return get().saveService(serviceId, { rules });
  },
  async upcomingTaken(serviceId, today) {
    const thisWeek = weekOfDate(today);
    const weeks = await Promise.all(
      [thisWeek, addDays(thisWeek, 7)].map((weekStart) =>
        callCloud('booking', 'utilization', { serviceId, weekStart }),
      ),
    );
    let taken = 0;
    for (const w of weeks) {
      if (!w.ok) return null;
      taken += w.data.days.filter((d) => d.date >= today).reduce((sum, d) => sum + d.taken, 0);
    }
    return taken;
  },
  async saveService(serviceId, change) {
    const r = await callCloud('booking', 'updateService', { serviceId, ...change });
    if (r.ok) {
      useBookingStore.setState({
        services: useBookingStore
          .getState()
          .services.map((s) => (s.id === serviceId ? { ...r.data, days: s.days } : s)),
      });
    }
    return r.ok ? { ok: true, message: '已保存' } : { ok: false, message: r.message };
  },
}));
