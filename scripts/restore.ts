/**
 * npm run restore -- --from DIR [--replace]
 *
 * Brings a lab back from a backup made by `npm run backup` (DIR is the backup, or a folder of backups:
 * the newest is taken) into the embedded database's place under DATA_DIR. Checks every file's
 * SHA-256 first, replays the backup's WAL, verifies the audit trail and records the restore in it.
 * Then `npm start` (or the service) runs the lab, and pending work resumes. Stop the service first.
 * Exit 0 = restored and verified, 1 = refused or failed.
 */
import { auditPaths } from '../src/audit/audit-config.ts';
import { restoreLab } from '../src/backups/restore-lab.ts';
import { loadConfig, StartupError } from '../src/lib/config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { argValue } from './args.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const from = argValue('--from');
  if (!from) throw new StartupError('say which backup to restore: npm run restore -- --from DIR');
  if (config.DATABASE_URL) {
    throw new StartupError('DATABASE_URL is set: restore that PostgreSQL server with the tool that made its backup (see README "Backups"); this command restores the embedded database');
  }
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, { process: 'restore' }, process.stderr, config.LOG_FORMAT);
  const result = await restoreLab({ from, dataDirSetting: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, replace: process.argv.includes('--replace'), audit: auditPaths(config), log });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`restored ${result.samples} samples and ${result.auditEntries} audit entries (verified) from ${result.from} in ${(result.restoreMs / 1000).toFixed(1)} s\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof StartupError ? `restore refused: ${err.message}.` : `restore failed: ${(err as Error).message}`}\n`);
    process.exit(1);
  },
);
