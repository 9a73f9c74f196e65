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
