import type { Db } from '../lib/db.ts';
import { entryHash, GENESIS_HASH } from './audit.ts';

export type TVerifyResult = { ok: boolean; entries: number; firstBadSeq: number | null; reason: string | null; head: { seq: number; hash: string } | null };

type TRow = {
  seq: bigint; at: Date; actorId: string | null; actorRole: string | null; action: string; entityType: string; entityId: string;
  before: unknown; after: unknown; prevHash: string; hash: string;
};

const BATCH = 5_000;

/**
 * Walks the whole chain in sequence order and recomputes every hash. The first entry that is missing
 * (a gap), re-linked (prevHash differs from the previous hash) or changed (hash differs from its
 * content) is reported; nothing after it can be trusted.
 */
export async function verifyAuditChain(db: Db): Promise<TVerifyResult> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    const rows = await db.$queryRaw<TRow[]>`
      SELECT seq, at, "actorId"::text AS "actorId", "actorRole", action, "entityType", "entityId", before, after, "prevHash", hash
      FROM "AuditEntry" WHERE seq >= ${expectedSeq} ORDER BY seq LIMIT ${BATCH}`;
    for (const r of rows) {
      const bad = (reason: string): TVerifyResult => ({ ok: false, entries, firstBadSeq: Number(expectedSeq), reason, head: null });
      if (r.seq !== expectedSeq) return bad(`entry ${expectedSeq} is missing`);
      if (r.prevHash !== prevHash) return bad(`entry ${r.seq} does not link to the previous entry's hash`);
      const recomputed = entryHash(prevHash, { ...r, before: r.before ?? null, after: r.after ?? null });
      if (recomputed !== r.hash) return bad(`entry ${r.seq} differs from what was hashed`);
      prevHash = r.hash;
      expectedSeq += 1n;
      entries += 1;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, entries, firstBadSeq: null, reason: null, head: entries ? { seq: Number(expectedSeq - 1n), hash: prevHash } : null };
}
