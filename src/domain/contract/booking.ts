import * as v from 'valibot';
import { defineAction } from './define';
import type { Space, SpaceService } from '../space/space';

export const spaceIdSchema = v.pipe(
  v.string('空间编号必须是文字'),
  v.regex(/^[a-z0-9-]{1,24}$/, '空间编号格式不正确'),
);

export interface SpaceOverview {
  space: Space;
  services: SpaceService[];
}

export const bookingContract = {
  /** A space and its services with opening hours; the default space when none is named. */
  space: defineAction<SpaceOverview>()(
    v.strictObject({ spaceId: v.optional(spaceIdSchema) }),
    ['SPACE_NOT_FOUND'] as const,
  ),
};
