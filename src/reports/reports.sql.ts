import { Prisma } from '../lib/db.ts';
import type { Db, Tx } from '../lib/db.ts';
import { openSampleSql } from '../samples/sample.sql.ts';

/**
 * Manager reports, computed in PostgreSQL from the stage timestamps every transition stamps on the
 * sample (registered, queued, first test, submitted, released, routed). Percentiles are
 * percentile_cont (linear interpolation), hours as decimals. Long turnaround periods are answered
 * from the rollup instead (turnaround.ts, turnaround-rollup.ts).
 */
export type TGroupBy = 'port' | 'priority' | 'form' | 'category';
export const GROUP_COLUMN: Record<TGroupBy, Prisma.Sql> = {
  port: Prisma.sql`"portCode"`,
  priority: Prisma.sql`priority::text`,
  form: Prisma.sql`form::text`,
  category: Prisma.sql`coalesce(category, 'UNCLASSIFIED')`,
};

export const STAGES = [
  { stage: 'triage', from: 'registeredAt', to: 'queuedAt', label: 'registered → queued' },
  { stage: 'queue', from: 'queuedAt', to: 'firstTestAt', label: 'queued → first test' },
  { stage: 'analysis', from: 'firstTestAt', to: 'submittedAt', label: 'first test → submitted' },
  { stage: 'review', from: 'submittedAt', to: 'releasedAt', label: 'submitted → released' },
  { stage: 'routing', from: 'releasedAt', to: 'routedAt', label: 'released → routed' },
] as const;

/** Columns are UTC `timestamp`s: pass instants as UTC wall-clock time, whatever the server's TimeZone. */
export const ts = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp`;

export const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
// date_part is double precision; extract() is numeric, several times slower over a million rows.
export const hours = (a: string, b: string) => Prisma.raw(`date_part('epoch', "${b}" - "${a}") / 3600.0`);

export type TRange = { from: Date; to: Date; portCode?: string };

export const portFilter = (portCode?: string) => (portCode ? Prisma.sql`AND "portCode" = ${portCode}` : Prisma.empty);

/**
 * TAT = released − registered, for samples released in [from, to): exact percentiles, sorting every
 * duration of the period (src/reports/turnaround.ts chooses between this and the rollup).
 */
export async function exactTurnaround(db: Db | Tx, range: TRange, groupBy: TGroupBy) {
  const inRange = Prisma.sql`"releasedAt" >= ${ts(range.from)} AND "releasedAt" < ${ts(range.to)} ${portFilter(range.portCode)}`;
  // percentile_cont over an array of fractions sorts each column once for both p50 and p90.
  const groups = await db.$queryRaw<{ key: string; count: number; p: [number, number]; mean: number; breached: number }[]>`
    SELECT key, count(*)::int AS count, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY h) AS p, avg(h) AS mean,
           (count(*) FILTER (WHERE late))::int AS breached
    FROM (SELECT ${GROUP_COLUMN[groupBy]} AS key, ${hours('registeredAt', 'releasedAt')} AS h, "releasedAt" > "dueAt" AS late
          FROM "Sample" WHERE ${inRange}) t
    GROUP BY key ORDER BY key COLLATE "C"`;
  const stageCols = STAGES.map((s, i) => Prisma.sql`${hours(s.from, s.to)} AS ${Prisma.raw(`s${i}`)}`);
  const stageAggs = STAGES.map((_, i) => Prisma.raw(`percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY s${i}) AS p${i}, count(s${i})::int AS n${i}`));
  const [st] = await db.$queryRaw<Record<string, number | [number, number] | null>[]>`
    SELECT ${Prisma.join(stageAggs, ', ')} FROM (SELECT ${Prisma.join(stageCols, ', ')} FROM "Sample" WHERE ${inRange}) t`;
  return {
    from: range.from.toISOString(), to: range.to.toISOString(), groupBy, portCode: range.portCode ?? null,
    groups: groups.map((g) => ({ key: g.key, count: g.count, p50Hours: round(g.p[0]), p90Hours: round(g.p[1]), meanHours: round(g.mean), breached: g.breached })),
    stages: STAGES.map((s, i) => {
      const p = (st?.[`p${i}`] as [number | null, number | null] | null) ?? [null, null];
      return { stage: s.stage, label: s.label, count: (st?.[`n${i}`] as number) ?? 0, p50Hours: round(p[0]), p90Hours: round(p[1]) };
    }),
  };
}

export const AGE_BUCKETS = [
  { bucket: '<1d', maxDays: 1 },
  { bucket: '1-7d', maxDays: 7 },
  { bucket: '7-30d', maxDays: 30 },
] as const;

/** Open samples (not yet released) by status and age; backlog = open longer than `backlogDays`. */
export async function backlog(db: Db, now: Date, backlogDays: number, portCode?: string) {
  const age = Prisma.sql`date_part('epoch', ${ts(now)} - "registeredAt") / 86400.0`;
  const bucket = Prisma.sql`CASE WHEN ${age} < 1 THEN '<1d' WHEN ${age} < 7 THEN '1-7d' WHEN ${age} < ${backlogDays} THEN ${`7-${backlogDays}d`} ELSE ${`>${backlogDays}d`} END`;
  const open = Prisma.sql`${openSampleSql} ${portFilter(portCode)}`;
  const rows = await db.$queryRaw<{ status: string; bucket: string; count: number }[]>`
    SELECT status::text AS status, ${bucket} AS bucket, count(*)::int AS count FROM "Sample" WHERE ${open} GROUP BY 1, 2 ORDER BY 1, 2`;
  const [totals] = await db.$queryRaw<{ open: number; overdue: number; backlog: number }[]>`
    SELECT count(*)::int AS open,
           (count(*) FILTER (WHERE "dueAt" < ${ts(now)}))::int AS overdue,
           (count(*) FILTER (WHERE "registeredAt" < ${ts(now)} - make_interval(days => ${backlogDays})))::int AS backlog
    FROM "Sample" WHERE ${open}`;
  const [oldest] = await db.$queryRaw<{ id: string; barcode: string; registeredAt: Date }[]>`
    SELECT id::text AS id, barcode, "registeredAt" FROM "Sample" WHERE ${open} ORDER BY "registeredAt" LIMIT 1`;
  return {
    asOf: now.toISOString(), backlogDays, portCode: portCode ?? null,
    open: totals?.open ?? 0, overdue: totals?.overdue ?? 0, backlog: totals?.backlog ?? 0,
    oldest: oldest ? { id: oldest.id, barcode: oldest.barcode, registeredAt: oldest.registeredAt, ageDays: round((now.getTime() - oldest.registeredAt.getTime()) / 86_400_000) } : null,
    byStatus: rows,
  };
}

/** An operation summary: seizures made, samples registered and net weight (kg) by category, in [from, to). */
export async function operations(db: Db, range: TRange) {
  const [seizures] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Seizure" WHERE "seizedAt" >= ${ts(range.from)} AND "seizedAt" < ${ts(range.to)} ${portFilter(range.portCode)}`;
  const rows = await db.$queryRaw<{ category: string; samples: number; kg: number | null }[]>`
    SELECT coalesce(category, 'UNCLASSIFIED') AS category, count(*)::int AS samples, (sum("netWeightG") / 1000.0)::float8 AS kg
    FROM "Sample" WHERE "registeredAt" >= ${ts(range.from)} AND "registeredAt" < ${ts(range.to)} ${portFilter(range.portCode)}
    GROUP BY 1 ORDER BY 1`;
  return {
    from: range.from.toISOString(), to: range.to.toISOString(), portCode: range.portCode ?? null,
    seizures: seizures?.n ?? 0,
    samples: rows.reduce((n, r) => n + r.samples, 0),
    byCategory: rows.map((r) => ({ category: r.category, samples: r.samples, netWeightKg: round(r.kg ?? 0) })),
  };
}

/** Samples registered and released per UTC day in [from, to): the lab's throughput over time. */
export async function throughput(db: Db, range: TRange) {
  const rows = await db.$queryRaw<{ day: string; registered: number; released: number }[]>`
    WITH days AS (SELECT generate_series(date_trunc('day', ${ts(range.from)}), ${ts(range.to)} - interval '1 microsecond', interval '1 day')::date AS day),
    reg AS (SELECT "registeredAt"::date AS day, count(*)::int AS n FROM "Sample"
            WHERE "registeredAt" >= ${ts(range.from)} AND "registeredAt" < ${ts(range.to)} ${portFilter(range.portCode)} GROUP BY 1),
    rel AS (SELECT "releasedAt"::date AS day, count(*)::int AS n FROM "Sample"
            WHERE "releasedAt" >= ${ts(range.from)} AND "releasedAt" < ${ts(range.to)} ${portFilter(range.portCode)} GROUP BY 1)
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(reg.n, 0) AS registered, coalesce(rel.n, 0) AS released
    FROM days LEFT JOIN reg USING (day) LEFT JOIN rel USING (day) ORDER BY 1`;
  return { from: range.from.toISOString(), to: range.to.toISOString(), portCode: range.portCode ?? null, days: rows };
}
