#!/usr/bin/env node
// `npm start` (and the dev `start:api` / `start:worker`): the set-up checks, then the service from
// JavaScript transpiled into .build/ — by esbuild, file by file, without type checking, exactly what
// tsx does at every start — rebuilt only when a source file changed since the last build. Running
// plain JavaScript saves the TypeScript loader's work on every module at every start.
//
//   node scripts/start.mjs all|api|worker
//
// The build is keyed by every source file's path, size and modification time (and esbuild's version):
// any change, addition or removal rebuilds the whole tree (one esbuild call), into a fresh folder that
// replaces the old one at once, so a start never runs half a build. FOL_START_TSX=1 skips the build
// and runs the sources through tsx, as before.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const kind = process.argv[2] ?? 'all';
if (!['all', 'api', 'worker'].includes(kind)) {
  console.error('usage: node scripts/start.mjs all|api|worker');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const t0 = performance.now();

// Packages and the generated Prisma client first (cheap when nothing changed: two stat calls each).
await import('./setup.mjs');

const BUILD = path.join(root, '.build');
const SOURCES = ['src', 'scripts/migrate.ts'];
/** What the code reads beside itself at run time (import.meta.dirname-relative), linked into the build. */
const LINKS = ['data', 'docs', 'prisma', 'src/web/public'];

/** Every .ts source file (tests excluded), as [relative path, size, mtime]. */
function sourceList() {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    const st = statSync(abs);
    if (st.isDirectory()) {
      if (rel === path.join('src', 'web', 'public')) return;
      for (const name of readdirSync(abs).sort()) walk(path.join(rel, name));
    } else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !rel.endsWith('.test.ts')) {
      out.push([rel, st.size, Math.round(st.mtimeMs)]);
    }
  };
  for (const s of SOURCES) walk(s);
  return out;
}

/** Relative `.ts` specifiers become `.js` (esbuild prints module specifiers in double quotes). */
const rewriteImports = (code) =>
  code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"(\.{1,2}\/[^"\n]*?)\.ts"/g, (_m, head, spec) => `${head}"${spec}.js"`);

const isCurrent = (stamp) => {
  try {
    return readFileSync(path.join(BUILD, 'stamp.json'), 'utf8') === stamp;
  } catch {
    return false;
  }
};

async function build(stamp, files) {
  const esbuild = await import('esbuild');
  const tmp = `${BUILD}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: files.map(([rel]) => path.join(root, rel)),
    outdir: tmp,
    outbase: root,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'error',
    tsconfigRaw: readFileSync(path.join(root, 'tsconfig.json'), 'utf8'),
  });
  for (const f of result.outputFiles) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.path.endsWith('.js') ? rewriteImports(f.text) : f.contents);
  }
  for (const link of LINKS) {
    const at = path.join(tmp, link);
    mkdirSync(path.dirname(at), { recursive: true });
    symlinkSync(path.relative(path.dirname(at), path.join(root, link)), at);
  }
  writeFileSync(path.join(tmp, 'stamp.json'), stamp);
  // A process started alongside (api and worker at once) may have built the same meanwhile: keep its.
  if (isCurrent(stamp)) return void rmSync(tmp, { recursive: true, force: true });
  // Replace the old build in two renames.
  const old = `${BUILD}.old-${process.pid}`;
  if (existsSync(BUILD)) renameSync(BUILD, old);
  try {
    renameSync(tmp, BUILD);
  } catch (err) {
    if (!existsSync(BUILD)) throw err;
    rmSync(tmp, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

let entry;
if (process.env.FOL_START_TSX === '1') {
  entry = path.join(root, 'src', 'entry', `${kind}.ts`);
  const { register } = await import('tsx/esm/api');
  register();
} else {
  const files = sourceList();
  const esbuildVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
  const stamp = JSON.stringify({ esbuild: esbuildVersion, tsconfig: statSync(path.join(root, 'tsconfig.json')).mtimeMs, links: LINKS, files });
  if (!isCurrent(stamp)) {
    const t = performance.now();
    await build(stamp, files);
    console.log(`[start] transpiled ${files.length} source files to .build/ in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  entry = path.join(BUILD, 'src', 'entry', `${kind}.js`);
  // Stack traces name the TypeScript lines.
  process.setSourceMapsEnabled(true);
}
if (process.env.FOL_START_TIMING === '1') console.log(`[start] checks done in ${(performance.now() - t0).toFixed(0)} ms`);
await import(pathToFileURL(entry).href);
