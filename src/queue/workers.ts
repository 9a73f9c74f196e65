import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { jobsTotal } from '../http/metrics.ts';
import type { Clock } from '../lib/clock.ts';
import type { Db } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import { handleError, judgeError } from '../lib/handle-error.ts';
import { throttledWarn } from '../lib/log-throttle.ts';
import type { Logger } from '../lib/logger.ts';
import { withTimeout } from '../lib/timeout.ts';
import type { QueueKit } from './backend.ts';
import { JOBS, QUEUE_NAMES, type TJobName } from './catalog.ts';
import { deadLetter, type TDeadLetterHook } from './dead-letter.ts';
import type { JobHandlers } from './job-context.ts';

/** What the runner itself needs; handlers get all of `D` (the composition root decides what that is). */
export type WorkerDeps = { db: Db; log: Logger; clock: Clock };

export type WorkerOptions = {
  concurrency: number;
  timeoutMs: number;
  lockDuration?: number;
  stalledInterval?: number;
  /** Injected by the runtime: what a dead letter does to the sample it concerns. */
  onDeadLetter?: TDeadLetterHook;
};

/**
 * Starts one worker per queue. Each job's payload is checked against its contract (a bad payload can
 * never succeed: no retry), the handler runs under a time limit, and errors follow the one policy:
 * a permanent one fails the job at once (UnrecoverableError), a transient one is retried, and the
 * last failed attempt is dead-lettered before BullMQ marks the job failed.
 */
export function startWorkers<D extends WorkerDeps>(kit: QueueKit, handlers: JobHandlers<D>, deps: D, opts: WorkerOptions): Worker[] {
  const missing = (Object.keys(JOBS) as TJobName[]).filter((n) => typeof handlers[n] !== 'function');
  if (missing.length) throw new Error(`no handler for job(s): ${missing.join(', ')}`);

  // A datastore that is away makes every worker report the same error over and over.
  const warnings = throttledWarn(deps.log);
  return QUEUE_NAMES.map((queue) => {
    const processor = async (job: Job) => {
      const name = job.name as TJobName;
      const attempt = job.attemptsMade + 1;
      const log = deps.log.child({ jobId: job.id, job: name, attempt, ...job.data });
      const started = Date.now();
      try {
        const def = JOBS[name];
        if (!def || def.queue !== queue) throw new AppError('VALIDATION_FAILED', `unknown job ${job.name} on ${queue}`);
        const parsed = def.payload.safeParse(job.data);
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', `payload breaks the ${name} contract: ${parsed.error.message}`);
        const handler = handlers[name] as (p: unknown, c: unknown) => Promise<void>;
        const limit = (def as { timeoutMs?: number }).timeoutMs ?? opts.timeoutMs;
        await withTimeout(handler(parsed.data, { ...deps, log, jobId: String(job.id), attempt }), limit, `${name} did not finish within ${limit} ms`);
        log.debug({ ms: Date.now() - started }, 'job done');
        jobsTotal.inc({ job: name, outcome: 'done' });
      } catch (err) {
        // Permanent errors (a missing row, an illegal move) fail at once; only transient ones retry.
        const permanent = err instanceof UnrecoverableError || judgeError(err).permanent;
        const final = permanent || attempt >= (job.opts.attempts ?? 1);
        handleError(err, log, { final }, { level: final ? 'error' : 'warn', msg: final ? 'job failed for good' : 'job failed; will retry' });
        jobsTotal.inc({ job: name, outcome: final ? 'dead' : 'retry' });
        if (final) await deadLetter(deps.db, { id: job.id, name: job.name, data: job.data, queueName: job.queueName, attemptsMade: attempt }, (err as Error).message, deps.clock, opts.onDeadLetter);
        throw permanent && !(err instanceof UnrecoverableError) ? new UnrecoverableError((err as Error).message) : err;
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
        deadLetter(deps.db, job, err.message, deps.clock, opts.onDeadLetter).catch((e) => handleError(e, deps.log, { jobId: job.id }, { msg: 'dead-letter write failed' }));
      } else if (job && /stalled/i.test(err.message)) {
        deadLetter(deps.db, job, err.message, deps.clock, opts.onDeadLetter).catch((e) => handleError(e, deps.log, { jobId: job.id }, { msg: 'dead-letter write failed' }));
      }
    });
    worker.on('error', (err) => warnings.warn(`${queue}:${err.message}`, err, { queue }, 'worker error'));
    return worker;
  });
}
