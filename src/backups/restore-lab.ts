import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import type { TAuditPaths } from '../audit/audit-config.ts';
import { appendAudit } from '../audit/audit.ts';
import { StartupError } from '../lib/config.ts';
import { createDb } from '../lib/db.ts';
import { provisionRoles } from '../lib/db-roles.ts';
import { credentialsFile, startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import type { Logger } from '../lib/logger.ts';
import { locateBinaries, locateDataDir, serverAccount } from '../lib/postgres-host.ts';
import { listBackups } from './backup.usecases.ts';
import { MANIFEST } from './manifest.ts';
import { checkRestored, placeCluster, type TRestoredCheck } from './restore.ts';

export type TRestoreResult = TRestoredCheck & {
  /** Ledger files of the replaced installation, moved aside (they describe a history the restore left). */
  ledgerFilesMovedAside: string[]; from: string; backupId: string; createdAt: string; dataDir: string; movedAside: string | null; restoreMs: number };

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** A backup folder, or the newest backup inside a folder of backups. */
export function resolveBackup(from: string): string {
  const dir = path.resolve(from);
  if (existsSync(path.join(dir, MANIFEST))) return dir;
  const newest = listBackups(dir)[0];
  if (!newest) throw new StartupError(`${dir} is neither a backup nor a folder holding one`);
  return newest;
}

/**
 * Brings a lab back from a backup into the embedded database's place (DATA_DIR): the cluster, then
 * the files kept beside it. The server is started once here, which replays the backup's WAL; the
 * database's owner and service roles are provisioned with the passwords restored beside it; the audit
 * log is verified as the service role, against the restored checkpoint file and public key, and the
 * restore itself becomes an audit entry. Work that was pending when
 * the backup was taken (outbox rows, queued jobs) resumes when the service starts.
 */
export async function restoreLab(opts: { from: string; dataDirSetting: string; port: number; replace: boolean; audit: TAuditPaths; log: Logger }): Promise<TRestoreResult> {
  const started = Date.now();
  const from = resolveBackup(opts.from);
  if (await portAnswers(opts.port)) throw new StartupError(`port ${opts.port} is taken (is fol-triage still running?): stop the service first, or set EMBEDDED_PG_PORT to a free port`);
  const account = serverAccount();
  await locateBinaries(account);
  const dataDir = locateDataDir(opts.dataDirSetting, account);
  let movedAside: string | null = null;
  if (existsSync(dataDir) && readdirSync(dataDir).length) {
    if (!opts.replace) throw new StartupError(`a database already exists in ${dataDir}: stop fol-triage and run the restore with --replace to move it aside, or restore into another DATA_DIR`);
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, movedAside);
  }
  const manifest = await placeCluster(from, dataDir, account);
  // The checkpoint file of the installation being replaced vouches for entries the restored log does
  // not hold: it goes aside (the backup's copy, if any, takes its place), or the ledger would refuse
  // to sign again.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const ledgerFilesMovedAside: string[] = [];
  if (existsSync(opts.audit.checkpointFile)) {
    const aside = `${opts.audit.checkpointFile}.before-restore-${stamp}`;
    renameSync(opts.audit.checkpointFile, aside);
    ledgerFilesMovedAside.push(aside);
  }
  const targets: Record<string, string> = { data: path.resolve(opts.dataDirSetting), 'cluster-folder': path.dirname(dataDir) };
  for (const set of manifest.fileSets) {
    const source = path.join(from, 'files', set.name);
    // Ledger files kept outside DATA_DIR go back where they were.
    const target = targets[set.name] ?? (set.name.startsWith('audit-') ? set.source : undefined);
    if (!target || !existsSync(source)) continue;
    mkdirSync(target, { recursive: true, mode: 0o700 });
    cpSync(source, target, { recursive: true, force: true, preserveTimestamps: true });
  }
  // The restored cluster keeps the passwords it had: its credentials file must sit beside it here,
  // whichever folder it was beside on the machine that made the backup.
  const credentials = credentialsFile(dataDir);
  const saved = manifest.fileSets.map((set) => path.join(from, 'files', set.name, path.basename(credentials))).find((f) => existsSync(f));
  if (saved) copyFileSync(saved, credentials);
  const server = await startEmbeddedPostgres({ dataDir: opts.dataDirSetting, port: opts.port, database: manifest.database, log: opts.log, portSetting: 'EMBEDDED_PG_PORT' });
  try {
    // The roles came back inside the cluster; this checks they answer to the restored passwords and
    // own what they should, as every start does.
    const roles = await provisionRoles(server.url, manifest.database, server.credentials);
    const check = await checkRestored(roles.serviceUrl, manifest, {
      checkpointFile: existsSync(opts.audit.checkpointFile) ? opts.audit.checkpointFile : null,
      publicKeyFile: existsSync(opts.audit.publicKeyFile) ? opts.audit.publicKeyFile : null,
    });
    const db = createDb(roles.serviceUrl, 2);
    try {
      await db.$transaction((tx) =>
        appendAudit(tx, { actor: null, action: 'system.restored', entityType: 'Backup', entityId: manifest.id, after: { backupCreatedAt: manifest.createdAt, auditHead: manifest.auditHead, restoredAuditEntries: check.auditEntries, restoredCheckpoints: check.checkpoints } }),
      );
    } finally {
      await db.$disconnect();
    }
    return { ...check, from, backupId: manifest.id, createdAt: manifest.createdAt, dataDir, movedAside, ledgerFilesMovedAside, restoreMs: Date.now() - started };
  } finally {
    await server.stop();
  }
}
