import { z } from 'zod';
import type { Db, Tx } from '../lib/db.ts';
import type { TFieldChange } from './corrections.schemas.ts';

export type TEntityType = 'Sample' | 'Seizure';

/** One reason-logged correction: the fields it changed, who, when and why. */
export type TCorrection = {
  id: string;
  entityType: TEntityType;
  entityId: string;
  reason: string;
  statusAt: string | null;
  correctedBy: string;
  correctedByName: string | null;
  correctedAt: Date;
  changes: TFieldChange[];
};

/** Stored values are JSON: numbers, strings, booleans or null (a cleared value). */
const ZValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** Writes one correction's fields (append-only rows sharing the batch id). */
export async function insertCorrection(tx: Tx, c: Omit<TCorrection, 'correctedByName'>): Promise<void> {
  await tx.fieldCorrection.createMany({
    data: c.changes.map((ch) => ({
      batchId: c.id,
      entityType: c.entityType,
      entityId: c.entityId,
      field: ch.field,
      before: ch.before === null || ch.before === undefined ? undefined : (ch.before as never),
      after: ch.after === null || ch.after === undefined ? undefined : (ch.after as never),
      reason: c.reason,
      statusAt: c.statusAt,
      correctedById: c.correctedBy,
      correctedAt: c.correctedAt,
    })),
  });
}

/** A record's corrections, oldest first, each with its fields and the corrector's name. */
export async function listCorrections(db: Db | Tx, entityType: TEntityType, entityId: string): Promise<TCorrection[]> {
  const rows = await db.fieldCorrection.findMany({ where: { entityType, entityId }, orderBy: [{ correctedAt: 'asc' }, { id: 'asc' }] });
  if (!rows.length) return [];
  const people = new Map((await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.correctedById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const batches = new Map<string, TCorrection>();
  for (const r of rows) {
    const batch = batches.get(r.batchId) ?? {
      id: r.batchId, entityType, entityId, reason: r.reason, statusAt: r.statusAt, correctedBy: r.correctedById,
      correctedByName: people.get(r.correctedById) ?? null, correctedAt: r.correctedAt, changes: [],
    };
    batch.changes.push({ field: r.field, before: ZValue.parse(r.before ?? null), after: ZValue.parse(r.after ?? null) });
    batches.set(r.batchId, batch);
  }
  return [...batches.values()];
}
