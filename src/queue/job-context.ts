import type { AppDeps } from '../http/deps.ts';
import type { Logger } from '../lib/logger.ts';
import type { TJobName, TJobPayload } from './catalog.ts';

export type JobContext = AppDeps & { log: Logger; jobId: string; attempt: number };

export type JobHandler<N extends TJobName> = (payload: TJobPayload<N>, ctx: JobContext) => Promise<void>;

/** Every job of the catalogue must have a handler: the type makes a missing one a compile error. */
export type JobHandlers = { [N in TJobName]: JobHandler<N> };
