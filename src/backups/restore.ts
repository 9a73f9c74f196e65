import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../audit/verify.ts';
import { createDb } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import type { PgAccount, PgBinaries } from '../lib/postgres-host.ts';
import { startServer } from '../lib/postgres-process.ts';
import { chownTree } from './copy.ts';
import { checkSums, type TManifest } from './manifest.ts';

/** What a restored copy was found to hold. */
export type TRestoredCheck = { auditEntries: number; auditHeadSeq: number | null; samples: number };

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
 * Checks the application database of a started copy: the audit trail verifies, and it still holds
 * the head read before the backup began (a copy that lost entries, or holds another chain, fails).
 */
export async function checkRestored(url: string, manifest: TManifest): Promise<TRestoredCheck> {
  const db = createDb(url, 2);
  try {
    const chain = await verifyAuditChain(db);
    if (!chain.ok) throw new Error(`the restored audit trail does not verify at entry ${chain.firstBadSeq}: ${chain.reason}`);
    if (manifest.auditHead) {
      const row = await db.auditEntry.findUnique({ where: { seq: BigInt(manifest.auditHead.seq) }, select: { hash: true } });
      if (row?.hash !== manifest.auditHead.hash) throw new Error(`the restored audit trail lacks entry ${manifest.auditHead.seq} as it was when the backup began`);
    }
    const samples = await db.sample.count();
    return { auditEntries: chain.entries, auditHeadSeq: chain.head?.seq ?? null, samples };
  } finally {
    await db.$disconnect();
  }
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

export type TScratchOptions = { binaries: PgBinaries; account: PgAccount | undefined; credentials: { user: string; password: string }; log: Logger };

/**
 * Proves a backup by using it: restores it into a scratch cluster on a free loopback port (crash
 * recovery replays its WAL), verifies the audit trail there, and throws it away.
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
      const check = await checkRestored(url, manifest);
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
