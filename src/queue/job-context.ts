import type { Logger } from '../lib/logger.ts';
import type { TJobName, TJobPayload } from './catalog.ts';

/** What the job runner adds to the process's dependencies for one run of one job. */
export type JobRun = { log: Logger; jobId: string; attempt: number };

/** A job's handler, given the dependencies `D` the composition root chose (src/entry/deps.ts). */
export type JobHandler<N extends TJobName, D> = (payload: TJobPayload<N>, ctx: D & JobRun) => Promise<void>;

/** Every job of the catalogue must have a handler: the type makes a missing one a compile error. */
export type JobHandlers<D> = { [N in TJobName]: JobHandler<N, D> };
