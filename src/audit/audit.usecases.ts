import type { TConfig } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { auditPaths } from './audit-config.ts';
import { verifierKeyFor } from './checkpoint-key.ts';
import { vkeyOf } from './signed-note.ts';
import { consistencyProof, inclusionProof, latestTreeHead, rootAt } from './tree.repository.ts';
import { loadCheckpoints } from './verify-checkpoints.ts';
import { verifyAuditLog } from './verify.ts';

const LEAF_FIELDS = { seq: true, sealedAt: true, chainType: true, chainId: true, chainSeq: true, prevHash: true, hash: true } as const;

type TEntryRow = {
  at: Date; actorId: string | null; actorRole: string | null; action: string; entityType: string; entityId: string; before: unknown; after: unknown;
  prevHash: string | null; hash: string | null;
  leaf: { seq: bigint; sealedAt: Date; chainType: string | null; chainId: string | null; chainSeq: number | null; prevHash: string; hash: string } | null;
};

/**
 * An entry as the API shows it. `seq` is its place in the sealed log; `record` the chain it extends
 * and its number there; `prevHash` the previous entry of that record (for entries from before
 * per-record chains: of the whole log). Between commit and sealing (under a second) an entry has
 * no `seq`, `hash` or `prevHash` yet: they are null.
 */
export function entryView(e: TEntryRow) {
  return {
    seq: e.leaf ? Number(e.leaf.seq) : null,
    at: e.at.toISOString(),
    actorId: e.actorId, actorRole: e.actorRole, action: e.action, entityType: e.entityType, entityId: e.entityId,
    before: e.before, after: e.after,
    hash: e.leaf?.hash ?? e.hash, prevHash: e.leaf?.prevHash ?? e.prevHash,
    record: e.leaf?.chainType ? { type: e.leaf.chainType, id: e.leaf.chainId, n: e.leaf.chainSeq } : null,
    sealedAt: e.leaf?.sealedAt.toISOString() ?? null,
  };
}

export async function listEntries(db: Db, q: { entityType?: string; entityId?: string; actorId?: string; recordType?: string; recordId?: string; limit: number; cursor?: string }) {
  const rows = await db.auditEntry.findMany({
    where: {
      ...(q.entityType ? { entityType: q.entityType } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.recordType || q.recordId ? { leaf: { ...(q.recordType ? { chainType: q.recordType } : {}), ...(q.recordId ? { chainId: q.recordId } : {}) } } : {}),
      ...(q.cursor ? { id: { gt: BigInt(q.cursor) } } : {}),
    },
    include: { leaf: { select: LEAF_FIELDS } },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map(entryView), nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
}

const signedKey = (config: TConfig) => verifierKeyFor(auditPaths(config), auditPaths(config).origin);

/** Checks the whole log against the checkpoint file and the stored checkpoints (see verify.ts). */
export async function verifyNow(db: Db, config: TConfig) {
  return verifyAuditLog(db, await loadCheckpoints(db, signedKey(config), auditPaths(config).checkpointFile));
}

export async function listCheckpoints(db: Db, config: TConfig, q: { limit: number; cursor?: string }) {
  const rows = await db.auditCheckpoint.findMany({ where: q.cursor ? { number: { gt: Number(q.cursor) } } : {}, orderBy: { number: 'asc' }, take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const key = signedKey(config);
  return {
    items: page.map((c) => ({ number: c.number, treeSize: Number(c.treeSize), rootHash: c.rootHash, time: c.at.toISOString(), keyName: c.keyName, note: c.note })),
    nextCursor: rows.length > q.limit ? String(page.at(-1)!.number) : null,
    publicKey: key ? vkeyOf(key) : null,
  };
}

/**
 * The inclusion proof of entry `seq` in the tree of `treeSize` entries: by default the first
 * checkpoint that covers it (so the proof ends at a signed root), else the current tree.
 */
export async function proofFor(db: Db, seq: number, treeSize?: number) {
  const leaf = await db.auditLeaf.findUnique({ where: { seq: BigInt(seq) }, include: { entry: { include: { leaf: { select: LEAF_FIELDS } } } } });
  if (!leaf) throw notFound('Sealed audit entry');
  const head = await latestTreeHead(db);
  const checkpoint = treeSize === undefined
    ? await db.auditCheckpoint.findFirst({ where: { treeSize: { gte: BigInt(seq) } }, orderBy: { number: 'asc' } })
    : await db.auditCheckpoint.findFirst({ where: { treeSize: BigInt(treeSize) }, orderBy: { number: 'asc' } });
  const size = treeSize ?? (checkpoint ? Number(checkpoint.treeSize) : head.size);
  if (size < seq || size > head.size) throw new AppError('VALIDATION_FAILED', 'treeSize must cover the entry and not exceed the sealed log', [{ path: 'query.treeSize', message: `between ${seq} and ${head.size}` }]);
  return {
    seq, leafIndex: seq - 1, treeSize: size,
    entry: entryView(leaf.entry),
    leafHash: leaf.leafHash,
    proof: (await inclusionProof(db, seq - 1, size)).map((b) => b.toString('hex')),
    rootHash: (await rootAt(db, size)).toString('hex'),
    checkpoint: checkpoint ? { number: checkpoint.number, treeSize: Number(checkpoint.treeSize), rootHash: checkpoint.rootHash, time: checkpoint.at.toISOString(), note: checkpoint.note } : null,
  };
}

/** RFC 6962 consistency proof between two sizes of the sealed log (e.g. two checkpoints). */
export async function consistencyFor(db: Db, from: number, to: number) {
  const head = await latestTreeHead(db);
  if (!(from >= 1 && from <= to && to <= head.size)) throw new AppError('VALIDATION_FAILED', 'need 1 ≤ from ≤ to ≤ the sealed log', [{ path: 'query', message: `the sealed log has ${head.size} entries` }]);
  return {
    from, to,
    fromRoot: (await rootAt(db, from)).toString('hex'),
    toRoot: (await rootAt(db, to)).toString('hex'),
    proof: (await consistencyProof(db, from, to)).map((b) => b.toString('hex')),
  };
}
