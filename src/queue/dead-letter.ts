import type { Job } from 'bullmq';
import { lockSample, moveSample } from '../intake/sample-transitions.ts';
import { canMove } from '../domain/sample-lifecycle.rules.ts';
import type { Db } from '../lib/db.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * A job out of retries never vanishes: it is mirrored to DeadLetter (once per job id) and the sample
 * it concerns goes to NEEDS_ATTENTION, where a manager sees it.
 */
export async function deadLetter(db: Db, job: Pick<Job, 'id' | 'name' | 'data' | 'queueName' | 'attemptsMade'>, error: string, clock: Clock): Promise<void> {
  const sampleId = typeof job.data?.sampleId === 'string' ? (job.data.sampleId as string) : null;
  const now = clock.now();
  await db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "DeadLetter" (id, "jobId", queue, "jobName", payload, error, attempts, "sampleId", "failedAt")
      VALUES (gen_random_uuid(), ${String(job.id)}, ${job.queueName}, ${job.name}, ${JSON.stringify(job.data ?? {})}::jsonb,
              ${error.slice(0, 2000)}, ${job.attemptsMade}, ${sampleId}::uuid, ${now})
      ON CONFLICT ("jobId") DO NOTHING`;
    if (!inserted || !sampleId) return;
    const sample = await lockSample(tx, sampleId);
    if (sample && canMove(sample.status, 'NEEDS_ATTENTION')) {
      await moveSample(tx, sample, 'NEEDS_ATTENTION', null, now, { note: `${job.name} failed after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${error.slice(0, 300)}` });
    }
  });
}
