import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/lib/logger.ts';
import { serverAccount } from '../../src/lib/postgres-host.ts';
import { startServer, type PgServer } from '../../src/lib/postgres-process.ts';

/** The newest PostgreSQL from Debian's packages (`postgresql-<major>`), installed when missing and root. */
export function debianPostgres(): { dir: string; initdb: string; postgres: string; version: string } {
  const root = '/usr/lib/postgresql';
  const find = () => (existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))[0] : undefined);
  let version = find();
  if (!version) {
    if (process.getuid?.() !== 0) throw new Error("PostgreSQL's Debian package is missing: apt-get install postgresql");
    console.log('[test setup] installing postgresql from Debian packages…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    version = find();
    if (!version) throw new Error('postgresql installed, but no server binaries under /usr/lib/postgresql');
  }
  const dir = path.join(root, version);
  return { dir, version, initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') };
}

export type SystemPostgres = { url: string; version: string; stop(): Promise<void> };

/**
 * A throw-away cluster of Debian's PostgreSQL on a loopback port: initdb (as the unprivileged
 * `postgres` account when root), password authentication, one database `fol`.
 */
export async function startSystemPostgres(port: number): Promise<SystemPostgres> {
  const bins = debianPostgres();
  const account = serverAccount();
  const base = mkdtempSync(path.join(os.tmpdir(), 'fol-syspg-'));
  chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const pwfile = path.join(base, 'pw');
  const password = 'scale-out-test';
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    chownSync(dataDir, account.uid, account.gid);
    chownSync(pwfile, account.uid, account.gid);
  }
  const init = spawnSync(bins.initdb, [`--pgdata=${dataDir}`, '--username=postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], {
    ...(account ? { uid: account.uid, gid: account.gid } : {}), encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' },
  });
  rmSync(pwfile);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const server: PgServer = await startServer({ binaries: bins, account, dataDir, log: createLogger('warn') }, port, [
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=off',
  ]);
  const admin = `postgresql://postgres:${password}@127.0.0.1:${port}`;
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: `${admin}/postgres` });
  await c.connect();
  await c.query('CREATE DATABASE fol');
  await c.end();
  return {
    url: `${admin}/fol`,
    version: bins.version,
    async stop() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
