import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Bearer tokens of the local server. The server derives the caller ONLY from a token it signed:
 *
 *   token = "v1." + base64url(openid) + "." + expiry + "." + base64url(HMAC-SHA256(secret, payload))
 *   payload = "v1\n" + openid + "\n" + expiry        expiry: Unix time in seconds
 *
 * Exactly one text is accepted for a given openid and expiry: base64url without padding (RFC 4648
 * §5; no '=', no '+' or '/'), the expiry as a decimal integer without leading zeros or sign.
 * Verification rebuilds that canonical token from the parts it reads and compares the whole text
 * in constant time, so no other spelling (padding, the standard alphabet, "0" before the expiry,
 * stray bits in the last base64 character) can pass.
 *
 * The 32-byte secret is generated once per data directory (file `server-secret.key`, mode 0600)
 * and reused by every server process on that directory, so tokens survive restarts and work
 * across two processes sharing one data dir. Deleting the file signs everyone out.
 */

export const SECRET_FILE = 'server-secret.key';
/** Default token lifetime: 7 days, in seconds. */
export const DEFAULT_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;
const VERSION = 'v1';
/** The openids the local cloud accepts (the same rule as the contract's openid schema). */
const OPENID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;

/** Read the data dir's signing secret, creating it on first use (race-safe across processes). */
export function loadOrCreateSecret(dataDir: string): Buffer {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SECRET_FILE);
  const fresh = crypto.randomBytes(32).toString('hex');
  try {
    // 'wx' fails if another process created it first; then everyone reads the same file.
    fs.writeFileSync(file, `${fresh}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new Error(`${file} is not a 32-byte hex secret; delete it to make a new one`);
  return Buffer.from(text, 'hex');
}

export interface TokenSigner {
  /** A token for `openid`, valid for `ttlSeconds` from `now`. */
  sign(openid: string, now?: Date, ttlSeconds?: number): string;
  /** The openid a token was signed for, or null when malformed, forged or expired. */
  verify(token: string, now?: Date): string | null;
}

function mac(secret: Buffer, openid: string, expiry: number): Buffer {
  return crypto.createHmac('sha256', secret).update(`${VERSION}\n${openid}\n${expiry}`).digest();
}

/** The base64url alphabet, unpadded. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Longer than any token sign() makes (64-character openid, 12-digit expiry). */
const MAX_TOKEN_LENGTH = 256;

/** The token for `openid` valid until `expiry` (Unix seconds), in its one canonical form. */
function canonicalToken(secret: Buffer, openid: string, expiry: number): string {
  return `${VERSION}.${Buffer.from(openid).toString('base64url')}.${expiry}.${mac(secret, openid, expiry).toString('base64url')}`;
}

export function isValidOpenid(openid: unknown): openid is string {
  return typeof openid === 'string' && OPENID_PATTERN.test(openid);
}

export function createTokenSigner(
  secret: Buffer,
  defaultTtlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
): TokenSigner {
  return {
    sign(openid, now = new Date(), ttlSeconds = defaultTtlSeconds) {
      if (!isValidOpenid(openid)) throw new Error(`not an openid: ${openid}`);
      return canonicalToken(secret, openid, Math.floor(now.getTime() / 1000) + ttlSeconds);
    },
    verify(token, now = new Date()) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
      const parts = token.split('.');
      if (parts.length !== 4) return null;
      const [, openidPart, expiryPart] = parts;
      if (!BASE64URL.test(openidPart) || !/^[1-9]\d{0,11}$/.test(expiryPart)) return null;
      const openid = Buffer.from(openidPart, 'base64url').toString('utf8');
      if (!isValidOpenid(openid)) return null;
      const expiry = Number(expiryPart);
      // The one spelling of this openid and expiry; anything else differs from it somewhere.
      const expected = Buffer.from(canonicalToken(secret, openid, expiry));
      const given = Buffer.from(token);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
      if (expiry <= Math.floor(now.getTime() / 1000)) return null;
      return openid;
    },
  };
}

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
