import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium for the browser tests: /usr/bin/chromium, installed from Debian packages when missing. */
export function ensureChromium(): string {
  const bin = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(bin)) return bin;
  if (process.getuid?.() !== 0) throw new Error('chromium is missing: install the Debian package chromium, or set CHROMIUM_PATH');
  console.log('[test setup] installing chromium from Debian packages…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return bin;
}
