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
    expect(
      signer.verify(`${v}.${token.split('.')[1]}.${Number(exp) + 1000}.${sig}`, now),
    ).toBeNull();
    expect(
      signer.verify(
        createTokenSigner(crypto.randomBytes(32)).sign('sample-resident-zhangsan', now),
        now,
      ),
    ).toBeNull();
    expect(signer.verify('garbage', now)).toBeNull();
    expect(signer.verify('', now)).toBeNull();
    expect(() => signer.sign('bad id!', now)).toThrow();
  });

  describe('accepts only the canonical spelling', () => {
    const openid = 'sample-resident-zhangsan';
    /** A token whose signature has a '-' or '_', so the standard alphabet spells it differently. */
    const urlSafe = (() => {
      for (let i = 0; ; i++) {
        const t = signer.sign(openid, new Date(now.getTime() + i * 1000));
        if (/[-_]/.test(t.split('.')[3]))
          return { token: t, at: new Date(now.getTime() + i * 1000) };
      }
    })();
    const [v, id, exp, sig] = urlSafe.token.split('.');
    // A 23-character openid: its base64url leaves a partial final group, which padding would fill.
    const padded = signer.sign('sample-resident-zhangsa', urlSafe.at);
    const [, pid, pexp, psig] = padded.split('.');

    it('the canonical token itself', () => {
      expect(signer.verify(urlSafe.token, urlSafe.at)).toBe(openid);
      expect(signer.verify(padded, urlSafe.at)).toBe('sample-resident-zhangsa');
      expect(pid.length % 4).not.toBe(0);
    });

    it.each([
      ['padding on the signature', () => `${v}.${id}.${exp}.${sig}=`],
      [
        'the standard base64 alphabet in the signature',
        () => `${v}.${id}.${exp}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`,
      ],
      [
        'padding on the openid',
        () => `${v}.${pid}${'='.repeat(4 - (pid.length % 4))}.${pexp}.${psig}`,
      ],
      ['a leading zero in the expiry', () => `${v}.${id}.0${exp}.${sig}`],
      ['a plus sign in the expiry', () => `${v}.${id}.+${exp}.${sig}`],
      [
        'stray low bits in the last signature character',
        () =>
          `${v}.${id}.${exp}.${sig.slice(0, -1)}${String.fromCharCode(sig.charCodeAt(sig.length - 1) + 1)}`,
      ],
      ['an upper-case version', () => `V1.${id}.${exp}.${sig}`],
      ['a fifth part', () => `${urlSafe.token}.x`],
      ['whitespace inside', () => `${v}.${id}. ${exp}.${sig}`],
      ['a very long token', () => `${urlSafe.token}${'A'.repeat(10_000)}`],
    ])('refuses %s', (_label, variant) => {
      const token = variant();
      expect(token).not.toBe(urlSafe.token);
      expect(signer.verify(token, urlSafe.at)).toBeNull();
    });

    it('decodes the refused variants to the same bytes Node would accept (so the refusal is ours)', () => {
      expect(Buffer.from(`${sig}=`, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
      expect(
        Buffer.from(sig.replace(/-/g, '+').replace(/_/g, '/'), 'base64url').equals(
          Buffer.from(sig, 'base64url'),
        ),
      ).toBe(true);
      expect(Number(`0${exp}`)).toBe(Number(exp));
    });
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
