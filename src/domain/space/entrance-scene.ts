/**
 * The entrance QR code is a mini-program code from wxacode.getUnlimited. Its `scene` (at most
 * 32 visible ASCII characters, delivered URL-encoded as `options.scene`) is "s=<spaceId>".
 */
export const SCENE_MAX_LENGTH = 32;
const SPACE_ID_PATTERN = /^[a-z0-9-]{1,24}$/;

export function entranceScene(spaceId: string): string {
  if (!SPACE_ID_PATTERN.test(spaceId)) throw new Error(`invalid space id for a scene: ${spaceId}`);
  return `s=${spaceId}`;
}

export interface EntranceScene {
  spaceId: string;
}

/** Read a scene as WeChat delivers it (possibly URL-encoded once or twice); null if not ours. */
export function parseEntranceScene(raw: string | undefined | null): EntranceScene | null {
  if (!raw) return null;
  let text = raw;
  for (let i = 0; i < 2 && /%[0-9a-fA-F]{2}/.test(text); i++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  if (text.length > SCENE_MAX_LENGTH) return null;
  const params = new Map<string, string>();
  for (const part of text.split('&')) {
    const [k, val] = part.split('=');
    if (k && val !== undefined) params.set(k, val);
  }
  const spaceId = params.get('s');
  if (!spaceId || !SPACE_ID_PATTERN.test(spaceId)) return null;
  return { spaceId };
}
