import { currentWXContext, installRequestContext, runAsCaller } from './context';
import { setRequestJitter } from '../cloud';

// Concurrent invocations interleave their database requests as production's instances do.
let previousJitter = 0;
beforeAll(() => {
  previousJitter = setRequestJitter(4);
});
afterAll(() => setRequestJitter(previousJitter));

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('request context', () => {
  it('is empty outside a request', () => {
    expect(currentWXContext()).toEqual({});
  });

  it('follows each caller through awaits and timers under interleaving', async () => {
    const fake = { getWXContext: (): object => ({ OPENID: 'from-env' }) };
    installRequestContext(fake);
    const seen = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        runAsCaller({ OPENID: `user-${i}` }, async () => {
          await sleep(Math.random() * 10);
          const a = (fake.getWXContext() as { OPENID?: string }).OPENID;
          await new Promise<void>((resolve) => setImmediate(resolve));
          const b = (fake.getWXContext() as { OPENID?: string }).OPENID;
          return [a, b];
        }),
      ),
    );
    seen.forEach(([a, b], i) => {
      expect(a).toBe(`user-${i}`);
      expect(b).toBe(`user-${i}`);
    });
    expect(fake.getWXContext()).toEqual({});
  });

  it('hands out a copy that callers cannot use to change the context', () => {
    runAsCaller({ OPENID: 'abc123' }, () => {
      const ctx = currentWXContext();
      ctx.OPENID = 'tampered';
      expect(currentWXContext().OPENID).toBe('abc123');
    });
  });
});
