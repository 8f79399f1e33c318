import { entranceScene, parseEntranceScene, SCENE_MAX_LENGTH } from './entrance-scene';

describe('entrance QR scene', () => {
  it('round-trips a space id within the 32-character limit', () => {
    const scene = entranceScene('r29');
    expect(scene.length).toBeLessThanOrEqual(SCENE_MAX_LENGTH);
    expect(parseEntranceScene(scene)).toEqual({ spaceId: 'r29' });
  });

  it('accepts the URL-encoded form WeChat delivers, once or twice encoded', () => {
    expect(parseEntranceScene('s%3Dr29')).toEqual({ spaceId: 'r29' });
    expect(parseEntranceScene('s%253Dr29')).toEqual({ spaceId: 'r29' });
  });

  it('ignores scenes that are not ours', () => {
    expect(parseEntranceScene(undefined)).toBeNull();
    expect(parseEntranceScene('')).toBeNull();
    expect(parseEntranceScene('x=1')).toBeNull();
    expect(parseEntranceScene('s=R29!')).toBeNull();
    expect(parseEntranceScene('%E0%A4%A')).toBeNull();
    expect(parseEntranceScene(`s=${'a'.repeat(40)}`)).toBeNull();
  });

  it('refuses to build a scene for a malformed id', () => {
    expect(() => entranceScene('R 29')).toThrow();
  });
});
