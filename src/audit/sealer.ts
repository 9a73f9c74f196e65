import type { Clock } from '../lib/clock.ts';
import type { Db, Tx } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { chainOf, entryHash, GENESIS_HASH, type TEntryFields } from './entry-hash.ts';
import { CompactRange, edgeIds, hashLeaf } from './merkle.ts';
import { latestTreeHead, nodeHashes } from './tree.repository.ts';

/** Only one sealer at a time, whichever process runs it: a try-lock, never waited on by writers. */
const SEALER_LOCK = 7_424_002;
export const SEAL_BATCH = 1000;

type TCandidate = TEntryFields & { horizon: bigint; id: bigint | null };
type TLeaf = { seq: number; entryId: bigint; chainType: string; chainId: string; chainSeq: number; prevHash: string; hash: string; leafHash: string };

/**
 * One sealing round: gives every committed, unsealed entry its place in the global log, in insertion
 * order, hashes it into its record's chain (content, record, number there, previous hash of that
 * record), and extends the Merkle tree: leaves, each perfect subtree completed, the new tree head.
 * Returns how many entries it sealed (null when another process holds the sealer).
 *
 * Which entries can still appear? Each entry carries its transaction id. Every transaction below
 * the snapshot's xmin has finished, so once a round has sealed every visible entry from `frontier`
 * on, the next round can start at that xmin: nothing older will ever turn up. Writers never wait for
 * the sealer, nor the sealer for writers. A sample's entries are sealed in the order they happened:
 * its writers hold its row lock, so a later one inserts (and takes a higher id) only after the
 * earlier one committed, and both are then visible to the same round or the later one's.
 */
export async function sealPending(db: Db, clock: Clock, batch = SEAL_BATCH): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const lock = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}::bigint) AS locked`;
    if (!lock[0]?.locked) return null;
    const head = await latestTreeHead(tx);
    const rows = await tx.$queryRaw<TCandidate[]>`
      WITH h AS (SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS horizon)
      SELECT h.horizon, c.* FROM h LEFT JOIN LATERAL (
        SELECT e.id, e.at, e."actorId"::text AS "actorId", e."actorRole", e.action, e."entityType", e."entityId", e.before, e.after
        FROM "AuditEntry" e
        WHERE e.txid >= ${head.frontier} AND NOT EXISTS (SELECT 1 FROM "AuditLeaf" l WHERE l."entryId" = e.id)
        ORDER BY e.id LIMIT ${batch}) c ON true`;
    const entries = rows.filter((r) => r.id !== null);
    if (!entries.length) return 0;
    const tails = await chainTails(tx, entries.map((e) => chainOf(e)));
    const range = await resumeRange(tx, head.size);
    const leaves: TLeaf[] = [];
    const nodes: { level: number; index: number; hash: string }[] = [];
    for (const e of entries) {
      const chain = chainOf(e);
      const key = `${chain.type}/${chain.id}`;
      const tail = tails.get(key) ?? { n: 0, hash: GENESIS_HASH };
      const fields: TEntryFields = { at: e.at, actorId: e.actorId, actorRole: e.actorRole, action: e.action, entityType: e.entityType, entityId: e.entityId, before: e.before ?? null, after: e.after ?? null };
      const hash = entryHash({ ...fields, chainType: chain.type, chainId: chain.id, chainSeq: tail.n + 1, prevHash: tail.hash });
      tails.set(key, { n: tail.n + 1, hash });
      const leafHash = hashLeaf(Buffer.from(hash, 'hex'));
      leaves.push({ seq: range.size + 1, entryId: e.id!, chainType: chain.type, chainId: chain.id, chainSeq: tail.n + 1, prevHash: tail.hash, hash, leafHash: leafHash.toString('hex') });
      for (const n of range.append(leafHash)) nodes.push({ level: n.level, index: n.index, hash: n.hash.toString('hex') });
    }
    const now = clock.now();
    const col = <K extends keyof TLeaf>(k: K) => leaves.map((l) => (typeof l[k] === 'string' ? l[k] : String(l[k])));
    await tx.$executeRaw`
      INSERT INTO "AuditLeaf" (seq, "entryId", "chainType", "chainId", "chainSeq", "prevHash", hash, "leafHash", "sealedAt")
      SELECT s, e, ct, ci, cs, p, h, lh, ${now} FROM unnest(${col('seq')}::bigint[], ${col('entryId')}::bigint[], ${col('chainType')}::text[], ${col('chainId')}::text[],
        ${col('chainSeq')}::int[], ${col('prevHash')}::text[], ${col('hash')}::text[], ${col('leafHash')}::text[]) AS t(s, e, ct, ci, cs, p, h, lh)`;
    if (nodes.length) {
      await tx.$executeRaw`
        INSERT INTO "AuditNode" (level, idx, hash)
        SELECT l, i, h FROM unnest(${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => String(n.index))}::bigint[], ${nodes.map((n) => n.hash)}::text[]) AS t(l, i, h)`;
    }
    const frontier = entries.length < batch ? rows[0]!.horizon : head.frontier;
    await tx.$executeRaw`
      INSERT INTO "AuditTreeHead" (size, "rootHash", "sealedAt", frontier) VALUES (${range.size}, ${range.root().toString('hex')}, ${now}, ${frontier})`;
    return entries.length;
  }, { timeout: 120_000, maxWait: 30_000 });
}

/** The last sealed entry (number and hash) of each record, where it has one. */
async function chainTails(tx: Tx, chains: { type: string; id: string }[]): Promise<Map<string, { n: number; hash: string }>> {
  const unique = [...new Map(chains.map((c) => [`${c.type}/${c.id}`, c])).values()];
  const rows = await tx.$queryRaw<{ t: string; i: string; n: number; hash: string }[]>`
    SELECT k.t, k.i, l."chainSeq" AS n, l.hash FROM unnest(${unique.map((c) => c.type)}::text[], ${unique.map((c) => c.id)}::text[]) AS k(t, i)
    JOIN LATERAL (SELECT "chainSeq", hash FROM "AuditLeaf" WHERE "chainType" = k.t AND "chainId" = k.i ORDER BY "chainSeq" DESC LIMIT 1) l ON true`;
  return new Map(rows.map((r) => [`${r.t}/${r.i}`, { n: r.n, hash: r.hash }]));
}

/** The right edge of the sealed tree, read back from storage. */
async function resumeRange(tx: Tx, size: number): Promise<CompactRange> {
  if (size === 0) return CompactRange.empty();
  const ids = edgeIds(size);
  const hashes = await nodeHashes(tx, ids);
  return CompactRange.resume(size, ids.map((id) => hashes.get(`${id.level}/${id.index}`)!));
}

/** Seals until nothing committed is left unsealed (or another process is sealing). */
export async function sealAll(db: Db, clock: Clock): Promise<void> {
  for (;;) {
    const n = await sealPending(db, clock);
    if (n === null || n < SEAL_BATCH) return;
  }
}

export type Sealer = { stop(): Promise<void> };

/**
 * Seals every `everyMs` in the background (worker processes). Entries wait at most that long for
 * their place in the log; failures are logged and retried on the next tick.
 */
export function startSealer(db: Db, clock: Clock, log: Logger, everyMs: number): Sealer {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= sealAll(db, clock)
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'audit sealing failed; retrying'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
