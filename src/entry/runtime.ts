import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import { holdForAttention } from '../attention/attention.usecases.ts';
import { checkpointJob } from '../audit/checkpoint.job.ts';
import { startLedger } from '../audit/ledger-runtime.ts';
import { routeJob } from '../cases/route.job.ts';
import { classifyJob } from '../classification/classify.job.ts';
import { loadReferenceData } from '../domain/reference-data.ts';
import { buildSubstanceIndex } from '../domain/substances.rules.ts';
import { createApp } from '../http/app.ts';
import { localLimiter, sharedLimiter } from '../http/rate-limit.ts';
import { startDbGauges } from '../http/metrics.ts';
import { triageJob } from '../intake/triage.job.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { ConfigError, loadConfig, StartupError, type TConfig } from '../lib/config.ts';
import { createDb } from '../lib/db.ts';
import { provisionRoles, warnUnlessLeastPrivilege } from '../lib/db-roles.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/embedded-postgres.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { applyMigrations, pendingMigrations } from '../lib/migrate.ts';
import { importManifestJob } from '../imports/import.job.ts';
import { relateJob } from '../intelligence/relate.job.ts';
import { intelligenceData } from '../intelligence/weights.ts';
import { LiveHub } from '../notifications/live.ts';
import { notifyJob } from '../notifications/notify.job.ts';
import { planJob } from '../notifications/plan.job.ts';
import { createQueueKit } from '../queue/backend.ts';
import { OutboxRelay } from '../queue/relay.ts';
import { startSweeper } from '../queue/sweeper.ts';
import { startWorkers } from '../queue/workers.ts';
import { scheduleSla, slaJob } from '../sla/sla.job.ts';
import { webhookJob } from '../webhooks/webhook.job.ts';
import { backupJob, scheduleBackups, startBackupWatch } from '../backups/backup.job.ts';
import { rollupJob, scheduleRollup } from '../reports/rollup.job.ts';
import type { AppDeps, CoreDeps, JobHandlers } from './deps.ts';
import { seedDemoWork } from './demo-work.ts';
import { announceDemoMode, ensureAdmin, refuseDemoAccounts, seedDemo, seedReference } from './seed.ts';
import { superviseAlerts, type TProcessHealth } from './supervision.ts';

export const HANDLERS: JobHandlers = {
  triage: triageJob, classify: classifyJob, route: routeJob, plan: planJob, notify: notifyJob, webhook: webhookJob, sla: slaJob, relate: relateJob,
  importManifest: importManifestJob, checkpoint: checkpointJob, backup: backupJob, rollup: rollupJob,
};

export type ProcessKind = 'api' | 'worker' | 'all';

export type Runtime = {
  /** What every process has. */
  deps: CoreDeps;
  /** An API process's dependencies (absent in a worker). */
  apiDeps?: AppDeps;
  server?: Server;
  url?: string;
  relay?: OutboxRelay;
  workers: Worker[];
  /** The embedded database this process started (absent with DATABASE_URL). */
  embedded?: EmbeddedDatabase;
  /**
   * Settles when the process can no longer do its work (its embedded database is gone for good):
   * /healthz fails from then on, and the entry point exits non-zero so a supervisor restarts it.
   */
  fatal: Promise<Error>;
  stop(): Promise<void>;
};

export type RuntimeOptions = {
  kind: ProcessKind;
  config?: TConfig;
  clock?: Clock;
  log?: Logger;
  /** Skip migrations (tests apply them once to a template database). */
  skipMigrations?: boolean;
  worker?: { lockDuration?: number; stalledInterval?: number };
};

/**
 * Resolves the database: DATABASE_URL (the service role) and DATABASE_OWNER_URL (migrations), or an
 * embedded PostgreSQL started here, whose owner and service roles are set up on the way. In
 * production the embedded database serves one all-in-one process, and needs BACKUP_DIR.
 */
export async function resolveDatabase(config: TConfig, log: Logger, kind: ProcessKind = 'all'): Promise<{ url: string; ownerUrl?: string; embedded?: EmbeddedDatabase }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, ownerUrl: config.DATABASE_OWNER_URL };
  if (config.NODE_ENV === 'production' && kind !== 'all') {
    throw new StartupError(`a separate ${kind} process needs DATABASE_URL in production: api and worker processes must share one PostgreSQL server (the embedded one serves a single all-in-one process)`);
  }
  if (config.NODE_ENV === 'production' && !config.BACKUP_DIR) {
    throw new StartupError('the embedded database in production needs BACKUP_DIR, a folder (on another disk) for its verified backups, or DATABASE_URL for a PostgreSQL server you back up yourself');
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'fol', log });
  log.info({ dataDir: embedded.dataDir, port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL running');
  const roles = await provisionRoles(embedded.url, 'fol', embedded.credentials);
  return { url: roles.serviceUrl, ownerUrl: roles.ownerUrl, embedded };
}

/** Migrates as the owner; a service role alone only checks that nothing is pending. */
export async function migrateDatabase(url: string, ownerUrl: string | undefined, log: Logger): Promise<void> {
  if (ownerUrl) {
    const applied = await applyMigrations(ownerUrl);
    if (applied.length) log.info({ applied }, 'migrations applied');
    return;
  }
  const pending = await pendingMigrations(url);
  if (pending.length) throw new ConfigError(`${pending.length} database migration(s) pending (${pending.join(', ')}): set DATABASE_OWNER_URL, or run npm run db:migrate with it`);
}

/**
 * The worker side: the ledger (sealer and signed checkpoints), outbox relay, one worker per queue,
 * the SLA scheduler and the sweeper.
 */
async function startWorkerSide(core: CoreDeps, url: string, opts: RuntimeOptions) {
  const { config, db, log, clock, queues } = core;
  const ledger = startLedger(core, queues);
  const perJob = { webhook: { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS } };
  const relay = new OutboxRelay(db, url, queues, { attempts: config.JOB_ATTEMPTS, perJob }, log.child({ component: 'relay' }));
  await relay.start();
  const workers = startWorkers(queues, HANDLERS, core, {
    concurrency: config.WORKER_CONCURRENCY, timeoutMs: config.JOB_TIMEOUT_MS, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_STALLED_MS,
    onDeadLetter: holdForAttention, ...opts.worker,
  });
  const stopSla = scheduleSla(queues, config.SLA_SCAN_MS, log.child({ component: 'sla' }));
  const stopSweep = startSweeper(db, clock, log.child({ component: 'sweeper' }), { intervalMs: config.SWEEP_INTERVAL_MS, staleMs: config.STALE_WORK_MS });
  // Only the process that runs the embedded database can copy its files (BACKUP_DIR needs it; see config).
  const backupEveryMs = config.BACKUP_EVERY_HOURS * 3_600_000;
  const stopBackups = core.embedded ? scheduleBackups(queues, config.BACKUP_DIR ? backupEveryMs : null, log.child({ component: 'backup' })) : () => {};
  const stopWatch = config.BACKUP_DIR && core.embedded ? startBackupWatch(db, clock, log.child({ component: 'backup' }), backupEveryMs) : () => {};
  const stopRollup = scheduleRollup(queues, config.REPORT_ROLLUP_MS, log.child({ component: 'reports' }));
  return { relay, workers, ledger, stopTimers: () => (stopSla(), stopSweep(), stopBackups(), stopWatch(), stopRollup()) };
}

/** The API side: its own dependencies (sessions, limits, live streams), then the HTTP server. */
async function startApiSide(core: CoreDeps, url: string, kind: ProcessKind) {
  const { config, queues, log } = core;
  // All-in-one: requests get connections of their own, so a burst of jobs cannot hold them all.
  const db = kind === 'all' ? createDb(url, config.DB_POOL_API) : core.db;
  if (!config.SERVER_SECRET) log.warn('SERVER_SECRET is not set: account references in logs and sign-in limits use a key of this process only (they change at restart and differ between instances)');
  const sessionPolicy = { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000 };
  const live = new LiveHub(db, log.child({ component: 'live' }), {
    clock: core.clock, sessionPolicy, maxStreamsPerUser: config.LIVE_STREAMS_PER_USER, sessionCheckMs: config.LIVE_SESSION_CHECK_MS,
  });
  await live.start(queues, url);
  const stopGauges = await startDbGauges(core.db, log.child({ component: 'metrics' }), config.METRICS_REFRESH_MS);
  const apiDeps: AppDeps = {
    ...core,
    db,
    sessionPolicy,
    limits: {
      loginIp: sharedLimiter(queues.limiterStore, { keyPrefix: 'login-ip', points: config.LOGIN_RATE_PER_IP, durationS: 15 * 60 }),
      loginAccount: sharedLimiter(queues.limiterStore, { keyPrefix: 'login-account', points: config.LOGIN_RATE_PER_ACCOUNT, durationS: 15 * 60 }),
      api: config.API_RATE_PER_MINUTE ? localLimiter({ keyPrefix: 'api', points: config.API_RATE_PER_MINUTE, durationS: 60 }) : null,
    },
    live,
  };
  const app = createApp(apiDeps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const serverUrl = address && typeof address === 'object' ? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${address.port}` : undefined;
  const disconnect = () => (db === core.db ? Promise.resolve() : db.$disconnect());
  return { apiDeps, server, url: serverUrl, stopGauges, disconnect };
}

/**
 * The composition root. Starts one process of the given kind: `api` serves HTTP, `worker` runs the
 * outbox relay, the job workers and the sweeper, `all` does both. Only the connection factories know
 * which datastores are in use.
 */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger(config.LOG_LEVEL, { process: opts.kind }, undefined, config.LOG_FORMAT);
  const clock = opts.clock ?? systemClock;
  const ref = loadReferenceData();
  // Link weights and chemical roles are versioned data too: a bad file stops start-up.
  intelligenceData();
  const { url, ownerUrl, embedded } = await resolveDatabase(config, log, opts.kind);
  if (!opts.skipMigrations) await migrateDatabase(url, ownerUrl, log);
  const db = createDb(url);
  await warnUnlessLeastPrivilege(db, log);
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
  const core: CoreDeps = {
    config, db, log, clock, queues, health, embedded,
    engine: { ref, index: buildSubstanceIndex(ref.substances.substances), matchThreshold: config.MATCH_THRESHOLD },
  };
  if (config.SEED_DEMO) await seedDemoWork(core);

  const side = opts.kind !== 'api' ? await startWorkerSide(core, url, opts) : undefined;
  const api = opts.kind !== 'worker' ? await startApiSide(core, url, opts.kind) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      side?.stopTimers();
      api?.stopGauges();
      await api?.apiDeps.live.stop();
      const server = api?.server;
      const closeServer = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
      server?.closeIdleConnections();
      // Workers stop taking jobs and finish the active ones; worker.close() has no timeout of its own.
      const drain = Promise.all([closeServer, side?.relay.stop(), queues.close()]);
      const grace = new Promise((r) => setTimeout(r, config.SHUTDOWN_GRACE_MS).unref());
      await Promise.race([drain, grace]);
      server?.closeAllConnections();
      // Seals what is committed and signs a last checkpoint before the database goes away.
      await side?.ledger.stop();
      await api?.disconnect().catch(() => {});
      await db.$disconnect().catch(() => {});
      await embedded?.stop().catch(() => {});
    })();
    return stopping;
  };
  return { deps: core, apiDeps: api?.apiDeps, server: api?.server, url: api?.url, relay: side?.relay, workers: side?.workers ?? [], embedded, fatal, stop };
}
