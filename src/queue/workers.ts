import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { AppDeps } from '../http/deps.ts';
import { jobsTotal } from '../http/metrics.ts';
import { throttledWarn } from '../lib/log-throttle.ts';
import { withTimeout } from '../lib/timeout.ts';
import type { QueueKit } from './backend.ts';
import { JOBS, QUEUE_NAMES, type TJobName } from './catalog.ts';
import { deadLetter } from './dead-letter.ts';
import type { JobHandlers } from './job-context.ts';

export type WorkerOptions = { concurrency: number; timeoutMs: number; lockDuration?: number; stalledInterval?: number };

/**
 * Starts one worker per queue. Each job's payload is checked against its contract (a bad payload can
 * never succeed: no retry), the handler runs under a time limit, and the last failed attempt is
 * dead-lettered before BullMQ marks the job failed.
 */
export function startWorkers(kit: QueueKit, handlers: JobHandlers, deps: AppDeps, opts: WorkerOptions): Worker[] {
  const missing = (Object.keys(JOBS) as TJobName[]).filter((n) => typeof handlers[n] !== 'function');
  if (missing.length) throw new Error(`no handler for job(s): ${missing.join(', ')}`);

  // A datastore that is away makes every worker report the same error over and over.
  const warnings = throttledWarn(deps.log);
  return QUEUE_NAMES.map((queue) => {
    const processor = async (job: Job) => {
      const name = job.name as TJobName;
      const log = deps.log.child({ jobId: job.id, job: name, attempt: job.attemptsMade + 1, ...job.data });
      const def = JOBS[name];
      if (!def || def.queue !== queue) throw new UnrecoverableError(`unknown job ${job.name} on ${queue}`);
      const parsed = def.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`payload breaks the ${name} contract: ${parsed.error.message}`);
      const started = Date.now();
      try {
        const handler = handlers[name] as (p: unknown, c: unknown) => Promise<void>;
        const limit = (def as { timeoutMs?: number }).timeoutMs ?? opts.timeoutMs;
        await withTimeout(handler(parsed.data, { ...deps, log, jobId: String(job.id), attempt: job.attemptsMade + 1 }), limit, `${name} did not finish within ${limit} ms`);
        log.debug({ ms: Date.now() - started }, 'job done');
        jobsTotal.inc({ job: name, outcome: 'done' });
      } catch (err) {
        const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        log[final ? 'error' : 'warn']({ err: (err as Error).message, final }, 'job failed');
        jobsTotal.inc({ job: name, outcome: final ? 'dead' : 'retry' });
        if (final) await deadLetter(deps.db, { ...job, attemptsMade: job.attemptsMade + 1, queueName: job.queueName, name: job.name, id: job.id, data: job.data }, (err as Error).message, deps.clock);
        throw err;
      }
    };
    const worker = kit.worker(queue, processor, {
      concurrency: opts.concurrency,
      ...(opts.lockDuration ? { lockDuration: opts.lockDuration } : {}),
      ...(opts.stalledInterval ? { stalledInterval: opts.stalledInterval } : {}),
    });
    // A job that stalled too often fails without reaching the processor: dead-letter it here.
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        deadLetter(deps.db, job, err.message, deps.clock).catch((e) => deps.log.error({ err: (e as Error).message }, 'dead-letter write failed'));
      } else if (job && /stalled/i.test(err.message)) {
        deadLetter(deps.db, job, err.message, deps.clock).catch(() => {});
      }
    });
    worker.on('error', (err) => warnings.warn(`${queue}:${err.message}`, { queue, err: err.message }, 'worker error'));
    return worker;
  });
}
