import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLayout, routerBodies } from './check-layout';

let root: string;
const write = (rel: string, text = '') => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const ROUTER = `import { createRouter } from '../_shared';
import { residentHandlers } from './handlers/resident';
export const main = createRouter(contract, { ...residentHandlers }, { name: 'booking', roles: { a: ['secretary'] } });
export const select = (x: number) => x + 1;
`;

beforeEach(() => {
  root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-layout-')), 'cloudfunctions');
  for (const f of ['index.ts', 'config.json', 'docs.ts', 'store.ts', 'timers.ts', 'fixtures.ts'])
    write(`booking/${f}`, f === 'index.ts' ? ROUTER : '');
  write('booking/handlers/resident.ts', 'export const residentHandlers = {};');
  write('booking/booking.test.ts');
  write('_shared/data.ts');
  write('database/indexes.json');
});
afterEach(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

it('passes the layout of CONTRIBUTING.md (shared folders are not functions)', () => {
  expect(checkLayout(root)).toEqual([]);
});

it('reports a stray file, a missing handlers/ folder and docs.ts, and both store.ts and store/', () => {
  write('booking/resident.ts', 'export const x = 1;');
  write('booking/store/quota.ts');
  write('circle/index.ts', ROUTER);
  write('circle/config.json');
  expect(checkLayout(root)).toEqual([
    {
      path: 'cloudfunctions/booking/resident.ts',
      problem: expect.stringContaining('not part of the layout'),
    },
    { path: 'cloudfunctions/booking/store', problem: 'both store.ts and store/: keep one' },
    { path: 'cloudfunctions/circle/docs.ts', problem: 'missing' },
    { path: 'cloudfunctions/circle/handlers', problem: expect.stringContaining('missing') },
  ]);
});

it('reports handler bodies in the router', () => {
  write('booking/index.ts', `${ROUTER}\nexport async function space() {\n  return 1;\n}\n`);
  expect(checkLayout(root)).toEqual([
    { path: 'cloudfunctions/booking/index.ts', problem: expect.stringContaining('space (line 6)') },
  ]);
});

it('routerBodies: methods and block arrows are bodies, one-expression arrows are not', () => {
  expect(routerBodies('const a = (x: number) => x;')).toEqual([]);
  expect(
    routerBodies('const h = { async log() { return 1; } };\nconst b = () => { return 2; };'),
  ).toEqual(['log (line 1)', 'a function (line 2)']);
});
