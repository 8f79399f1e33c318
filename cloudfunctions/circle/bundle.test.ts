import fs from 'node:fs';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build-functions';
import type { ImportOutcome } from '../../src/domain/contract/circle';
import { distanceMetres } from '../../src/domain/circle/walking';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { COLLECTIONS } from '../_shared/collections';
import { type PlaceDoc, pointOf } from './docs';

/**
 * The converter ships inside the deployed bundle: esbuild inlines gcoord, so the folder WeChat
 * deploys needs nothing but wx-server-sdk, and the built function converts as the source does.
 */
const ROOT = path.resolve(__dirname, '../..');
const SECRETARY = 'secretary-01';
// gcoord's fixture test/fixtures/china-cities.json, 四川省 成都市 武侯区 (see coordinates.test.ts).
const WGS84: [number, number] = [104.0640437, 30.5747262];
const GCJ02 = { latitude: 30.5722732, longitude: 104.0665489 };

let outDir: string;
let cloud: TestCloud | undefined;

beforeAll(async () => {
  // Inside the repository (git-ignored .temp/) so the bundle resolves the repo's wx-server-sdk.
  fs.mkdirSync(path.join(ROOT, '.temp'), { recursive: true });
  outDir = fs.mkdtempSync(path.join(ROOT, '.temp', 'circle-bundle-'));
  await buildFunctions({ outDir, only: ['circle'] });
}, 60_000);

afterAll(() => {
  cloud?.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

it('inlines gcoord and papaparse and requires only wx-server-sdk (and Node built-ins, which every runtime has)', () => {
  const code = fs.readFileSync(path.join(outDir, 'circle', 'index.js'), 'utf8');
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)]
    .map((m) => m[1])
    .filter((m) => !m.startsWith('node:'));
  expect(new Set(required)).toEqual(new Set(['wx-server-sdk']));
});

it('stores a WGS-84 GeoJSON point at its GCJ-02 position when run from the bundle', async () => {
  cloud = startTestCloud({
    from: 'built',
    functionsDir: outDir,
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY },
  });
  const text = JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: WGS84 },
        properties: { name: '武侯便利店', category: '便利店' },
      },
    ],
  });
  expect(
    expectOk<ImportOutcome>(
      await cloud.call(
        'circle',
        'importPlaces',
        { format: 'geojson', text, clientRequestId: 'bundle-import-0001' },
        SECRETARY,
      ),
    ),
  ).toMatchObject({
    written: 1,
    system: 'wgs84',
  });
  const [doc] = await cloud.all<PlaceDoc>(COLLECTIONS.circlePlaces);
  expect(distanceMetres(pointOf(doc.location), GCJ02)).toBeLessThan(1);
}, 30_000);

it('reads tab-separated text pasted from Excel / WPS when run from the bundle (papaparse inlined)', async () => {
  cloud ??= startTestCloud({
    from: 'built',
    functionsDir: outDir,
    env: { LINLI_SECRETARY_OPENIDS: SECRETARY },
  });
  const pasted =
    '名称\t类别\t纬度\t经度\t营业时间\n武侯药房\t药店\t30.5722\t104.0665\tMo-Su 08:00-22:00\n';
  expect(
    expectOk<ImportOutcome>(
      await cloud.call(
        'circle',
        'importPlaces',
        { format: 'csv', text: pasted, dryRun: true, clientRequestId: 'bundle-import-0002' },
        SECRETARY,
      ),
    ),
  ).toMatchObject({ acceptedCount: 1, rejected: [] });
}, 30_000);
