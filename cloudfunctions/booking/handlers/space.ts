import type { bookingContract } from '../../../src/domain/contract/booking';
import { REFUSALS } from '../../../src/domain/booking/requests';
import { fail, ok } from '../../../src/domain/shared/result';
import { type HandlerGroup, defaultSpaceId } from '../../_shared';
import { spaceServiceView, spaceView } from '../docs';
import { loadSpace, servicesOfSpace } from '../store/services';

/** The space page: a space (the default one when none is named) and its services in order. */
export const spaceHandlers = {
  async space({ spaceId }, ctx) {
    const id = spaceId ?? defaultSpaceId();
    const space = await loadSpace(ctx.db, id);
    if (!space) return fail(REFUSALS.spaceNotFound.code, REFUSALS.spaceNotFound.message);
    const services = await servicesOfSpace(ctx.db, id);
    return ok({ space: spaceView(space), services: services.map(spaceServiceView) });
  },
} satisfies HandlerGroup<typeof bookingContract>;
