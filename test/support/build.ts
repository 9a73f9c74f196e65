import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './clone.ts';

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

/**
 * Runs `npm run build` unless dist/ is newer than every source file (the production-build test builds;
 * the scale-out test, which runs after it, reuses that build).
 */
export function ensureBuilt(): void {
  const marker = path.join(REPO, 'dist', 'src', 'entry', 'all.js');
  const sources = Math.max(newest(path.join(REPO, 'src')), newest(path.join(REPO, 'scripts')), newest(path.join(REPO, 'data')), newest(path.join(REPO, 'prisma')));
  if (existsSync(marker) && statSync(marker).mtimeMs > sources) return;
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
}
