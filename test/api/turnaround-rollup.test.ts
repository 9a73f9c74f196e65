import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { SKETCH_ALPHA } from '../../src/domain/tat-sketch.rules.ts';
import { refreshTurnaroundRollup } from '../../src/reports/turnaround-rollup.ts';
import { auth, eventually, startHarness, superuserUrl, type Harness } from '../support/harness.ts';

/**
 * The turnaround report read from the rollup (REPORT_EXACT_MAX_SAMPLES=0: always the sketch), against
 * PostgreSQL's own percentile_cont over the same samples, before and after the rollup is built, and
 * after samples change under it. Durations per port: 2604 Pareto (heavy tail), 2504 ties (2 h or
 * 48 h), 2503 zeros and uniform, 2303 log-normal; 2506 one release, 2507 two, 2305 none in the period.
 */
const NOW = new Date('2026-09-15T12:00:00Z');
const clock = fixedClock(NOW);
const FROM = '2026-05-20T07:30:00.000Z';
const PERIOD = `from=${FROM}&to=${NOW.toISOString()}`;
const GROUPS = { port: `"portCode"`, priority: 'priority::text', form: 'form::text', category: `coalesce(category, 'UNCLASSIFIED')` } as const;
const STAGES: [string, string, string][] = [
  ['triage', 'registeredAt', 'queuedAt'], ['queue', 'queuedAt', 'firstTestAt'], ['analysis', 'firstTestAt', 'submittedAt'],
  ['review', 'submittedAt', 'releasedAt'], ['routing', 'releasedAt', 'routedAt'],
];
const hoursSql = (a: string, b: string) => `date_part('epoch', "${b}" - "${a}") / 3600.0`;

let h: Harness;
let manager: string;
let userId: string;

type TRow = { key: string; count: number; p50Hours: number | null; p90Hours: number | null; meanHours?: number; breached?: number };
type TReport = { groups: TRow[]; stages: (TRow & { stage: string })[]; accuracy: { method: string; relativeError: number; fromRollup: number; fromSamples: number } };

async function report(groupBy: keyof typeof GROUPS, portCode?: string): Promise<TReport> {
  const res = await h.http().get(`/api/v1/reports/turnaround?${PERIOD}&groupBy=${groupBy}${portCode ? `&portCode=${portCode}` : ''}`).set(auth(manager));
  expect(res.status).toBe(200);
  return res.body;
}

/** What PostgreSQL computes exactly over every sample released in the period. */
async function exact(groupBy: keyof typeof GROUPS, portCode?: string) {
  const where = `"releasedAt" >= $1::timestamp AND "releasedAt" < $2::timestamp ${portCode ? `AND "portCode" = '${portCode}'` : ''}`;
  const groups = await h.sql<{ key: string; n: number; p50: number; p90: number; mean: number; breached: number }>(`
    SELECT ${GROUPS[groupBy]} AS key, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p90,
           avg(x) AS mean, (count(*) FILTER (WHERE "releasedAt" > "dueAt"))::int AS breached
    FROM (SELECT *, ${hoursSql('registeredAt', 'releasedAt')} AS x FROM "Sample" WHERE ${where}) s GROUP BY 1 ORDER BY ${GROUPS[groupBy]} COLLATE "C"`, [FROM, NOW.toISOString()]);
  const stages = [];
  for (const [stage, a, b] of STAGES) {
    const [r] = await h.sql<{ n: number; p50: number | null; p90: number | null }>(`
      SELECT count(x)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p90
      FROM (SELECT ${hoursSql(a, b)} AS x FROM "Sample" WHERE ${where}) s`, [FROM, NOW.toISOString()]);
    stages.push({ stage, ...r! });
  }
  return { groups, stages };
}

/** The stated bound, after the report's rounding to 3 decimals: α × |exact| + 0.0005 h. */
function expectWithin(got: number | null, want: number | null, what: string) {
  if (want === null) return expect(got, what).toBeNull();
  expect(got, what).not.toBeNull();
  expect(Math.abs(got! - want), `${what}: ${got} against exact ${want}`).toBeLessThanOrEqual(SKETCH_ALPHA * Math.abs(want) + 0.0005 + 1e-9);
}

async function expectBound(groupBy: keyof typeof GROUPS, portCode?: string) {
  const [got, want] = [await report(groupBy, portCode), await exact(groupBy, portCode)];
  expect(got.accuracy).toMatchObject({ method: 'sketch', relativeError: SKETCH_ALPHA });
  expect(got.groups.map((g) => [g.key, g.count, g.breached])).toEqual(want.groups.map((g) => [g.key, g.n, g.breached]));
  want.groups.forEach((w, i) => {
    const g = got.groups[i]!;
    expect(Math.abs(g.meanHours! - w.mean), `mean of ${w.key}`).toBeLessThanOrEqual(0.0005 + 1e-9);
    expectWithin(g.p50Hours, w.p50, `p50 of ${groupBy} ${w.key}`);
    expectWithin(g.p90Hours, w.p90, `p90 of ${groupBy} ${w.key}`);
  });
  expect(got.stages.map((s) => [s.stage, s.count])).toEqual(want.stages.map((s) => [s.stage, s.n]));
  want.stages.forEach((w, i) => {
    expectWithin(got.stages[i]!.p50Hours, w.p50, `p50 of stage ${w.stage}`);
    expectWithin(got.stages[i]!.p90Hours, w.p90, `p90 of stage ${w.stage}`);
  });
  return got;
}

/** Samples released `daysAgo` before now with the given turnaround (hours); stages split it, routed half an hour later unless `routed` is false. */
async function insertSamples(port: string, rows: { daysAgo: number; tat: number; routed?: boolean }[]): Promise<string[]> {
  const seizures: string[] = [];
  for (const r of rows) {
    const seizureId = randomUUID();
    await h.sql(`INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById") VALUES ($1, $2, $3, $4::timestamp - interval '1 day' * $5, false, $6)`,
      [seizureId, `RU-${seizureId.slice(0, 8)}`, port, NOW.toISOString(), r.daysAgo + r.tat / 24 + 1, userId]);
    await h.sql(`
      WITH t AS (SELECT $4::timestamp - interval '1 day' * $5 AS rel, $6::float8 AS tat)
      INSERT INTO "Sample" (id, barcode, "seizureId", "portCode", "itemNumber", form, description, "grossWeightG", "netWeightG", "sealNumber", priority, status,
                            "registeredById", "registeredAt", "dueAt", "queuedAt", "firstTestAt", "submittedAt", "releasedAt", "routedAt", "updatedAt", category)
      SELECT gen_random_uuid(), 'RU' || substr(md5(random()::text), 1, 12), $1, $2, 1, 'POWDER', 'fixture', 10, 5, 'S', 'ROUTINE', CASE WHEN $7 THEN 'ROUTED' ELSE 'RELEASED' END::"SampleStatus",
             $3, rel - tat * interval '1 hour', rel - tat * interval '1 hour' + interval '48 hours', rel - tat * 0.9 * interval '1 hour', rel - tat * 0.7 * interval '1 hour',
             rel - tat * 0.2 * interval '1 hour', rel, CASE WHEN $7 THEN rel + interval '30 minutes' END, rel, 'FENTANYL'
      FROM t`, [seizureId, port, userId, NOW.toISOString(), r.daysAgo, r.tat, r.routed ?? true]);
    seizures.push(seizureId);
  }
  return seizures;
}

beforeAll(async () => {
  h = await startHarness({ kind: 'api', clock, env: { REPORT_EXACT_MAX_SAMPLES: '0' } });
  const m = await h.user('MANAGER');
  manager = m.token;
  userId = m.id;
  // 4,000 releases over 130 days, one seizure each, in SQL.
  await h.sql(`
    INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById")
    SELECT md5('rollup-' || g)::uuid, 'RG-' || g, (ARRAY['2604', '2504', '2503', '2303'])[1 + g % 4], $1::timestamp - interval '200 days', false, $2
    FROM generate_series(1, 4000) g`, [NOW.toISOString(), userId]);
  await h.sql(`
    WITH g AS (SELECT g, (ARRAY['2604', '2504', '2503', '2303'])[1 + g % 4] AS port, random() AS u1, random() AS u2, random() AS u3 FROM generate_series(1, 4000) g),
    t AS (SELECT g.*, CASE port WHEN '2604' THEN least(0.05 * power(1 - u1, -1 / 1.1), 5000)
                                WHEN '2504' THEN CASE WHEN u1 < 0.8 THEN 2 ELSE 48 END
                                WHEN '2503' THEN CASE WHEN u1 < 0.1 THEN 0 ELSE 10 * u1 END
                                ELSE exp(2 * (u1 + u2 + u3 - 1.5)) END AS tat,
                      $1::timestamp - (u2 * 130) * interval '1 day' AS rel
          FROM g)
    INSERT INTO "Sample" (id, barcode, "seizureId", "portCode", "itemNumber", form, description, "grossWeightG", "netWeightG", "sealNumber", priority, status,
                          "registeredById", "registeredAt", "dueAt", "queuedAt", "firstTestAt", "submittedAt", "releasedAt", "routedAt", "updatedAt", category)
    SELECT gen_random_uuid(), 'RG' || g, md5('rollup-' || g)::uuid, port, 1, (ARRAY['POWDER', 'TABLET', 'LIQUID'])[1 + g % 3]::"SampleForm", 'fixture', 10, 5, 'S',
           (ARRAY['URGENT', 'PRIORITY', 'ROUTINE'])[1 + g % 3]::"Priority", CASE WHEN g % 7 = 0 THEN 'RELEASED' ELSE 'ROUTED' END::"SampleStatus", $2,
           rel - tat * interval '1 hour', rel - tat * interval '1 hour' + (ARRAY[2, 8, 48])[1 + g % 3] * interval '1 hour',
           rel - tat * (1 - 0.05 * u3) * interval '1 hour',
           CASE WHEN g % 5 = 0 THEN rel - tat * (1 - 0.05 * u3) * interval '1 hour' ELSE rel - tat * 0.8 * interval '1 hour' END,
           rel - tat * 0.3 * u1 * interval '1 hour', rel,
           CASE WHEN g % 7 = 0 THEN NULL ELSE rel + u3 * u3 * interval '3 hours' END, rel,
           (ARRAY['FENTANYL', 'FENTANYL_PRECURSOR', 'OTHER_CONTROLLED', NULL])[1 + g % 4]
    FROM t`, [NOW.toISOString(), userId]);
  await insertSamples('2506', [{ daysAgo: 40.3, tat: 7.25 }]);
  await insertSamples('2507', [{ daysAgo: 10.5, tat: 3 }, { daysAgo: 60.1, tat: 30, routed: false }]);
  await insertSamples('2305', [{ daysAgo: 200, tat: 5 }]);
});
afterAll(() => h?.stop());

describe('turnaround from the rollup', () => {
  it('when the rollup is not built yet, then every day is read from the samples and the percentiles are within 0.5 % of percentile_cont', async () => {
    const r = await expectBound('port');
    expect(r.accuracy).toMatchObject({ fromRollup: 0 });
    expect(r.accuracy.fromSamples).toBeGreaterThan(3000);
    expect(r.groups.map((g) => g.key)).toEqual(['2303', '2503', '2504', '2506', '2507', '2604']);
  });

  it('when the rollup is built, then whole days and months come from it, the partial days at either end from the samples, all within the bound for every grouping', async () => {
    const built = await refreshTurnaroundRollup(h.deps.db, NOW);
    expect(built.more).toBe(false);
    expect((await h.sql(`SELECT count(*)::int AS n FROM "TatRollupSpan" WHERE grain = 'm'`))[0]!.n).toBeGreaterThan(3);
    for (const groupBy of ['port', 'priority', 'form', 'category'] as const) {
      const r = await expectBound(groupBy);
      expect(r.accuracy.fromRollup).toBeGreaterThan(0);
      // The partial first day (from 07:30) and today are read from the samples.
      expect(r.accuracy.fromSamples).toBeGreaterThan(0);
      expect(r.accuracy.fromRollup + r.accuracy.fromSamples).toBe(r.groups.reduce((n, g) => n + g.count, 0));
    }
    for (const port of ['2604', '2504', '2506']) await expectBound('priority', port);
    const tiny = await report('port', '2506');
    expect(tiny.groups).toHaveLength(1);
    expect(tiny.groups[0]).toMatchObject({ key: '2506', count: 1, meanHours: 7.25 });
    const empty = await report('form', '2305');
    expect(empty.groups).toEqual([]);
    expect(empty.stages.map((s) => [s.count, s.p50Hours, s.p90Hours])).toEqual(STAGES.map(() => [0, null, null]));
  });

  it('when a released sample is routed later, then the report counts it at once (its day read from the samples) and again after the next refresh', async () => {
    await refreshTurnaroundRollup(h.deps.db, NOW);
    const before = await report('port');
    const [s] = await h.sql<{ id: string }>(`SELECT id FROM "Sample" WHERE "routedAt" IS NULL AND "releasedAt" >= $1::timestamp - interval '30 days' AND "releasedAt" < $1::timestamp - interval '20 days' LIMIT 1`, [NOW.toISOString()]);
    await h.sql(`UPDATE "Sample" SET "routedAt" = "releasedAt" + interval '2 hours', status = 'ROUTED' WHERE id = $1`, [s!.id]);
    const after = await expectBound('port');
    expect(after.stages[4]!.count).toBe(before.stages[4]!.count + 1);
    expect(after.accuracy.fromSamples).toBeGreaterThan(before.accuracy.fromSamples);
    await refreshTurnaroundRollup(h.deps.db, NOW);
    const refreshed = await expectBound('port');
    expect(refreshed.stages[4]!.count).toBe(before.stages[4]!.count + 1);
    expect(refreshed.accuracy.fromSamples).toBe(before.accuracy.fromSamples);
    expect(await h.sql(`SELECT day FROM "TatRollupStale" WHERE day < $1::date`, [NOW.toISOString()])).toEqual([]);
  });

  it('when a technician corrects the port of a seizure whose sample was released, then the report moves the sample to the new port', async () => {
    const [seizureId] = await insertSamples('2504', [{ daysAgo: 70.2, tat: 5 }]);
    await refreshTurnaroundRollup(h.deps.db, NOW);
    const before = await report('port');
    const tech = await h.user('TECHNICIAN');
    const res = await h.http().post(`/api/v1/seizures/${seizureId}/corrections`).set(auth(tech.token)).send({ changes: { portCode: '2309' }, reason: 'port typed from the wrong form' });
    expect(res.status, res.text).toBe(201);
    const count = (r: TReport, key: string) => r.groups.find((g) => g.key === key)?.count ?? 0;
    for (const r of [await expectBound('port'), (await refreshTurnaroundRollup(h.deps.db, NOW), await expectBound('port'))]) {
      expect(count(r, '2504')).toBe(count(before, '2504') - 1);
      expect(count(r, '2309')).toBe(1);
    }
  });

  it('when a change commits while the rollup is being rebuilt, then its day stays uncovered and the report still counts it', async () => {
    await refreshTurnaroundRollup(h.deps.db, NOW);
    const before = await report('port');
    const [s] = await h.sql<{ id: string }>(`SELECT id FROM "Sample" WHERE "routedAt" IS NULL AND "releasedAt" >= $1::timestamp - interval '100 days' AND "releasedAt" < $1::timestamp - interval '50 days' LIMIT 1`, [NOW.toISOString()]);
    const late = new pg.Client({ connectionString: superuserUrl(h.databaseUrl) });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`UPDATE "Sample" SET "routedAt" = "releasedAt" + interval '1 hour' WHERE id = $1`, [s!.id]);
      // Mark its day stale as of the refresh's start too, so the refresh rebuilds that very day without seeing the change.
      await h.sql(`INSERT INTO "TatRollupStale" (day) SELECT "releasedAt"::date FROM "Sample" WHERE id = $1`, [s!.id]);
      await refreshTurnaroundRollup(h.deps.db, NOW);
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    const after = await expectBound('port');
    expect(after.stages[4]!.count).toBe(before.stages[4]!.count + 1);
    await refreshTurnaroundRollup(h.deps.db, NOW);
    expect((await expectBound('port')).stages[4]!.count).toBe(before.stages[4]!.count + 1);
  });

  it('when history is added or removed on a day the rollup covers, then the report follows', async () => {
    await refreshTurnaroundRollup(h.deps.db, NOW);
    const before = await report('port');
    await insertSamples('2403', [{ daysAgo: 45.5, tat: 12 }, { daysAgo: 45.6, tat: 100 }]);
    const added = await expectBound('port');
    expect(added.groups.find((g) => g.key === '2403')).toMatchObject({ count: 2, meanHours: 56 });
    await h.sql(`UPDATE "Sample" SET "releasedAt" = NULL, "routedAt" = NULL, status = 'AWAITING_REVIEW' WHERE "portCode" = '2403'`);
    const removed = await expectBound('port');
    expect(removed.groups.map((g) => [g.key, g.count])).toEqual(before.groups.map((g) => [g.key, g.count]));
  });

  it('when the period is small enough for exact percentiles, then they are exact and say so', async () => {
    const exactH = await startHarness({ kind: 'api', clock, databaseUrl: h.databaseUrl, env: { REPORT_EXACT_MAX_SAMPLES: '100000' } });
    try {
      const res = await exactH.http().get(`/api/v1/reports/turnaround?${PERIOD}&groupBy=port&format=csv`).set(auth(manager));
      expect(res.text.trim().split('\r\n').pop()).toBe('accuracy,exact,,0,0,,');
      const json = (await exactH.http().get(`/api/v1/reports/turnaround?${PERIOD}&groupBy=port`).set(auth(manager))).body as TReport;
      const want = await exact('port');
      expect(json.accuracy.method).toBe('exact');
      expect(json.groups.map((g) => [g.key, g.p50Hours, g.p90Hours])).toEqual(want.groups.map((w) => [w.key, Math.round(w.p50 * 1000) / 1000, Math.round(w.p90 * 1000) / 1000]));
    } finally {
      await exactH.stop();
    }
    const csv = await h.http().get(`/api/v1/reports/turnaround?${PERIOD}&groupBy=port`).set(auth(manager)).set('Accept', 'text/csv');
    expect(csv.text.trim().split('\r\n').pop()).toBe(`accuracy,sketch,,${SKETCH_ALPHA},${SKETCH_ALPHA},,`);
  });
});

describe('the rollup refresh job', () => {
  it('when a worker runs, then its scheduled job builds the days before today and rebuilds a day that changed', async () => {
    const w = await startHarness({ kind: 'all', clock, databaseUrl: h.databaseUrl, env: { REPORT_ROLLUP_MS: '1000' } });
    try {
      await h.sql(`DELETE FROM "TatRollupSpan" WHERE grain = 'd' AND start = ($1::timestamp - interval '3 days')::date`, [NOW.toISOString()]);
      await eventually(async () => (await h.sql(`SELECT 1 FROM "TatRollupSpan" WHERE grain = 'd' AND start = ($1::timestamp - interval '3 days')::date`, [NOW.toISOString()])).length > 0, 'the job rebuilds a missing day');
      await insertSamples('2403', [{ daysAgo: 3.5, tat: 9 }]);
      await eventually(async () => (await h.sql(`SELECT 1 FROM "TatRollupStale" WHERE day < $1::date`, [NOW.toISOString()])).length === 0, 'the job rebuilds the changed day');
      const cell = await h.sql<{ n: number }>(`SELECT n FROM "TatRollupCell" WHERE grain = 'd' AND start = ($1::timestamp - interval '3.5 days')::date AND "portCode" = '*' AND dim = 'port' AND key = '2403'`, [NOW.toISOString()]);
      expect(cell).toEqual([{ n: 1 }]);
    } finally {
      await w.stop();
    }
  });
});
