import { z } from 'zod';
import { LOG_FORMATS } from './logger.ts';

/** Boolean env values: "1/true/yes" and "0/false/no". */
const zBool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const ZConfig = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Absent: 0.0.0.0, or loopback only while demo accounts exist (SEED_DEMO). */
  HOST: z.string().optional(),
  /** Absent: an embedded PostgreSQL is started (data under DATA_DIR). */
  DATABASE_URL: z.url().optional(),
  /**
   * Issue 14 (least privilege): the table owner's URL, used only to migrate. With it, DATABASE_URL is
   * the service role's; without it, start-up does not migrate and refuses to run while one is pending.
   */
  DATABASE_OWNER_URL: z.url().optional(),
  /** Absent: BullMQ runs on its PostgreSQL backend in the same database. */
  REDIS_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54321),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: pretty-printed when stdout is a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS).default('auto'),
  /** Namespaces queue names so several deployments (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default('fol'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Database connections of an all-in-one process's HTTP side, apart from the 20 its jobs share: a
   * backlog of jobs never makes a request wait for a connection.
   */
  DB_POOL_API: z.coerce.number().int().min(1).max(200).default(10),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  JOB_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** A worker that dies mid-job loses its lock after WORKER_LOCK_MS; stalled jobs are looked for every WORKER_STALLED_MS. */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  WORKER_STALLED_MS: z.coerce.number().int().min(500).default(30_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).default(10_000),
  /** Sweeper: work untouched this long is re-enqueued from database state. */
  STALE_WORK_MS: z.coerce.number().int().min(1000).default(120_000),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  BODY_LIMIT: z.string().default('100kb'),
  MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),
  /** Largest file attached to a sample or imported as a spectral library, in MiB (413 above). */
  FILE_MAX_MB: z.coerce.number().positive().max(1024).default(25),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Demo accounts with published passwords and demo work: never in production. */
  SEED_DEMO: zBool.default(false),
  TRUST_PROXY: z.string().default('false'),
  LAB_NAME: z.string().default('CBP Forward Operating Lab'),
  /** Sessions end after this long without a request, and this long after sign-in whatever happens. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  /** CJIS 5.5.3: this many wrong passwords in a row lock the account for LOGIN_LOCK_MINUTES. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  /** Sign-in attempts per 15 minutes, per client address and per account, shared by all API instances. */
  LOGIN_RATE_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_RATE_PER_ACCOUNT: z.coerce.number().int().min(1).default(20),
  /** API requests per minute per session (or per address without one), per API instance; 0 turns it off. */
  API_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** Live notification streams: at most this many per user and API instance (more is a 429). */
  LIVE_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /** How often the sessions behind open streams are re-checked: a stream closes within this of its session ending elsewhere. */
  LIVE_SESSION_CHECK_MS: z.coerce.number().int().min(100).default(5000),
  /**
   * Keys the account references in logs and in the sign-in limits (an HMAC of the email). Set it, the
   * same on every instance; without it each process draws its own (references change at restart).
   */
  SERVER_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Lets administrators change queues from the queue board (pause, empty, retry…), each change audited; read-only without it. */
  QUEUE_BOARD_WRITE: zBool.default(false),
  /** Bearer token for GET /metrics; without it, only scrapes from this host are answered. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** How often the database-backed gauges of /metrics are refreshed (a scrape never queries the database). */
  METRICS_REFRESH_MS: z.coerce.number().int().min(1000).default(15_000),
  /** Turnaround budgets per priority (hours from registration to release); the SLA job's clock. */
  SLA_URGENT_HOURS: z.coerce.number().positive().default(2),
  SLA_PRIORITY_HOURS: z.coerce.number().positive().default(8),
  SLA_ROUTINE_HOURS: z.coerce.number().positive().default(48),
  /** Share of the budget after which a sample is flagged SLA_AT_RISK. */
  SLA_AT_RISK_FRACTION: z.coerce.number().gt(0).lt(1).default(0.8),
  SLA_SCAN_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Open samples older than this count as backlog in the reports. */
  BACKLOG_DAYS: z.coerce.number().int().min(1).default(30),
  /** Turnaround periods with at most this many releases get exact percentiles; longer ones are read from the rollup (within 0.5 %). */
  REPORT_EXACT_MAX_SAMPLES: z.coerce.number().int().min(0).default(50_000),
  /** How often the worker brings the turnaround rollup up to date (days before today). */
  REPORT_ROLLUP_MS: z.coerce.number().int().min(1000).default(300_000),
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  // Issue 14, evidence ledger (src/audit/audit-config.ts resolves the defaults under DATA_DIR).
  /** Ed25519 key signing checkpoints (PKCS#8 PEM, mode 0600; created on first start). Never in the database. */
  AUDIT_KEY_FILE: z.string().optional(),
  /** Its public half as a C2SP verifier key; default: the key file's path + ".pub". */
  AUDIT_PUBLIC_KEY_FILE: z.string().optional(),
  /** Append-only copy of every signed checkpoint, one JSON object a line. */
  AUDIT_CHECKPOINT_FILE: z.string().optional(),
  /** The checkpoints' origin line and key name; default "fol-triage/<LAB_NAME as a slug>". */
  AUDIT_ORIGIN: z.string().regex(/^[^\s+]+$/, 'no spaces or "+"').optional(),
  AUDIT_CHECKPOINT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often the sealer gives new entries their place in the log. */
  AUDIT_SEAL_MS: z.coerce.number().int().min(20).default(500),
  /** Manifest intake: largest file accepted, and the row count above which it is imported by a job. */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  IMPORT_SYNC_ROWS: z.coerce.number().int().min(1).default(200),
  /**
   * Webhook receivers on loopback, private, link-local or other non-public addresses are refused
   * (SSRF) unless this is set: for tests and lab-internal receivers. In production it also allows
   * plain http to such a receiver; public receivers need https there whatever it says.
   */
  WEBHOOK_ALLOW_PRIVATE: zBool.default(false),
  /** DNS servers (`ip` or `ip:port`, comma-separated) for webhook hosts; absent: the system resolver. */
  WEBHOOK_DNS_SERVERS: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/, 'ip[:port], comma-separated').optional(),
  /** Scheduled backups of the embedded database (absent: none); each is verified by restoring it. */
  BACKUP_DIR: z.string().optional(),
  BACKUP_EVERY_HOURS: z.coerce.number().positive().max(24 * 31).default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
});

const ZCheckedConfig = ZConfig.superRefine((c, ctx) => {
  if (c.NODE_ENV === 'production' && c.SEED_DEMO) {
    ctx.addIssue({ code: 'custom', path: ['SEED_DEMO'], message: 'demo accounts with published passwords are refused when NODE_ENV=production: set SEED_DEMO=0, and ADMIN_EMAIL and ADMIN_PASSWORD for the first administrator' });
  }
  if (c.BACKUP_DIR && c.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['BACKUP_DIR'], message: 'scheduled backups cover the embedded database only; with DATABASE_URL back up your PostgreSQL server with its own tools (pg_basebackup, pgBackRest; README "Backups") and unset BACKUP_DIR' });
  }
}).transform((c) => ({
  ...c,
  HOST: c.HOST ?? (c.SEED_DEMO ? '127.0.0.1' : '0.0.0.0'),
  // Production logs go to a collector (journald, the container runtime): JSON lines, even at a terminal.
  LOG_FORMAT: c.NODE_ENV === 'production' && c.LOG_FORMAT === 'auto' ? ('json' as const) : c.LOG_FORMAT,
}));

export type TConfig = z.output<typeof ZCheckedConfig>;

/**
 * A start-up failure the operator can fix. Its message is one sentence saying what went wrong and
 * what to do; the entry points print it without a stack trace.
 */
export class StartupError extends Error {}

export class ConfigError extends StartupError {}

/** Parses the environment once; every bad key is listed in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<TConfig> = {}): TConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ZCheckedConfig.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, ...overrides };
}

/** The SLA in force: turnaround budget per priority (hours) and the share of it after which a sample is at risk. */
export const slaPolicy = (c: TConfig) => ({
  hours: { URGENT: c.SLA_URGENT_HOURS, PRIORITY: c.SLA_PRIORITY_HOURS, ROUTINE: c.SLA_ROUTINE_HOURS },
  atRiskFraction: c.SLA_AT_RISK_FRACTION,
});
