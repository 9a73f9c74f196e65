import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from './config.ts';
import { adoptSuperuserPassword, loadOrCreateCredentials, type TDbCredentials } from './db-roles.ts';
import type { Logger } from './logger.ts';
import { locateBinaries, locateDataDir, serverAccount, type PgAccount, type PgBinaries } from './postgres-host.ts';
import { initCluster, startServer } from './postgres-process.ts';
import { supervise, type TSupervisorHooks } from './postgres-supervisor.ts';

/**
 * A running embedded cluster. It is supervised: `hooks` hear of a restart after a crash, or of giving
 * up; `pid` is the current server's (it changes with a restart). `credentials`: the installation's
 * random passwords (superuser, owner and service roles; issue 14); the roles live in the cluster, so a
 * restarted server has them as provisioned.
 */
export type EmbeddedDatabase = {
  /** The application database, as the superuser. */
  url: string;
  /** The same server's `postgres` database, for cluster-wide work (backups). */
  adminUrl: string;
  dataDir: string;
  port: number;
  binaries: PgBinaries;
  account: PgAccount | undefined;
  credentials: TDbCredentials;
  readonly pid: number;
  hooks: TSupervisorHooks;
  stop(): Promise<void>;
};

const PG_USER = 'postgres';
/** Clusters initialised before issue 14 have this superuser password until their next start. */
const LEGACY_PASSWORD = 'fol-triage-local';

/** Where the embedded cluster's passwords are kept: beside its data folder, readable by this OS user only. */
export function credentialsFile(clusterDir: string): string {
  return path.join(path.dirname(clusterDir), 'db-credentials.json');
}

/** The superuser's URL of a database on the embedded server at `port`. */
export function superuserUrl(credentials: TDbCredentials, port: number, database: string): string {
  return `postgresql://${PG_USER}:${encodeURIComponent(credentials.superuser)}@127.0.0.1:${port}/${database}`;
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

/**
 * Starts (initialising on first use) a real PostgreSQL shipped through npm, on loopback only. Any
 * failure is a StartupError whose message says what to do.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
  /** The setting that chose the port, named when the port is taken. */
  portSetting?: string;
}): Promise<EmbeddedDatabase> {
  try {
    return await start(opts);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`the embedded PostgreSQL could not start (${err instanceof Error ? err.message : String(err)}): set DATABASE_URL to use a PostgreSQL server instead`);
  }
}

async function start(opts: { dataDir: string; port: number; database: string; log: Logger; portSetting?: string }): Promise<EmbeddedDatabase> {
  const account = serverAccount();
  const binaries = await locateBinaries(account);
  const dataDir = locateDataDir(opts.dataDir, account);
  await clearOrphan(dataDir, opts.log);
  if (await portInUse(opts.port)) {
    throw new StartupError(`port ${opts.port} is taken: set ${opts.portSetting ?? 'EMBEDDED_PG_PORT'} to a free port, or DATABASE_URL to use a PostgreSQL server`);
  }
  // Issue 14: random passwords, kept beside the cluster's folder, readable by this OS user only.
  const credentials = loadOrCreateCredentials(credentialsFile(dataDir));
  const proc = { binaries, account, dataDir, log: opts.log };
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    opts.log.info({ dataDir, binaries: binaries.dir }, 'initialising embedded PostgreSQL');
    await initCluster(proc, { user: PG_USER, password: credentials.superuser });
  }
  const run = () => startServer(proc, opts.port, ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories=']);
  const server = await run();
  const url = superuserUrl(credentials, opts.port, opts.database);
  const adminUrl = superuserUrl(credentials, opts.port, 'postgres');
  try {
    await adoptSuperuserPassword(adminUrl, LEGACY_PASSWORD);
    await ensureDatabase(adminUrl, opts.database);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const hooks: TSupervisorHooks = {};
  const restart = async () => {
    await clearOrphan(dataDir, opts.log);
    return run();
  };
  const supervised = supervise(server, restart, opts.log, { onRestarted: (r) => hooks.onRestarted?.(r), onGaveUp: (e, x) => hooks.onGaveUp?.(e, x) });
  return {
    url, adminUrl, dataDir, port: opts.port, binaries, account, credentials, hooks,
    get pid() {
      return supervised.pid;
    },
    stop: () => supervised.stop(),
  };
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
