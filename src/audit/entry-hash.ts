import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** What an entry says, as stored: the fields every hash covers. */
export type TEntryFields = {
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

/** The evidence record whose chain an entry extends, and the entry's place in it (1, 2, 3…). */
export type TChainLink = { chainType: string; chainId: string; chainSeq: number; prevHash: string };

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Format 2: the entry's content, its record and place in that record's chain, and the previous
 * entry's hash in that chain. Its place in the global log is not hashed here: the Merkle tree
 * (leaf = SHA-256(0x00 || this hash)) fixes that once the entry is sealed.
 */
export function entryHash(e: TEntryFields & TChainLink): string {
  return sha256hex(canonicalJson({
    v: 2, at: e.at.toISOString(), actorId: e.actorId, actorRole: e.actorRole, action: e.action, entityType: e.entityType,
    entityId: e.entityId, before: e.before, after: e.after, chain: { type: e.chainType, id: e.chainId, n: e.chainSeq }, prevHash: e.prevHash,
  }));
}

/**
 * Format 1, for entries written before per-record chains: SHA-256(previous entry's hash + "\n" +
 * canonical JSON), in one chain over the whole log, numbered by `seq` (now the entry's id).
 */
export function legacyEntryHash(prevHash: string, e: TEntryFields & { seq: bigint }): string {
  const body = canonicalJson({
    seq: e.seq.toString(), at: e.at.toISOString(), actorId: e.actorId, actorRole: e.actorRole, action: e.action,
    entityType: e.entityType, entityId: e.entityId, before: e.before, after: e.after,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The bytes a leaf hashes: the 32 bytes of a well-formed hash, else the stored text itself, so that
 * a malformed (tampered) hash still gets a leaf and is reported rather than stopping the sealer.
 * The audit_ledger migration applies the same rule in SQL.
 */
export function hashBytes(hash: string): Buffer {
  return /^[0-9a-f]{64}$/.test(hash) ? Buffer.from(hash, 'hex') : Buffer.from(hash, 'utf8');
}

/** Entity types recorded about one sample: their entries join the sample's own chain. */
const SAMPLE_PARTS = new Set(['CustodyEvent', 'Test', 'Classification', 'Review', 'SampleFile']);

/**
 * The record an entry belongs to. A sample's story — registration, every status, custody hand-off,
 * attached file, test, classification and review — is one chain, so it can be read and checked on
 * its own; other records (seizures, exhibits, observables, operations, cases, users, webhooks,
 * libraries, ports, notifications) each have theirs.
 */
export function chainOf(e: { entityType: string; entityId: string; before?: unknown; after?: unknown }): { type: string; id: string } {
  if (SAMPLE_PARTS.has(e.entityType)) {
    const sampleId = [e.after, e.before].map((v) => (v && typeof v === 'object' ? (v as { sampleId?: unknown }).sampleId : undefined)).find((v) => typeof v === 'string');
    if (sampleId) return { type: 'Sample', id: sampleId as string };
  }
  return { type: e.entityType, id: e.entityId };
}
