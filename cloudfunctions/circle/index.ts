import { circleContract } from '../../src/domain/contract/circle';
import { createRouter } from '../_shared';
import { residentHandlers } from './handlers/resident';
import { secretaryHandlers } from './handlers/secretary';

/**
 * The 15-minute life circle: places near the space (or the resident), coverage against the
 * MOFCOM guide, residents' requests for missing services, and the secretary's place management.
 * Walking minutes follow src/domain/circle/walking.ts only; stored points are GCJ-02.
 */
export const main = createRouter(
  circleContract,
  { ...residentHandlers, ...secretaryHandlers },
  {
    name: 'circle',
    roles: {
      listPlaces: ['secretary'],
      addPlace: ['secretary'],
      updatePlace: ['secretary'],
      removePlace: ['secretary'],
      importPlaces: ['secretary'],
      serviceRequests: ['secretary'],
    },
  },
);
