import type { Logger } from '../lib/logger.ts';
import { keepTrying } from '../queue/schedule.ts';
import type { QueueKit } from '../queue/backend.ts';
import type { JobHandler } from '../entry/deps.ts';
import { refreshTurnaroundRollup } from './turnaround-rollup.ts';

/**
 * Brings the turnaround rollup up to date, every REPORT_ROLLUP_MS. Never needed for a right answer
 * (reports read whatever it does not cover from the samples), only for a fast one. A first build of a
 * long history is split over several runs by the time budget.
 */
export const rollupJob: JobHandler<'rollup'> = async (_payload, ctx) => {
  const done = await refreshTurnaroundRollup(ctx.db, ctx.clock.now(), { budgetMs: 4 * 60_000 });
  if (done.days || done.months) ctx.log.info(done, 'turnaround rollup refreshed');
};

/** One scheduler per deployment (upserted by id); retried until the queue backend answers, like the SLA clock. */
export function scheduleRollup(kit: QueueKit, everyMs: number, log: Logger): () => void {
  return keepTrying(() => kit.queue('maintenance').upsertJobScheduler('turnaround-rollup', { every: everyMs }, { name: 'rollup', data: {}, opts: { attempts: 1, removeOnComplete: 50, removeOnFail: 50 } }), log, 'turnaround rollup schedule');
}
