import type { Job } from 'bullmq';
import type { Clock } from '../lib/clock.ts';
import type { Db, Tx } from '../lib/db.ts';

/** What a failed job's subject (a sample, today) must do about it, inside the dead letter's transaction. */
export type TDeadLetterHook = (tx: Tx, dead: { sampleId: string; jobName: string; attempts: number; error: string }, at: Date) => Promise<void>;

/**
 * A job out of retries never vanishes: it is mirrored to DeadLetter (once per job id). When its
 * payload names a sample, the hook the runtime injects decides what becomes of the sample (it goes to
 * NEEDS_ATTENTION, where a manager sees it); the queue itself knows no feature.
 */
export async function deadLetter(
  db: Db,
  job: Pick<Job, 'id' | 'name' | 'data' | 'queueName' | 'attemptsMade'>,
  error: string,
  clock: Clock,
  onSample?: TDeadLetterHook,
): Promise<void> {
  const sampleId = typeof job.data?.sampleId === 'string' ? (job.data.sampleId as string) : null;
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "DeadLetter" (id, "jobId", queue, "jobName", payload, error, attempts, "sampleId", "failedAt")
      VALUES (gen_random_uuid(), ${String(job.id)}, ${job.queueName}, ${job.name}, ${JSON.stringify(job.data ?? {})}::jsonb,
              ${error.slice(0, 2000)}, ${job.attemptsMade}, ${sampleId}::uuid, ${now})
      ON CONFLICT ("jobId") DO NOTHING`;
    if (inserted && sampleId && onSample) await onSample(tx, { sampleId, jobName: job.name, attempts: job.attemptsMade, error }, now);
  });
}
