/**
 * `tsx scripts/bench-circle.ts [sizes…]` — how the circle's places query near the space scales
 * with the number of places stored locally.
 *
 * For each size N (default 500, 2000, 5000) a fresh local cloud gets the R29 space and N places
 * spread uniformly over a disc of 5 km around it (so about 3–4 % fall within the 15-minute band),
 * then `circle.places` and `circle.coverage` run through the function host (real wx-server-sdk →
 * local transport → SQLite) 10 times each after a warm-up. Reports median and max ms and the ratio
 * to the smallest size. The local cloud answers `$nearSphere` by scanning the collection, so the
 * time grows linearly with N; production uses its 2dsphere index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFunctionHost } from '../local/runtime/function-host';
import { CIRCLE_CATEGORY_IDS } from '../src/domain/circle/categories';

const CENTRE = { latitude: 30.5906, longitude: 104.1286 };
const RUNS = 10;
const RADIUS_M = 5000;

interface Geo {
  Geo: { Point(lng: number, lat: number): unknown };
  collection(name: string): { add(o: { data: unknown }): Promise<unknown> };
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeAction(
  invoke: () => Promise<unknown>,
): Promise<{ median: number; max: number; result: unknown }> {
  let result = await invoke();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    result = await invoke();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(times), max: Math.max(...times), result };
}

async function bench(n: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-circle-'));
  const host = createFunctionHost({ dataDir, from: 'source' });
  try {
    const db = host.database as unknown as Geo;
    await db.collection('spaces').add({
      data: {
        _id: 'r29',
        name: 'R29（基准测试）',
        address: '',
        intro: '',
        location: CENTRE,
        sample: true,
      },
    });
    const rnd = random(n);
    const cosLat = Math.cos((CENTRE.latitude * Math.PI) / 180);
    const docs = Array.from({ length: n }, (_, i) => {
      const r = RADIUS_M * Math.sqrt(rnd());
      const theta = 2 * Math.PI * rnd();
      return {
        name: `基准地点${i}`,
        category: CIRCLE_CATEGORY_IDS[i % CIRCLE_CATEGORY_IDS.length],
        location: db.Geo.Point(
          CENTRE.longitude + (r * Math.sin(theta)) / (111_195 * cosLat),
          CENTRE.latitude + (r * Math.cos(theta)) / 111_195,
        ),
        hours: [],
        phone: '',
        address: '',
        note: '',
        sample: true,
        updatedBy: 'bench',
        createdAt: new Date(),
        updatedAt: new Date(),
      };
    });
    const started = Date.now();
    for (let i = 0; i < docs.length; i += 500)
      await db.collection('circle_places').add({ data: docs.slice(i, i + 500) });
    const insertMs = Date.now() - started;
    const caller = { openid: 'bench-resident-01' };
    const places = await timeAction(() =>
      host.invoke('circle', { action: 'places', input: {} }, caller),
    );
    const coverage = await timeAction(() =>
      host.invoke('circle', { action: 'coverage', input: {} }, caller),
    );
    const found = (places.result as { data?: { places: unknown[] } }).data?.places.length ?? -1;
    return { n, insertMs, found, places, coverage };
  } finally {
    host.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  const list = sizes.length > 0 ? sizes : [500, 2000, 5000];
  console.log(
    `circle benchmark: ${RUNS} timed runs per action after one warm-up; Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
  );
  const rows = [];
  for (const n of list) rows.push(await bench(n));
  const base = rows[0];
  for (const r of rows) {
    console.log(
      `N=${String(r.n).padStart(5)}  in 15 min: ${String(r.found).padStart(4)}  ` +
        `places median ${r.places.median.toFixed(1)} ms (max ${r.places.max.toFixed(1)}, ×${(r.places.median / base.places.median).toFixed(2)})  ` +
        `coverage median ${r.coverage.median.toFixed(1)} ms (max ${r.coverage.max.toFixed(1)}, ×${(r.coverage.median / base.coverage.median).toFixed(2)})  ` +
        `insert ${r.insertMs} ms`,
    );
  }
  console.log('function timeout is 10 s (config.json); production default 3 s');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
