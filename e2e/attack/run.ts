/**
 * The standing attack suite: `tsx e2e/attack/run.ts [filter…]` (npm run attack; a step of npm test).
 *
 * Two local server processes on one data file (loopback only), the BUILT functions
 * (dist-functions/; `npx tsx scripts/build-functions.ts` first, or LINLI_ATTACK_FUNCTIONS=source),
 * seeded sample data, database requests interleaved (LINLI_DB_JITTER_MS=4). Scenarios:
 *
 *   roles    every action × {no token, new user, resident, volunteer, unpaired volunteer,
 *            secretary}: refused exactly where the role tables say, nothing written on refusal
 *   fuzz     mutated payloads per action and odd bodies: no HTTP 500, nothing written on refusal;
 *            deep nesting, impossible dates, control characters, token spellings, dev endpoints
 *   races    many people for small slots and posts across both processes
 *   limits   per-person limits raced by one person's parallel requests (≥ 20 trials each)
 *   retries  retry storms of every action with a request id: each recorded once
 *   kill     `kill -9` rounds under load, then the repair timers, then the invariants
 *
 * Scenarios listed in PENDING guard fixes still being made (issue 10); they run only with
 * LINLI_ATTACK_ALL=1 until they pass and are taken off the list.
 *
 * Sizes (environment): LINLI_ATTACK_TRIALS (20), LINLI_ATTACK_KILL_ROUNDS (30),
 * LINLI_ATTACK_FUZZ_PER_ACTION (24), LINLI_ATTACK_RACERS (120), LINLI_ATTACK_STORM (8),
 * LINLI_ATTACK_SEED (random; printed), LINLI_ATTACK_REPAIR_AFTER_MINUTES (20),
 * LINLI_ATTACK_KEEP=1 keeps the data directory, LINLI_ATTACK_FUNCTIONS_DIR another folder of built
 * functions (it must resolve the repository's wx-server-sdk, e.g. a folder inside the repository).
 *
 * Prints each scenario's verdict, the figures of the run, and `N passed, N failed` last.
 */
import path from 'node:path';
import { PERSONAS } from '../../local/seed/data';
import { SAMPLE_ELDER_IDS } from '../../local/seed/visits';
import { runScenarios, selectScenarios, type Scenario } from '../support/runner';
import {
  controlCharacters,
  devEndpoints,
  fuzzBodies,
  fuzzDeepNesting,
  fuzzPayloads,
  impossibleDates,
  roleMatrix,
  tokenEncodings,
} from './abuse';
import { requestIdKey } from './catalog';
import { startAttackCloud, type AttackCloud, type FunctionsFrom } from './cloud';
import { Failures, sizesFromEnv, type Ctx } from './context';
import { killRoundsBookings, killRoundsQuotas, killRoundsVolunteering } from './kill';
import {
  CHANGE_STORMS,
  CREATE_STORMS,
  STORMS,
  domainRefusalsWriteNothing,
  uncoveredRequestIdActions,
  limitActiveBookings,
  limitActiveClaims,
  limitOneBookingPerSlot,
  limitWeeklyHours,
  racesForPlaces,
  racesForStockAndPoints,
} from './load';
import { must, registration } from './world';

/**
 * Scenarios that fail until the fixes of issue 10 land, with what they saw when listed here.
 * Run them with LINLI_ATTACK_ALL=1; take a line off when its scenario passes.
 */
const PENDING: Record<string, string> = {};

const SCENARIOS: Array<Scenario<Ctx>> = [
  { name: 'roles: every action × six callers', run: roleMatrix },
  { name: 'fuzz: mutated payloads per action', run: fuzzPayloads },
  { name: 'fuzz: odd bodies, actions and function names', run: fuzzBodies },
  { name: 'fuzz: input nested 5000 deep answers 4xx', run: fuzzDeepNesting },
  { name: 'fuzz: impossible calendar dates refused', run: impossibleDates },
  { name: 'fuzz: NUL and bidi overrides not stored in free text', run: controlCharacters },
  { name: 'tokens: one accepted spelling', run: tokenEncodings },
  { name: 'dev endpoints: signed-in callers only', run: devEndpoints },
  {
    name: 'refusals: a place or quota taken and given back leaves nothing',
    run: domainRefusalsWriteNothing,
  },
  { name: 'races: small slots and posts over two processes', run: racesForPlaces },
  { name: 'races: reward stock and points over two processes', run: racesForStockAndPoints },
  { name: 'limits: active bookings per person per service', run: limitActiveBookings },
  { name: 'limits: one booking of a slot per person', run: limitOneBookingPerSlot },
  { name: 'limits: weekly hours per person per service', run: limitWeeklyHours },
  { name: 'limits: active claims per volunteer', run: limitActiveClaims },
  {
    name: 'retries: every action with a request id has a storm',
    async run() {
      const missing = uncoveredRequestIdActions();
      if (missing.length > 0)
        throw new Error(`no retry storm in e2e/attack/load.ts for: ${missing.join(', ')}`);
    },
  },
  ...[...STORMS, ...CREATE_STORMS, ...CHANGE_STORMS].map((s) => ({
    name: `retries: ${s.name}`,
    async run(ctx: Ctx) {
      const failures = new Failures();
      await s.run(ctx, failures);
      failures.throwIfAny(`retry storm of ${s.name}`);
    },
  })),
  { name: 'kill -9: volunteer places, ledger and stock after repair', run: killRoundsVolunteering },
  { name: 'kill -9: booking counters after repair', run: killRoundsBookings },
  { name: 'kill -9: per-person limit documents after repair', run: killRoundsQuotas },
];

async function setUp(cloud: AttackCloud): Promise<Ctx['personas']> {
  const unpaired = 'atk-unpaired-volunteer';
  must(
    await cloud.call(
      0,
      'volunteer',
      'register',
      registration('王小二', '13900000077'),
      cloud.token(unpaired),
    ),
    'register the unpaired volunteer',
  );
  must(
    await cloud.call(
      1,
      'account',
      'setRole',
      {
        openid: unpaired,
        role: 'volunteer',
        ...(requestIdKey('account', 'setRole') ? { clientRequestId: 'atk-unpaired-role' } : {}),
      },
      cloud.token(PERSONAS.secretary.openid),
    ),
    'make the unpaired volunteer a volunteer',
  );
  const personas = {
    resident: PERSONAS.resident.openid,
    volunteer: PERSONAS.volunteer.openid,
    unpaired,
    secretary: PERSONAS.secretary.openid,
    pairedElder: SAMPLE_ELDER_IDS[0],
  };
  // The write check reads the store's write counter: make sure it moves, or every check would be blind.
  const seq = cloud.writeSeq();
  must(
    await cloud.call(0, 'account', 'whoami', {}, cloud.token('atk-write-probe')),
    'whoami of a new user',
  );
  if (cloud.writeSeq() <= seq) {
    throw new Error(
      "the store's write counter (meta.seq) did not move on a write: the no-write checks would see nothing",
    );
  }
  for (const openid of [
    personas.resident,
    personas.volunteer,
    personas.secretary,
    cloud.secretary,
  ]) {
    must(await cloud.call(0, 'account', 'whoami', {}, cloud.token(openid)), `whoami ${openid}`);
  }
  return personas;
}

async function main(): Promise<void> {
  const started = Date.now();
  const sizes = sizesFromEnv();
  const all = process.env.LINLI_ATTACK_ALL === '1';
  const functions: FunctionsFrom =
    process.env.LINLI_ATTACK_FUNCTIONS === 'source' ? 'source' : 'built';
  const chosen = selectScenarios(SCENARIOS, process.argv.slice(2));
  const pending = chosen.filter((s) => PENDING[s.name] !== undefined);
  const scenarios = all ? chosen : chosen.filter((s) => PENDING[s.name] === undefined);
  let cloud: AttackCloud | undefined;
  const figures = new Map<string, string | number>();
  try {
    const functionsDir = process.env.LINLI_ATTACK_FUNCTIONS_DIR
      ? path.resolve(process.env.LINLI_ATTACK_FUNCTIONS_DIR)
      : undefined;
    cloud = await startAttackCloud({ functions, functionsDir });
    const personas = await setUp(cloud);
    console.log(
      `attack suite: servers ${cloud.servers.map((s) => `${s.name} ${s.url} (pid ${s.pid})`).join(', ')}, functions ${functions}, seed ${sizes.seed} (${Date.now() - started} ms)`,
    );
    if (pending.length > 0 && !all) {
      console.log(`\nnot run until their fixes land (LINLI_ATTACK_ALL=1 runs them):`);
      for (const s of pending) console.log(`  - ${s.name}: ${PENDING[s.name]}`);
    }
    const ctx: Ctx = {
      cloud,
      sizes,
      personas,
      figures,
      totals: { refusalsChecked: 0, writesOnRefusal: 0 },
    };
    const server = cloud;
    const summary = await runScenarios(scenarios, {
      title: `attack suite (${scenarios.length} scenarios${all ? ', all' : ''})`,
      before: async () => ctx,
      async after(_ctx, _name, error) {
        if (error === null) return;
        for (const s of server.servers) {
          const tail = s.log
            .filter((l) => !/^\[local-cloud\] (POST|GET) /.test(l) || / 5\d\d /.test(l))
            .slice(-6);
          if (tail.length > 0)
            console.log(
              `      server ${s.name} log (last ${tail.length}):\n${tail.map((l) => `        ${l.slice(0, 300)}`).join('\n')}`,
            );
        }
      },
      timeoutMs: 240_000,
    });
    figures.set(
      'writes on refusal (whole run)',
      `${ctx.totals.writesOnRefusal} over ${ctx.totals.refusalsChecked} refused calls checked one by one`,
    );
    figures.set('HTTP 500s (whole run)', server.stats.http500);
    figures.set('INTERNAL answers (whole run)', server.stats.internal);
    figures.set(
      'requests (whole run)',
      `${server.stats.calls}, ${server.stats.dropped} without an answer (killed servers)`,
    );
    if (server.stats.examples.length > 0)
      figures.set(
        '500 / INTERNAL examples',
        `\n${server.stats.examples.map((e) => `      ${e}`).join('\n')}`,
      );
    figures.set('suite time', `${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log('\nfigures');
    for (const [k, v] of figures) console.log(`  ${k}: ${v}`);
    console.log(`\n${summary.passed} passed, ${summary.failed} failed`);
  } finally {
    await cloud?.close();
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
