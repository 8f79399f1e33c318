/**
 * `npm test` step "layout": every cloud function folder has the one layout of CONTRIBUTING.md,
 *
 *   index.ts  config.json  handlers/*.ts  docs.ts  store.ts | store/*.ts
 *   timers.ts | timers/*.ts  fixtures.ts  *.test.ts
 *
 * and nothing else; `handlers/` holds the handlers and `index.ts` is the router only (it defines
 * no function bodies beyond one-line arrows). Prints `path: what is wrong` per violation and exits 1.
 *
 *   tsx scripts/check-layout.ts [functions-dir]
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Folders of cloudfunctions/ that are not deployed functions. */
const NOT_FUNCTIONS = new Set(['_shared', '_test-support', 'database']);

const FILES = new Set([
  'index.ts',
  'config.json',
  'docs.ts',
  'store.ts',
  'timers.ts',
  'fixtures.ts',
]);
const FOLDERS = new Set(['handlers', 'store', 'timers']);

export interface Violation {
  path: string;
  problem: string;
}

/** Function bodies in a router file: anything but a one-line arrow is a handler in the wrong place. */
export function routerBodies(source: string, fileName = 'index.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2020, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const isBody =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      (ts.isArrowFunction(node) && ts.isBlock(node.body));
    if (isBody) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      const name =
        (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name
          ? node.name.getText(file)
          : 'a function';
      found.push(`${name} (line ${line + 1})`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Violations in one function folder; `rel` is how paths are reported. */
export function checkFunction(dir: string, rel: string): Violation[] {
  const out: Violation[] = [];
  const report = (p: string, problem: string) => {
    out.push({ path: p, problem });
  };
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  for (const entry of entries) {
    const p = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!FOLDERS.has(entry.name))
        report(p, 'not part of the layout (handlers/, store/, timers/)');
      else if (entry.name !== 'handlers' && entries.some((e) => e.name === `${entry.name}.ts`))
        report(p, `both ${entry.name}.ts and ${entry.name}/: keep one`);
      continue;
    }
    if (/\.test\.tsx?$/.test(entry.name) || FILES.has(entry.name)) continue;
    report(
      p,
      'not part of the layout: a handler goes to handlers/, data access to store, a rule to src/domain',
    );
  }
  for (const required of ['index.ts', 'config.json', 'docs.ts']) {
    if (!entries.some((e) => e.name === required)) report(`${rel}/${required}`, 'missing');
  }
  const handlers = path.join(dir, 'handlers');
  const handlerFiles = fs.existsSync(handlers)
    ? fs.readdirSync(handlers).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    : [];
  if (handlerFiles.length === 0)
    report(`${rel}/handlers`, 'missing: handlers live in handlers/*.ts');
  const index = path.join(dir, 'index.ts');
  if (fs.existsSync(index)) {
    const bodies = routerBodies(fs.readFileSync(index, 'utf8'));
    if (bodies.length > 0)
      report(
        `${rel}/index.ts`,
        `the router only; move to handlers/ or store: ${bodies.join(', ')}`,
      );
  }
  return out;
}

export function checkLayout(functionsDir: string): Violation[] {
  const rel = path.basename(functionsDir);
  return fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_FUNCTIONS.has(d.name))
    .flatMap((d) => checkFunction(path.join(functionsDir, d.name), `${rel}/${d.name}`));
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'cloudfunctions'));
  const violations = checkLayout(dir);
  for (const v of violations) console.log(`${v.path}: ${v.problem}`);
  if (violations.length > 0) {
    console.log(`${violations.length} layout problems (CONTRIBUTING.md describes the layout)`);
    process.exit(1);
  }
  console.log('layout: every function folder has the one layout');
}
