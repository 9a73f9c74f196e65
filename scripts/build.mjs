#!/usr/bin/env node
// `npm run build`: compiles the service to dist/ and copies beside it what the code reads at run time
// relative to itself (the versioned data files, the migrations, the web UI's static files).
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
for (const [from, to] of [['data', 'data'], ['prisma/migrations', 'prisma/migrations'], ['prisma/schema.prisma', 'prisma/schema.prisma'], ['src/web/public', 'src/web/public']]) {
  cpSync(path.join(root, from), path.join(dist, to), { recursive: true });
}
console.log('[build] compiled to dist/: run it with npm run start:prod (or NODE_ENV=production npm run start:api / start:worker)');
