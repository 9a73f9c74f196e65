#!/usr/bin/env node
// Production start: the compiled entry point (npm run build), in this process, with nothing else loaded.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const kind = process.argv[2];
if (!['all', 'api', 'worker'].includes(kind)) {
  console.error('usage: node scripts/prod.mjs all|api|worker');
  process.exit(2);
}
const entry = path.resolve(import.meta.dirname, '..', 'dist', 'src', 'entry', `${kind}.js`);
if (!existsSync(entry)) {
  console.error(`fol-triage could not start: ${entry} is missing: run npm run build first.`);
  process.exit(1);
}
process.env.NODE_ENV ??= 'production';
await import(pathToFileURL(entry).href);
