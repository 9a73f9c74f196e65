import { Prisma, type Db, type Tx } from '../lib/db.ts';
import { chainOf, entryHash, GENESIS_HASH, hashBytes, legacyEntryHash } from './entry-hash.ts';
import { CompactRange, hashLeaf } from './merkle.ts';
import { latestTreeHead } from './tree.repository.ts';
import type { TCheckpointSet, TProblem } from './verify-checkpoints.ts';

export type { TProblem };

export type TVerifyResult = {
  ok: boolean;
  /** Sealed entries read and checked. */
  entries: number;
  firstBadSeq: number | null;
  reason: string | null;
  /** The last sealed entry. */
  head: { seq: number; hash: string } | null;
  tree: { size: number; rootHash: string };
  /** Records whose chains were checked, and entries from before per-record chains. */
  records: number;
  legacy: number;
  /** Committed entries still waiting for the sealer. */
  pending: number;
  checkpoints: { checked: number; signaturesChecked: boolean; latest: { number: number; treeSize: number; time: string } | null };
  problems: TProblem[];
};

type TRow = {
  seq: bigint; leafHash: string; sealedPrev: string; sealedHash: string; chainType: string | null; chainId: string | null; chainSeq: number | null;
  id: bigint | null; v: number; at: Date; actorId: string | null; actorRole: string | null; action: string; entityType: string; entityId: string;
  before: unknown; after: unknown; prevHash: string | null; hash: string | null;
};

type TWalkState = { chains: Map<string, { n: number; hash: string }>; legacy: { count: number; hash: string }; sawChained: boolean };

const BATCH = 5_000;
const MAX_PROBLEMS = 50;

/**
 * Reads the sealed log in order, in one consistent snapshot, and checks everything it can without
 * trusting a stored hash: each entry against its content, each record's chain, the old single chain,
 * the Merkle tree rebuilt from the entries, and every signed checkpoint against that tree — a
 * checkpoint the log no longer reproduces means history was changed since it was signed, whoever
 * recomputed which hashes.
 */
export async function verifyAuditLog(db: Db, signed: TCheckpointSet): Promise<TVerifyResult> {
  return db.$transaction((tx) => walk(tx, signed), { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 30 * 60_000, maxWait: 30_000 });
}

async function walk(tx: Tx, signed: TCheckpointSet): Promise<TVerifyResult> {
  const problems: TProblem[] = [...signed.problems];
  const report = (p: TProblem) => void (problems.length < MAX_PROBLEMS && problems.push(p));
  const checkpoints = [...signed.checkpoints].sort((a, b) => a.treeSize - b.treeSize || a.number - b.number);
  const storedHead = await latestTreeHead(tx);
  const range = CompactRange.empty();
  const state: TWalkState = { chains: new Map(), legacy: { count: 0, hash: GENESIS_HASH }, sawChained: false };
  let next = 1;
  let last: { seq: number; hash: string } | null = null;
  let cp = 0;
  let vouched = 0; // entries covered by the last checkpoint found intact
  let brokenCheckpoint = false;

  for (;;) {
    const rows = await tx.$queryRaw<TRow[]>`
      SELECT l.seq, l."leafHash", l."prevHash" AS "sealedPrev", l.hash AS "sealedHash", l."chainType", l."chainId", l."chainSeq",
             e.id, e.v, e.at, e."actorId"::text AS "actorId", e."actorRole", e.action, e."entityType", e."entityId", e.before, e.after, e."prevHash", e.hash
      FROM "AuditLeaf" l LEFT JOIN "AuditEntry" e ON e.id = l."entryId"
      WHERE l.seq >= ${next} ORDER BY l.seq LIMIT ${BATCH}`;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== next) report({ kind: 'missing', seq: next, message: seq === next + 1 ? `entry ${next} is missing` : `entries ${next}–${seq - 1} are missing` });
      next = seq + 1;
      let leaf = Buffer.from(r.leafHash, 'hex');
      if (!leaf.equals(hashLeaf(hashBytes(r.sealedHash)))) report({ kind: 'leaf', seq, message: `the log's leaf ${seq} does not match the hash it records` });
      if (r.id === null) report({ kind: 'missing', seq, message: `entry ${seq} is missing (its place in the log remains)` });
      else {
        const recomputed = checkEntry(state, r, seq, report);
        if (recomputed !== r.sealedHash) report({ kind: 'changed', seq, message: `entry ${seq} differs from what was hashed` });
        leaf = hashLeaf(hashBytes(recomputed));
        last = { seq, hash: r.sealedHash };
      }
      range.append(leaf);
      if (range.size === storedHead.size && range.root().toString('hex') !== storedHead.rootHash) {
        report({ kind: 'head', seq: null, message: `the stored tree head (${storedHead.size} entries) does not match the entries` });
      }
      for (; cp < checkpoints.length && checkpoints[cp]!.treeSize === range.size; cp++) {
        const c = checkpoints[cp]!;
        if (range.root().toString('hex') === c.rootHash) {
          if (!brokenCheckpoint) vouched = c.treeSize;
        } else if (!brokenCheckpoint) {
          brokenCheckpoint = true;
          report({ kind: 'checkpoint', seq: vouched + 1, checkpoint: c.number, message: `checkpoint ${c.number} (${c.time}, ${c.treeSize} entries) no longer matches the log: an entry among ${vouched + 1}–${c.treeSize} was changed, removed, reordered or inserted after it was signed` });
        }
      }
    }
    if (rows.length < BATCH) break;
  }
  const size = range.size;
  const beyond = checkpoints.filter((c) => c.treeSize > size).at(-1);
  if (beyond) {
    const n = beyond.treeSize - size;
    report({
      kind: 'truncated', seq: size + 1, checkpoint: beyond.number,
      message: `${n} ${n === 1 ? 'entry' : 'entries'} after checkpoint ${beyond.number} ${n === 1 ? 'is' : 'are'} missing: it vouches for ${beyond.treeSize} entries (${beyond.time}), the log holds ${size}${vouched ? `; entries 1–${vouched} match the checkpoints` : ''}`,
    });
  }
  if (storedHead.size > size) report({ kind: 'truncated', seq: size + 1, message: `the stored tree head says ${storedHead.size} entries, the log holds ${size}` });

  const [pending] = await tx.$queryRaw<{ pending: number; stranded: number }[]>`
    SELECT count(*)::int AS pending, count(*) FILTER (WHERE e.txid IS NULL OR e.txid < ${storedHead.frontier})::int AS stranded
    FROM "AuditEntry" e WHERE NOT EXISTS (SELECT 1 FROM "AuditLeaf" l WHERE l."entryId" = e.id)`;
  if (pending!.stranded) report({ kind: 'unsealed', seq: null, message: `${pending!.stranded} entries can never be sealed (they claim a transaction the sealer has passed)` });

  const withSeq = problems.filter((p) => p.seq !== null).map((p) => p.seq!);
  const latest = signed.checkpoints.at(-1);
  return {
    ok: problems.length === 0,
    entries: size,
    firstBadSeq: withSeq.length ? Math.min(...withSeq) : null,
    reason: problems[0]?.message ?? null,
    head: last,
    tree: { size, rootHash: range.root().toString('hex') },
    records: state.chains.size,
    legacy: state.legacy.count,
    pending: pending!.pending,
    checkpoints: { checked: signed.checkpoints.length, signaturesChecked: signed.signaturesChecked, latest: latest ? { number: latest.number, treeSize: latest.treeSize, time: latest.time } : null },
    problems,
  };
}

/**
 * Checks one sealed entry against the rule it was written under and returns its hash recomputed
 * from its content. Format 1: one chain over the whole log, before any newer entry. Format 2: the
 * next number in its record's chain, linked to that record's previous entry, filed under the record
 * its content is about.
 */
function checkEntry(state: TWalkState, r: TRow, seq: number, report: (p: TProblem) => void): string {
  const fields = { at: r.at, actorId: r.actorId, actorRole: r.actorRole, action: r.action, entityType: r.entityType, entityId: r.entityId, before: r.before ?? null, after: r.after ?? null };
  if (r.v === 1) {
    const recomputed = legacyEntryHash(state.legacy.hash, { ...fields, seq: r.id! });
    if (state.sawChained) report({ kind: 'order', seq, message: `entry ${seq}, written before per-record chains, comes after newer entries` });
    if (r.prevHash !== state.legacy.hash || r.sealedPrev !== r.prevHash || r.sealedHash !== r.hash) report({ kind: 'unlinked', seq, message: `entry ${seq} does not link to the previous entry's hash` });
    state.legacy = { count: state.legacy.count + 1, hash: r.hash ?? '' };
    return recomputed;
  }
  state.sawChained = true;
  const chain = chainOf(fields);
  const key = `${chain.type}/${chain.id}`;
  const before = state.chains.get(key) ?? { n: 0, hash: GENESIS_HASH };
  if (r.chainType !== chain.type || r.chainId !== chain.id) report({ kind: 'changed', seq, message: `entry ${seq} is filed under another record than the one it is about` });
  else if (r.chainSeq !== before.n + 1) {
    report(r.chainSeq !== null && r.chainSeq <= before.n
      ? { kind: 'order', seq, message: `entry ${seq} is number ${r.chainSeq} of ${key}, which already had ${before.n} entries before it` }
      : { kind: 'missing', seq, message: `${key} lacks its entries ${before.n + 1}–${(r.chainSeq ?? 0) - 1} before entry ${seq}` });
  } else if (r.sealedPrev !== before.hash) report({ kind: 'unlinked', seq, message: `entry ${seq} does not link to the previous entry of ${key}` });
  state.chains.set(key, { n: Math.max(before.n, r.chainSeq ?? 0), hash: r.sealedHash });
  return entryHash({ ...fields, chainType: chain.type, chainId: chain.id, chainSeq: r.chainSeq ?? 0, prevHash: r.sealedPrev });
}
