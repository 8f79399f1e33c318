import { callCloud } from '@/cloud/client';
import type { BookingView } from '@/domain/contract';
import { useBookingStore } from './booking';
import { idle } from './loadable';

/** 我的预约 paging (加载更多): the cloud is faked with 45 upcoming bookings, 20 a page. */
jest.mock('@/cloud/client', () => ({
  callCloud: jest.fn(),
  requestSubscription: jest.fn(),
  readLocalSession: () => null,
}));

const mockedCall = callCloud as unknown as jest.Mock;
const booking = (i: number) =>
  ({ id: `b${i}`, serviceName: '共享健身房', state: 'confirmed' }) as BookingView;
const UPCOMING = Array.from({ length: 45 }, (_, i) => booking(i));

beforeEach(() => {
  useBookingStore.setState({ mine: idle(), slots: idle(), mineMoreBusy: null });
  mockedCall.mockReset();
  mockedCall.mockImplementation(
    async (_fn: string, _action: string, input: { scope: string; page?: number }) => {
      const list = input.scope === 'upcoming' ? UPCOMING : [];
      const page = input.page ?? 0;
      return {
        ok: true,
        data: {
          bookings: list.slice(page * 20, page * 20 + 20),
          hasMore: list.length > page * 20 + 20,
        },
      };
    },
  );
});

it('loads the first page, then appends the next pages until there are no more', async () => {
  await useBookingStore.getState().loadMine();
  expect(useBookingStore.getState().mine.data?.upcoming).toHaveLength(20);
  expect(useBookingStore.getState().mine.data?.hasMore).toEqual({ upcoming: true, past: false });
  await useBookingStore.getState().loadMoreMine('upcoming');
  await useBookingStore.getState().loadMoreMine('upcoming');
  const state = useBookingStore.getState();
  expect(state.mine.data?.upcoming.map((b) => b.id)).toEqual(UPCOMING.map((b) => b.id));
  expect(state.mine.data?.hasMore.upcoming).toBe(false);
  expect(mockedCall).toHaveBeenLastCalledWith('booking', 'mine', { scope: 'upcoming', page: 2 });
  // Nothing more to load: no request.
  const calls = mockedCall.mock.calls.length;
  await useBookingStore.getState().loadMoreMine('upcoming');
  expect(mockedCall.mock.calls.length).toBe(calls);
  // A refresh starts again from the first page.
  await useBookingStore.getState().loadMine();
  expect(useBookingStore.getState().mine.data?.upcoming).toHaveLength(20);
});

it('keeps what it has and reports the error when a page fails', async () => {
  await useBookingStore.getState().loadMine();
  mockedCall.mockResolvedValueOnce({
    ok: false,
    code: 'NETWORK',
    message: '网络不给力，请检查网络后重试',
  });
  expect(await useBookingStore.getState().loadMoreMine('upcoming')).toEqual({
    ok: false,
    message: '网络不给力，请检查网络后重试',
  });
  expect(useBookingStore.getState().mine.data?.upcoming).toHaveLength(20);
  expect(useBookingStore.getState().mineMoreBusy).toBeNull();
});

it('shows the day asked last when the answers to two days arrive out of order', async () => {
  const answers: Record<string, (value: unknown) => void> = {};
  mockedCall.mockImplementation(
    (_fn: string, _action: string, input: { date: string }) =>
      new Promise((resolve) => (answers[input.date] = resolve)),
  );
  const answer = (date: string) =>
    answers[date]({
      ok: true,
      data: {
        service: { id: 'gym' },
        date,
        dates: ['2026-12-02', '2026-12-04'],
        slots: [{ id: `gym@${date}T1000` }],
      },
    });
  const first = useBookingStore.getState().loadSlots('gym', '2026-12-04');
  const second = useBookingStore.getState().loadSlots('gym', '2026-12-02');
  answer('2026-12-02');
  await second;
  answer('2026-12-04');
  await first;
  expect(useBookingStore.getState().slots.data?.date).toBe('2026-12-02');
  expect(useBookingStore.getState().slots.data?.slots.map((s) => s.id)).toEqual([
    'gym@2026-12-02T1000',
  ]);
});
