import { createHash } from 'node:crypto';
import type { Tx } from '../lib/db.ts';
import { canonicalJson, toPlainJson } from './canonical.ts';

export type Actor = { id: string; role: string } | null;

export type TAuditInput = {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

export const GENESIS_HASH = '0'.repeat(64);

/** Any session's audit writers take this lock, so the chain has one tail and no gaps. */
const AUDIT_LOCK_KEY = 7_424_001;

export type TAuditHashed = {
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

/** Each hash covers the previous hash and the canonical form of the entry (21 CFR 11.10(e)). */
export function entryHash(prevHash: string, e: TAuditHashed): string {
  // Named fields only: a row read back carries prevHash and hash too, which the hash cannot cover.
  const body = canonicalJson({
    seq: e.seq.toString(), at: e.at.toISOString(), actorId: e.actorId, actorRole: e.actorRole, action: e.action,
    entityType: e.entityType, entityId: e.entityId, before: e.before, after: e.after,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one audit entry inside the caller's transaction: it commits or vanishes with the change
 * it describes. The advisory lock is held until that transaction ends.
 */
export async function appendAudit(tx: Tx, input: TAuditInput, at: Date = new Date()): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
  const tail = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditEntry" ORDER BY seq DESC LIMIT 1`;
  const prevHash = tail[0]?.hash ?? GENESIS_HASH;
  const entry: TAuditHashed = {
    seq: (tail[0]?.seq ?? 0n) + 1n,
    at: new Date(at.getTime()),
    actorId: input.actor?.id ?? null,
    actorRole: input.actor?.role ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: toPlainJson(input.before),
    after: toPlainJson(input.after),
  };
  const hash = entryHash(prevHash, entry);
  await tx.$executeRaw`
    INSERT INTO "AuditEntry" (seq, at, "actorId", "actorRole", action, "entityType", "entityId", before, after, "prevHash", hash)
    VALUES (${entry.seq}, ${entry.at}, ${entry.actorId}::uuid, ${entry.actorRole}, ${entry.action}, ${entry.entityType},
            ${entry.entityId}, ${JSON.stringify(entry.before)}::jsonb, ${JSON.stringify(entry.after)}::jsonb, ${prevHash}, ${hash})`;
}
