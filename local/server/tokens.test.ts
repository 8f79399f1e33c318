import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearerToken, createTokenSigner, loadOrCreateSecret, SECRET_FILE } from './tokens';

describe('tokens', () => {
  const secret = crypto.randomBytes(32);
  const signer = createTokenSigner(secret, 60);
  const now = new Date('2025-03-04T00:00:00Z');

  it('round-trips an openid until expiry', () => {
    const token = signer.sign('sample-resident-zhangsan', now);
    expect(signer.verify(token, now)).toBe('sample-resident-zhangsan');
    expect(signer.verify(token, new Date(now.getTime() + 59_000))).toBe('sample-resident-zhangsan');
    expect(signer.verify(token, new Date(now.getTime() + 60_000))).toBeNull();
  });

  it('refuses forged, altered or foreign tokens', () => {
    const token = signer.sign('sample-resident-zhangsan', now);
    const [v, , exp, sig] = token.split('.');
    const otherId = Buffer.from('sample-secretary-wangwu').toString('base64url');
    expect(signer.verify(`${v}.${otherId}.${exp}.${sig}`, now)).toBeNull();
    expect(signer.verify(`${v}.${token.split('.')[1]}.${Number(exp) + 1000}.${sig}`, now)).toBeNull();
    expect(signer.verify(createTokenSigner(crypto.randomBytes(32)).sign('sample-resident-zhangsan', now), now)).toBeNull();
    expect(signer.verify('garbage', now)).toBeNull();
    expect(signer.verify('', now)).toBeNull();
    expect(() => signer.sign('bad id!', now)).toThrow();
  });

  it('keeps one secret per data dir', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-secret-'));
    try {
      const a = loadOrCreateSecret(dir);
      const b = loadOrCreateSecret(dir);
      expect(a.equals(b)).toBe(true);
      expect(a).toHaveLength(32);
      expect(fs.statSync(path.join(dir, SECRET_FILE)).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads bearer headers', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
