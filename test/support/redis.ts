import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

const ping = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.setTimeout(1000);
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });

function redisServerBinary(): string {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
  // Not installed: take it from Debian's packages (tests need a real Redis, never a mock).
  if (process.getuid?.() !== 0) throw new Error('redis-server is missing: install the Debian package redis-server, or set TEST_REDIS_URL');
  console.log('[test setup] installing redis-server from Debian packages…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return '/usr/bin/redis-server';
}

/** A Redis on loopback for the tests: TEST_REDIS_URL, one already answering on the port, or a new one. */
export async function ensureRedis(port: number): Promise<{ url: string; stop(): void }> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, stop: () => {} };
  const url = `redis://127.0.0.1:${port}`;
  if (await ping(port)) return { url, stop: () => {} };
  const bin = redisServerBinary();
  spawnSync(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await ping(port))) throw new Error(`redis-server did not answer on ${port}`);
  return {
    url,
    stop: () => {
      const cli = bin.replace('redis-server', 'redis-cli');
      if (existsSync(cli)) spawnSync(cli, ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
    },
  };
}

export { ping as pingRedis };
