/**
 * Keeps the exception list honest: every entry is used by exactly one case, every case that names
 * an exception is listed, and README.md's「本地云不复现的行为」section lists exactly these ids.
 * (That each listed case still differs from production is checked by the case itself; see
 * harness.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXCEPTIONS } from './exceptions';

const DIR = __dirname;
const README = path.resolve(DIR, '..', '..', '..', 'README.md');

function caseFiles(): { file: string; text: string }[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.test.ts') && f !== 'exceptions.test.ts')
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(DIR, f), 'utf8') }));
}

/** Ids named by cases: `exception: '<id>'`. */
function idsUsedByCases(): string[] {
  const out: string[] = [];
  for (const { text } of caseFiles()) {
    for (const m of text.matchAll(/exception:\s*'([^']+)'/g)) out.push(m[1]);
  }
  return out;
}

test('every exception has an id, a source and the three explanations', () => {
  for (const e of EXCEPTIONS) {
    expect(e.id).toMatch(/^[A-Za-z0-9-]+$/);
    expect(e.source).toMatch(/^(TencentCloudBase\/node-sdk@[0-9a-f]{40}:|https:\/\/)/);
    expect(e.production.length).toBeGreaterThan(10);
    expect(e.local.length).toBeGreaterThan(10);
    expect(e.reason.length).toBeGreaterThan(10);
  }
  expect(new Set(EXCEPTIONS.map((e) => e.id)).size).toBe(EXCEPTIONS.length);
});

test('the exception list is exactly the set of cases marked as exceptions', () => {
  const used = idsUsedByCases();
  expect([...used].sort()).toEqual(EXCEPTIONS.map((e) => e.id).sort());
});

test("README.md's section lists exactly the exception ids", () => {
  const readme = fs.readFileSync(README, 'utf8');
  const start = readme.indexOf('<!-- conformance-exceptions:start -->');
  const end = readme.indexOf('<!-- conformance-exceptions:end -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const section = readme.slice(start, end);
  const listed = [...section.matchAll(/^- `([A-Za-z0-9-]+)`：/gm)].map((m) => m[1]);
  expect(listed.sort()).toEqual(EXCEPTIONS.map((e) => e.id).sort());
});

test('README.md states how many cases the suite has', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const stated =
    /<!-- conformance-count -->(\d+) 例<!-- \/conformance-count -->[^。]*其中 (\d+) 例为记录在案的例外/.exec(
      readme,
    );
  expect(stated).not.toBeNull();
  const cases = caseFiles().reduce(
    (n, { text }) => n + [...text.matchAll(/^\s*kase\(/gm)].length,
    0,
  );
  expect(Number(stated?.[1])).toBe(cases);
  expect(Number(stated?.[2])).toBe(EXCEPTIONS.length);
});
