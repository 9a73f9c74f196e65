import type { Tx } from '../lib/db.ts';
import { enqueue } from '../queue/outbox.ts';

/**
 * Asks for a seizure's related seizures to be rescored, inside the caller's transaction: called
 * whenever the seizure, one of its observables or one of its samples' classifications changes, and
 * when it joins a case (deconfliction needs the case). Each request is its own job (the outbox row
 * id), so a change after an earlier run is never swallowed by job-id deduplication.
 */
export async function requestRelate(tx: Tx, seizureId: string, at: Date): Promise<void> {
  await tx.seizure.update({ where: { id: seizureId }, data: { relateRequestedAt: at } });
  await enqueue(tx, 'relate', { seizureId });
}

/**
 * A seizure joined a case: deconfliction needs the case, so it is rescored — when it has anything to
 * be related by (observables or a chemical profile; a scoring still running may have read it before
 * the case, so existing pairs alone would not do).
 */
export async function requestRelateOnCase(tx: Tx, seizureId: string, at: Date): Promise<void> {
  const [r] = await tx.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "Observable" WHERE "seizureId" = ${seizureId}::uuid)
        OR EXISTS (SELECT 1 FROM "ChemicalProfile" WHERE "seizureId" = ${seizureId}::uuid) AS any`;
  if (r?.any) await requestRelate(tx, seizureId, at);
}
