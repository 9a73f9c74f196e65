/**
 * npm run bench:reports -- [--samples=1000000] [--runs=40] [--reseed]
 *
 * Seeds a large history straight into PostgreSQL (generate_series; ~1 seizure per 3 samples over two
 * years, 9 ports, every priority, form and category, 2 % still open) in a database of its own, brings
 * the turnaround rollup up to date (what the worker's scheduled job does; timed), then calls each
 * report through the HTTP API as a manager and prints p50/p95 per report. The year of turnaround is
 * measured twice: as configured (the rollup) and, as before it, with exact percentiles over every
 * release (a second API instance with REPORT_EXACT_MAX_SAMPLES above the table's size); the largest
 * difference between their percentiles is printed against the stated bound. The seeded database is
 * kept for the next run (pass --reseed to rebuild it).
 */
import pg from 'pg';
import request from 'supertest';
import { startRuntime } from '../src/entry/runtime.ts';
import { loadConfig } from '../src/lib/config.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { createSession } from '../src/auth/sessions.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { systemClock } from '../src/lib/clock.ts';
import { OPEN_SAMPLE_PREDICATE } from '../src/samples/sample.sql.ts';
import { refreshTurnaroundRollup } from '../src/reports/turnaround-rollup.ts';
import { option } from './args.ts';
import { nearestRank } from './bench-support.ts';

const N = Number(option('samples', '1000000'));
const RUNS = Number(option('runs', '40'));
const log = createLogger('error');


async function seed(sql: pg.Pool) {
  const t0 = performance.now();
  const [u] = (await sql.query(`SELECT id FROM "User" LIMIT 1`)).rows;
  const seizures = Math.ceil(N / 3);
  await sql.query(`
    INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById")
    SELECT gen_random_uuid(), 'BENCH-' || g, (ARRAY['2604','2504','2503','2506','2507','2303','2305','2309','2403'])[1 + g % 9],
           now()::timestamp - (random() * 730) * interval '1 day', g % 4 = 0, $1::uuid
    FROM generate_series(1, $2::int) g`, [u.id, seizures]);
  await sql.query(`
    WITH z AS (SELECT id, "portCode", "seizedAt", row_number() OVER () AS rn FROM "Seizure")
    INSERT INTO "Sample" (id, barcode, "seizureId", "portCode", "itemNumber", form, description, "grossWeightG", "netWeightG", "sealNumber",
                          priority, status, "registeredById", "registeredAt", "dueAt", "queuedAt", "firstTestAt", "submittedAt", "releasedAt", "routedAt",
                          "updatedAt", category, level)
    SELECT gen_random_uuid(), 'BENCH' || g, z.id, z."portCode", 1 + g / $1::int, (ARRAY['POWDER','TABLET','CRYSTAL','LIQUID','PLANT','RESIDUE','OTHER'])[1 + g % 7]::"SampleForm",
           'bench', w + 5, w, 'B', p.priority::"Priority",
           CASE WHEN g % 50 = 0 THEN (ARRAY['QUEUED','IN_ANALYSIS','AWAITING_REVIEW','NEEDS_ATTENTION'])[1 + g % 4] ELSE 'ROUTED' END::"SampleStatus",
           $2::uuid, r.reg, r.reg + p.budget, r.reg + interval '5 minutes', r.reg + interval '20 minutes',
           CASE WHEN g % 50 = 0 THEN NULL ELSE r.reg + t.tat * 0.8 END, CASE WHEN g % 50 = 0 THEN NULL ELSE r.reg + t.tat END,
           CASE WHEN g % 50 = 0 THEN NULL ELSE r.reg + t.tat + interval '2 minutes' END,
           r.reg, (ARRAY['FENTANYL','FENTANYL_RELATED_SUBSTANCE','FENTANYL_PRECURSOR','OTHER_CONTROLLED','NO_CONTROLLED_SUBSTANCE_IDENTIFIED','INCONCLUSIVE'])[1 + g % 6],
           'IDENTIFIED'
    FROM generate_series(1, $3::int) g
    JOIN z ON z.rn = 1 + (g % $1::int)
    CROSS JOIN LATERAL (SELECT (ARRAY['URGENT','PRIORITY','ROUTINE'])[1 + g % 3] AS priority,
                               (ARRAY[interval '2 hours', interval '8 hours', interval '48 hours'])[1 + g % 3] AS budget) p
    CROSS JOIN LATERAL (SELECT z."seizedAt" + interval '1 hour' AS reg, random() * 2000 + 0.1 AS w) r
    CROSS JOIN LATERAL (SELECT p.budget * (0.2 + random() * 1.3) AS tat) t`, [seizures, u.id, N]);
  return (performance.now() - t0) / 1000;
}

async function main() {
  const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: '.data/bench', port: Number(process.env.EMBEDDED_PG_PORT ?? 54339), database: 'postgres', log });
  const base = process.env.DATABASE_URL ?? server!.url;
  await ensureDatabase(base, 'bench_reports');
  const url = base.replace(/\/[^/]*$/, '/bench_reports');
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const have = await probe.query(`SELECT count(*)::int AS n FROM "Sample"`).then((r) => Number(r.rows[0].n), () => -1);
  await probe.end();
  const reseed = have !== N || process.argv.includes('--reseed');
  if (reseed) {
    // Evidence tables refuse TRUNCATE by design: start from an empty database instead.
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS bench_reports WITH (FORCE)');
    await admin.query('CREATE DATABASE bench_reports');
    await admin.end();
  }
  await applyMigrations(url);
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', API_RATE_PER_MINUTE: '0' });
  const rt = await startRuntime({ kind: 'api', config, skipMigrations: true, log });
  const sql = new pg.Pool({ connectionString: url, max: 2 });
  const email = 'bench-manager@bench.example';
  const user = (await rt.deps.db.user.findUnique({ where: { email } })) ??
    (await rt.deps.db.user.create({ data: { email, name: 'Bench manager', role: 'MANAGER', passwordHash: await hashPassword('bench-manager-password') } }));
  const manager = { token: await createSession(rt.deps.db, user.id, systemClock, rt.apiDeps!.sessionPolicy) };
  if (reseed) {
    console.log(`seeding ${N.toLocaleString('en-US')} samples …`);
    const s = await seed(sql);
    await sql.query('VACUUM ANALYZE "Sample"');
    await sql.query('VACUUM ANALYZE "Seizure"');
    console.log(`seeded in ${s.toFixed(1)} s`);
  }
  const refreshStarted = performance.now();
  const refreshed = await refreshTurnaroundRollup(rt.deps.db, new Date());
  console.log(`turnaround rollup brought up to date in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s (${refreshed.days} days, ${refreshed.months} months rebuilt)`);
  const exactConfig = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', API_RATE_PER_MINUTE: '0', REPORT_EXACT_MAX_SAMPLES: String(10 * N) });
  const exactRt = await startRuntime({ kind: 'api', config: exactConfig, skipMigrations: true, log });
  const counts = (await sql.query(`SELECT count(*)::int AS samples, (SELECT count(*)::int FROM "Seizure") AS seizures, count(*) FILTER (WHERE ${OPEN_SAMPLE_PREDICATE})::int AS open FROM "Sample"`)).rows[0];
  console.log(`bench:reports — ${counts.samples.toLocaleString('en-US')} samples, ${counts.seizures.toLocaleString('en-US')} seizures, ${counts.open.toLocaleString('en-US')} open; ${RUNS} runs each, through HTTP`);

  const http = (server = rt.server!) => request(server);
  const now = new Date();
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000).toISOString();
  const reports: [string, string, typeof rt.server?][] = [
    ['turnaround (30 days, by port)', '/api/v1/reports/turnaround?groupBy=port'],
    ['turnaround (30 days, by category)', '/api/v1/reports/turnaround?groupBy=category'],
    ['turnaround (30 days, one port)', '/api/v1/reports/turnaround?groupBy=priority&portCode=2604'],
    ['backlog', '/api/v1/reports/backlog'],
    ['operations (30 days)', '/api/v1/reports/operations'],
    ['operations (30 days, one port)', '/api/v1/reports/operations?portCode=2604'],
    ['turnaround (365 days, by port)', `/api/v1/reports/turnaround?groupBy=port&from=${yearAgo}`],
    ['turnaround (365 days, by category)', `/api/v1/reports/turnaround?groupBy=category&from=${yearAgo}`],
    ['turnaround (365 days, one port)', `/api/v1/reports/turnaround?groupBy=priority&portCode=2604&from=${yearAgo}`],
    ['before: turnaround (365 days, by port), exact', `/api/v1/reports/turnaround?groupBy=port&from=${yearAgo}`, exactRt.server],
    ['operations (365 days)', `/api/v1/reports/operations?from=${yearAgo}`],
  ];
  console.log(`\n${'report'.padEnd(48)}${'p50'.padStart(10)}${'p95'.padStart(10)}   rows  method`);
  const last = new Map<string, { groups: { key: string; p50Hours: number; p90Hours: number }[]; stages: { stage: string; p50Hours: number | null; p90Hours: number | null }[] }>();
  for (const [name, path, server] of reports) {
    const ms: number[] = [];
    let size = 0;
    let method = '';
    for (let i = 0; i < RUNS + 3; i++) {
      const t = performance.now();
      const res = await http(server).get(path).set('Authorization', `Bearer ${manager.token}`);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
      if (i >= 3) ms.push(performance.now() - t); // the first calls warm caches and plans
      size = (res.body.groups ?? res.body.byCategory ?? res.body.byStatus ?? []).length;
      method = res.body.accuracy ? `${res.body.accuracy.method} (${res.body.accuracy.fromRollup} from the rollup, ${res.body.accuracy.fromSamples} from samples)` : '';
      last.set(name, res.body);
    }
    console.log(`${name.padEnd(48)}${`${nearestRank(ms, 50).toFixed(1)} ms`.padStart(10)}${`${nearestRank(ms, 95).toFixed(1)} ms`.padStart(10)}   ${String(size).padEnd(5)} ${method}`);
  }
  // The same year both ways: the largest relative difference of a percentile (0.5 % is the bound, plus rounding).
  const sketch = last.get('turnaround (365 days, by port)')!;
  const exact = last.get('before: turnaround (365 days, by port), exact')!;
  const pairs = [
    ...sketch.groups.flatMap((g, i) => [[g.p50Hours, exact.groups[i]!.p50Hours], [g.p90Hours, exact.groups[i]!.p90Hours]]),
    ...sketch.stages.flatMap((st, i) => [[st.p50Hours, exact.stages[i]!.p50Hours], [st.p90Hours, exact.stages[i]!.p90Hours]]),
  ].filter(([a, b]) => a !== null && b !== null && b !== 0) as [number, number][];
  const worst = Math.max(...pairs.map(([a, b]) => Math.abs(a - b) / Math.abs(b)));
  console.log(`\nyear by port, rollup against exact: largest relative difference of a p50/p90 ${(worst * 100).toFixed(3)} % (bound 0.5 %, plus 0.0005 h rounding)`);
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (API process; PostgreSQL not included)`);
  await sql.end();
  await exactRt.stop();
  await rt.stop();
  await server?.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
