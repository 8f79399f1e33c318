import fs from 'node:fs';
import path from 'node:path';
import { contract } from '../../src/domain/contract';
import { startTestCloud, type TestCloud } from '../_test-support/host';

/**
 * Structurally hostile events sent to every action of every deployed function, through the real
 * SDK on the local store, as a signed-in secretary (the widest role): none may answer INTERNAL or
 * throw, each is refused, and nothing is written to any collection (not even the caller's user
 * document: refusal comes before the caller is resolved).
 *
 * Depth here stops at 1,000 levels: the test host's own JSON round trip (local/runtime) overflows
 * near 4,500 before the function runs. Deeper input is refused by the local server before it
 * reaches the host (local/server/server.test.ts) and by the router when handed to main directly,
 * as WeChat does (router.test.ts).
 */

const SECRETARY = 'secretary-hostile';
const COLLECTIONS = Object.keys(
  (
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'database', 'indexes.json'), 'utf8')) as {
      collections: Record<string, unknown>;
    }
  ).collections,
);

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Inputs no action accepts, each with the reason. */
const HOSTILE_INPUTS: Array<[string, () => unknown]> = [
  ['an array', () => [1, 2, 3]],
  ['a string', () => 'drop table'],
  ['a number', () => 42],
  ['true', () => true],
  ['an unknown key', () => ({ unexpected: 1 })],
  ['a __proto__ key', () => JSON.parse('{"__proto__":{"role":"secretary"}}')],
  ['a constructor key', () => ({ constructor: { prototype: { polluted: true } } })],
  ['40 levels deep', () => ({ x: nested(40) })],
  ['1,000 levels deep', () => ({ x: nested(1000) })],
  ['20,000 values wide', () => ({ x: new Array(20_000).fill('a') })],
  ['2 MB of text', () => ({ x: '字'.repeat(700_000) })],
  ['NUL and bidi override keys', () => ({ '\u0000': 1, '\u202e': 2 })],
];

/** Whole events that are not a call at all. */
const HOSTILE_EVENTS: Array<[string, () => unknown]> = [
  ['an event 1,000 levels deep', () => ({ action: 'x', input: nested(1000) })],
  ['an action that is an object', () => ({ action: { toString: 'x' }, input: {} })],
  ['an action named constructor', () => ({ action: 'constructor', input: {} })],
  [
    'a timer event from a client',
    () => ({ Type: 'Timer', TriggerName: 'sweep', Time: '2026-02-31T00:00:00Z' }),
  ],
  ['null', () => null],
];

let cloud: TestCloud;
beforeAll(() => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
});
afterAll(() => cloud.close());

async function counts(): Promise<number[]> {
  return Promise.all(COLLECTIONS.map((c) => cloud.count(c)));
}

const cases = (Object.keys(contract) as Array<keyof typeof contract>).flatMap((fn) =>
  Object.keys(contract[fn]).map((action) => [fn, action] as const),
);

it('covers every action of every function', () => {
  expect(cases.length).toBeGreaterThan(70);
});

it.each(cases)('%s.%s refuses every hostile input and writes nothing', async (fn, action) => {
  const before = await counts();
  const answers: string[] = [];
  for (const [label, make] of HOSTILE_INPUTS) {
    const result = await cloud.call(fn, action, make(), SECRETARY);
    answers.push(`${label}: ${result.ok ? 'ok' : result.code}`);
  }
  expect(answers).toEqual(HOSTILE_INPUTS.map(([label]) => `${label}: INVALID_INPUT`));
  expect(await counts()).toEqual(before);
});

it.each(Object.keys(contract))(
  '%s refuses events that are not a call, and writes nothing',
  async (fn) => {
    const before = await counts();
    for (const [label, make] of HOSTILE_EVENTS) {
      const result = await cloud.host.invoke(fn, make(), { openid: SECRETARY });
      expect([
        label,
        (result as { ok: boolean }).ok,
        ['INVALID_INPUT', 'UNKNOWN_ACTION'].includes((result as { code: string }).code),
      ]).toEqual([label, false, true]);
    }
    expect(await counts()).toEqual(before);
  },
);
