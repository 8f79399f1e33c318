import { servicesNow } from './open-now';
import type { SpaceService } from './space';
import { shanghaiInstant } from '../shared/time';

const aService = (overrides: Partial<SpaceService>): SpaceService => ({
  id: 'svc',
  spaceId: 'r29',
  name: '服务',
  category: 'cafe',
  summary: '',
  place: '一楼',
  hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 480, close: 1320 }],
  bookingKind: 'walk-in',
  order: 0,
  ...overrides,
});

describe('servicesNow', () => {
  const services = [
    aService({ id: 'cafe', order: 1 }),
    aService({
      id: 'gym',
      order: 2,
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 1440 }],
    }),
    aService({ id: 'gov', order: 3, hours: [{ days: [1, 2, 3, 4, 5], open: 540, close: 720 }] }),
    aService({
      id: 'room',
      order: 4,
      hours: [{ days: [0, 1, 2, 3, 4, 5, 6], open: 540, close: 1260 }],
    }),
  ];

  it('splits open from closed at a late-night instant, in Shanghai time', () => {
    // 23:00 Friday in Shanghai = 15:00 UTC.
    const { open, closed } = servicesNow(services, shanghaiInstant('2026-11-27', 23 * 60));
    expect(open.map((s) => s.service.id)).toEqual(['gym']);
    expect(closed.map((s) => s.service.id)).toEqual(['cafe', 'room', 'gov']);
    expect(closed[2].label).toBe('已关门 · 周一 09:00 开门');
  });

  it('puts always-open first and closing-soon last among open services', () => {
    const { open } = servicesNow(services, shanghaiInstant('2026-11-27', 11 * 60 + 45));
    expect(open.map((s) => s.service.id)).toEqual(['gym', 'cafe', 'room', 'gov']);
    expect(open[3].label).toBe('即将关门 · 12:00');
  });
});
