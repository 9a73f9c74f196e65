/**
 * A physical backup of the whole embedded cluster through PostgreSQL's low-level base-backup API:
 * pg_backup_start, a file copy of the data folder while the server runs, pg_backup_stop, and the WAL
 * written in between — the same thing pg_basebackup does, with the binaries the embedded server
 * ships. On start, PostgreSQL replays that WAL from the checkpoint named in backup_label, so the copy
 * comes up as the cluster was at the moment the backup ended: every database, role, grant, trigger,
 * queued job and stored file in it. See README, "Backups".
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { copyHashed, copyTree, walk } from './copy.ts';
import { sha256Hex, writeManifest, type TManifest, type TManifestFile } from './manifest.ts';

export type TFileSet = { name: string; dir: string };

export type TBackupSource = {
  /** A superuser connection to the cluster (the embedded server's `postgres` database). */
  adminUrl: string;
  /** The cluster's data folder, readable by this process. */
  dataDir: string;
  /** The application database, whose audit head is recorded. */
  database: string;
  /** Folders of evidence kept outside the database (audit checkpoints, the keys), copied as they are, before the cluster. */
  fileSets: TFileSet[];
  /** Folders never copied from the file sets (clusters, the backups themselves). */
  excludeDirs: string[];
};

export type TBackupResult = { dir: string; manifest: TManifest; manifestSha256: string; backupMs: number };

/** Runtime state that means nothing to a restored server (pg_basebackup leaves out the same). */
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'current_logfiles', 'backup_label.old']);
const WAL_SEGMENT = /^[0-9A-F]{24}$/;

const clusterSkip = (rel: string, stat: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }) => {
  const parts = rel.split(path.sep);
  if (parts.length === 1 && SKIP_FILES.has(rel)) return true;
  if (parts.length > 1 && EMPTY_DIRS.has(parts[0]!)) return true;
  if (parts.at(-1)!.startsWith('pgsql_tmp')) return true;
  if (stat.isSymbolicLink()) throw new Error(`${rel} is a symbolic link (a tablespace?): only clusters without tablespaces can be backed up this way`);
  return false;
};

/** Backs up the cluster and the file sets into a new folder under `parent`; the folder appears complete or not at all. */
export async function takeBackup(source: TBackupSource, parent: string, now = new Date()): Promise<TBackupResult> {
  const started = Date.now();
  const id = randomUUID();
  const name = `fol-backup-${now.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const partial = path.join(parent, `.${name}.partial`);
  const dir = path.join(parent, name);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { mode: 0o700 });
  const files: TManifestFile[] = [];
  const client = new pg.Client({ connectionString: source.adminUrl });
  client.on('error', () => {}); // a server going away fails the running query, which is what reports it
  await client.connect();
  try {
    const auditHead = await readAuditHead(source.adminUrl, source.database);
    // The files first, the cluster after: every checkpoint in the copied checkpoint file was signed
    // over entries committed before the cluster copy began, so the restored log always holds what
    // the restored checkpoints vouch for (the database may hold later checkpoints; the file catches up).
    for (const set of source.fileSets) {
      const skip = (rel: string, stat: { isDirectory(): boolean; isFile(): boolean }) => {
        const abs = path.join(set.dir, rel);
        if (source.excludeDirs.some((x) => abs === x || abs.startsWith(x + path.sep))) return true;
        if (stat.isDirectory()) return readdirSync(abs).includes('PG_VERSION');
        return !stat.isFile();
      };
      await copyTree(walk(set.dir, skip), path.join(partial, 'files', set.name), path.join('files', set.name), files);
    }
    const [{ system_identifier }] = (await client.query<{ system_identifier: string }>('SELECT system_identifier::text FROM pg_control_system()')).rows as [{ system_identifier: string }];
    // A temporary slot keeps every WAL segment from here on until this session ends: none can be
    // recycled before it is copied, however long the copy takes.
    await client.query(`SELECT pg_create_physical_replication_slot($1, true, true)`, [`fol_backup_${id.replaceAll('-', '').slice(0, 16)}`]);
    const { rows: startRows } = await client.query<{ lsn: string }>(`SELECT pg_backup_start($1, true)::text AS lsn`, [name]);
    const pgdata = path.join(partial, 'pgdata');
    try {
      await copyTree(walk(source.dataDir, clusterSkip), pgdata, 'pgdata', files);
    } catch (err) {
      await client.query('SELECT pg_backup_stop(false)').catch(() => {});
      throw err;
    }
    const { rows } = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>('SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)');
    const stop = rows[0]!;
    if (stop.spcmapfile.trim()) throw new Error('the cluster has tablespaces: back it up with pg_basebackup instead');
    // backup_label tells the restored server where replay must start; without it the copy is not consistent.
    writeFileSync(path.join(pgdata, 'backup_label'), stop.labelfile, { mode: 0o600 });
    files.push({ path: 'pgdata/backup_label', bytes: Buffer.byteLength(stop.labelfile), sha256: sha256Hex(stop.labelfile), mode: 0o600 });
    const { rows: walRows } = await client.query<{ first: string; last: string }>(
      `SELECT pg_walfile_name($1::pg_lsn) AS first, pg_walfile_name($2::pg_lsn) AS last`, [startRows[0]!.lsn, stop.lsn]);
    const walSegments = await copyWal(source.dataDir, pgdata, walRows[0]!.first, walRows[0]!.last, files);


    const manifest: TManifest = {
      format: 'fol-triage-backup/1', id, createdAt: now.toISOString(), database: source.database,
      postgres: { majorVersion: readFileSync(path.join(source.dataDir, 'PG_VERSION'), 'utf8').trim(), systemIdentifier: system_identifier, startLsn: startRows[0]!.lsn, stopLsn: stop.lsn, walSegments },
      auditHead, fileSets: source.fileSets.map((s) => ({ name: s.name, source: s.dir })),
      files, bytes: files.reduce((n, f) => n + f.bytes, 0),
    };
    const manifestSha256 = writeManifest(partial, manifest);
    renameSync(partial, dir);
    return { dir, manifest, manifestSha256, backupMs: Date.now() - started };
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Copies the WAL segments from the backup's start to its end, with any timeline history. */
async function copyWal(dataDir: string, pgdata: string, first: string, last: string, files: TManifestFile[]): Promise<string[]> {
  const walDir = path.join(dataDir, 'pg_wal');
  const names = readdirSync(walDir).filter((n) => (WAL_SEGMENT.test(n) && n.slice(0, 8) === first.slice(0, 8) && n >= first && n <= last) || n.endsWith('.history'));
  const segments = names.filter((n) => WAL_SEGMENT.test(n)).sort();
  if (segments[0] !== first || segments.at(-1) !== last) throw new Error(`WAL from ${first} to ${last} is not all in ${walDir}`);
  for (const sub of ['archive_status', 'summaries']) mkdirSync(path.join(pgdata, 'pg_wal', sub), { recursive: true, mode: 0o700 });
  for (const n of names) {
    const copied = await copyHashed(path.join(walDir, n), path.join(pgdata, 'pg_wal', n), 0o600);
    if (!copied) throw new Error(`WAL segment ${n} vanished during the backup`);
    files.push({ path: `pgdata/pg_wal/${n}`, bytes: copied.bytes, sha256: copied.sha256, mode: 0o600 });
  }
  return segments;
}

async function readAuditHead(adminUrl: string, database: string): Promise<TManifest['auditHead']> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // The sealed log's last entry (the ledger gives entries their place when it seals them).
    const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM "AuditLeaf" ORDER BY seq DESC LIMIT 1');
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
  } finally {
    await client.end();
  }
}
