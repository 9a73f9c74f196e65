import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web UI is plain ES modules served as they are (no bundler): this keeps their structure honest.
 * It reads the import statements of every module under src/web/public and fails on an import cycle,
 * an import that resolves to no file, a module no page loads, or a module over 200 lines.
 */
const ROOT = path.resolve('src/web/public');
const MAX_LINES = 200;

type TSources = Map<string, string>; // path relative to ROOT, with '/' separators → source text

function readTree(dir: string, rel = ''): TSources {
  const out: TSources = new Map();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of readTree(path.join(dir, e.name), r)) out.set(k, v);
    else out.set(r, readFileSync(path.join(dir, e.name), 'utf8'));
  }
  return out;
}

/** Specifiers of static imports and re-exports (statements at the start of a line) and of dynamic import(). */
function importSpecifiers(source: string): string[] {
  const specs: string[] = [];
  const statement = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(statement)) specs.push((m[1] ?? m[2])!);
  for (const m of source.matchAll(dynamic)) specs.push(m[1]!);
  return specs;
}

/** Resolves a browser specifier from one module: relative to it, or '/…' from the served root. */
function resolve(from: string, spec: string): string | null {
  if (spec.startsWith('/')) return spec.slice(1);
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null; // a bare name: browsers cannot load it without a build step
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
}

type TProblems = { cycles: string[][]; unresolved: string[]; oversized: string[]; unreachable: string[] };

/** Checks a tree of sources: `entries` are the modules the HTML pages load. */
function checkModules(sources: TSources, entries: string[]): TProblems {
  const modules = [...sources.keys()].filter((f) => f.endsWith('.js'));
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const m of modules) {
    const deps: string[] = [];
    for (const spec of importSpecifiers(sources.get(m)!)) {
      const target = resolve(m, spec);
      if (target && sources.has(target)) deps.push(target);
      else unresolved.push(`${m} → ${spec}`);
    }
    graph.set(m, deps);
  }
  // Depth-first search; a grey node met again closes a cycle, reported as the path around it.
  const colour = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (m: string) => {
    colour.set(m, 'grey');
    stack.push(m);
    for (const d of graph.get(m) ?? []) {
      if (colour.get(d) === 'grey') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!colour.has(d)) visit(d);
    }
    stack.pop();
    colour.set(m, 'black');
  };
  for (const m of modules) if (!colour.has(m)) visit(m);

  const reached = new Set<string>();
  const walk = (m: string) => {
    if (reached.has(m)) return;
    reached.add(m);
    for (const d of graph.get(m) ?? []) walk(d);
  };
  entries.forEach(walk);
  return {
    cycles,
    unresolved,
    oversized: modules.filter((m) => sources.get(m)!.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').length > MAX_LINES),
    unreachable: modules.filter((m) => !reached.has(m)),
  };
}

/** The scripts the HTML pages load (`<script src="/x.js">`). */
const htmlEntries = (sources: TSources) => [...sources].filter(([f]) => f.endsWith('.html'))
  .flatMap(([, html]) => [...html.matchAll(/<script[^>]*\ssrc="\/([^"]+\.js)"/g)].map((m) => m[1]!))
  .filter((f) => sources.has(f));

describe('web UI module structure', () => {
  it('when the modules under src/web/public are read, then there is no import cycle, no broken import, no orphan and none over 200 lines', () => {
    const sources = readTree(ROOT);
    const entries = htmlEntries(sources);
    expect(entries).toContain('app.js');
    expect(checkModules(sources, entries)).toEqual({ cycles: [], unresolved: [], oversized: [], unreachable: [] });
    expect([...sources.keys()].filter((f) => f.endsWith('.js')).length).toBeGreaterThan(10);
  });

  it('when two modules import each other through a third, then the check names the cycle', () => {
    const sources: TSources = new Map([
      ['app.js', "import { a } from './core/a.js';\n"],
      ['core/a.js', "import {\n  b,\n} from '../screens/b.js';\nexport const a = 1;\n"],
      ['screens/b.js', "export { c } from './c.js';\n"],
      ['screens/c.js', "// import { x } from './nowhere.js' (a comment, not an import)\nconst later = () => import('../core/a.js');\n"],
    ]);
    const problems = checkModules(sources, ['app.js']);
    expect(problems.cycles).toEqual([['core/a.js', 'screens/b.js', 'screens/c.js', 'core/a.js']]);
    expect(problems.unresolved).toEqual([]);
  });

  it('when a module is too long, imports a missing file or a bare name, or is loaded by no page, then the check says which', () => {
    const sources: TSources = new Map([
      ['app.js', `import './missing.js';\nimport 'chart.js';\n${'x;\n'.repeat(MAX_LINES)}`],
      ['ok.js', `${'x;\n'.repeat(MAX_LINES - 1)}`],
      ['left-over.js', 'export const unused = 1;\n'],
    ]);
    expect(checkModules(sources, ['app.js', 'ok.js'])).toEqual({
      cycles: [],
      unresolved: ['app.js → ./missing.js', 'app.js → chart.js'],
      oversized: ['app.js'],
      unreachable: ['left-over.js'],
    });
  });
});
