import type { Db } from '../lib/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { enqueue } from './outbox.ts';
import { sweepRelate } from '../intelligence/relate.sweep.ts';

const SWEEP_LOCK_KEY = 7_424_002;

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
    const stale = await tx.$queryRaw<{ id: string; status: string; tests: number; covered: number | null }[]>`
      SELECT s.id, s.status::text AS status,
             (SELECT count(*)::int FROM "Test" t WHERE t."sampleId" = s.id) AS tests,
             (SELECT max(c."testCount") FROM "Classification" c WHERE c."sampleId" = s.id) AS covered
      FROM "Sample" s
      WHERE s.status IN ('REGISTERED', 'IN_ANALYSIS', 'RELEASED') AND s."updatedAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."publishedAt" IS NULL AND o.payload->>'sampleId' = s.id::text)
      LIMIT 1000`;
    let n = 0;
    for (const s of stale) {
      const stamp = Math.floor(clock.now().getTime() / staleMs);
      if (s.status === 'REGISTERED') await enqueue(tx, 'triage', { sampleId: s.id }, { jobId: `sweep-triage-${s.id}-${stamp}` });
      else if (s.status === 'IN_ANALYSIS' && s.tests > (s.covered ?? 0)) await enqueue(tx, 'classify', { sampleId: s.id }, { jobId: `sweep-classify-${s.id}-${stamp}` });
      else if (s.status === 'RELEASED') await enqueue(tx, 'route', { sampleId: s.id }, { jobId: `sweep-route-${s.id}-${stamp}` });
      else continue;
      n++;
    }
    const undelivered = await tx.notification.findMany({ where: { deliveredAt: null, createdAt: { lt: cutoff } }, select: { id: true }, take: 1000 });
    for (const u of undelivered) {
      await enqueue(tx, 'notify', { notificationId: u.id }, { jobId: `sweep-notify-${u.id}-${Math.floor(clock.now().getTime() / staleMs)}` });
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
      .catch((err) => log.warn({ err: (err as Error).message }, 'sweep failed'));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
