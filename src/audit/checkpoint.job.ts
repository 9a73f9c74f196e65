import type { Clock } from '../lib/clock.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db, Tx } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { keepTrying } from '../queue/schedule.ts';
import type { QueueKit } from '../queue/backend.ts';
import type { JobHandler } from '../entry/deps.ts';
import { planWebhooks } from '../webhooks/webhooks.usecases.ts';
import { auditPaths } from './audit-config.ts';
import { appendCheckpoints, checkpointText, lastInFile, parseCheckpoint, type TCheckpoint } from './checkpoint-file.ts';
import { loadOrCreateSigner, type TSigner } from './checkpoint-key.ts';
import { verifyConsistency } from './merkle.ts';
import { sealAll } from './sealer.ts';
import type { TNoteKey } from './signed-note.ts';
import { consistencyProof, latestTreeHead, rootAt } from './tree.repository.ts';

const CHECKPOINT_LOCK = 7_424_003;

/** The stored tree no longer extends what was signed: someone changed history. Never signed over. */
export class LedgerIntegrityError extends Error {}

const signers = new Map<string, TSigner>();
/** The signing key of this configuration, read (or created) once per process. */
export function signerFor(config: TConfig): TSigner {
  const p = auditPaths(config);
  const id = `${p.keyFile}|${p.origin}`;
  if (!signers.has(id)) signers.set(id, loadOrCreateSigner(p.keyFile, p.publicKeyFile, p.origin));
  return signers.get(id)!;
}

type TDeps = { db: Db; clock: Clock; log: Logger; config: TConfig };

/**
 * Seals what is committed, then signs the tree head as checkpoint n + 1 — unless nothing was sealed
 * since checkpoint n. Before signing it proves (RFC 6962 consistency proof) that the tree extends
 * the last checkpoint, found in the file or the database, whichever is later: a log must never sign
 * two views of its history (C2SP tlog-checkpoint). The checkpoint is stored, planned for every
 * webhook subscribed to AUDIT_CHECKPOINT, and appended to the checkpoint file after commit.
 */
export async function publishCheckpoint(deps: TDeps): Promise<TCheckpoint | null> {
  const paths = auditPaths(deps.config);
  const signer = signerFor(deps.config);
  await sealAll(deps.db, deps.clock);
  const made = await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK}::bigint)`;
    const head = await latestTreeHead(tx);
    if (head.size === 0) return null;
    if ((await rootAt(tx, head.size)).toString('hex') !== head.rootHash) throw new LedgerIntegrityError(`the tree head at ${head.size} entries does not match the stored tree`);
    const last = await lastSigned(tx, signer.key, paths.checkpointFile);
    if (last?.treeSize === head.size) return null;
    if (last) {
      const extendsLast = last.treeSize < head.size && verifyConsistency(last.treeSize, head.size, await consistencyProof(tx, last.treeSize, head.size), Buffer.from(last.rootHash, 'hex'), Buffer.from(head.rootHash, 'hex'));
      if (!extendsLast) throw new LedgerIntegrityError(`the log (${head.size} entries) does not extend checkpoint ${last.number} (${last.treeSize} entries): refusing to sign`);
    }
    const body = { number: (last?.number ?? 0) + 1, treeSize: head.size, rootHash: head.rootHash, time: deps.clock.now().toISOString(), origin: paths.origin };
    const c: TCheckpoint = { ...body, note: signer.sign(checkpointText(body)) };
    await tx.auditCheckpoint.create({ data: { number: c.number, treeSize: c.treeSize, rootHash: c.rootHash, at: new Date(c.time), keyName: signer.key.name, note: c.note } });
    await planWebhooks(tx, 'AUDIT_CHECKPOINT', {
      event: 'AUDIT_CHECKPOINT', occurredAt: c.time, sampleId: null, caseId: null,
      title: `Audit checkpoint ${c.number}: ${c.treeSize} entries`, data: { ...c, publicKey: signer.vkey },
    }, `AUDIT_CHECKPOINT:${c.number}`);
    return c;
  }, { timeout: 60_000, maxWait: 30_000 });
  await copyToFile(deps.db, signer.key, paths.checkpointFile);
  if (made) deps.log.info({ checkpoint: made.number, treeSize: made.treeSize }, 'audit checkpoint signed');
  return made;
}

/** The latest checkpoint this key signed, from the database or the file, whichever is later. */
async function lastSigned(tx: Tx, key: TNoteKey, file: string): Promise<TCheckpoint | null> {
  const row = await tx.auditCheckpoint.findFirst({ orderBy: { number: 'desc' } });
  const fromDb = row ? parseCheckpoint(row.note, key) : null;
  if (row && !fromDb) throw new LedgerIntegrityError(`checkpoint ${row.number} in the database is not signed by this key`);
  const tail = lastInFile(file);
  const fromFile = tail?.note ? parseCheckpoint(tail.note, key) : null;
  if (tail && !fromFile) throw new LedgerIntegrityError(`the last line of ${file} is not a checkpoint signed by this key`);
  return [fromDb, fromFile].filter((c): c is TCheckpoint => !!c).sort((a, b) => b.number - a.number)[0] ?? null;
}

/** Appends to the file every signed checkpoint it lacks (also those a crash kept from it before). */
async function copyToFile(db: Db, key: TNoteKey, file: string): Promise<void> {
  const rows = await db.auditCheckpoint.findMany({ where: { number: { gt: lastInFile(file)?.number ?? 0 } }, orderBy: { number: 'asc' } });
  appendCheckpoints(file, rows.map((r) => parseCheckpoint(r.note, key)).filter((c): c is TCheckpoint => !!c));
}

export const checkpointJob: JobHandler<'checkpoint'> = async (_payload, ctx) => {
  await publishCheckpoint(ctx);
};

/** One scheduler per deployment (upserted by id), retried in the background until the queue answers. */
export function scheduleCheckpoints(kit: QueueKit, everyMs: number, log: Logger): () => void {
  return keepTrying(() => kit.queue('audit').upsertJobScheduler('audit-checkpoint', { every: everyMs }, { name: 'checkpoint', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } }), log, 'checkpoint scheduler');
}
