import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../lib/db.ts';
import { TERMINAL_STATUSES } from '../domain/sample-lifecycle.rules.ts';
import { handleError } from '../lib/handle-error.ts';
import type { Logger } from '../lib/logger.ts';
import { errorBody } from './errors.ts';

/**
 * Prometheus metrics (prom-client, the maintained standard client): process metrics, HTTP requests by
 * route pattern, jobs by outcome, and — read from the database, so every instance reports the same
 * truth — the outbox backlog, dead letters, and open samples by status.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'fol_' });

const httpDuration = new Histogram({
  name: 'fol_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const jobsTotal = new Counter({
  name: 'fol_jobs_total',
  help: 'Jobs run by name and outcome (done, retry, dead)',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

/**
 * The database-backed figures, refreshed in the background (startDbGauges) rather than queried at
 * every scrape: a scrape costs no database work, however often or by whom it is made.
 */
let figures: { outboxPending: number; deadLetters: number; openByStatus: { status: string; n: number }[] } | null = null;

/** Reads the database-backed figures once (the background refresh calls this). */
export async function refreshDbGauges(db: Db): Promise<void> {
  const [outbox] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "publishedAt" IS NULL`;
  // Resolved dead letters (a manager retried the step or returned the sample) need nobody any more.
  const [dead] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "DeadLetter" WHERE "resolvedAt" IS NULL`;
  const open = await db.$queryRaw<{ status: string; n: number }[]>`
    SELECT status::text AS status, count(*)::int AS n FROM "Sample" WHERE status::text <> ALL(${TERMINAL_STATUSES}) GROUP BY status`;
  figures = { outboxPending: outbox?.n ?? 0, deadLetters: dead?.n ?? 0, openByStatus: open };
}

/** Refreshes the figures now and then every `intervalMs`; returns the function that stops it. */
export async function startDbGauges(db: Db, log: Logger, intervalMs: number): Promise<() => void> {
  const refresh = () => refreshDbGauges(db).catch((err) => void handleError(err, log, {}, { level: 'warn', msg: 'metrics refresh failed' }));
  await refresh();
  const timer = setInterval(refresh, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

new Gauge({
  name: 'fol_outbox_pending',
  help: 'Outbox rows not yet published to the queue',
  registers: [registry],
  collect() {
    if (figures) this.set(figures.outboxPending);
  },
});

new Gauge({
  name: 'fol_dead_letters',
  help: 'Jobs that exhausted their retries and that no manager has resolved yet',
  registers: [registry],
  collect() {
    if (figures) this.set(figures.deadLetters);
  },
});

new Gauge({
  name: 'fol_samples_open',
  help: 'Samples not yet routed, by status',
  labelNames: ['status'] as const,
  registers: [registry],
  collect() {
    if (!figures) return;
    this.reset();
    for (const r of figures.openByStatus) this.set({ status: r.status }, r.n);
  },
});

export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
    end({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
};

const isLoopback = (address: string | undefined) => {
  try {
    return !!address && ipaddr.process(address).range() === 'loopback';
  } catch {
    return false;
  }
};
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who may scrape: a client presenting `Authorization: Bearer <METRICS_TOKEN>`, or one on this host.
 * "On this host" needs both the socket's peer and the client address Express derives (which follows
 * X-Forwarded-For only from proxies TRUST_PROXY trusts): a reverse proxy on the same machine passes
 * remote scrapers through from loopback, and they still need the token.
 */
export function metricsGuard(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (token && presented && timingSafeEqual(digest(presented), digest(token))) return next();
    if (!presented && isLoopback(req.socket.remoteAddress) && isLoopback(req.ip)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    res.status(401).json(errorBody('UNAUTHENTICATED', 'Metrics need the METRICS_TOKEN bearer token, or a scrape from this host'));
  };
}

export const metricsEndpoint: RequestHandler = async (_req, res) => {
  res.setHeader('Content-Type', registry.contentType);
  res.end(await registry.metrics());
};
