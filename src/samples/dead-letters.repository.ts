import type { Db, Tx } from '../lib/db.ts';

/** Dead letters of one sample that no manager has dealt with yet, oldest first. */
export function openDeadLetters(db: Db | Tx, sampleId: string) {
  return db.deadLetter.findMany({
    where: { sampleId, resolvedAt: null },
    orderBy: { failedAt: 'asc' },
    select: { id: true, jobName: true, payload: true, error: true, attempts: true, failedAt: true },
  });
}

export async function markResolved(tx: Tx, ids: string[], r: { at: Date; byId: string; resolution: string }): Promise<void> {
  if (!ids.length) return;
  await tx.deadLetter.updateMany({ where: { id: { in: ids }, resolvedAt: null }, data: { resolvedAt: r.at, resolvedById: r.byId, resolution: r.resolution } });
}

/** One line a person can read: driver errors put the database's own message on their last line. */
export const errorSummary = (error: string) => (error.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '').slice(0, 300);
