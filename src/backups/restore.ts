import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TAuditPaths } from '../audit/audit-config.ts';
import { readVerifierKey } from '../audit/checkpoint-key.ts';
import { loadCheckpoints } from '../audit/verify-checkpoints.ts';
import { verifyAuditLog } from '../audit/verify.ts';
import { createDb } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import type { PgAccount, PgBinaries } from '../lib/postgres-host.ts';
import { startServer } from '../lib/postgres-process.ts';
import { chownTree } from './copy.ts';
import { checkSums, type TManifest } from './manifest.ts';

/** What a restored copy was found to hold. */
export type TRestoredCheck = { auditEntries: number; auditHeadSeq: number | null; samples: number; checkpoints: number };

/** The checkpoint file and public key a restored log is checked against (null: none to check). */
export type TAuditFiles = { checkpointFile: string | null; publicKeyFile: string | null };

/**
 * Puts a backup's cluster into `target` (absent or empty), owned by the account PostgreSQL runs as.
 * The sums are checked first: a damaged backup is refused before anything is written.
 */
export async function placeCluster(backupDir: string, target: string, account: PgAccount | undefined): Promise<TManifest> {
  const { manifest } = await checkSums(backupDir);
  if (existsSync(target) && readdirSync(target).length) throw new Error(`${target} is not empty: move it aside first`);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  cpSync(path.join(backupDir, 'pgdata'), target, { recursive: true });
  chmodSync(target, 0o700);
  chownTree(target, account);
  return manifest;
}

/**
 * Checks the application database of a started copy: the audit log verifies (every entry, every
 * record chain, the Merkle tree, and every signed checkpoint of the copied checkpoint file and of the
 * database against it), and it still holds the head read before the backup began (a copy that lost
 * entries, or holds another chain, fails). A checkpoint file without its public key is refused: the
 * checkpoints could not be checked.
 */
export async function checkRestored(url: string, manifest: TManifest, audit: TAuditFiles): Promise<TRestoredCheck> {
  if (audit.checkpointFile && !audit.publicKeyFile) throw new Error(`${audit.checkpointFile} came without the public key that checks it`);
  const db = createDb(url, 2);
  try {
    const key = audit.publicKeyFile ? readVerifierKey(audit.publicKeyFile) : null;
    const log = await verifyAuditLog(db, await loadCheckpoints(db, key, audit.checkpointFile));
    if (!log.ok) throw new Error(`the restored audit log does not verify${log.firstBadSeq ? ` at entry ${log.firstBadSeq}` : ''}: ${log.reason}`);
    if (manifest.auditHead) {
      const row = await db.auditLeaf.findUnique({ where: { seq: BigInt(manifest.auditHead.seq) }, select: { hash: true } });
      if (row?.hash !== manifest.auditHead.hash) throw new Error(`the restored audit log lacks entry ${manifest.auditHead.seq} as it was when the backup began`);
    }
    const samples = await db.sample.count();
    return { auditEntries: log.entries, auditHeadSeq: log.head?.seq ?? null, samples, checkpoints: log.checkpoints.checked };
  } finally {
    await db.$disconnect();
  }
}

/**
 * Where the backup holds the ledger's checkpoint file and public key: each configured path, inside
 * the file set whose folder held it when the backup was taken (null when the backup has none).
 */
export function auditFilesIn(backupDir: string, manifest: TManifest, paths: Pick<TAuditPaths, 'checkpointFile' | 'publicKeyFile'>): TAuditFiles {
  const find = (file: string) => {
    for (const set of manifest.fileSets) {
      const rel = path.relative(set.source, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const inBackup = path.join(backupDir, 'files', set.name, rel);
      if (existsSync(inBackup)) return inBackup;
    }
    return null;
  };
  return { checkpointFile: find(paths.checkpointFile), publicKeyFile: find(paths.publicKeyFile) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export type TScratchOptions = { binaries: PgBinaries; account: PgAccount | undefined; credentials: { user: string; password: string }; audit: Pick<TAuditPaths, 'checkpointFile' | 'publicKeyFile'>; log: Logger };

/**
 * Proves a backup by using it: restores it into a scratch cluster on a free loopback port (crash
 * recovery replays its WAL), verifies the audit log there against the backup's own checkpoint file
 * and public key, and throws it away.
 */
export async function verifyByRestoring(backupDir: string, o: TScratchOptions): Promise<TRestoredCheck & { verifyMs: number }> {
  const started = Date.now();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'fol-verify-'));
  chmodSync(scratch, 0o755); // the account must reach the cluster folder inside
  const dataDir = path.join(scratch, 'pg');
  try {
    const manifest = await placeCluster(backupDir, dataDir, o.account);
    const port = await freePort();
    const server = await startServer({ binaries: o.binaries, account: o.account, dataDir, log: o.log }, port, [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'archive_mode=off', '-c', 'max_connections=20',
    ]);
    try {
      const url = `postgresql://${encodeURIComponent(o.credentials.user)}:${encodeURIComponent(o.credentials.password)}@127.0.0.1:${port}/${manifest.database}`;
      const check = await checkRestored(url, manifest, auditFilesIn(backupDir, manifest, o.audit));
      return { ...check, verifyMs: Date.now() - started };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The user and password of a connection URL, for a scratch copy of the same cluster. */
export function credentialsOf(url: string): { user: string; password: string } {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}
