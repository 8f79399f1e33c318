/**
 * Attacks by a single caller: the role matrix, fuzzed payloads and bodies, impossible dates,
 * control characters, token encodings and the dev endpoints. Every call runs alone, so whatever the
 * store wrote between "before" and "after" is that call's doing.
 */
import { ACTION_CASES, checkCatalog, type ActionCase, type Fixtures } from './catalog';
import { diffSnapshots, type Answer, type AttackCloud } from './cloud';
import { brief, Failures, figure, type Ctx } from './context';
import { OUTBOX_COLLECTION } from '../../local/runtime/openapi';
import { random, uid } from './world';

function fixtures(ctx: Ctx): Fixtures {
  return {
    pairedElder: ctx.personas.pairedElder,
    otherOpenid: 'atk-someone-else',
    unique: (p = 'atk') => uid(p),
  };
}

type Change = ReturnType<typeof diffSnapshots>[number];

/**
 * Writes a refusal may make by design: the caller's own account on their first call (the router
 * establishes the caller before refusing), and the visits function's log entry of a refused
 * access (the product logs every refused access to elder data).
 */
function permittedOnRefusal(cloud: AttackCloud, change: Change, caller: string | null): boolean {
  if (change.change !== 'added') return false;
  if (change.coll === 'users' && change.id === caller) return true;
  if (change.coll === 'elder_access_log')
    return cloud.doc<{ action?: string }>('elder_access_log', change.id)?.action === 'refused';
  return false;
}

/**
 * Run one call alone and report what it wrote: a cheap check of the store's write counter, and a
 * full content diff only when it moved.
 */
export class WriteWatch {
  private snap: ReturnType<AttackCloud['snapshot']>;
  private seq: number;
  constructor(private readonly cloud: AttackCloud) {
    this.snap = cloud.snapshot();
    this.seq = cloud.writeSeq();
  }
  async run(call: () => Promise<Answer>): Promise<{ answer: Answer; changes: Change[] }> {
    if (this.cloud.writeSeq() !== this.seq) {
      this.snap = this.cloud.snapshot();
      this.seq = this.cloud.writeSeq();
    }
    const answer = await call();
    const seq = this.cloud.writeSeq();
    if (seq === this.seq) return { answer, changes: [] };
    const after = this.cloud.snapshot();
    const changes = diffSnapshots(this.snap, after);
    this.snap = after;
    this.seq = seq;
    return { answer, changes };
  }
}

const isRefusal = (a: Answer) => a.status !== 200 || a.body?.ok !== true;

// ---------------------------------------------------------------------------------------------
// (4) Role matrix

type PersonaKey =
  'no token' | 'new user' | 'resident' | 'volunteer' | 'unpaired volunteer' | 'secretary';
const PERSONA_KEYS: PersonaKey[] = [
  'no token',
  'new user',
  'resident',
  'volunteer',
  'unpaired volunteer',
  'secretary',
];

/** What the product's rules say a persona gets for a case: allowed, FORBIDDEN, or "not found". */
function expectedFor(
  k: ActionCase,
  p: PersonaKey,
): 'allow' | 'unauthenticated' | 'forbidden' | 'hidden' {
  if (p === 'no token') return 'unauthenticated';
  switch (k.access) {
    case 'all':
      return 'allow';
    case 'secretary':
      return p === 'secretary' ? 'allow' : 'forbidden';
    case 'paired':
      return p === 'secretary' || p === 'volunteer' ? 'allow' : 'hidden';
    case 'pairedVolunteer':
      return p === 'volunteer' ? 'allow' : 'hidden';
  }
}

/** ELDER_NOT_FOUND is the refusal of elder data only where access depends on the pairing; elsewhere it is the domain's answer to an allowed caller. */
function seen(
  a: Answer,
  k: ActionCase,
): 'allow' | 'unauthenticated' | 'forbidden' | 'hidden' | 'other' {
  if (a.status === 401 || a.body?.code === 'UNAUTHENTICATED') return 'unauthenticated';
  if (a.body?.code === 'FORBIDDEN') return 'forbidden';
  if (
    a.body?.code === 'ELDER_NOT_FOUND' &&
    (k.access === 'paired' || k.access === 'pairedVolunteer')
  )
    return 'hidden';
  if (a.status === 200 && a.body && a.body.code !== 'INVALID_INPUT' && a.body.code !== 'INTERNAL')
    return 'allow';
  return 'other';
}

export async function roleMatrix(ctx: Ctx): Promise<void> {
  const { cloud, personas } = ctx;
  const f = fixtures(ctx);
  const problems = checkCatalog(f);
  if (problems.length > 0) throw new Error(`the catalogue is out of date:\n${problems.join('\n')}`);
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  const openidOf: Record<Exclude<PersonaKey, 'no token' | 'new user'>, string> = {
    resident: personas.resident,
    volunteer: personas.volunteer,
    'unpaired volunteer': personas.unpaired,
    secretary: personas.secretary,
  };
  let calls = 0;
  let refusals = 0;
  let writesOnRefusal = 0;
  let n = 0;
  // Registering makes a volunteer of the caller: it runs last, so the resident stays a resident throughout.
  const ordered = [
    ...ACTION_CASES.filter((k) => k.action !== 'register'),
    ...ACTION_CASES.filter((k) => k.action === 'register'),
  ];
  for (const k of ordered) {
    for (const p of PERSONA_KEYS) {
      const openid = p === 'no token' ? null : p === 'new user' ? uid('atk-new') : openidOf[p];
      const want = expectedFor(k, p);
      const input = k.input(f);
      let { answer, changes } = await watch.run(() =>
        cloud.call(n++, k.fn, k.action, input, openid ? cloud.token(openid) : null),
      );
      // A function that ran past its time limit (a loaded machine) says nothing about roles: once more.
      if (answer.status === 504)
        ({ answer, changes } = await watch.run(() =>
          cloud.call(n++, k.fn, k.action, input, openid ? cloud.token(openid) : null),
        ));
      calls++;
      const got = seen(answer, k);
      if (got !== want)
        failures.add(
          `${k.label} as ${p}: expected ${want}, got ${got} (${brief(answer)} ${answer.body?.message ?? ''})`,
        );
      // Refused by role, or allowed and refused by the domain (not found, closed…): either way nothing is written.
      if (want !== 'allow' || isRefusal(answer)) {
        if (want !== 'allow') refusals++;
        const bad = changes.filter((c) => !permittedOnRefusal(cloud, c, openid));
        ctx.totals.refusalsChecked++;
        ctx.totals.writesOnRefusal += bad.length;
        if (bad.length > 0) {
          writesOnRefusal += bad.length;
          failures.add(
            `${k.label} as ${p}: refused but wrote ${bad.map((c) => `${c.coll}/${c.id} ${c.change}`).join(', ')}`,
          );
        }
      }
    }
  }
  figure(
    ctx,
    'role matrix',
    `${ACTION_CASES.length} cases (${new Set(ACTION_CASES.map((k) => `${k.fn}.${k.action}`)).size} actions) × ${PERSONA_KEYS.length} callers = ${calls} calls, ${refusals} expected refusals, ${failures.count} mismatches, ${writesOnRefusal} writes on refusal`,
  );
  failures.throwIfAny('role matrix');
}

// ---------------------------------------------------------------------------------------------
// (5) Fuzzed payloads

const HUGE = 'x'.repeat(200_000); // under the server's 256 KB body limit, far over every field's
const nested = (depth: number): unknown => {
  let x: unknown = 'deep';
  for (let i = 0; i < depth; i++) x = { a: x };
  return x;
};

/** Values that are wrong for almost any field. */
const WRONG: Array<[string, unknown]> = [
  ['null', null],
  ['number', 12345],
  ['negative', -1],
  ['fraction', 0.5],
  ['1e308', 1e308],
  ['true', true],
  ['empty string', ''],
  ['string', 'x'],
  ['empty array', []],
  ['array of objects', [{}, { a: 1 }]],
  ['empty object', {}],
  ['query operator', { $gt: '' }],
  ['huge string', HUGE],
  ['nested 60 deep', nested(60)],
  ['NUL', 'a\u0000b'],
  ['RTL override', '\u202Eevil'],
  ['impossible date', '2026-02-31'],
  ['far-future instant', '9999-12-31T23:59:59.000Z'],
  ['__proto__ object', JSON.parse('{"__proto__":{"polluted":true}}') as unknown],
  ['long emoji', '😀'.repeat(400)],
];

type Variant = { what: string; input: unknown };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Mutations of a valid input: the whole input wrong, each field missing or wrong, one level down too. */
function variantsOf(valid: Record<string, unknown>, rnd: () => number, max: number): Variant[] {
  const whole: Variant[] = [
    { what: 'input null', input: null },
    { what: 'input number', input: 7 },
    { what: 'input string', input: 'input' },
    { what: 'input array', input: [valid] },
    { what: 'unknown key', input: { ...valid, zzzUnknown: 1 } },
    { what: 'operator key', input: { ...valid, $where: 'sleep(1000)' } },
  ];
  const fields: Variant[] = [];
  const walk = (
    obj: Record<string, unknown>,
    path: string[],
    set: (patch: (o: Record<string, unknown>) => void) => Record<string, unknown>,
  ) => {
    for (const key of Object.keys(obj)) {
      const at = [...path, key].join('.');
      fields.push({ what: `${at} missing`, input: set((o) => delete o[key]) });
      for (const [name, value] of WRONG)
        fields.push({ what: `${at} = ${name}`, input: set((o) => (o[key] = value)) });
      const child = obj[key];
      if (path.length === 0 && isObject(child)) {
        walk(child, [...path, key], (patch) =>
          set((o) => {
            const copy = { ...(o[key] as Record<string, unknown>) };
            patch(copy);
            o[key] = copy;
          }),
        );
      }
      if (path.length === 0 && Array.isArray(child) && isObject(child[0])) {
        walk(child[0], [...path, key, '0'], (patch) =>
          set((o) => {
            const first = { ...((o[key] as unknown[])[0] as Record<string, unknown>) };
            patch(first);
            o[key] = [first, ...(o[key] as unknown[]).slice(1)];
          }),
        );
      }
    }
  };
  walk(valid, [], (patch) => {
    const copy = { ...valid };
    patch(copy);
    return copy;
  });
  // A fixed share of whole-input variants, the rest sampled from the field mutations.
  for (let i = fields.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [fields[i], fields[j]] = [fields[j], fields[i]];
  }
  return [...whole, ...fields].slice(0, Math.max(max, whole.length));
}

/** The caller a case is fuzzed as: one who passes its role check, so only validation stands in the way. */
function fuzzCaller(ctx: Ctx, k: ActionCase): string {
  return k.access === 'pairedVolunteer' ? ctx.personas.volunteer : ctx.personas.secretary;
}

export async function fuzzPayloads(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const f = fixtures(ctx);
  const rnd = random(ctx.sizes.seed);
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  const before500 = cloud.stats.http500;
  const beforeInternal = cloud.stats.internal;
  let calls = 0;
  let refused = 0;
  let writesOnRefusal = 0;
  let n = 0;
  for (const k of ACTION_CASES) {
    const caller = fuzzCaller(ctx, k);
    for (const variant of variantsOf(k.input(f), rnd, ctx.sizes.fuzzPerAction)) {
      const { answer, changes } = await watch.run(() =>
        cloud.call(n++, k.fn, k.action, variant.input, cloud.token(caller)),
      );
      calls++;
      if (answer.status >= 500 || answer.status === 0 || answer.body?.code === 'INTERNAL') {
        failures.add(`${k.label} with ${variant.what}: ${brief(answer)}`);
      }
      if (isRefusal(answer)) {
        refused++;
        const bad = changes.filter((c) => !permittedOnRefusal(cloud, c, caller));
        ctx.totals.refusalsChecked++;
        ctx.totals.writesOnRefusal += bad.length;
        if (bad.length > 0) {
          writesOnRefusal += bad.length;
          failures.add(
            `${k.label} with ${variant.what}: refused (${brief(answer)}) but wrote ${bad.map((c) => `${c.coll}/${c.id} ${c.change}`).join(', ')}`,
          );
        }
      }
    }
  }
  figure(
    ctx,
    'fuzzed payloads',
    `${calls} calls over ${ACTION_CASES.length} cases, ${refused} refused, HTTP 500: ${cloud.stats.http500 - before500}, INTERNAL: ${cloud.stats.internal - beforeInternal}, writes on refusal: ${writesOnRefusal}`,
  );
  failures.throwIfAny('fuzzed payloads');
}

/** Bodies no client would send: not JSON, not an object, odd actions and function names, too big. */
export async function fuzzBodies(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  const token = cloud.token(ctx.personas.secretary);
  const auth = { authorization: `Bearer ${token}` };
  const bodies: Array<[string, string, string]> = [
    ['/api/cloud/account', 'empty body', ''],
    ['/api/cloud/account', 'not JSON', 'not json {'],
    ['/api/cloud/account', 'JSON array', '[]'],
    ['/api/cloud/account', 'JSON null', 'null'],
    ['/api/cloud/account', 'JSON string', '"whoami"'],
    ['/api/cloud/account', 'action object', '{"action":{"$ne":null}}'],
    ['/api/cloud/account', 'action __proto__', '{"action":"__proto__","input":{}}'],
    ['/api/cloud/account', 'action constructor', '{"action":"constructor","input":{}}'],
    ['/api/cloud/account', 'action toString', '{"action":"toString","input":{}}'],
    ['/api/cloud/account', 'action hasOwnProperty', '{"action":"hasOwnProperty","input":{}}'],
    [
      '/api/cloud/booking',
      'timer event from a client',
      '{"Type":"Timer","TriggerName":"sweep","Time":"2030-01-01T00:00:00Z"}',
    ],
    [
      '/api/cloud/volunteer',
      'timer event with action',
      '{"Type":"Timer","TriggerName":"jobs","action":"me","input":{}}',
    ],
    ['/api/cloud/account', 'input string', '{"action":"whoami","input":"x"}'],
    ['/api/cloud/account', 'duplicate keys', '{"action":"setRole","action":"whoami","input":{}}'],
    ['/api/cloud/__proto__', 'function __proto__', '{"action":"whoami","input":{}}'],
    ['/api/cloud/constructor', 'function constructor', '{"action":"whoami","input":{}}'],
    [
      '/api/cloud/..%2F..%2Fetc%2Fpasswd',
      'function path traversal',
      '{"action":"whoami","input":{}}',
    ],
    ['/api/cloud/_shared', 'function _shared', '{"action":"whoami","input":{}}'],
    [
      '/api/cloud/account',
      'body over 256 KB',
      JSON.stringify({ action: 'whoami', input: {}, pad: 'x'.repeat(300_000) }),
    ],
    [
      '/api/cloud/visits',
      '60,000 values in one array',
      JSON.stringify({
        action: 'confirmVisits',
        input: { clientRequestId: 'wide-00000001', visitIds: new Array(60_000).fill(0) },
      }),
    ],
    [
      '/api/cloud/circle',
      '20,000 keys in one object',
      JSON.stringify({
        action: 'places',
        input: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      }),
    ],
    ['/api/cloud/account', 'invalid UTF-8 escape', '{"action":"whoami","input":{"x":"\\ud800"}}'],
  ];
  let n = 0;
  for (const [pathname, what, body] of bodies) {
    const { answer, changes } = await watch.run(() => cloud.post(n++, pathname, body, auth));
    if (answer.status >= 500 || answer.status === 0 || answer.body?.code === 'INTERNAL')
      failures.add(`${what}: ${brief(answer)}`);
    if (isRefusal(answer)) {
      ctx.totals.refusalsChecked++;
      ctx.totals.writesOnRefusal += changes.length;
      if (changes.length > 0)
        failures.add(
          `${what}: refused but wrote ${changes.map((c) => `${c.coll}/${c.id}`).join(', ')}`,
        );
    }
  }
  // Identity comes only from the token: a resident naming the secretary in the event stays a resident.
  const resident = { authorization: `Bearer ${cloud.token(ctx.personas.resident)}` };
  const forged: Array<[string, string]> = [
    [
      'userInfo naming the secretary',
      `{"action":"whoami","input":{},"userInfo":{"openId":"${ctx.personas.secretary}","appId":"x"}}`,
    ],
    [
      'OPENID in the event',
      `{"action":"whoami","input":{},"OPENID":"${ctx.personas.secretary}","openid":"${ctx.personas.secretary}"}`,
    ],
    ['openid in the input', `{"action":"whoami","input":{"openid":"${ctx.personas.secretary}"}}`],
  ];
  const plain = (await cloud.call(0, 'account', 'whoami', {}, cloud.token(ctx.personas.resident)))
    .body?.data as { role?: string } | undefined;
  for (const [what, body] of forged) {
    const answer = await cloud.post(n++, '/api/cloud/account', body, resident);
    const who = answer.body?.data as { openid?: string; role?: string } | undefined;
    if (
      answer.body?.ok &&
      (who?.openid !== ctx.personas.resident ||
        who?.role !== plain?.role ||
        who?.role === 'secretary')
    ) {
      failures.add(`${what}: answered as ${who?.openid} (${who?.role})`);
    }
    const listed = await cloud.post(
      n++,
      '/api/cloud/account',
      body.replace('"whoami"', '"listAccounts"'),
      resident,
    );
    if (listed.body?.ok)
      failures.add(`${what}: listAccounts (secretary only) answered ok to a resident`);
  }
  figure(
    ctx,
    'fuzzed bodies',
    `${bodies.length} bodies and ${forged.length * 2} forged identities, ${failures.count} failures`,
  );
  failures.throwIfAny('fuzzed bodies');
}

/** JSON text nested `depth` levels deep, built without recursion. */
function deepJson(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

export async function fuzzDeepNesting(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  const auth = { authorization: `Bearer ${cloud.token(ctx.personas.secretary)}` };
  const depth = 5000;
  const cases: Array<[string, string, string]> = [
    [
      '/api/cloud/account',
      'input object',
      `{"action":"whoami","input":${deepJson(depth, '{"a":', '}')}}`,
    ],
    [
      '/api/cloud/account',
      'input array',
      `{"action":"whoami","input":${deepJson(depth, '[', ']')}}`,
    ],
    [
      '/api/cloud/account',
      'extra event key',
      `{"action":"whoami","input":{},"x":${deepJson(depth, '{"a":', '}')}}`,
    ],
    [
      '/api/cloud/visits',
      'free-text field',
      `{"action":"log","input":{"notes":${deepJson(depth, '[', ']', '"x"')}}}`,
    ],
    [
      '/api/cloud/booking',
      'field of create',
      `{"action":"create","input":{"serviceId":${deepJson(depth, '{"a":', '}')}}}`,
    ],
  ];
  let n = 0;
  for (const [pathname, what, body] of cases) {
    const { answer, changes } = await watch.run(() => cloud.post(n++, pathname, body, auth));
    if (
      !(answer.status >= 400 && answer.status < 500) &&
      !(answer.status === 200 && answer.body?.ok === false && answer.body.code !== 'INTERNAL')
    ) {
      failures.add(
        `${what} nested ${depth} deep: expected a 4xx (or a refusal with a code), got ${brief(answer)}`,
      );
    }
    ctx.totals.refusalsChecked++;
    ctx.totals.writesOnRefusal += changes.length;
    if (changes.length > 0)
      failures.add(`${what}: wrote ${changes.map((c) => `${c.coll}/${c.id}`).join(', ')}`);
  }
  figure(
    ctx,
    'deep nesting',
    `${cases.length} bodies nested ${depth} deep, ${failures.count} not answered 4xx`,
  );
  failures.throwIfAny('deep nesting');
}

// ---------------------------------------------------------------------------------------------
// Impossible dates and control characters

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

/** Every string leaf of a value with its path, for targeted replacement. */
function leaves(
  value: unknown,
  path: Array<string | number> = [],
): Array<{ path: Array<string | number>; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

function replaceAt(value: unknown, path: Array<string | number>, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, next) : v));
  const obj = value as Record<string, unknown>;
  return { ...obj, [head]: replaceAt(obj[head as string], rest, next) };
}

export async function impossibleDates(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const f = fixtures(ctx);
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  let calls = 0;
  let n = 0;
  for (const k of ACTION_CASES) {
    const valid = k.input(f);
    const caller = fuzzCaller(ctx, k);
    for (const leaf of leaves(valid)) {
      const wrong = DATE.test(leaf.value)
        ? ['2026-02-31', '2025-02-29', '2026-04-31']
        : INSTANT.test(leaf.value)
          ? ['2026-02-31T10:00:00.000Z', '2026-02-30T01:00:00.000Z']
          : [];
      for (const date of wrong) {
        const input = replaceAt(valid, leaf.path, date);
        const { answer, changes } = await watch.run(() =>
          cloud.call(n++, k.fn, k.action, input, cloud.token(caller)),
        );
        calls++;
        if (answer.body?.code !== 'INVALID_INPUT')
          failures.add(
            `${k.label} ${leaf.path.join('.')} = ${date}: expected INVALID_INPUT, got ${brief(answer)}`,
          );
        const bad = changes.filter((c) => !permittedOnRefusal(cloud, c, caller));
        if (isRefusal(answer)) {
          ctx.totals.refusalsChecked++;
          ctx.totals.writesOnRefusal += bad.length;
        }
        if (isRefusal(answer) && bad.length > 0)
          failures.add(
            `${k.label} ${leaf.path.join('.')} = ${date}: refused but wrote ${bad.map((c) => `${c.coll}/${c.id}`).join(', ')}`,
          );
      }
    }
  }
  figure(ctx, 'impossible dates', `${calls} calls, ${failures.count} not refused`);
  failures.throwIfAny('impossible dates');
}

/** NUL, other C0 controls but tab/newline, and the bidirectional overrides and isolates. */
const HOSTILE_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
const HAS_CJK = /[\u3400-\u9fff]/;

function storedHostile(cloud: AttackCloud, changes: Change[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (c.change === 'removed') continue;
    const doc = cloud.doc(c.coll, c.id);
    for (const leaf of leaves(doc))
      if (HOSTILE_CHAR.test(leaf.value)) out.push(`${c.coll}/${c.id} ${leaf.path.join('.')}`);
  }
  return out;
}

/** Free text shown to other people (reasons, feedback, notes, names, titles) carries no NUL or bidi overrides. */
export async function controlCharacters(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const f = fixtures(ctx);
  const failures = new Failures();
  const watch = new WriteWatch(cloud);
  let calls = 0;
  let stored = 0;
  let n = 0;
  const extras: ActionCase[] = [
    // The reason a secretary gives is shown to the resident; feedback to the secretary.
    ...ACTION_CASES.filter((k) => leaves(k.input(f)).some((l) => HAS_CJK.test(l.value))),
  ];
  for (const k of extras) {
    const valid = k.input(f);
    const caller = fuzzCaller(ctx, k);
    for (const leaf of leaves(valid).filter((l) => HAS_CJK.test(l.value))) {
      for (const [name, text] of [
        ['NUL', `${leaf.value.slice(0, 1)}\u0000${leaf.value.slice(1)}`],
        ['RTL override', `\u202E${leaf.value}`],
        ['isolate', `${leaf.value}\u2067`],
      ]) {
        const input = replaceAt(k.input(f), leaf.path, text);
        const { answer, changes } = await watch.run(() =>
          cloud.call(n++, k.fn, k.action, input, cloud.token(caller)),
        );
        calls++;
        const hostile = storedHostile(cloud, changes);
        if (hostile.length > 0) {
          stored++;
          failures.add(
            `${k.label} ${leaf.path.join('.')} with ${name}: stored as is in ${hostile.join(', ')} (${brief(answer)})`,
          );
        }
      }
    }
  }
  figure(ctx, 'control characters', `${calls} calls, ${stored} stored NUL/bidi characters`);
  failures.throwIfAny('control characters');
}

// ---------------------------------------------------------------------------------------------
// Tokens and dev endpoints

export async function tokenEncodings(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  // A token whose signature has a '-' or '_' so that the standard base64 alphabet spells it differently.
  let openid = '';
  let token = '';
  for (let i = 0; i < 200 && !/[-_]/.test(token.split('.')[3] ?? ''); i++) {
    openid = uid('atk-tok');
    token = cloud.token(openid);
  }
  const [version, who, expiry, sig] = token.split('.');
  const variants: Array<[string, string]> = [
    ['signature with "=" padding', `${version}.${who}.${expiry}.${sig}=`],
    [
      'signature in the standard base64 alphabet',
      `${version}.${who}.${expiry}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`,
    ],
    ['expiry with a leading zero', `${version}.${who}.0${expiry}.${sig}`],
    ['openid with "=" padding', `${version}.${who}=.${expiry}.${sig}`],
    ['upper-case version', `V1.${who}.${expiry}.${sig}`],
    ['fifth part', `${token}.x`],
    ['signature cut short', `${version}.${who}.${expiry}.${sig.slice(0, -2)}`],
    [
      'other openid, same signature',
      `${version}.${Buffer.from(`${openid}x`).toString('base64url')}.${expiry}.${sig}`,
    ],
    ['later expiry, same signature', `${version}.${who}.${Number(expiry) + 1}.${sig}`],
    ['empty token', ''],
  ];
  const canonical = await cloud.call(0, 'account', 'whoami', {}, token);
  if (canonical.status !== 200 || !canonical.body?.ok)
    failures.add(`the canonical token was refused: ${brief(canonical)}`);
  let n = 1;
  for (const [what, variant] of variants) {
    const answer = await cloud.post(
      n++,
      '/api/cloud/account',
      JSON.stringify({ action: 'whoami', input: {} }),
      { authorization: `Bearer ${variant}` },
    );
    if (answer.status !== 401) failures.add(`${what}: expected 401, got ${brief(answer)}`);
  }
  figure(
    ctx,
    'token encodings',
    `${variants.length} altered spellings of one token, ${failures.count} accepted`,
  );
  failures.throwIfAny('token encodings');
}

/**
 * The dev endpoints that carry people's data (outbox: subscribe messages with elder names and
 * urgent notes; subscribe: the caller's consent) need a signed-in caller and show only the
 * caller's own. The entrance QR code is public by design (server.ts: it holds the H5 address and
 * the scene, no personal data), so it is only checked to be that image.
 */
export async function devEndpoints(ctx: Ctx): Promise<void> {
  const { cloud } = ctx;
  const failures = new Failures();
  await cloud.host.database.collection(OUTBOX_COLLECTION).add({
    data: {
      touser: ctx.personas.secretary,
      templateId: 'atk-template',
      page: 'pages/index/index',
      data: { thing1: { value: '赵奶奶（示例）摔倒' } },
      miniprogramState: 'developer',
      createdAt: new Date(),
    },
  });
  const refusedWithout = (a: Answer) => a.status === 401 || a.status === 403 || a.status === 404;
  const checks: Array<[string, () => Promise<Answer>]> = [
    ['GET /api/dev/outbox without a token', () => cloud.get(0, '/api/dev/outbox')],
    [
      'GET /api/dev/outbox with a forged token',
      () => cloud.get(1, '/api/dev/outbox', { authorization: 'Bearer v1.x.1.y' }),
    ],
    [
      'POST /api/dev/subscribe without a token',
      () => cloud.post(0, '/api/dev/subscribe', JSON.stringify({ templateIds: ['t1'] })),
    ],
  ];
  for (const [what, run] of checks) {
    const answer = await run();
    if (!refusedWithout(answer))
      failures.add(`${what}: expected 401/403/404, got ${brief(answer)}`);
  }
  const mine = await cloud.get(1, '/api/dev/outbox', {
    authorization: `Bearer ${cloud.token(ctx.personas.resident)}`,
  });
  if (mine.status === 200) {
    const entries = Array.isArray(mine.body?.data)
      ? (mine.body.data as Array<{ touser?: string }>)
      : [];
    const others = entries.filter((m) => m.touser !== ctx.personas.resident);
    if (others.length > 0)
      failures.add(
        `GET /api/dev/outbox as a resident shows ${others.length} message(s) addressed to other people`,
      );
  } else if (!refusedWithout(mine))
    failures.add(`GET /api/dev/outbox as a resident: ${brief(mine)}`);
  const qr = await fetch(`${cloud.servers[0].url}/api/dev/qrcode?scene=s%3Dr29`);
  const type = qr.headers.get('content-type') ?? '';
  await qr.arrayBuffer();
  if (qr.status === 200 && type !== 'image/png')
    failures.add(`GET /api/dev/qrcode answers ${type}, not the QR code image`);
  figure(ctx, 'dev endpoints', `${checks.length + 2} checks, ${failures.count} failures`);
  failures.throwIfAny('dev endpoints');
}
