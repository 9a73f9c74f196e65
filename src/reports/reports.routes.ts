import { z } from 'zod';
import type { Request, Response } from 'express';
import { defineRoute, ok, type Reply } from '../http/route.ts';
import { AppError } from '../lib/errors.ts';
import { ZDay, ZInstant } from '../http/input-rules.ts';
import { sendCsv, toCsv, wantsCsv } from '../http/csv.ts';
import { backlog, operations, throughput, type TRange } from './reports.sql.ts';
import { turnaround } from './turnaround.ts';

const DAY = 86_400_000;
const ZPeriod = {
  from: ZInstant.or(ZDay).optional(),
  to: ZInstant.or(ZDay).optional(),
  portCode: z.string().regex(/^\d{4}$/).optional(),
  format: z.enum(['json', 'csv']).optional(),
};

/** [from, to): `to` defaults to now, `from` to 30 days before `to`. */
function period(q: { from?: string; to?: string; portCode?: string }, now: Date): TRange {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw new AppError('VALIDATION_FAILED', 'The period is empty', [{ path: 'query.from', message: 'must be before `to`' }]);
  return { from, to, ...(q.portCode ? { portCode: q.portCode } : {}) };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** JSON by default; CSV (a download) on ?format=csv or Accept: text/csv. */
function answer<R>(req: Request, res: Response, format: string | undefined, r: R, csv: (r: R) => { name: string; header: string[]; rows: unknown[][] }): Reply | undefined {
  if (!wantsCsv(req, format)) return ok(r);
  const { name, header, rows } = csv(r);
  return sendCsv(res, `${name}.csv`, toCsv(header, rows));
}
const span = (r: { from: string; to: string }) => `${day(new Date(r.from))}-${day(new Date(r.to))}`;

export const reportRoutes = [
  defineRoute({
    method: 'get', path: '/reports/turnaround', tag: 'Reports', roles: ['MANAGER', 'ADMIN'], produces: ['application/json', 'text/csv'],
    summary: 'Turnaround (registered → released) p50/p90/mean per group, and per stage, for samples released in a period; `accuracy` says whether the percentiles are exact',
    query: z.strictObject({ ...ZPeriod, groupBy: z.enum(['port', 'priority', 'form', 'category']).default('port') }),
    handler: async ({ query, req, res, deps }) => {
      const r = await turnaround(deps.db, period(query, deps.clock.now()), query.groupBy, deps.config.REPORT_EXACT_MAX_SAMPLES);
      return answer(req, res, query.format, r, () => ({
        name: `turnaround-${span(r)}`,
        header: ['kind', 'key', 'count', 'p50Hours', 'p90Hours', 'meanHours', 'breached'],
        rows: [
          ...r.groups.map((g) => ['group', `${query.groupBy}:${g.key}`, g.count, g.p50Hours, g.p90Hours, g.meanHours, g.breached]),
          ...r.stages.map((s) => ['stage', s.stage, s.count, s.p50Hours, s.p90Hours, '', '']),
          // How far p50Hours and p90Hours may be from the exact percentiles (relative): 0 when exact.
          ['accuracy', r.accuracy.method, '', r.accuracy.relativeError, r.accuracy.relativeError, '', ''],
        ],
      }));
    },
  }),
  defineRoute({
    method: 'get', path: '/reports/backlog', tag: 'Reports', roles: ['MANAGER', 'ADMIN'], produces: ['application/json', 'text/csv'],
    summary: 'Open samples by status and age bucket, overdue count, backlog (open longer than BACKLOG_DAYS) and the oldest',
    query: z.strictObject({ portCode: ZPeriod.portCode, format: ZPeriod.format }),
    handler: async ({ query, req, res, deps }) => {
      const r = await backlog(deps.db, deps.clock.now(), deps.config.BACKLOG_DAYS, query.portCode);
      return answer(req, res, query.format, r, () => ({ name: `backlog-${day(new Date(r.asOf))}`, header: ['status', 'ageBucket', 'count'], rows: r.byStatus.map((b) => [b.status, b.bucket, b.count]) }));
    },
  }),
  defineRoute({
    method: 'get', path: '/reports/operations', tag: 'Reports', roles: ['MANAGER', 'ADMIN'], produces: ['application/json', 'text/csv'],
    summary: 'Operation summary for a period and port: seizures, samples and net weight (kg) by category',
    query: z.strictObject(ZPeriod),
    handler: async ({ query, req, res, deps }) => {
      const r = await operations(deps.db, period(query, deps.clock.now()));
      const totalKg = Math.round(r.byCategory.reduce((kg, c) => kg + (c.netWeightKg ?? 0), 0) * 1000) / 1000;
      return answer(req, res, query.format, r, () => ({
        name: `operations-${r.portCode ?? 'all'}-${span(r)}`,
        // Each row carries what it summarises (the period [from, to), the port, the seizures in it), so
        // a file read on its own, or pasted into a larger sheet, still says what it counts.
        header: ['category', 'samples', 'netWeightKg', 'periodFrom', 'periodTo', 'portCode', 'seizures'],
        rows: [...r.byCategory.map((c) => [c.category, c.samples, c.netWeightKg]), ['TOTAL', r.samples, totalKg]]
          .map((row) => [...row, r.from, r.to, r.portCode ?? 'all', r.seizures]),
      }));
    },
  }),
  defineRoute({
    method: 'get', path: '/reports/throughput', tag: 'Reports', roles: ['MANAGER', 'ADMIN'], produces: ['application/json', 'text/csv'],
    summary: 'Samples registered and released per day (UTC) in a period',
    query: z.strictObject(ZPeriod),
    handler: async ({ query, req, res, deps }) => {
      const r = await throughput(deps.db, period(query, deps.clock.now()));
      return answer(req, res, query.format, r, () => ({ name: `throughput-${span(r)}`, header: ['day', 'registered', 'released'], rows: r.days.map((d) => [d.day, d.registered, d.released]) }));
    },
  }),
];
