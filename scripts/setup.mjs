#!/usr/bin/env node
// Installs what is missing before `npm start` / `npm test`: npm packages (when node_modules is absent
// or older than the lockfile) and the generated Prisma client. Plain JavaScript with no dependency,
// because it runs before any package is installed. Redis (tests) is handled by the test set-up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`fol-triage needs Node.js >= 20.19 (this is ${process.versions.node})`);
  process.exit(1);
}

const installed = path.join(root, 'node_modules', '.package-lock.json');
if (mtime(installed) < mtime(path.join(root, 'package-lock.json')) || !existsSync(path.join(root, 'node_modules', 'tsx'))) {
  console.log('[setup] installing npm packages…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

const generated = path.join(root, 'src', 'generated', 'prisma', 'client.ts');
if (mtime(generated) < mtime(path.join(root, 'prisma', 'schema.prisma'))) {
  console.log('[setup] generating the Prisma client…');
  // `generate` uses only bundled WebAssembly, but the CLI first looks for the native schema engine,
  // which it would download from a host this network cannot reach: point it at a placeholder (our
  // own, in a folder of our own: another user's file of the same name in /tmp could not be written).
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'fol-triage-setup-'));
  const placeholder = path.join(scratch, 'no-schema-engine');
  writeFileSync(placeholder, '');
  try {
    run(path.join(root, 'node_modules', '.bin', 'prisma'), ['generate'], { PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: '1' });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
