import { Prisma, type Tx } from '../lib/db.ts';
import { toPlainJson } from './canonical.ts';

export { GENESIS_HASH } from './entry-hash.ts';

export type Actor = { id: string; role: string } | null;

export type TAuditInput = {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/**
 * Appends one audit entry inside the caller's transaction: it commits or vanishes with the change
 * it describes. One INSERT and no lock, so audited writes run side by side: the entry's place in the
 * log, its hash and its link to the previous entry of its record are given by the sealer once the
 * transaction has committed (sealer.ts), and signed in the next checkpoint.
 */
export async function appendAudit(tx: Tx, input: TAuditInput, at: Date = new Date()): Promise<void> {
  await tx.$executeRaw(auditInsert(input, at));
}

/**
 * The INSERT of one audit entry, for a caller that sends it in one statement with the change it
 * describes (a data-modifying WITH clause): one round trip instead of two, same transaction.
 */
export function auditInsert(input: TAuditInput, at: Date): Prisma.Sql {
  return auditInsertSelect(input, at, Prisma.sql`${JSON.stringify(toPlainJson(input.after))}::jsonb`);
}

/**
 * The same INSERT with an `after` the statement computes (`after`, an SQL expression over `from`,
 * e.g. a row another part of a data-modifying WITH clause returned).
 */
export function auditInsertSelect(input: Omit<TAuditInput, 'after'>, at: Date, after: Prisma.Sql, from?: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "AuditEntry" (v, at, "actorId", "actorRole", action, "entityType", "entityId", before, after)
    SELECT 2, ${new Date(at.getTime())}, ${input.actor?.id ?? null}::uuid, ${input.actor?.role ?? null}, ${input.action}, ${input.entityType},
           ${input.entityId}, ${JSON.stringify(toPlainJson(input.before))}::jsonb, ${after}
    ${from ? Prisma.sql`FROM ${from}` : Prisma.empty}`;
}
