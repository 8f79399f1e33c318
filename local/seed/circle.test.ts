import {
  walkingBand,
  walkingMinutesForDistance,
  distanceMetres,
} from '../../src/domain/circle/walking';
import { SAMPLE_CIRCLE_CENTRE, SAMPLE_PLACES, pointAt } from './circle';
import { SAMPLE_SPACE } from './data';

describe('sample life-circle places', () => {
  it('are centred on the sample space (GCJ-02, as the map shows it)', () => {
    expect(SAMPLE_CIRCLE_CENTRE).toEqual({
      latitude: SAMPLE_SPACE.location.latitude,
      longitude: SAMPLE_SPACE.location.longitude,
    });
  });

  it('lie at their stated distance on the circle’s sphere, so their bands are the ones intended', () => {
    for (const [name, , bearing, metres] of SAMPLE_PLACES) {
      const d = distanceMetres(SAMPLE_CIRCLE_CENTRE, pointAt(bearing, metres));
      expect([name, Math.abs(d - metres) < 1]).toEqual([name, true]);
    }
    const market = SAMPLE_PLACES.filter(([, category]) => category === 'wet-market');
    expect(market.map(([, , , metres]) => walkingBand(walkingMinutesForDistance(metres)))).toEqual([
      null,
    ]);
  });
});
