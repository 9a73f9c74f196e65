import type { Tx } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';

type TSeizureRef = { id: string; portCode: string; seizedAt: Date };

/**
 * Tags a seizure to operations: those named at registration (REGISTRATION) and those whose rule —
 * one of its ports, seized on or between its dates — takes it (RULE). Repeats change nothing.
 */
/** Returns how many operations took the seizure. */
export async function tagSeizure(tx: Tx, s: TSeizureRef, named: string[], userId: string | null, now: Date): Promise<number> {
  if (named.length) {
    const found = await tx.operation.findMany({ where: { id: { in: named } }, select: { id: true } });
    if (found.length !== new Set(named).size) throw new AppError('VALIDATION_FAILED', 'Unknown operation', [{ path: 'body.operationIds', message: 'no operation with this id' }]);
    for (const id of new Set(named)) await insertTag(tx, id, s.id, 'REGISTRATION', userId, now);
  }
  const byRule = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Operation"
    WHERE ${s.portCode} = ANY("portCodes") AND "startsOn" <= ${s.seizedAt}::date AND ("endsOn" IS NULL OR "endsOn" >= ${s.seizedAt}::date)`;
  for (const { id } of byRule) await insertTag(tx, id, s.id, 'RULE', null, now);
  return new Set([...named, ...byRule.map((r) => r.id)]).size;
}

export async function insertTag(tx: Tx, operationId: string, seizureId: string, by: 'REGISTRATION' | 'MANUAL' | 'RULE', userId: string | null, now: Date): Promise<boolean> {
  const n = await tx.$executeRaw`
    INSERT INTO "OperationSeizure" ("operationId", "seizureId", "taggedBy", "taggedById", "taggedAt")
    VALUES (${operationId}::uuid, ${seizureId}::uuid, ${by}, ${userId}::uuid, ${now})
    ON CONFLICT DO NOTHING`;
  return n > 0;
}

/** A new operation takes the seizures its rule covers that were registered before it existed. */
export async function tagByRule(tx: Tx, op: { id: string; portCodes: string[]; startsOn: Date; endsOn: Date | null }, now: Date): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "OperationSeizure" ("operationId", "seizureId", "taggedBy", "taggedById", "taggedAt")
    SELECT ${op.id}::uuid, s.id, 'RULE', NULL, ${now} FROM "Seizure" s
    WHERE s."portCode" = ANY(${op.portCodes}::text[]) AND s."seizedAt" >= ${op.startsOn}::date
      AND (${op.endsOn}::date IS NULL OR s."seizedAt" < ${op.endsOn}::date + 1)
    ON CONFLICT DO NOTHING`;
}
