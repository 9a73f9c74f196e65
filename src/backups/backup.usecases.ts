import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { auditPaths, type TAuditPaths } from '../audit/audit-config.ts';
import type { Clock } from '../lib/clock.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { EmbeddedDatabase } from '../lib/embedded-postgres.ts';
import type { Logger } from '../lib/logger.ts';
import { alertManagers } from '../notifications/ops-alerts.ts';
import { takeBackup, type TBackupSource } from './base-backup.ts';
import { MANIFEST } from './manifest.ts';
import { credentialsOf, verifyByRestoring } from './restore.ts';

export type TBackupTrigger = 'SCHEDULE' | 'MANUAL';

/** What one run did, as recorded in the Backup table. */
export type TBackupRun = {
  /** null when the database has no Backup table yet (migrations pending): the run is still reported. */
  id: string | null; status: 'VERIFIED' | 'FAILED'; path: string; bytes: number | null; files: number | null; manifestSha256: string | null;
  backupMs: number | null; verifyMs: number | null; auditEntries: number | null; auditHeadSeq: number | null; samples: number | null; error: string | null;
};

/**
 * Where the embedded cluster's evidence lives: the cluster, and the files kept beside it — DATA_DIR
 * (the ledger's checkpoint file and keys by default, the database's passwords), and the folder of any
 * ledger file configured outside it.
 */
export function backupSource(embedded: EmbeddedDatabase, dataDirSetting: string, backupDir: string, audit: TAuditPaths, database = 'fol'): TBackupSource {
  const data = path.resolve(dataDirSetting);
  const beside = path.dirname(embedded.dataDir);
  const sets = [{ name: 'data', dir: data }, ...(beside !== data ? [{ name: 'cluster-folder', dir: beside }] : [])];
  const inSet = (file: string) => sets.some((s) => !path.relative(s.dir, file).startsWith('..') && !path.isAbsolute(path.relative(s.dir, file)));
  for (const file of [audit.checkpointFile, audit.publicKeyFile, audit.keyFile]) {
    if (!inSet(file)) sets.push({ name: `audit-${sets.length}`, dir: path.dirname(file) });
  }
  return {
    adminUrl: embedded.adminUrl,
    dataDir: embedded.dataDir,
    database,
    // DATA_DIR holds what the service keeps outside the database (audit checkpoints, keys, the
    // database's passwords); a cluster moved out of the account's reach has its own folder, whose
    // other files come along too.
    fileSets: sets,
    excludeDirs: [path.resolve(backupDir), embedded.dataDir],
  };
}

export type TBackupDeps = { db: Db; log: Logger; clock: Clock; config: TConfig };

/**
 * Takes a backup, proves it by restoring it into a scratch cluster and verifying the audit trail
 * there, records the outcome, keeps the newest `keep`, and alerts the managers when anything failed.
 * Never throws: a failure is a FAILED row and an alert.
 */
export async function runBackup(deps: TBackupDeps, embedded: EmbeddedDatabase, opts: TBackupOptions): Promise<TBackupRun> {
  // One at a time per process: a schedule shorter than a backup takes queues them up instead of doubling the load.
  const run = running.then(() => backupOnce(deps, embedded, opts));
  running = run.catch(() => {});
  return run;
}

type TBackupOptions = { to: string; dataDirSetting: string; trigger: TBackupTrigger; keep?: number };
let running: Promise<unknown> = Promise.resolve();

async function backupOnce(deps: TBackupDeps, embedded: EmbeddedDatabase, opts: TBackupOptions): Promise<TBackupRun> {
  const startedAt = deps.clock.now();
  let step = 'backup';
  const run: Omit<TBackupRun, 'id' | 'status'> = { path: opts.to, bytes: null, files: null, manifestSha256: null, backupMs: null, verifyMs: null, auditEntries: null, auditHeadSeq: null, samples: null, error: null };
  let status: TBackupRun['status'] = 'FAILED';
  try {
    const audit = auditPaths(deps.config);
    const taken = await takeBackup(backupSource(embedded, opts.dataDirSetting, opts.to, audit), opts.to, startedAt);
    Object.assign(run, { path: taken.dir, bytes: taken.manifest.bytes, files: taken.manifest.files.length, manifestSha256: taken.manifestSha256, backupMs: taken.backupMs });
    step = 'verification by restoring';
    try {
      const check = await verifyByRestoring(taken.dir, { binaries: embedded.binaries, account: embedded.account, credentials: credentialsOf(embedded.adminUrl), audit, log: deps.log });
      Object.assign(run, check);
      status = 'VERIFIED';
    } catch (err) {
      // Kept for whoever investigates, but never picked by a restore that is not told to.
      renameSync(taken.dir, `${taken.dir}.unverified`);
      run.path = `${taken.dir}.unverified`;
      throw err;
    }
    if (opts.keep) prune(opts.to, opts.keep, deps.log);
  } catch (err) {
    run.error = `${step} failed: ${(err as Error).message}`;
    deps.log.error({ err: run.error, to: opts.to }, 'backup failed');
  }
  const row = await deps.db.backup.create({
    data: {
      trigger: opts.trigger, status, startedAt, finishedAt: deps.clock.now(), path: run.path, bytes: run.bytes === null ? null : BigInt(run.bytes), files: run.files,
      manifestSha256: run.manifestSha256, backupMs: run.backupMs, verifyMs: run.verifyMs, auditEntries: run.auditEntries,
      auditHeadSeq: run.auditHeadSeq === null ? null : BigInt(run.auditHeadSeq), samples: run.samples, error: run.error,
    },
  }).catch((err: unknown) => {
    deps.log.warn({ err: (err as Error).message }, 'backup outcome not recorded in the database');
    return { id: null };
  });
  if (status === 'FAILED') {
    await alertManagers(deps.db, { type: 'BACKUP_FAILED', title: `Backup failed: ${run.error}`, body: { backupId: row.id, to: opts.to, error: run.error } }, deps.clock.now()).catch((err: unknown) =>
      deps.log.error({ err: (err as Error).message }, 'could not alert the managers about the failed backup'));
  } else {
    deps.log.info({ path: run.path, bytes: run.bytes, backupMs: run.backupMs, verifyMs: run.verifyMs, auditEntries: run.auditEntries }, 'backup taken and verified by restoring it');
  }
  return { id: row.id, status, ...run };
}

/** The backups in `parent`, newest first (names sort by time). */
export function listBackups(parent: string): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((n) => /^fol-backup-[\dT-]+Z$/.test(n) && existsSync(path.join(parent, n, MANIFEST)))
    .sort()
    .reverse()
    .map((n) => path.join(parent, n));
}

/** Keeps the newest `keep` verified backups in `parent`; older ones and unverified leftovers go. */
function prune(parent: string, keep: number, log: Logger): void {
  const all = listBackups(parent);
  const unverified = readdirSync(parent).filter((n) => /^fol-backup-.*\.unverified$/.test(n)).map((n) => path.join(parent, n));
  for (const dir of [...all.slice(keep), ...unverified]) {
    rmSync(dir, { recursive: true, force: true });
    log.info({ dir }, 'old backup removed');
  }
}
