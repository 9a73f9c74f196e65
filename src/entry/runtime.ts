import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import { classifyJob } from '../classification/classify.job.ts';
import { routeJob } from '../cases/route.job.ts';
import { buildSubstanceIndex } from '../domain/substances.rules.ts';
import { loadReferenceData } from '../domain/reference-data.ts';
import { createApp } from '../http/app.ts';
import { localLimiter, sharedLimiter } from '../http/rate-limit.ts';
import type { AppDeps } from '../http/deps.ts';
import { triageJob } from '../intake/triage.job.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { loadConfig, StartupError, type TConfig } from '../lib/config.ts';
import { createDb } from '../lib/db.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/embedded-postgres.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { applyMigrations } from '../lib/migrate.ts';
import { announceDemoMode, ensureAdmin, refuseDemoAccounts, seedDemo, seedReference } from '../lib/seed.ts';
import { seedDemoWork } from '../lib/demo-work.ts';
import { LiveHub } from '../notifications/live.ts';
import { notifyJob } from '../notifications/notify.job.ts';
import { planJob } from '../notifications/plan.job.ts';
import { scheduleSla, slaJob } from '../sla/sla.job.ts';
import { webhookJob } from '../webhooks/webhook.job.ts';
import { relateJob } from '../intelligence/relate.job.ts';
import { importManifestJob } from '../imports/import.job.ts';
import { intelligenceData } from '../intelligence/weights.ts';
import { createQueueKit } from '../queue/backend.ts';
import type { JobHandlers } from '../queue/job-context.ts';
import { OutboxRelay } from '../queue/relay.ts';
import { startSweeper } from '../queue/sweeper.ts';
import { startWorkers } from '../queue/workers.ts';
import { backupJob, scheduleBackups, startBackupWatch } from '../backups/backup.job.ts';
import { superviseAlerts, type TProcessHealth } from './supervision.ts';

export const HANDLERS: JobHandlers = { triage: triageJob, classify: classifyJob, route: routeJob, plan: planJob, notify: notifyJob, webhook: webhookJob, sla: slaJob, relate: relateJob, importManifest: importManifestJob, backup: backupJob };

export type ProcessKind = 'api' | 'worker' | 'all';

/**
 * `fatal` settles when the process can no longer do its work (its embedded database is gone for
 * good): /healthz fails from then on, and the entry point exits non-zero so a supervisor restarts it.
 */
export type Runtime = { deps: AppDeps; server?: Server; url?: string; relay?: OutboxRelay; workers: Worker[]; embedded?: EmbeddedDatabase; fatal: Promise<Error>; stop(): Promise<void> };

export type RuntimeOptions = {
  kind: ProcessKind;
  config?: TConfig;
  clock?: Clock;
  log?: Logger;
  /** Skip migrations (tests apply them once to a template database). */
  skipMigrations?: boolean;
  worker?: { lockDuration?: number; stalledInterval?: number };
};

/** Resolves the database: DATABASE_URL, or an embedded PostgreSQL started here. */
async function database(config: TConfig, log: Logger, kind: ProcessKind): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  if (config.NODE_ENV === 'production' && kind !== 'all') {
    throw new StartupError(`a separate ${kind} process needs DATABASE_URL in production: api and worker processes must share one PostgreSQL server (the embedded one serves a single all-in-one process)`);
  }
  if (config.NODE_ENV === 'production' && !config.BACKUP_DIR) {
    throw new StartupError('the embedded database in production needs BACKUP_DIR, a folder (on another disk) for its verified backups, or DATABASE_URL for a PostgreSQL server you back up yourself');
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'fol', log });
  log.info({ dataDir: embedded.dataDir, port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL running');
  return { url: embedded.url, embedded };
}

/**
 * Starts one process of the given kind: `api` serves HTTP, `worker` runs the outbox relay, the job
 * workers and the sweeper, `all` does both. Only the connection factories know which datastores.
 */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger(config.LOG_LEVEL, { process: opts.kind }, undefined, config.LOG_FORMAT);
  const clock = opts.clock ?? systemClock;
  const ref = loadReferenceData();
  // Link weights and chemical roles are versioned data too: a bad file stops start-up.
  intelligenceData();
  const { url, embedded } = await database(config, log, opts.kind);
  if (!opts.skipMigrations) {
    const applied = await applyMigrations(url);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const db = createDb(url);
  await seedReference(db, ref);
  if (config.NODE_ENV === 'production') {
    await refuseDemoAccounts(db).catch(async (err: unknown) => {
      await db.$disconnect();
      await embedded?.stop();
      throw err;
    });
  }
  await ensureAdmin(db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD, log);
  if (config.SEED_DEMO) {
    announceDemoMode(log, config.HOST);
    await seedDemo(db, log);
  }
  const health: TProcessHealth = { failure: null };
  const fatal = new Promise<Error>((resolve) => {
    if (embedded) superviseAlerts(embedded, db, clock, log, health, resolve);
  });
  const queues = await createQueueKit({ databaseUrl: url, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const deps: AppDeps = {
    config, db, log, clock, queues, health, embedded,
    engine: { ref, index: buildSubstanceIndex(ref.substances.substances), matchThreshold: config.MATCH_THRESHOLD },
    sessionPolicy: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000 },
  };

  if (config.SEED_DEMO) await seedDemoWork(db, deps.engine, config, clock, log);

  let server: Server | undefined;
  let relay: OutboxRelay | undefined;
  let workers: Worker[] = [];
  let stopSweeper = () => {};
  if (opts.kind !== 'api') {
    relay = new OutboxRelay(db, url, queues, { attempts: config.JOB_ATTEMPTS, perJob: { webhook: { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS } } }, log.child({ component: 'relay' }));
    await relay.start();
    workers = startWorkers(queues, HANDLERS, deps, { concurrency: config.WORKER_CONCURRENCY, timeoutMs: config.JOB_TIMEOUT_MS, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_STALLED_MS, ...opts.worker });
    const stopSla = scheduleSla(queues, config.SLA_SCAN_MS, log.child({ component: 'sla' }));
    const stopSweep = startSweeper(db, clock, log.child({ component: 'sweeper' }), { intervalMs: config.SWEEP_INTERVAL_MS, staleMs: config.STALE_WORK_MS });
    // Only the process that runs the embedded database can copy its files (BACKUP_DIR needs it; see config).
    const backupEveryMs = config.BACKUP_EVERY_HOURS * 3_600_000;
    const stopBackups = embedded ? scheduleBackups(queues, config.BACKUP_DIR ? backupEveryMs : null, log.child({ component: 'backup' })) : () => {};
    const stopWatch = config.BACKUP_DIR && embedded ? startBackupWatch(db, clock, log.child({ component: 'backup' }), backupEveryMs) : () => {};
    stopSweeper = () => {
      stopSla();
      stopSweep();
      stopBackups();
      stopWatch();
    };
  }
  if (opts.kind !== 'worker') {
    deps.limits = {
      loginIp: sharedLimiter(queues.limiterStore, { keyPrefix: 'login-ip', points: config.LOGIN_RATE_PER_IP, durationS: 15 * 60 }),
      loginAccount: sharedLimiter(queues.limiterStore, { keyPrefix: 'login-account', points: config.LOGIN_RATE_PER_ACCOUNT, durationS: 15 * 60 }),
      api: config.API_RATE_PER_MINUTE ? localLimiter({ keyPrefix: 'api', points: config.API_RATE_PER_MINUTE, durationS: 60 }) : null,
    };
    deps.live = new LiveHub(db, log.child({ component: 'live' }));
    await deps.live.start(queues, url);
    const app = createApp(deps);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    });
  }
  const address = server?.address();
  const url_ = address && typeof address === 'object' ? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${address.port}` : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopSweeper();
      await deps.live?.stop();
      const closeServer = server ? new Promise<void>((r) => server!.close(() => r())) : Promise.resolve();
      server?.closeIdleConnections();
      // Workers stop taking jobs and finish the active ones; worker.close() has no timeout of its own.
      const drain = Promise.all([closeServer, relay?.stop(), queues.close()]);
      const grace = new Promise((r) => setTimeout(r, config.SHUTDOWN_GRACE_MS).unref());
      await Promise.race([drain, grace]);
      server?.closeAllConnections();
      await db.$disconnect().catch(() => {});
      await embedded?.stop().catch(() => {});
    })();
    return stopping;
  };
  return { deps, server, url: url_, relay, workers, embedded, fatal, stop };
}
