/**
 * npm run bench:pipeline -- [--samples=2000] [--concurrency=20] [--backend=postgres|redis]
 *
 * Pushes N samples through register → test → classify → submit → review → route → notify in one
 * all-in-one process on a fresh database, and prints samples/s, per-step latency (p50/p99, from the
 * timestamps the database recorded), the no-op BullMQ chain ceiling measured in the same run on the
 * same backend with the same number of jobs, their ratio, and the peak RSS.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { hashPassword } from '../src/auth/passwords.ts';
import { startRuntime } from '../src/entry/runtime.ts';
import { loadConfig } from '../src/lib/config.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { createQueueKit } from '../src/queue/backend.ts';
import { ensureRedis } from '../test/support/redis.ts';
import { SAMPLE_CHANNEL } from '../src/samples/transitions.ts';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const N = Number(arg('samples', '2000'));
const C = Number(arg('concurrency', '20'));
const backend = arg('backend', process.env.REDIS_URL ? 'redis' : 'postgres');
const log = createLogger("error");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

async function main() {
  const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: '.data/bench', port: 54339, database: 'postgres', log });
  const base = process.env.DATABASE_URL ?? server!.url;
  const dbName = `bench_${Date.now()}`;
  await ensureDatabase(base, dbName);
  const url = base.replace(/\/[^/]*$/, `/${dbName}`);
  await applyMigrations(url);
  const redis = backend === 'redis' ? await ensureRedis(6391) : null;
  const redisUrl = redis ? process.env.REDIS_URL ?? redis.url : undefined;

  const config = loadConfig({ DATABASE_URL: url, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: "error", QUEUE_PREFIX: `b-${randomUUID().slice(0, 6)}`, WORKER_CONCURRENCY: String(C), API_RATE_PER_MINUTE: '0' });
  const rt = await startRuntime({ kind: 'all', config, skipMigrations: true, log });
  const http = () => request(rt.server!);
  const sql = new pg.Pool({ connectionString: url, max: 4 });
  const db = rt.deps.db;
  const mk = async (role: 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER', password: string) =>
    db.user.create({ data: { email: `${role.toLowerCase()}-${randomUUID()}@bench.example`, name: role, role, passwordHash: await hashPassword(password) } });
  const [tech, reviewer, agent] = [await mk('TECHNICIAN', 'bench-tech-pass'), await mk('TECHNICIAN', 'bench-rev-pass'), await mk('INVESTIGATOR', 'bench-agent-pass')];
  await db.port.update({ where: { code: '2604' }, data: { dutyInvestigatorId: agent.id } });
  const login = async (email: string, password: string) => (await http().post('/api/v1/auth/login').send({ email, password })).body.token as string;
  const T = { Authorization: `Bearer ${await login(tech.email, 'bench-tech-pass')}` };
  const R = { Authorization: `Bearer ${await login(reviewer.email, 'bench-rev-pass')}` };

  // The driver waits on the samples' own change announcements (LISTEN), re-checking at most every
  // 250 ms otherwise, so its polling does not eat the CPU the pipeline is being measured on.
  const wake = new Map<string, () => void>();
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (n) => wake.get(JSON.parse(n.payload ?? '{}').id)?.());
  await listener.query(`LISTEN ${SAMPLE_CHANNEL}`);
  const waitFor = async (id: string, check: string) => {
    for (;;) {
      const { rows } = await sql.query(`SELECT (${check}) AS ok FROM "Sample" s WHERE s.id = $1`, [id]);
      if (rows[0]?.ok) return wake.delete(id);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250);
        wake.set(id, () => (clearTimeout(t), r()));
      });
    }
  };
  const httpMs: Record<string, number[]> = { register: [], test: [], submit: [], review: [] };
  const timed = async <X>(step: string, fn: () => Promise<X>) => {
    const t = performance.now();
    const x = await fn();
    httpMs[step]!.push(performance.now() - t);
    return x;
  };

  console.log(`bench:pipeline — ${N} samples, ${C} in flight, ${rt.deps.queues!.kind} backend`);
  const started = performance.now();
  await pool(Array.from({ length: N }, (_, i) => i), C, async () => {
    const seizure = (await http().post('/api/v1/seizures').set(T).send({ portCode: '2604', seizedAt: new Date().toISOString(), subjectInCustody: true })).body;
    const sample = (await timed('register', () => http().post('/api/v1/samples').set(T).send({ seizureId: seizure.id, form: 'POWDER', description: 'bench', grossWeightG: 60, netWeightG: 50, netWeightUncertaintyG: 0.2, sealNumber: 'B-1' }))).body;
    await timed('test', () => http().post(`/api/v1/samples/${sample.id}/tests`).set(T).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'gcms' }));
    await timed('test', () => http().post(`/api/v1/samples/${sample.id}/tests`).set(T).send({ technique: 'FTIR', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'ftir' }));
    await waitFor(sample.id, `(SELECT max("testCount") FROM "Classification" c WHERE c."sampleId" = s.id) = 2`);
    await timed('submit', () => http().post(`/api/v1/samples/${sample.id}/submit`).set(T));
    await timed('review', () => http().post(`/api/v1/samples/${sample.id}/review`).set(R).send({ decision: 'APPROVE', password: 'bench-rev-pass' }));
    await waitFor(sample.id, `s.status = 'ROUTED' AND NOT EXISTS (SELECT 1 FROM "Notification" n WHERE n."sampleId" = s.id AND n."deliveredAt" IS NULL)`);
  });
  const seconds = (performance.now() - started) / 1000;
  const rate = N / seconds;

  const steps = await sql.query(`
    SELECT
      extract(epoch FROM (s."queuedAt" - s."registeredAt")) * 1000 AS triage,
      extract(epoch FROM ((SELECT max(c."classifiedAt") FROM "Classification" c WHERE c."sampleId" = s.id) - (SELECT max(t."recordedAt") FROM "Test" t WHERE t."sampleId" = s.id))) * 1000 AS classify,
      extract(epoch FROM (s."routedAt" - s."releasedAt")) * 1000 AS route,
      (SELECT extract(epoch FROM max(n."deliveredAt" - n."createdAt")) * 1000 FROM "Notification" n WHERE n."sampleId" = s.id) AS notify,
      extract(epoch FROM (s."routedAt" - s."registeredAt")) * 1000 AS total
    FROM "Sample" s`);
  const jobs = Number((await sql.query('SELECT count(*)::int AS n FROM "OutboxMessage"')).rows[0].n);
  const jobsPerSample = jobs / N;
  await rt.stop();

  // The ceiling: the same number of chains, each as long as a sample's job count, of no-op jobs.
  const chainLen = Math.round(jobsPerSample);
  const kit = await createQueueKit({ databaseUrl: url, redisUrl, prefix: `c-${randomUUID().slice(0, 6)}` });
  const q = kit.queue('chain');
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    kit.worker('chain', async (job) => {
      const step = job.data.step as number;
      if (step + 1 < chainLen) await q.add('noop', { chain: job.data.chain, step: step + 1 }, { removeOnComplete: true });
      else if (++done === N) resolve();
    }, { concurrency: C });
  });
  const t0 = performance.now();
  await pool(Array.from({ length: N }, (_, i) => i), C, async (i) => {
    await q.add('noop', { chain: i, step: 0 }, { removeOnComplete: true });
  });
  await finished;
  const ceiling = N / ((performance.now() - t0) / 1000);
  await kit.close();

  const col = (k: string) => steps.rows.map((r) => Number(r[k])).filter((x) => Number.isFinite(x));
  console.log(`\nthroughput  ${rate.toFixed(1)} samples/s  (${N} samples in ${seconds.toFixed(1)} s; ${jobsPerSample.toFixed(2)} jobs per sample)`);
  console.log(`ceiling     ${ceiling.toFixed(1)} no-op chains/s of ${chainLen} jobs, same backend, concurrency ${C}`);
  console.log(`ratio       ${(rate / ceiling).toFixed(2)} of the ceiling (target ≥ 0.50)`);
  console.log('\nstep (server-side, from database timestamps)        p50        p99');
  for (const k of ['triage', 'classify', 'route', 'notify', 'total']) console.log(`  ${k.padEnd(48)}${fmt(pct(col(k), 50))}${fmt(pct(col(k), 99))}`);
  console.log('request (HTTP round trip)');
  for (const [k, xs] of Object.entries(httpMs)) console.log(`  ${k.padEnd(48)}${fmt(pct(xs, 50))}${fmt(pct(xs, 99))}`);
  console.log(`\npeak RSS    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (API, workers and driver in one process; PostgreSQL not included)`);

  await sql.end();
  await listener.end();
  redis?.stop();
  await server?.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
