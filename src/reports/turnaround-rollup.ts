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

export type TSketchRow = { dim: 'group' | 'stage'; key: string; fromRollup: number; fromSamples: number; sum: number; breached: number; sketches: Uint8Array };

const VARINT_STEPS = (partition: string) =>
  `string_agg(fol_tat_varint(((k - pk) << 1) # ((k - pk) >> 63)) || fol_tat_varint(c), ''::bytea ORDER BY k) AS sketch`
  + ` FROM (SELECT *, coalesce(lag(k) OVER (PARTITION BY ${partition} ORDER BY k), 0) AS pk`;

/**
 * The histograms of [from, to), per group of `groupBy` and per stage, in one statement (one
 * snapshot): the cells of the whole months and days the rollup covers (built with this definition,
 * no marker in them), and histograms made on the spot of the samples released everywhere else — the
 * partial days at either end and every day not covered. Each row carries its histograms as
 * length-prefixed encodings (TatSketch.addEncodedList) and how many releases came from where.
 */
export async function readSketches(db: Db, from: Date, to: Date, groupBy: TGroupBy, portCode?: string): Promise<TSketchRow[]> {
  const first = new Date(Math.ceil(from.getTime() / DAY) * DAY);
  const end = new Date(Math.max(dayOf(to).getTime(), first.getTime()));
  const [f, e, a, b] = [first, end, from, to].map((d) => d.toISOString());
  const groups = groupBy === 'port'
    ? Prisma.sql`c."portCode" = '*' AND c.dim = 'port' ${portCode ? Prisma.sql`AND c.key = ${portCode}` : Prisma.empty}`
    : Prisma.sql`c."portCode" = ${portCode ?? '*'} AND c.dim = ${groupBy}`;
  const stages = Prisma.raw(STAGES.map((st, i) => `('${st.stage}', s.s${i})`).join(', '));
  return db.$queryRaw<TSketchRow[]>`
    WITH days AS (SELECT d::date AS day FROM generate_series(${f}::timestamp, ${e}::timestamp - interval '1 day', interval '1 day') d),
    marked AS (SELECT DISTINCT day FROM "TatRollupStale" WHERE day >= ${f}::date AND day < ${e}::date),
    months AS (SELECT sp.start FROM "TatRollupSpan" sp
               WHERE sp.grain = 'm' AND sp.method = ${SKETCH_METHOD} AND sp.start >= ${f}::date AND sp.start + interval '1 month' <= ${e}::timestamp
                 AND NOT EXISTS (SELECT 1 FROM marked x WHERE x.day >= sp.start AND x.day < sp.start + interval '1 month')),
    loose AS (SELECT days.day,
                     EXISTS (SELECT 1 FROM "TatRollupSpan" sp WHERE sp.grain = 'd' AND sp.start = days.day AND sp.method = ${SKETCH_METHOD})
                     AND NOT EXISTS (SELECT 1 FROM marked x WHERE x.day = days.day) AS covered
              FROM days WHERE NOT EXISTS (SELECT 1 FROM months m WHERE days.day >= m.start AND days.day < m.start + interval '1 month')),
    spans AS (SELECT 'm'::char(1) AS grain, start FROM months UNION ALL SELECT 'd'::char(1), day FROM loose WHERE covered),
    intervals AS (SELECT ${a}::timestamp AS a, least(${f}::timestamp, ${b}::timestamp) AS b WHERE ${a}::timestamp < least(${f}::timestamp, ${b}::timestamp)
                  UNION ALL SELECT day::timestamp, day + interval '1 day' FROM loose WHERE NOT covered
                  UNION ALL SELECT ${e}::timestamp, ${b}::timestamp WHERE ${e}::timestamp < ${b}::timestamp),
    s AS (SELECT x.* FROM intervals r CROSS JOIN LATERAL (
            -- OFFSET 0 keeps this a range scan per interval: pulled up into a join, a port's 100,000 samples would be read to keep a few hundred.
            SELECT ${GROUP_COLUMN[groupBy]} AS key, ${SAMPLE_COLUMNS} FROM "Sample" WHERE "releasedAt" >= r.a AND "releasedAt" < r.b ${portFilter(portCode)} OFFSET 0) x),
    buckets AS (
      SELECT 'group' AS dim, key, ${Prisma.raw(sqlBucketKey('h'))}::bigint AS k, count(*)::int AS c, sum(h) AS sx, (count(*) FILTER (WHERE late))::int AS bl FROM s GROUP BY 2, 3
      UNION ALL
      SELECT 'stage', st.stage, ${Prisma.raw(sqlBucketKey('st.v'))}::bigint, count(*)::int, 0, 0
      FROM s CROSS JOIN LATERAL (VALUES ${stages}) st(stage, v) WHERE st.v IS NOT NULL GROUP BY 2, 3),
    raw AS (SELECT dim, key, sum(c)::int AS n, sum(sx) AS sum, sum(bl)::int AS breached, ${Prisma.raw(VARINT_STEPS('dim, key'))} FROM buckets) z GROUP BY dim, key),
    cells AS (SELECT CASE WHEN c.dim = 'stage' THEN 'stage' ELSE 'group' END AS dim, c.key, c.n, c.sum, c.breached, c.sketch
              FROM spans JOIN "TatRollupCell" c ON c.grain = spans.grain AND c.start = spans.start
              WHERE (${groups}) OR (c."portCode" = ${portCode ?? '*'} AND c.dim = 'stage'))
    SELECT dim, key, sum(n_rollup)::int AS "fromRollup", sum(n_samples)::int AS "fromSamples", sum(sum) AS sum, sum(breached)::int AS breached,
           string_agg(fol_tat_varint(length(sketch)) || sketch, ''::bytea) AS sketches
    FROM (SELECT dim, key, n AS n_rollup, 0 AS n_samples, sum, breached, sketch FROM cells
          UNION ALL SELECT dim, key, 0, n, sum, breached, sketch FROM raw) u
    GROUP BY dim, key`;
}
