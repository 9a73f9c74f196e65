/**
 * npm run backup -- --to DIR      backs up the embedded database and the files kept beside it into a
 *                                 new folder under DIR (default BACKUP_DIR), proves the copy by
 *                                 restoring it into a scratch server and verifying the audit trail
 *                                 there, and records the outcome. Exit 0 = verified, 2 = failed.
 *
 * Runs beside a running service (it uses the server the service started) or on its own.
 */
import path from 'node:path';
import { runBackup } from '../src/backups/backup.usecases.ts';
import { systemClock } from '../src/lib/clock.ts';
import { loadConfig, StartupError } from '../src/lib/config.ts';
import { createDb } from '../src/lib/db.ts';
import { attachEmbedded } from '../src/lib/embedded-attach.ts';
import { createLogger } from '../src/lib/logger.ts';
import { argValue } from './args.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const to = argValue('--to') ?? config.BACKUP_DIR;
  if (!to) throw new StartupError('say where the backup goes: npm run backup -- --to DIR (or set BACKUP_DIR)');
  if (config.DATABASE_URL) {
    throw new StartupError('DATABASE_URL is set: back up that PostgreSQL server with its own tools (pg_basebackup, pgBackRest or pg_dump; see README "Backups"); this command backs up the embedded database');
  }
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, { process: 'backup' }, process.stderr, config.LOG_FORMAT);
  const embedded = await attachEmbedded({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'fol', log });
  const db = createDb(embedded.url, 2);
  try {
    const run = await runBackup({ db, log, clock: systemClock, config }, embedded, { to: path.resolve(to), dataDirSetting: config.DATA_DIR, trigger: 'MANUAL', keep: argValue('--keep') ? Number(argValue('--keep')) : undefined });
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return run.status === 'VERIFIED' ? 0 : 2;
  } finally {
    await db.$disconnect();
    await embedded.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof StartupError ? `backup refused: ${err.message}.` : ((err as Error).stack ?? String(err))}\n`);
    process.exit(1);
  },
);
