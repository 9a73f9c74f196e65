import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../lib/db.ts';
import { TERMINAL_STATUSES } from '../domain/sample-lifecycle.rules.ts';

/**
 * Prometheus metrics (prom-client, the maintained standard client): process metrics, HTTP requests by
 * route pattern, jobs by outcome, and — read from the database at scrape time, so every instance
 * reports the same truth — the outbox backlog, dead letters, and open samples by status.
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

let db: Db | undefined;
/** Gauges read from the database, for the instance that serves /metrics. */
export function bindMetricsDb(d: Db): void {
  db = d;
}

new Gauge({
  name: 'fol_outbox_pending',
  help: 'Outbox rows not yet published to the queue',
  registers: [registry],
  async collect() {
    if (!db) return;
    const [r] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "publishedAt" IS NULL`;
    this.set(r?.n ?? 0);
  },
});

new Gauge({
  name: 'fol_dead_letters',
  help: 'Jobs that exhausted their retries',
  registers: [registry],
  async collect() {
    if (!db) return;
    const [r] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "DeadLetter"`;
    this.set(r?.n ?? 0);
  },
});

new Gauge({
  name: 'fol_samples_open',
  help: 'Samples not yet routed, by status',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    if (!db) return;
    const rows = await db.$queryRaw<{ status: string; n: number }[]>`
      SELECT status::text AS status, count(*)::int AS n FROM "Sample" WHERE status::text <> ALL(${TERMINAL_STATUSES}) GROUP BY status`;
    this.reset();
    for (const r of rows) this.set({ status: r.status }, r.n);
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

export const metricsEndpoint: RequestHandler = async (_req, res) => {
  res.setHeader('Content-Type', registry.contentType);
  res.end(await registry.metrics());
};
