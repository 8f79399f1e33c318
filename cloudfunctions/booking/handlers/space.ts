import type { bookingContract } from '../../../src/domain/contract/booking';
import { fail, ok } from '../../../src/domain/shared/result';
import {
  COLLECTIONS,
  type HandlerGroup,
  type ServiceDoc,
  type SpaceDoc,
  defaultSpaceId,
  getOrNull,
} from '../../_shared';
import { spaceServiceView, spaceView } from '../docs';

/** A space has at most a few dozen services; one page of 100 holds them all. */
const SERVICES_PER_SPACE_MAX = 100;

/** The space page: a space (the default one when none is named) and its services in order. */
export const spaceHandlers = {
  async space({ spaceId }, ctx) {
    const id = spaceId ?? defaultSpaceId();
    const space = await getOrNull<SpaceDoc>(ctx.db, COLLECTIONS.spaces, id);
    if (!space) return fail('SPACE_NOT_FOUND', '没有找到这个空间，请重新扫码或稍后再试');
    const { data: services } = await ctx.db
      .collection<ServiceDoc>(COLLECTIONS.services)
      .where({ spaceId: id })
      .orderBy('order', 'asc')
      .limit(SERVICES_PER_SPACE_MAX)
      .get();
    return ok({ space: spaceView(space), services: services.map(spaceServiceView) });
  },
} satisfies HandlerGroup<typeof bookingContract>;
