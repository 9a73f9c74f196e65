import { Prisma, type Tx } from '../lib/db.ts';
import { enqueue, noJobInFlight } from '../queue/outbox.ts';

/**
 * For the sweeper: seizures whose rescoring was asked for long ago and never done (a queue that lost
 * the job) are asked again, with a job id per sweep window so repeats within it are one job.
 */
export async function sweepRelate(tx: Tx, cutoff: Date, stamp: number): Promise<number> {
  const stale = await tx.$queryRaw<{ id: string }[]>`
    SELECT s.id::text AS id FROM "Seizure" s
    WHERE s."relateRequestedAt" < ${cutoff} AND (s."relatedAt" IS NULL OR s."relatedAt" < s."relateRequestedAt")
      AND ${noJobInFlight('seizureId', Prisma.sql`s.id::text`, cutoff)}
    LIMIT 1000`;
  for (const s of stale) await enqueue(tx, 'relate', { seizureId: s.id }, { jobId: `sweep-relate-${s.id}-${stamp}` });
  return stale.length;
}
