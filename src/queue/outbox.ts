import { Prisma, type Tx } from '../lib/db.ts';
import { JOBS, type TJobName, type TJobPayload } from './catalog.ts';

export const OUTBOX_CHANNEL = 'fol_outbox';

/**
 * Puts a job in the transactional outbox, inside the caller's transaction: the job exists if and only
 * if the state change that asked for it commits. NOTIFY is delivered at commit and wakes the relay.
 */
export async function enqueue<N extends TJobName>(
  tx: Tx,
  name: N,
  payload: TJobPayload<N>,
  opts: { jobId?: string } = {},
): Promise<void> {
  const data = JOBS[name].payload.parse(payload);
  // BullMQ refuses ids with ':' — and would refuse the whole batch the row is published in.
  if (opts.jobId !== undefined && !/^[\w.-]{1,200}$/.test(opts.jobId)) throw new Error(`job id "${opts.jobId}" may hold only letters, digits, '_', '.', '-'`);
  // One statement, one round trip: the row, and the NOTIFY that is delivered when it commits.
  await tx.$executeRaw`
    WITH queued AS (
      INSERT INTO "OutboxMessage" (id, queue, "jobName", payload, "jobId")
      VALUES (gen_random_uuid(), ${JOBS[name].queue}, ${name}, ${JSON.stringify(data)}::jsonb, ${opts.jobId ?? null})
      RETURNING id)
    SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM queued`;
}

/**
 * For the sweepers: no job for this record is waiting in the outbox or was handed to the queue less
 * than the stale window ago. A job the queue took a moment ago is in flight, not lost; sweeping it
 * again would only add a second outbox row for work already under way.
 */
export function noJobInFlight(key: 'sampleId' | 'notificationId' | 'seizureId', id: Prisma.Sql, cutoff: Date): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o.payload->>${key} = ${id} AND (o."publishedAt" IS NULL OR o."publishedAt" >= ${cutoff}))`;
}
