import {
  EVENT_MAX_BYTES,
  EVENT_MAX_DEPTH,
  EVENT_MAX_NODES,
  eventRefusal,
  jsonDepthRefusal,
} from './input-guard';

/** `depth` levels of nested arrays, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('eventRefusal', () => {
  it('passes ordinary events', () => {
    expect(
      eventRefusal({ action: 'listSlots', input: { serviceId: 'gym', date: '2026-03-01' } }),
    ).toBeNull();
    expect(
      eventRefusal({
        action: 'x',
        input: { a: { b: { c: [1, 2, { d: '老人' }] } } },
        userInfo: { openId: 'o' },
      }),
    ).toBeNull();
    expect(eventRefusal(null)).toBeNull();
    expect(eventRefusal('text')).toBeNull();
  });

  it('allows exactly EVENT_MAX_DEPTH levels and refuses one more', () => {
    expect(eventRefusal(nested(EVENT_MAX_DEPTH))).toBeNull();
    expect(eventRefusal(nested(EVENT_MAX_DEPTH + 1))).toMatchObject({
      bound: 'depth',
      limit: 32,
      message: '输入内容层级过深（最多 32 层）',
    });
  });

  it.each([4_500, 100_000, 1_000_000])(
    'refuses %i levels at once, without overflowing',
    (depth) => {
      const event = { action: 'a', input: nested(depth) };
      const started = Date.now();
      expect(eventRefusal(event)?.bound).toBe('depth');
      expect(Date.now() - started).toBeLessThan(50);
    },
  );

  it('ends on a cycle', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(eventRefusal({ input: a })?.bound).toBe('depth');
  });

  it('refuses more than EVENT_MAX_NODES values, flat or spread out', () => {
    expect(eventRefusal({ input: new Array(EVENT_MAX_NODES).fill(0) })?.bound).toBe('nodes');
    expect(eventRefusal({ input: new Array(EVENT_MAX_NODES - 10).fill(0) })).toBeNull();
    const wide = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`k${i}`, new Array(60).fill({ x: 1 })]),
    );
    expect(eventRefusal({ input: wide })?.bound).toBe('nodes');
  });

  it('refuses more than EVENT_MAX_BYTES of text, counted as UTF-8', () => {
    expect(eventRefusal({ input: { text: 'a'.repeat(EVENT_MAX_BYTES) } })?.bound).toBe('bytes');
    expect(eventRefusal({ input: { text: 'a'.repeat(EVENT_MAX_BYTES - 100) } })).toBeNull();
    // 350,000 Chinese characters are 1,050,000 bytes.
    expect(eventRefusal({ input: { text: '字'.repeat(350_000) } })?.bound).toBe('bytes');
    expect(eventRefusal({ input: { text: '字'.repeat(300_000) } })).toBeNull();
    expect(eventRefusal({ input: { ['k'.repeat(EVENT_MAX_BYTES)]: 1 } })?.bound).toBe('bytes');
  });
});

describe('jsonDepthRefusal', () => {
  it('counts brackets outside strings only', () => {
    expect(
      jsonDepthRefusal(JSON.stringify({ text: '['.repeat(1000) + '{'.repeat(1000) })),
    ).toBeNull();
    expect(jsonDepthRefusal(JSON.stringify({ text: '\\"[[[[' }))).toBeNull();
    expect(jsonDepthRefusal(JSON.stringify(nested(EVENT_MAX_DEPTH)))).toBeNull();
    expect(jsonDepthRefusal(JSON.stringify(nested(EVENT_MAX_DEPTH + 1)))?.bound).toBe('depth');
  });

  it('refuses 4,500 levels of text before parsing', () => {
    const text = `{"action":"a","input":${'['.repeat(4500)}${']'.repeat(4500)}}`;
    expect(jsonDepthRefusal(text)).toMatchObject({ bound: 'depth' });
  });

  it('agrees with the event walk on the parsed value', () => {
    for (const depth of [1, 5, 31, 32, 33, 64]) {
      const value = { input: nested(depth) };
      expect(jsonDepthRefusal(JSON.stringify(value))?.bound ?? null).toBe(
        eventRefusal(value)?.bound ?? null,
      );
    }
  });
});
