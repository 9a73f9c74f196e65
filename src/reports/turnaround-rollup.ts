import { Prisma } from '../lib/db.ts';
import type { Db, Tx } from '../lib/db.ts';
import { SKETCH_METHOD, sqlBucketKey } from '../domain/tat-sketch.rules.ts';
import { GROUP_COLUMN, hours, portFilter, STAGES, type TGroupBy } from './reports.sql.ts';

/**
 * The turnaround rollup (migration turnaround_rollup): per UTC day and calendar month of release,
 * per group a report can ask for, the count, sum of hours, late releases and a log-bucket histogram.
 *
 * Freshness: triggers on "Sample" leave a marker for the release day of every changed released
 * sample, in the changing transaction. A refresh deletes the markers it sees *before* reading the
 * samples, so every change it deletes a marker of is in what it reads; a change committed later keeps
 * its marker, and the day (and its month) stays uncovered until the next refresh. Readers use a span
 * only while it is built with the current histogram definition and has no marker.
 */
export const DAY = 86_400_000;
const LOCK = Prisma.sql`pg_advisory_xact_lock(hashtext('fol:turnaround-rollup'))`;

export const dayOf = (d: Date) => new Date(Math.floor(d.getTime() / DAY) * DAY);
export const iso = (d: Date) => d.toISOString().slice(0, 10);
export const monthOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
export const nextMonth = (m: Date) => new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));

/** The durations of each sample released in a span, as the reports define them. */
const SAMPLE_COLUMNS = Prisma.sql`"portCode" AS port, priority::text AS priority, form::text AS form, coalesce(category, 'UNCLASSIFIED') AS category,
  ${hours('registeredAt', 'releasedAt')} AS h, "releasedAt" > "dueAt" AS late,
  ${Prisma.join(STAGES.map((st, i) => Prisma.sql`${hours(st.from, st.to)} AS ${Prisma.raw(`s${i}`)}`), ', ')}`;

/** Each sample counts in its port's group, in every other group both for all ports ('*') and for its port, and in each stage it has. */
const CELL_ROWS = Prisma.raw([
  `('*', 'port', s.port, s.h, s.late)`,
  ...(['priority', 'form', 'category'] as const).flatMap((d) => [`('*', '${d}', s.${d}, s.h, s.late)`, `(s.port, '${d}', s.${d}, s.h, s.late)`]),
  ...STAGES.flatMap((st, i) => [`('*', 'stage', '${st.stage}', s.s${i}, false)`, `(s.port, 'stage', '${st.stage}', s.s${i}, false)`]),
].join(',\n    '));

/** Writes the cells of the given spans (their old cells deleted first) from the samples released in them. */
async function buildCells(tx: Tx, grain: 'd' | 'm', starts: string[]) {
  if (!starts.length) return;
  const step = grain === 'd' ? Prisma.sql`interval '1 day'` : Prisma.sql`interval '1 month'`;
  await tx.$executeRaw`DELETE FROM "TatRollupCell" WHERE grain = ${grain} AND start = ANY(${starts}::date[])`;
  await tx.$executeRaw`
    INSERT INTO "TatRollupCell" (grain, start, "portCode", dim, key, n, sum, breached, sketch)
    SELECT ${grain}, start, port, dim, key, sum(c)::int, sum(sx), sum(bl)::int,
           string_agg(fol_tat_varint(((k - pk) << 1) # ((k - pk) >> 63)) || fol_tat_varint(c), ''::bytea ORDER BY k)
    FROM (
      SELECT *, coalesce(lag(k) OVER (PARTITION BY start, port, dim, key ORDER BY k), 0) AS pk FROM (
        SELECT t.start, v.port, v.dim, v.key, ${Prisma.raw(sqlBucketKey('v.x'))}::bigint AS k, count(*)::int AS c, sum(v.x) AS sx, count(*) FILTER (WHERE v.late) AS bl
        FROM unnest(${starts}::date[]) AS t(start)
        CROSS JOIN LATERAL (SELECT ${SAMPLE_COLUMNS} FROM "Sample" WHERE "releasedAt" >= t.start AND "releasedAt" < t.start + ${step}) s
        CROSS JOIN LATERAL (VALUES
      ${CELL_ROWS}) v(port, dim, key, x, late)
        WHERE v.x IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5) b0
    ) b
    GROUP BY start, port, dim, key`;
  await tx.$executeRaw`
    INSERT INTO "TatRollupSpan" (grain, start, method, "builtAt") SELECT ${grain}, d, ${SKETCH_METHOD}, now() FROM unnest(${starts}::date[]) d
    ON CONFLICT (grain, start) DO UPDATE SET method = excluded.method, "builtAt" = excluded."builtAt"`;
}

async function dropMonth(tx: Tx, month: string) {
  await tx.$executeRaw`DELETE FROM "TatRollupCell" WHERE grain = 'm' AND start = ${month}::date`;
  await tx.$executeRaw`DELETE FROM "TatRollupSpan" WHERE grain = 'm' AND start = ${month}::date`;
}

/** One month's worth of work in one transaction: its marked or missing days, and the month itself once it is over. */
async function refreshMonth(db: Db, month: Date, days: Set<string>, today: Date) {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT ${LOCK}`;
    const end = new Date(Math.min(nextMonth(month).getTime(), today.getTime()));
    // Before reading any sample: a marker deleted here belongs to a change this transaction will see.
    const marked = await tx.$queryRaw<{ day: string }[]>`
      DELETE FROM "TatRollupStale" WHERE day >= ${iso(month)}::date AND day < ${iso(end)}::date RETURNING to_char(day, 'YYYY-MM-DD') AS day`;
    for (const m of marked) days.add(m.day);
    await buildCells(tx, 'd', [...days].sort());
    // A month is usable only when over (no later day to come) and rebuilt with each of its days.
    if (nextMonth(month) <= today) await buildCells(tx, 'm', [iso(month)]);
    else await dropMonth(tx, iso(month));
  }, { timeout: 10 * 60_000, maxWait: 60_000 });
}

/**
 * Brings the rollup up to date up to the day before `now` (today is still changing; reports read it
 * from the samples): builds the days and months never built, rebuilds those with markers. Works a
 * month per transaction, newest first, and stops after `budgetMs` (`more` says work is left).
 */
export async function refreshTurnaroundRollup(db: Db, now: Date, opts: { budgetMs?: number } = {}) {
  const started = Date.now();
  const today = dayOf(now);
  const [{ first } = { first: null }] = await db.$queryRaw<{ first: Date | null }[]>`SELECT min("releasedAt") AS first FROM "Sample" WHERE "releasedAt" IS NOT NULL`;
  const todo = new Map<string, Set<string>>();
  const want = (day: string) => {
    const m = iso(monthOf(new Date(`${day}T00:00:00Z`)));
    if (!todo.has(m)) todo.set(m, new Set());
    todo.get(m)!.add(day);
  };
  const stale = await db.$queryRaw<{ day: string }[]>`SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM "TatRollupStale" WHERE day < ${iso(today)}::date`;
  stale.forEach((s) => want(s.day));
  if (first && dayOf(first) < today) {
    const from = iso(monthOf(first));
    const missing = await db.$queryRaw<{ grain: string; start: string }[]>`
      SELECT 'd' AS grain, to_char(d, 'YYYY-MM-DD') AS start FROM generate_series(${from}::timestamp, ${iso(today)}::timestamp - interval '1 day', interval '1 day') d
      WHERE NOT EXISTS (SELECT 1 FROM "TatRollupSpan" s WHERE s.grain = 'd' AND s.start = d::date AND s.method = ${SKETCH_METHOD})
      UNION ALL
      SELECT 'm', to_char(m, 'YYYY-MM-DD') FROM generate_series(${from}::timestamp, date_trunc('month', ${iso(today)}::timestamp) - interval '1 month', interval '1 month') m
      WHERE NOT EXISTS (SELECT 1 FROM "TatRollupSpan" s WHERE s.grain = 'm' AND s.start = m::date AND s.method = ${SKETCH_METHOD})`;
    for (const r of missing) {
      if (r.grain === 'd') want(r.start);
      else if (!todo.has(r.start)) todo.set(r.start, new Set());
    }
  }
  let done = 0;
  let days = 0;
  const months = [...todo.keys()].sort().reverse();
  for (const m of months) {
    if (opts.budgetMs !== undefined && done > 0 && Date.now() - started > opts.budgetMs) break;
    const set = todo.get(m)!;
    await refreshMonth(db, new Date(`${m}T00:00:00Z`), set, today);
    days += set.size;
    done++;
  }
  return { months: done, days, more: done < months.length };
}

export type TCoverage = { months: string[]; days: string[]; raw: [Date, Date][] };

/**
 * How [from, to) is read: whole months and days the rollup covers (built with this definition, no
 * marker in them), and intervals read from the samples: the partial days at either end and every
 * day not covered.
 */
export async function coverage(tx: Tx, from: Date, to: Date): Promise<TCoverage> {
  const first = new Date(Math.ceil(from.getTime() / DAY) * DAY);
  const end = dayOf(to);
  const raw: [Date, Date][] = [];
  const push = (a: Date, b: Date) => {
    if (a >= b) return;
    const last = raw[raw.length - 1];
    if (last && last[1].getTime() === a.getTime()) last[1] = b;
    else raw.push([a, b]);
  };
  if (first >= end) {
    push(from, to);
    return { months: [], days: [], raw };
  }
  const spans = await tx.$queryRaw<{ grain: string; start: string }[]>`
    SELECT grain, to_char(start, 'YYYY-MM-DD') AS start FROM "TatRollupSpan" s
    WHERE method = ${SKETCH_METHOD} AND start >= ${iso(monthOf(first))}::date AND start < ${iso(end)}::date
      AND (grain = 'm' OR start >= ${iso(first)}::date)
      AND NOT EXISTS (SELECT 1 FROM "TatRollupStale" x WHERE x.day >= s.start AND x.day < s.start + CASE WHEN s.grain = 'd' THEN interval '1 day' ELSE interval '1 month' END)`;
  const covered = new Set(spans.filter((s) => s.grain === 'd').map((s) => s.start));
  const months = new Set(spans.filter((s) => s.grain === 'm').map((s) => s.start));
  const out: TCoverage = { months: [], days: [], raw };
  push(from, first);
  for (let d = first; d < end;) {
    const m = iso(d);
    const next = nextMonth(d);
    if (d.getUTCDate() === 1 && next <= end && months.has(m)) {
      out.months.push(m);
      d = next;
      continue;
    }
    const tomorrow = new Date(d.getTime() + DAY);
    if (covered.has(m)) out.days.push(m);
    else push(d, tomorrow);
    d = tomorrow;
  }
  push(end, to);
  return out;
}

export type THistRow = { dim: string; key: string; n: number; sum: number; breached: number };
export type TCellRow = THistRow & { sketch: Uint8Array };
export type TRawRow = THistRow & { k: number };

/** The cells of the covered spans: the groups of `groupBy` and the stages, for one port or all. */
export async function readCells(tx: Tx, cov: TCoverage, groupBy: TGroupBy, portCode?: string): Promise<TCellRow[]> {
  if (!cov.months.length && !cov.days.length) return [];
  const groups = groupBy === 'port'
    ? Prisma.sql`"portCode" = '*' AND dim = 'port' ${portCode ? Prisma.sql`AND key = ${portCode}` : Prisma.empty}`
    : Prisma.sql`"portCode" = ${portCode ?? '*'} AND dim = ${groupBy}`;
  return tx.$queryRaw<TCellRow[]>`
    SELECT dim, key, n, sum, breached, sketch FROM "TatRollupCell"
    WHERE ((${groups}) OR ("portCode" = ${portCode ?? '*'} AND dim = 'stage'))
      AND ((grain = 'm' AND start = ANY(${cov.months}::date[])) OR (grain = 'd' AND start = ANY(${cov.days}::date[])))`;
}

/** Bucketed counts of the samples released in the given intervals, per group (dim 'group') and per stage. */
export async function readRaw(tx: Tx, intervals: [Date, Date][], groupBy: TGroupBy, portCode?: string): Promise<TRawRow[]> {
  if (!intervals.length) return [];
  const a = intervals.map(([x]) => x.toISOString());
  const b = intervals.map(([, y]) => y.toISOString());
  const stages = Prisma.raw(STAGES.map((st, i) => `('${st.stage}', s.s${i})`).join(', '));
  return tx.$queryRaw<TRawRow[]>`
    WITH s AS (
      SELECT x.* FROM unnest(${a}::timestamp[], ${b}::timestamp[]) AS r(a, b)
      CROSS JOIN LATERAL (SELECT ${GROUP_COLUMN[groupBy]} AS key, ${SAMPLE_COLUMNS} FROM "Sample"
                          WHERE "releasedAt" >= r.a AND "releasedAt" < r.b ${portFilter(portCode)}) x)
    SELECT 'group' AS dim, key, ${Prisma.raw(sqlBucketKey('h'))} AS k, count(*)::int AS n, sum(h) AS sum, (count(*) FILTER (WHERE late))::int AS breached
    FROM s GROUP BY 2, 3
    UNION ALL
    SELECT 'stage', st.stage, ${Prisma.raw(sqlBucketKey('st.v'))}, count(*)::int, 0, 0
    FROM s CROSS JOIN LATERAL (VALUES ${stages}) st(stage, v) WHERE st.v IS NOT NULL GROUP BY 2, 3`;
}
