import type { Db, Tx } from '../lib/db.ts';
import { consistencyRanges, EMPTY_ROOT, inclusionRanges, perfectPieces, rangeHash, type TNodeId, type TRange } from './merkle.ts';

type Q = Db | Tx;

export type TTreeHead = { size: number; rootHash: string; sealedAt: Date; frontier: bigint };

/** The tree after the latest sealing round (size 0 before anything was sealed). */
export async function latestTreeHead(db: Q): Promise<TTreeHead> {
  const rows = await db.$queryRaw<{ size: bigint; rootHash: string; sealedAt: Date; frontier: bigint }[]>`
    SELECT size, "rootHash", "sealedAt", frontier FROM "AuditTreeHead" ORDER BY size DESC LIMIT 1`;
  const r = rows[0];
  return r ? { size: Number(r.size), rootHash: r.rootHash, sealedAt: r.sealedAt, frontier: r.frontier } : { size: 0, rootHash: EMPTY_ROOT.toString('hex'), sealedAt: new Date(0), frontier: 0n };
}

const key = (id: TNodeId) => `${id.level}/${id.index}`;

/** Stored hashes of perfect subtrees: level 0 are the leaves, the rest AuditNode. A missing one is an error. */
export async function nodeHashes(db: Q, ids: TNodeId[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const leaves = ids.filter((i) => i.level === 0).map((i) => String(i.index + 1));
  const inner = ids.filter((i) => i.level > 0);
  if (leaves.length) {
    const rows = await db.$queryRaw<{ seq: bigint; leafHash: string }[]>`
      SELECT seq, "leafHash" FROM "AuditLeaf" WHERE seq = ANY(${leaves}::bigint[])`;
    for (const r of rows) out.set(key({ level: 0, index: Number(r.seq) - 1 }), Buffer.from(r.leafHash, 'hex'));
  }
  if (inner.length) {
    const rows = await db.$queryRaw<{ level: number; idx: bigint; hash: string }[]>`
      SELECT n.level, n.idx, n.hash FROM "AuditNode" n
      JOIN unnest(${inner.map((i) => i.level)}::smallint[], ${inner.map((i) => String(i.index))}::bigint[]) AS w(level, idx)
        ON n.level = w.level AND n.idx = w.idx`;
    for (const r of rows) out.set(key({ level: r.level, index: Number(r.idx) }), Buffer.from(r.hash, 'hex'));
  }
  for (const id of ids) if (!out.has(key(id))) throw new Error(`the audit tree lacks node ${key(id)}`);
  return out;
}

/** MTH of each range, from the stored perfect subtrees, in one round trip per kind. */
export async function rangeHashes(db: Q, ranges: TRange[]): Promise<Buffer[]> {
  const ids = ranges.flatMap(perfectPieces);
  const nodes = await nodeHashes(db, ids);
  return ranges.map((r) => rangeHash(r, (id) => nodes.get(key(id))!));
}

/** The root of the tree's first `size` leaves (any size up to the sealed one). */
export async function rootAt(db: Q, size: number): Promise<Buffer> {
  return size === 0 ? EMPTY_ROOT : (await rangeHashes(db, [{ start: 0, end: size }]))[0]!;
}

/** RFC 6962 inclusion proof of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(db: Q, index: number, size: number): Promise<Buffer[]> {
  return rangeHashes(db, inclusionRanges(index, size));
}

/** RFC 6962 consistency proof from the tree of `from` leaves to the tree of `to` leaves. */
export async function consistencyProof(db: Q, from: number, to: number): Promise<Buffer[]> {
  return from === to ? [] : rangeHashes(db, consistencyRanges(from, to));
}
