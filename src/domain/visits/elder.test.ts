import { HEALTH_STATES, LIVING_SITUATIONS, suggestRiskLevel } from './elder';

describe('suggestRiskLevel: living situation and health suggest, the secretary decides', () => {
  it('suggests high risk for frail elders and for those living alone with a chronic illness', () => {
    for (const living of LIVING_SITUATIONS)
      expect(suggestRiskLevel(living, 'frail').level).toBe('high');
    expect(suggestRiskLevel('alone', 'chronic')).toEqual({
      level: 'high',
      because: '独居、有慢性病',
    });
  });

  it('suggests key for living alone, empty-nest or a chronic illness', () => {
    expect(suggestRiskLevel('alone', 'well').level).toBe('key');
    expect(suggestRiskLevel('empty-nest', 'well').level).toBe('key');
    expect(suggestRiskLevel('empty-nest', 'chronic').level).toBe('key');
    expect(suggestRiskLevel('with-children', 'chronic').level).toBe('key');
  });

  it('suggests general only for elders living with their children and well', () => {
    expect(suggestRiskLevel('with-children', 'well')).toEqual({
      level: 'general',
      because: '与子女同住、身体尚好',
    });
    const generals = LIVING_SITUATIONS.flatMap((l) =>
      HEALTH_STATES.filter((h) => suggestRiskLevel(l, h).level === 'general').map((h) => [l, h]),
    );
    expect(generals).toEqual([['with-children', 'well']]);
  });

  it('suggests from the living situation alone until health is given', () => {
    expect(suggestRiskLevel('alone')).toEqual({ level: 'key', because: '独居' });
    expect(suggestRiskLevel('with-children')).toEqual({ level: 'general', because: '与子女同住' });
  });
});
