import { CIRCLE_REFUSALS, changeApplied } from './place';

describe('changeApplied', () => {
  it('is true once the request key is among those kept on the place', () => {
    expect(changeApplied(['a', 'b'], 'b')).toBe(true);
    expect(changeApplied(['a'], 'b')).toBe(false);
    expect(changeApplied(undefined, 'b')).toBe(false);
  });
});

describe('CIRCLE_REFUSALS', () => {
  it('says in Chinese what is missing', () => {
    expect(CIRCLE_REFUSALS.PLACE_NOT_FOUND.message).toBe('这个地点不存在，可能已被删除');
    expect(CIRCLE_REFUSALS.SPACE_NOT_FOUND.code).toBe('SPACE_NOT_FOUND');
  });
});
