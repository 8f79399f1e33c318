import { openState, openStateLabel, describeOpeningRules, type OpenState } from './opening-hours';
import type { SpaceService } from './space';

export interface ServiceNow {
  service: SpaceService;
  state: OpenState;
  /** e.g. "营业中 · 21:00 关门" */
  label: string;
  /** e.g. "周一至周五 09:00–12:00；周一至周五 13:30–17:30" */
  hours: string;
  open: boolean;
}

/**
 * What the space offers at instant `now` (Asia/Shanghai): open services first (soonest-closing
 * last so the list reads "always open → open → closing soon"), then closed ones by how soon they
 * open, each group otherwise in the space's own order.
 */
export function servicesNow(
  services: SpaceService[],
  now: Date,
): { open: ServiceNow[]; closed: ServiceNow[] } {
  const all = [...services]
    .sort((a, b) => a.order - b.order)
    .map((service): ServiceNow => {
      const state = openState(service.hours, now);
      return {
        service,
        state,
        label: openStateLabel(state, now),
        hours: describeOpeningRules(service.hours),
        open: state.kind === 'always' || state.kind === 'open',
      };
    });
  const openRank = (s: OpenState) =>
    s.kind === 'always' ? 0 : s.kind === 'open' && !s.closesSoon ? 1 : 2;
  const open = all.filter((s) => s.open).sort((a, b) => openRank(a.state) - openRank(b.state));
  const closedKey = (s: OpenState) =>
    s.kind === 'closed' ? s.opensInDays * 1440 + s.opensAt : Infinity;
  const closed = all.filter((s) => !s.open).sort((a, b) => closedKey(a.state) - closedKey(b.state));
  return { open, closed };
}
