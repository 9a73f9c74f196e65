/**
 * npm run bench:links -- [--seizures=100000] [--runs=60] [--reseed]
 *
 * Seeds seizures with realistic observables straight into PostgreSQL (generate_series, fixed seed):
 * plates, VINs, containers, phones, people and companies drawn from pools so that most values are
 * unique and some recur (a vehicle or a phone used a few times), a few values that are everywhere
 * ("M 30" blue round tablets on a third of tablet seizures, common names, origin cities, plain
 * fentanyl profiles), and chemical profiles with purities. Then, for each run, registers one new
 * seizure drawn from the same pools and times the relate step (candidates through the indexes,
 * scoring, storing the pairs), printing p50/p95 and the candidates examined. The database is kept
 * for the next run (--reseed rebuilds it).
 */
import pg from 'pg';
import { createDb } from '../src/lib/db.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { relateSeizure } from '../src/intelligence/relate.usecases.ts';
import { intelligenceData } from '../src/intelligence/weights.ts';
import { option } from './args.ts';
import { nearestRank } from './bench-support.ts';

const N = Number(option('seizures', '100000'));
const RUNS = Number(option('runs', '60'));
const log = createLogger('error');

const FIRST = ['JUAN', 'JOSE', 'LUIS', 'CARLOS', 'JESUS', 'MIGUEL', 'PEDRO', 'JORGE', 'FRANCISCO', 'ANTONIO', 'MARIA', 'ANA', 'ROSA', 'LAURA', 'SOFIA', 'DANIEL', 'DAVID', 'ALEJANDRO', 'RICARDO', 'FERNANDO', 'JAVIER', 'EDUARDO', 'ROBERTO', 'SERGIO', 'MARTIN', 'RAUL', 'OSCAR', 'HECTOR', 'ARTURO', 'ALBERTO'];
const LAST = ['GARCIA', 'HERNANDEZ', 'LOPEZ', 'MARTINEZ', 'GONZALEZ', 'RODRIGUEZ', 'PEREZ', 'SANCHEZ', 'RAMIREZ', 'CRUZ', 'FLORES', 'GOMEZ', 'DIAZ', 'REYES', 'MORALES', 'JIMENEZ', 'TORRES', 'GUTIERREZ', 'RUIZ', 'MENDOZA', 'AGUILAR', 'ORTIZ', 'CASTILLO', 'ROMERO', 'ALVAREZ', 'VARGAS', 'CHAVEZ', 'RAMOS', 'HERRERA', 'MEDINA', 'CASTRO', 'VAZQUEZ', 'SALAZAR', 'NAVARRO', 'CORTES', 'LUNA', 'ROJAS', 'SOTO', 'CONTRERAS', 'GUZMAN'];

/** Observables of seizures [from, to], drawn from the pools; the same SQL makes the new seizures of the runs. */
function observablesSql(pick: string) {
  return `
    INSERT INTO "Observable" (id, "seizureId", kind, raw, normalized, "createdById")
    SELECT gen_random_uuid(), z.id, o.kind, o.v, o.v, $1::uuid FROM (${pick}) z
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN random() < 0.7 AND z.id IS NOT NULL THEN 'VEHICLE_PLATE' END, 'SON-' || lpad((floor(random() * 60000))::text, 7, '0')),
      (CASE WHEN random() < 0.5 THEN 'VIN' END, '1BENCH' || lpad((floor(random() * 50000))::text, 11, '0')),
      (CASE WHEN random() < 0.1 THEN 'CONTAINER_NUMBER' END, 'BNCU' || lpad((floor(random() * 8000))::text, 7, '0')),
      (CASE WHEN random() < 0.4 THEN 'PHONE' END, CASE WHEN random() < 0.02 THEN '+15205550100' ELSE '+52662' || lpad((floor(random() * 30000))::text, 7, '0') END),
      (CASE WHEN random() < 0.6 THEN 'PERSON' END, (SELECT string_agg(w, ' ' ORDER BY w) FROM unnest(ARRAY[
          (ARRAY[${FIRST.map((f) => `'${f}'`).join(',')}])[1 + floor(random() * ${FIRST.length})],
          (ARRAY[${LAST.map((l) => `'${l}'`).join(',')}])[1 + floor(random() * ${LAST.length})],
          (ARRAY[${LAST.map((l) => `'${l}'`).join(',')}])[1 + floor(random() * ${LAST.length})]]) w WHERE z.id IS NOT NULL)),
      (CASE WHEN random() < 0.2 THEN 'ORGANIZATION' END, 'TRANSPORTES ' || (ARRAY[${LAST.map((l) => `'${l}'`).join(',')}])[1 + floor(random() * ${LAST.length})] || ' ' || floor(random() * 125)),
      (CASE WHEN random() < 0.2 THEN 'PACKAGING_MARKING' END, CASE WHEN random() < 0.3 THEN 'SCORPION' ELSE 'STAMP' || floor(random() * 300) END),
      (CASE WHEN random() < 0.3 THEN 'ROUTE_ORIGIN' END, 'CITY ' || floor(random() * 30))
    ) o(kind, v)
    WHERE o.kind IS NOT NULL
    ON CONFLICT DO NOTHING`;
}

function tabletsSql(pick: string) {
  // A third of seizures carry tablets; a third of those are the ubiquitous "M 30" blue round.
  return `
    INSERT INTO "Observable" (id, "seizureId", kind, raw, normalized, "createdById")
    SELECT gen_random_uuid(), t.id, k.kind, k.v, k.v, $1::uuid
    FROM (SELECT z.id, CASE WHEN random() < 0.33 THEN 'M30' ELSE 'IMP' || floor(random() * 500) END AS imprint,
                 CASE WHEN random() < 0.8 THEN 'blue' ELSE 'white' END AS color FROM (${pick}) z WHERE random() < 0.3) t
    CROSS JOIN LATERAL (VALUES ('PILL_IMPRINT', t.imprint), ('PILL_COLOR', t.color), ('PILL_SHAPE', 'round')) k(kind, v)
    ON CONFLICT DO NOTHING`;
}

function profilesSql(pick: string) {
  return `
    INSERT INTO "ChemicalProfile" ("sampleId", "seizureId", "profileKey", controlled, adulterants, "cuttingAgents", "purityPct", basis, "classificationVersion")
    SELECT gen_random_uuid(), z.id, p.k, string_to_array(p.k, '+'), '{}', '{mannitol}', round((random() * 40 + 2)::numeric, 1), 'IDENTIFIED', 1
    FROM (${pick}) z CROSS JOIN LATERAL (SELECT CASE
      WHEN r < 0.40 THEN 'fentanyl' WHEN r < 0.65 THEN 'fentanyl+xylazine' WHEN r < 0.85 THEN 'methamphetamine' WHEN r < 0.95 THEN 'cocaine'
      ELSE 'fentanyl+lidocaine+' || (ARRAY['acetaminophen','caffeine','diphenhydramine','heroin'])[1 + floor(random() * 4)] || '+x' || floor(random() * 50) END AS k
      FROM (SELECT random() AS r, z.id AS anchor) q) p
    WHERE random() < 0.8`;
}

const PORTS = `(ARRAY['2604','2504','2503','2506','2507','2303','2305','2309','2403'])`;

async function seed(sql: pg.Pool, userId: string) {
  const t0 = performance.now();
  await sql.query('SELECT setseed(0.42)');
  await sql.query(`
    INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById", "relatedAt")
    SELECT gen_random_uuid(), 'LINKS-' || g, ${PORTS}[1 + g % 9], now() - (random() * 730) * interval '1 day', g % 4 = 0, $1::uuid, now()
    FROM generate_series(1, $2::int) g`, [userId, N]);
  const all = `SELECT id FROM "Seizure" WHERE "seizureNumber" LIKE 'LINKS-%'`;
  await sql.query(observablesSql(all), [userId]);
  await sql.query(tabletsSql(all), [userId]);
  await sql.query(profilesSql(all));
  await sql.query('ANALYZE');
  return (performance.now() - t0) / 1000;
}

async function main() {
  const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: '.data/bench', port: Number(process.env.EMBEDDED_PG_PORT ?? 54338), database: 'postgres', log });
  const base = process.env.DATABASE_URL ?? server!.url;
  await ensureDatabase(base, 'bench_links');
  const url = base.replace(/\/[^/]*$/, '/bench_links');
  const probe = new pg.Pool({ connectionString: url, max: 2 });
  const have = await probe.query(`SELECT count(*)::int AS n FROM "Seizure" WHERE "seizureNumber" LIKE 'LINKS-%'`).then((r) => Number(r.rows[0].n), () => -1);
  await probe.end();
  if (have !== N || process.argv.includes('--reseed')) {
    // Evidence tables refuse TRUNCATE by design: start from an empty database instead.
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS bench_links WITH (FORCE)');
    await admin.query('CREATE DATABASE bench_links');
    await admin.end();
  }
  await applyMigrations(url);
  const sql = new pg.Pool({ connectionString: url, max: 4 });
  const db = createDb(url, 4);
  let [u] = (await sql.query(`SELECT id FROM "User" LIMIT 1`)).rows as { id: string }[];
  u ??= (await sql.query(`INSERT INTO "User" (id, email, name, role, "passwordHash") VALUES (gen_random_uuid(), 'bench@links', 'bench', 'TECHNICIAN', 'x') RETURNING id`)).rows[0];
  if (have !== N || process.argv.includes('--reseed')) {
    process.stdout.write(`seeding ${N.toLocaleString('en-US')} seizures…\n`);
    process.stdout.write(`seeded in ${(await seed(sql, u!.id)).toFixed(1)} s\n`);
  }
  const stats = (await sql.query(`SELECT (SELECT count(*) FROM "Seizure")::int AS seizures, (SELECT count(*) FROM "Observable")::int AS observables, (SELECT count(*) FROM "ChemicalProfile")::int AS profiles`)).rows[0];
  process.stdout.write(`database: ${stats.seizures.toLocaleString('en-US')} seizures, ${stats.observables.toLocaleString('en-US')} observables, ${stats.profiles.toLocaleString('en-US')} chemical profiles\n`);

  const w = intelligenceData().weights;
  const times: number[] = [];
  const examined: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const [s] = (await sql.query(`INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById", "relateRequestedAt")
      VALUES (gen_random_uuid(), 'RUN-' || gen_random_uuid(), ${PORTS}[1 + floor(random() * 9)], now(), false, $1::uuid, now()) RETURNING id`, [u!.id])).rows as { id: string }[];
    const pick = `SELECT id FROM "Seizure" WHERE id = '${s!.id}'`;
    await sql.query(observablesSql(pick), [u!.id]);
    await sql.query(tabletsSql(pick), [u!.id]);
    await sql.query(profilesSql(pick));
    const t0 = performance.now();
    const r = await relateSeizure(db, s!.id, w, new Date(), log);
    const ms = performance.now() - t0;
    if (i < 3) continue; // warm-up
    times.push(ms);
    examined.push(r.examined);
    kept.push(r.kept);
  }
  const line = (name: string, xs: number[], unit = '') => `${name.padEnd(22)} p50 ${nearestRank(xs, 50).toFixed(1)}${unit}  p95 ${nearestRank(xs, 95).toFixed(1)}${unit}  max ${Math.max(...xs).toFixed(1)}${unit}`;
  process.stdout.write(`\n${RUNS} new seizures scored against ${stats.seizures.toLocaleString('en-US')} (weights ${w.version}):\n`);
  process.stdout.write(`${line('relate (ms)', times, ' ms')}\n${line('candidates examined', examined)}\n${line('pairs kept', kept)}\n`);
  process.stdout.write(`mean candidates examined ${(examined.reduce((a, b) => a + b, 0) / examined.length).toFixed(1)} of ${stats.seizures.toLocaleString('en-US')} seizures\n`);
  await sql.end();
  await db.$disconnect();
  await server?.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
