import type { QueueKit } from '../queue/backend.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import type { Clock } from '../lib/clock.ts';
import type { EngineContext } from '../domain/identification.rules.ts';
import type { TSessionPolicy } from '../auth/sessions.ts';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LiveHub } from '../notifications/live.ts';
import type { EmbeddedDatabase } from '../lib/embedded-postgres.ts';

/** Everything a request or a job needs, built once by the entry point and passed down. */
export type AppDeps = {
  config: TConfig;
  db: Db;
  log: Logger;
  clock: Clock;
  engine: EngineContext;
  sessionPolicy: TSessionPolicy;
  /** Sign-in limits shared by all API instances; the per-session API limit is per instance. */
  limits?: { loginIp: RateLimiterAbstract; loginAccount: RateLimiterAbstract; api: RateLimiterAbstract | null };
  /** Live notification streams of this API instance. */
  live?: LiveHub;
  /** The embedded database this process runs (absent with DATABASE_URL): what the backup job copies. */
  embedded?: EmbeddedDatabase;
  /** Set once the process cannot recover by itself (for /healthz). */
  health?: { failure: string | null };
  /** Present where the process can reach the queue backend (for /readyz). */
  queues?: QueueKit;
};
