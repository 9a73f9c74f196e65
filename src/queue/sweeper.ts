import { Prisma, type Db } from '../lib/db.ts';
import type { Clock } from '../lib/clock.ts';
import { handleError } from '../lib/handle-error.ts';
import type { Logger } from '../lib/logger.ts';
import type { TSampleStatus } from '../domain/closed-sets.ts';
import type { TJobName } from './catalog.ts';
import { enqueue, noJobInFlight } from './outbox.ts';
import { sweepRelate } from '../intelligence/relate.sweep.ts';

/** Sweeps in every worker process take turns on this advisory lock. */
export const SWEEP_LOCK_KEY = 7_424_002;

/**
 * The step a sample in each status is waiting for, when that step is a job. A sample awaiting review
 * waits for one only after a weight correction (its re-classification).
 */
const PENDING_STEP = { REGISTERED: 'triage', IN_ANALYSIS: 'classify', AWAITING_REVIEW: 'classify', RELEASED: 'route' } as const satisfies Partial<Record<TSampleStatus, TJobName>>;
const WAITING = Object.keys(PENDING_STEP);

/**
 * The outbox covers a crash before publishing, not Redis losing a job it acknowledged (a restart
 * without persistence, a FLUSHALL). The sweeper looks at the database — the record — and re-enqueues
 * every step that should have happened and did not, with job ids that make repeats harmless.
 */
export async function sweepOnce(db: Db, clock: Clock, staleMs: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - staleMs);
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}) AS locked` as [{ locked: boolean }];
    if (!locked) return 0;
    const stale = await tx.$queryRaw<{ id: string; status: string; tests: number; covered: number | null; revised: boolean }[]>`
      SELECT s.id, s.status::text AS status,
             (SELECT count(*)::int FROM "Test" t WHERE t."sampleId" = s.id) AS tests,
             (SELECT max(c."testCount") FROM "Classification" c WHERE c."sampleId" = s.id) AS covered,
             coalesce((SELECT c."sampleRevision" FROM "Classification" c WHERE c."sampleId" = s.id ORDER BY c.version DESC LIMIT 1), 0) <> s.revision AS revised
      FROM "Sample" s
      WHERE s.status::text = ANY(${WAITING}) AND s."updatedAt" < ${cutoff}
        AND ${noJobInFlight('sampleId', Prisma.sql`s.id::text`, cutoff)}
      LIMIT 1000`;
    let n = 0;
    const stamp = Math.floor(clock.now().getTime() / staleMs);
    for (const s of stale) {
      const step = PENDING_STEP[s.status as keyof typeof PENDING_STEP];
      // A sample in analysis waits for a classification only while a test or a weight correction is not yet covered.
      if (step === 'classify' && s.tests <= (s.covered ?? 0) && !(s.revised && s.tests > 0)) continue;
      await enqueue(tx, step, { sampleId: s.id }, { jobId: `sweep-${step}-${s.id}-${stamp}` });
      n++;
    }
    const undelivered = await tx.$queryRaw<{ id: string }[]>`
      SELECT n.id FROM "Notification" n
      WHERE n."deliveredAt" IS NULL AND n."createdAt" < ${cutoff}
        AND ${noJobInFlight('notificationId', Prisma.sql`n.id::text`, cutoff)}
      LIMIT 1000`;
    for (const u of undelivered) {
      await enqueue(tx, 'notify', { notificationId: u.id }, { jobId: `sweep-notify-${u.id}-${stamp}` });
      n++;
    }
    n += await sweepRelate(tx, cutoff, Math.floor(clock.now().getTime() / staleMs));
    return n;
  });
}

export function startSweeper(db: Db, clock: Clock, log: Logger, opts: { intervalMs: number; staleMs: number }): () => void {
  const timer = setInterval(() => {
    sweepOnce(db, clock, opts.staleMs)
      .then((n) => n && log.warn({ requeued: n }, 'sweeper re-enqueued stalled work'))
      .catch((err) => handleError(err, log, {}, { level: 'warn', msg: 'sweep failed' }));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
