import { create } from 'zustand';
import { callCloud, requestSubscription } from '@/cloud/client';
import { WAITLIST_HOLD_TEMPLATE_ID } from '@/domain/booking/notify';
import type {
  ActionOutput,
  BookableServiceView,
  BookingView,
  CheckInOption,
  SlotView,
} from '@/domain/contract';
import type { RulesPatch } from '@/domain/booking/rules';
import type { WeekUtilization } from '@/domain/booking/utilization';
import { weekOfDate } from '@/domain/booking/policy';
import { addDays } from '@/domain/booking/slots';
import { type Loadable, idle, loadInto, patched } from './loadable';
import { type Outcome, outcomeOf } from './outcome';
import { createRequestIds } from './request-ids';
import type { OpeningRule } from '@/domain/space/opening-hours';

export type MineScope = 'upcoming' | 'past';

/** One id per booking intent; a retry after a network failure reuses it, so the server books once. */
const ids = createRequestIds();

/** One day of one service: its slots, and the days that may be picked. */
export type SlotDay = ActionOutput<'booking', 'listSlots'>;

/** 我的预约: both lists, the last page loaded per list and whether more exist (加载更多). */
export interface MyBookings {
  upcoming: BookingView[];
  past: BookingView[];
  pages: Record<MineScope, number>;
  hasMore: Record<MineScope, boolean>;
}

interface BookingState {
  services: Loadable<BookableServiceView[]>;
  slots: Loadable<SlotDay>;
  mine: Loadable<MyBookings>;
  /** Which list of 我的预约 is loading more. */
  mineMoreBusy: MineScope | null;
  /** Today's bookings at the entrance, with whether each may check in now. */
  checkIn: Loadable<CheckInOption[]>;

  loadServices: (spaceId?: string) => Promise<void>;
  loadSlots: (serviceId: string, date?: string) => Promise<void>;
  loadMine: () => Promise<void>;
  /** The next page of one list of 我的预约 (加载更多), appended. */
  loadMoreMine: (scope: MineScope) => Promise<Outcome>;
  loadCheckIn: (spaceId?: string) => Promise<void>;
  book: (
    slot: SlotView,
    options?: { slots?: number; attendee?: string },
  ) => Promise<Outcome<BookingView>>;
  joinWaitlist: (slot: SlotView, attendee?: string) => Promise<Outcome>;
  claim: (bookingId: string) => Promise<Outcome>;
  cancel: (bookingId: string) => Promise<Outcome>;
  doCheckIn: (bookingId: string) => Promise<Outcome>;
}

const initial = {
  services: idle<BookableServiceView[]>(),
  slots: idle<SlotDay>(),
  mine: idle<MyBookings>(),
  mineMoreBusy: null,
  checkIn: idle<CheckInOption[]>(),
};

export const useBookingStore = create<BookingState>()((set, get) => ({
  ...initial,

  async loadServices(spaceId) {
    await loadInto(set, get, 'services', async () => {
      const r = await callCloud('booking', 'listServices', spaceId ? { spaceId } : {});
      return r.ok ? { ok: true as const, data: r.data.services } : r;
    });
  },

  async loadSlots(serviceId, date) {
    const shown = get().slots.data;
    const keep = shown?.service.id === serviceId;
    // Another service's day is not shown while this one loads.
    if (shown && !keep) set({ slots: idle() });
    // Opened from the list: the first day with a slot one may still book (late in the evening
    // today has none left), else today.
    const days = get().services.data?.find((s) => s.id === serviceId)?.days ?? [];
    const day =
      date ?? (keep ? shown.date : null) ?? (days.find((d) => d.slots > 0) ?? days[0])?.date;
    const today = day ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    // Answers may arrive out of order (a day tapped, then another): loadInto shows the latest only.
    await loadInto(set, get, 'slots', () =>
      callCloud('booking', 'listSlots', { serviceId, date: today }),
    );
  },

  async loadMine() {
    await loadInto(set, get, 'mine', async () => {
      const [up, past] = await Promise.all([
        callCloud('booking', 'mine', { scope: 'upcoming' }),
        callCloud('booking', 'mine', { scope: 'past' }),
      ]);
      if (!up.ok) return up;
      if (!past.ok) return past;
      return {
        ok: true as const,
        data: {
          upcoming: up.data.bookings,
          past: past.data.bookings,
          pages: { upcoming: 0, past: 0 },
          hasMore: { upcoming: up.data.hasMore, past: past.data.hasMore },
        },
      };
    });
  },

  async loadMoreMine(scope) {
    const mine = get().mine.data;
    if (get().mineMoreBusy || !mine?.hasMore[scope]) return { ok: true, message: '' };
    const page = mine.pages[scope] + 1;
    set({ mineMoreBusy: scope });
    const r = await callCloud('booking', 'mine', { scope, page });
    set({ mineMoreBusy: null });
    if (!r.ok) return { ok: false, message: r.message };
    // A booking may move between pages while reading (one was cancelled or ended): keep each once.
    set({
      mine: patched(get().mine, (d) => {
        const have = new Set(d[scope].map((b) => b.id));
        return {
          ...d,
          [scope]: [...d[scope], ...r.data.bookings.filter((b) => !have.has(b.id))],
          pages: { ...d.pages, [scope]: page },
          hasMore: { ...d.hasMore, [scope]: r.data.hasMore },
        };
      }),
    });
    return { ok: true, message: '' };
  },

  async loadCheckIn(spaceId) {
    await loadInto(set, get, 'checkIn', async () => {
      const r = await callCloud('booking', 'checkInOptions', spaceId ? { spaceId } : {});
      return r.ok ? { ok: true as const, data: r.data.options } : r;
    });
  },

  async book(slot, options = {}) {
    const service = get().slots.data?.service;
    if (!service) return { ok: false, message: '请稍候' };
    const intent = `create:${slot.id}:${options.slots ?? 1}`;
    const r = await callCloud('booking', 'create', {
      serviceId: service.id,
      date: slot.date,
      startMinute: slot.startMinute,
      slots: options.slots ?? 1,
      clientRequestId: ids.idFor(intent),
      ...(options.attendee ? { attendee: options.attendee } : {}),
    });
    // The id is kept only when the outcome is unknown (network), so tapping again is a retry.
    ids.settle(intent, r.ok ? undefined : r.code);
    void get().loadSlots(service.id, slot.date);
    if (r.ok) void get().loadMine();
    return outcomeOf(r, '预约成功');
  },

  async joinWaitlist(slot, attendee) {
    const service = get().slots.data?.service;
    if (!service) return { ok: false, message: '请稍候' };
    // One-time consent for the "a place is held for you" message; refusing still joins the line.
    await requestSubscription([WAITLIST_HOLD_TEMPLATE_ID]);
    const intent = `joinWaitlist:${slot.id}`;
    const r = await callCloud('booking', 'joinWaitlist', {
      serviceId: service.id,
      date: slot.date,
      startMinute: slot.startMinute,
      clientRequestId: ids.idFor(intent),
      ...(attendee ? { attendee } : {}),
    });
    ids.settle(intent, r.ok ? undefined : r.code);
    void get().loadSlots(service.id, slot.date);
    return r.ok
      ? { ok: true, message: '已加入候补' }
      : { ok: false, message: r.message, code: r.code };
  },

  async claim(bookingId) {
    const r = await callCloud('booking', 'claimHold', { bookingId });
    void get().loadMine();
    return r.ok
      ? { ok: true, message: '预约成功' }
      : { ok: false, message: r.message, code: r.code };
  },

  async cancel(bookingId) {
    const r = await callCloud('booking', 'cancel', { bookingId });
    void get().loadMine();
    const service = get().slots.data?.service;
    if (service) void get().loadSlots(service.id);
    return r.ok ? { ok: true, message: '已取消' } : { ok: false, message: r.message, code: r.code };
  },

  async doCheckIn(bookingId) {
    const r = await callCloud('booking', 'checkIn', { bookingId });
    if (!r.ok) return { ok: false, message: r.message, code: r.code };
    set({
      checkIn: patched(get().checkIn, (options) =>
        options.map((o) =>
          o.booking.id === bookingId
            ? { ...o, booking: r.data, kind: 'done', reason: '已签到' }
            : o,
        ),
      ),
    });
    return { ok: true, message: '签到成功' };
  },
}));

export function resetBookingStore(): void {
  ids.clear();
  useBookingStore.setState(initial);
  useBookingAdminStore.setState(adminInitial);
}

// ---------------------------------------------------------------------------------------------
// Secretary.

export type ServiceSchedule = ActionOutput<'booking', 'schedule'>;

interface BookingAdminState {
  schedule: Loadable<ServiceSchedule>;
  week: Loadable<WeekUtilization>;
  loadSchedule: (serviceId: string, date: string) => Promise<void>;
  loadWeek: (serviceId: string, weekStart: string) => Promise<void>;
  mark: (bookingId: string, attended: boolean) => Promise<Outcome>;
  cancelWithReason: (bookingId: string, reason: string) => Promise<Outcome>;
  saveRules: (serviceId: string, rules: RulesPatch) => Promise<Outcome>;
  /** Change opening hours and/or rules (capacity…) of a service. */
  saveService: (
    serviceId: string,
    change: { hours?: OpeningRule[]; rules?: RulesPatch },
  ) => Promise<Outcome>;
  /** Places taken from today through next week (null when unknown), to warn before a change. */
  upcomingTaken: (serviceId: string, today: string) => Promise<number | null>;
}

const adminInitial = { schedule: idle<ServiceSchedule>(), week: idle<WeekUtilization>() };

export const useBookingAdminStore = create<BookingAdminState>()((set, get) => ({
  ...adminInitial,
  async loadSchedule(serviceId, date) {
    await loadInto(set, get, 'schedule', () =>
      callCloud('booking', 'schedule', { serviceId, date }),
    );
  },
  async loadWeek(serviceId, weekStart) {
    await loadInto(set, get, 'week', () =>
      callCloud('booking', 'utilization', { serviceId, weekStart }),
    );
  },
  async mark(bookingId, attended) {
    const r = await callCloud('booking', 'markAttendance', { bookingId, attended });
    const s = get().schedule.data;
    if (s) void get().loadSchedule(s.service.id, s.date);
    return r.ok
      ? { ok: true, message: attended ? '已登记到场' : '已登记爽约' }
      : { ok: false, message: r.message, code: r.code };
  },
  async cancelWithReason(bookingId, reason) {
    const r = await callCloud('booking', 'cancelBySecretary', { bookingId, reason });
    const s = get().schedule.data;
    if (s) void get().loadSchedule(s.service.id, s.date);
    return r.ok
      ? { ok: true, message: '已取消并通知' }
      : { ok: false, message: r.message, code: r.code };
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
    if (!r.ok) return { ok: false, message: r.message, code: r.code };
    useBookingStore.setState({
      services: patched(useBookingStore.getState().services, (services) =>
        services.map((s) => (s.id === serviceId ? { ...r.data, days: s.days } : s)),
      ),
    });
    return { ok: true, message: '已保存' };
  },
}));
