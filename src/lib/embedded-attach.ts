import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from './config.ts';
import { loadOrCreateCredentials } from './db-roles.ts';
import { credentialsFile, startEmbeddedPostgres, superuserUrl, type EmbeddedDatabase } from './embedded-postgres.ts';
import type { Logger } from './logger.ts';
import { locateBinaries, locateDataDir, serverAccount } from './postgres-host.ts';

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/**
 * The embedded cluster for a command run beside the service (backup, restore checks): the server the
 * running service started when it answers on its port — checked to be the one on this data folder,
 * never stopped here — or one started for the command and stopped with it.
 */
export async function attachEmbedded(opts: { dataDir: string; port: number; database: string; log: Logger }): Promise<EmbeddedDatabase> {
  const account = serverAccount();
  const dataDir = locateDataDir(opts.dataDir, account);
  if (!(await answers(opts.port))) return startEmbeddedPostgres({ ...opts, portSetting: 'EMBEDDED_PG_PORT' });
  // The passwords the running service's cluster was given (issue 14), from beside its data folder.
  const credentials = loadOrCreateCredentials(credentialsFile(dataDir));
  const client = new pg.Client({ connectionString: superuserUrl(credentials, opts.port, 'postgres') });
  let running: string;
  try {
    await client.connect();
    running = (await client.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]!.d;
  } catch (err) {
    throw new StartupError(`port ${opts.port} answers but is not the embedded database (${(err as Error).message}): set EMBEDDED_PG_PORT`);
  } finally {
    await client.end().catch(() => {});
  }
  if (path.resolve(running) !== path.resolve(dataDir)) throw new StartupError(`the PostgreSQL on port ${opts.port} serves ${running}, not ${dataDir}: set DATA_DIR or EMBEDDED_PG_PORT`);
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  return {
    url: superuserUrl(credentials, opts.port, opts.database), adminUrl: superuserUrl(credentials, opts.port, 'postgres'), dataDir, port: opts.port,
    binaries: await locateBinaries(account), account, credentials, pid, hooks: {},
    stop: async () => {},
  };
}
