import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { TSessionPolicy } from '../auth/sessions.ts';
import type { EngineContext } from '../domain/identification.rules.ts';
import type { Clock } from '../lib/clock.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { EmbeddedDatabase } from '../lib/embedded-postgres.ts';
import type { Logger } from '../lib/logger.ts';
import type { LiveHub } from '../notifications/live.ts';
import type { QueueKit } from '../queue/backend.ts';
import type { TJobName } from '../queue/catalog.ts';
import type { JobHandler as QueueJobHandler, JobHandlers as QueueJobHandlers, JobRun } from '../queue/job-context.ts';

/**
 * What the composition root (runtime.ts) builds once and hands down. Each value is built whole and
 * never changed afterwards: a process of any kind gets CoreDeps; an API process gets AppDeps.
 */
export type CoreDeps = {
  config: TConfig;
  db: Db;
  log: Logger;
  clock: Clock;
  engine: EngineContext;
  /** The queue backend (producing, pub/sub, /readyz). */
  queues: QueueKit;
  /** The embedded database this process runs (absent with DATABASE_URL): what the backup job copies. */
  embedded?: EmbeddedDatabase;
  /** Set once the process cannot recover by itself (for /healthz); the one value that changes. */
  health?: { failure: string | null };
};

/** What only an API process needs: sessions, rate limits and its own live streams. */
export type AppDeps = CoreDeps & {
  sessionPolicy: TSessionPolicy;
  /** Sign-in limits shared by all API instances; the per-session API limit is per instance (null: off). */
  limits: { loginIp: RateLimiterAbstract; loginAccount: RateLimiterAbstract; api: RateLimiterAbstract | null };
  /** Live notification streams of this API instance. */
  live: LiveHub;
};

/** What a job handler gets: the core, plus its job's logger, id and attempt number. */
export type JobContext = CoreDeps & JobRun;

export type JobHandler<N extends TJobName> = QueueJobHandler<N, CoreDeps>;
export type JobHandlers = QueueJobHandlers<CoreDeps>;
