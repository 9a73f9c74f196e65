/**
 * npm run bench:pipeline -- [--samples=300] [--concurrency=20] [--backend=postgres|redis] [--log=error]
 *
 * Pushes N samples through register → test → classify → submit → review → route → notify in one
 * all-in-one process on a fresh database, with C samples in flight, and prints:
 *  - samples/s, and the write floor measured in the same run: the writing transactions and the rows
 *    per sample the pipeline wrote (PostgreSQL's statistics views, before and after), replayed with
 *    plain SQL at the same concurrency, no queue, no HTTP (write-floor.ts); both, and their ratio;
 *  - Node.js CPU per sample (process.cpuUsage: API, workers and this driver in one process) and the
 *    database server's CPU per sample; transactions and statements per sample (pg_stat_statements,
 *    loaded into the benchmark's own cluster) and the statements that took the most time;
 *  - HTTP p50/p95/p99 per route (register, test, submit, review), per-step p50/p95/p99 from the
 *    timestamps the database recorded (routing among them), and the presumptive alert's latency on
 *    the duty investigator's live stream (SSE), from the response of the test whose classification
 *    raised it to the event's arrival;
 *  - the no-op BullMQ chain ceiling of the first version of this benchmark, for reference.
 * Ports: EMBEDDED_PG_PORT (default 54339), TEST_REDIS_PORT (default 6391).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { hashPassword } from '../src/auth/passwords.ts';
import { startRuntime } from '../src/entry/runtime.ts';
import { loadConfig } from '../src/lib/config.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { createQueueKit } from '../src/queue/backend.ts';
import { ensureRedis } from '../test/support/redis.ts';
import { SAMPLE_CHANNEL } from '../src/samples/transitions.ts';
import { cpuSeconds, inFlight, pct } from './bench-support.ts';
import { delta, enableStatements, readStats, replayFloor, topStatements, wantStatements } from './write-floor.ts';
import { option } from './args.ts';

const N = Number(option('samples', '300'));
const C = Number(option('concurrency', '20'));
const backend = option('backend', process.env.REDIS_URL ? 'redis' : 'postgres');
const LOG_LEVEL = option('log', 'error') as 'error';
const log = createLogger('error');
const PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54339);
const REDIS_PORT = Number(process.env.TEST_REDIS_PORT ?? 6391);

const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(11);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** The duty investigator's live stream: when each sample's presumptive alert arrived. */
function openStream(url: string, token: string, arrived: Map<string, number>): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/notifications/stream`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const now = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: notification$/m.test(event)) continue;
          const data = JSON.parse(event.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { type: string; sampleId: string | null };
          if (data.type === 'PRESUMPTIVE_ALERT' && data.sampleId && !arrived.has(data.sampleId)) arrived.set(data.sampleId, now);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
  });
}

async function main() {
  let server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: '.data/bench', port: PG_PORT, database: 'postgres', log, portSetting: 'EMBEDDED_PG_PORT' });
  // pg_stat_statements is loaded at server start: set it once in the benchmark's own cluster and restart.
  if (server && (await wantStatements(server.adminUrl))) {
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir: '.data/bench', port: PG_PORT, database: 'postgres', log, portSetting: 'EMBEDDED_PG_PORT' });
  }
  const base = process.env.DATABASE_URL ?? server!.url;
  const dbName = `bench_${Date.now()}`;
  await ensureDatabase(base, dbName);
  const url = base.replace(/\/[^/]*$/, `/${dbName}`);
  await applyMigrations(url);
  const redis = backend === 'redis' ? await ensureRedis(REDIS_PORT) : null;
  const redisUrl = redis ? process.env.REDIS_URL ?? redis.url : undefined;

  const checkpoints = '.data/bench-checkpoints';
  mkdirSync(checkpoints, { recursive: true });
  const config = loadConfig({ DATABASE_URL: url, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL, QUEUE_PREFIX: `b-${randomUUID().slice(0, 6)}`, WORKER_CONCURRENCY: String(C), API_RATE_PER_MINUTE: '0', LOGIN_RATE_PER_IP: '1000',
    // Each run's database gets its own signed checkpoints (a file of an earlier run's database would not extend).
    AUDIT_CHECKPOINT_FILE: path.resolve(checkpoints, `${dbName}.jsonl`) });
  const rt = await startRuntime({ kind: 'all', config, skipMigrations: true, log: createLogger(LOG_LEVEL) });
  const sql = new pg.Pool({ connectionString: url, max: 4 });
  const statements = await enableStatements(sql);
  const db = rt.deps.db;
  const mk = async (role: 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER', password: string) =>
    db.user.create({ data: { email: `${role.toLowerCase()}-${randomUUID()}@bench.example`, name: role, role, passwordHash: await hashPassword(password) } });
  // One technician and one reviewer per lane, as a lab has: a person signs one review at a time
  // (parallel signatures of one account count as password attempts towards its lockout).
  const techs = await Promise.all(Array.from({ length: C }, () => mk('TECHNICIAN', 'bench-tech-pass')));
  const reviewers = await Promise.all(Array.from({ length: C }, () => mk('TECHNICIAN', 'bench-rev-pass')));
  const agent = await mk('INVESTIGATOR', 'bench-agent-pass');
  await db.port.update({ where: { code: '2604' }, data: { dutyInvestigatorId: agent.id } });

  // A keep-alive HTTP client, as a browser is: one connection per request would measure TCP set-up.
  // A 503 ("retry shortly": no connection for the transaction in time, nothing written) is retried
  // as a client would, counted, and its time stays in the request's.
  const unavailable: Record<string, number> = {};
  const api = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Record<string, unknown>> => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${rt.url}/api/v1${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status === 503 && attempt < 5) {
        const route = path.replace(/[0-9a-f-]{36}/g, ':id');
        unavailable[`${method} ${route}`] = (unavailable[`${method} ${route}`] ?? 0) + 1;
        await sleep(200 * attempt);
        continue;
      }
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    }
  };
  const login = async (email: string, password: string) => ({ Authorization: `Bearer ${(await api('POST', '/auth/login', {}, { email, password })).token as string}` });
  const lanes: { T: Record<string, string>; R: Record<string, string> }[] = [];
  for (let i = 0; i < C; i++) lanes.push({ T: await login(techs[i]!.email, 'bench-tech-pass'), R: await login(reviewers[i]!.email, 'bench-rev-pass') });
  const alerts = new Map<string, number>();
  const stream = await openStream(rt.url!, (await login(agent.email, 'bench-agent-pass')).Authorization.slice(7), alerts);

  // The driver waits on the samples' own change announcements (LISTEN), re-checking at most every
  // 250 ms otherwise, so its polling does not eat the CPU the pipeline is being measured on.
  const wake = new Map<string, () => void>();
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (n) => wake.get(JSON.parse(n.payload ?? '{}').id)?.());
  await listener.query(`LISTEN ${SAMPLE_CHANNEL}`);
  let driverQueries = 0;
  // A sample whose step failed for good waits in NEEDS_ATTENTION for a manager: it is counted, not waited on.
  const held = new Set<string>();
  const waitFor = async (id: string, check: string) => {
    for (;;) {
      driverQueries++;
      const { rows } = await sql.query(`SELECT (${check}) AS ok, s.status = 'NEEDS_ATTENTION' AS held FROM "Sample" s WHERE s.id = $1`, [id]);
      if (rows[0]?.held) held.add(id);
      if (rows[0]?.ok || rows[0]?.held) {
        wake.delete(id);
        return !!rows[0]?.ok;
      }
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
  /** When each test's POST returned, per sample, in order. */
  const testAnswered = new Map<string, number[]>();

  // Backends report their table counters at most once a second, idle ones within ten: let set-up's settle.
  await sleep(11_000);
  const before = await readStats(url, statements);
  const commitsBefore = driverQueries;
  const cpu0 = process.cpuUsage();
  const pgCpu0 = server ? cpuSeconds(server.pid, true) : NaN;
  const load0 = (await import('node:os')).loadavg();

  console.log(`bench:pipeline — ${N} samples, ${C} in flight, ${rt.deps.queues.kind} backend, log level ${LOG_LEVEL}; load average ${load0.map((x) => x.toFixed(2)).join(' ')} at start`);
  const started = performance.now();
  await inFlight(Array.from({ length: N }, (_, i) => i), C, async (_i, lane) => {
    const { T, R } = lanes[lane]!;
    const seizure = await api('POST', '/seizures', T, { portCode: '2604', seizedAt: new Date().toISOString(), subjectInCustody: true });
    const sample = await timed('register', () => api('POST', '/samples', T, { seizureId: seizure.id, form: 'POWDER', description: 'bench', grossWeightG: 60, netWeightG: 50, netWeightUncertaintyG: 0.2, sealNumber: 'B-1' }));
    const id = sample.id as string;
    const answered: number[] = [];
    testAnswered.set(id, answered);
    await timed('test', () => api('POST', `/samples/${id}/tests`, T, { technique: 'GC_MS', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'gcms' }));
    answered.push(performance.now());
    await timed('test', () => api('POST', `/samples/${id}/tests`, T, { technique: 'FTIR', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'ftir' }));
    answered.push(performance.now());
    if (!(await waitFor(id, `(SELECT max("testCount") FROM "Classification" c WHERE c."sampleId" = s.id) = 2`))) return;
    await timed('submit', () => api('POST', `/samples/${id}/submit`, T));
    await timed('review', () => api('POST', `/samples/${id}/review`, R, { decision: 'APPROVE', password: 'bench-rev-pass' }));
    await waitFor(id, `s.status = 'ROUTED' AND NOT EXISTS (SELECT 1 FROM "Notification" n WHERE n."sampleId" = s.id AND n."deliveredAt" IS NULL)`);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pgCpu = server ? cpuSeconds(server.pid, true) - pgCpu0 : NaN;
  const load1 = (await import('node:os')).loadavg();
  const rate = N / seconds;
  // Alerts may trail the last sample by a moment: wait for them (at most 5 s).
  for (let i = 0; i < 50 && alerts.size < N; i++) await sleep(100);

  const steps = await sql.query(`
    SELECT
      extract(epoch FROM (s."queuedAt" - s."registeredAt")) * 1000 AS triage,
      extract(epoch FROM ((SELECT max(c."classifiedAt") FROM "Classification" c WHERE c."sampleId" = s.id) - (SELECT max(t."recordedAt") FROM "Test" t WHERE t."sampleId" = s.id))) * 1000 AS classify,
      extract(epoch FROM (s."routedAt" - s."releasedAt")) * 1000 AS route,
      (SELECT extract(epoch FROM max(n."deliveredAt" - n."createdAt")) * 1000 FROM "Notification" n WHERE n."sampleId" = s.id) AS notify,
      extract(epoch FROM (s."routedAt" - s."registeredAt")) * 1000 AS total
    FROM "Sample" s`);
  // Which test's classification raised each alert: its version's test count.
  const raisedBy = await sql.query(`
    SELECT n."sampleId" AS id, c."testCount" AS k FROM "Notification" n
    JOIN "Classification" c ON c."sampleId" = n."sampleId" AND c.version = (n.body->>'version')::int
    WHERE n.type = 'PRESUMPTIVE_ALERT' AND n."recipientId" = $1`, [agent.id]);
  const alertMs = raisedBy.rows.flatMap((r) => {
    const at = alerts.get(r.id);
    const answered = testAnswered.get(r.id)?.[Number(r.k) - 1];
    return at !== undefined && answered !== undefined ? [at - answered] : [];
  });
  const jobs = Number((await sql.query('SELECT count(*)::int AS n FROM "OutboxMessage"')).rows[0].n);
  const jobsPerSample = jobs / N;
  stream.destroy();
  await rt.stop();
  await listener.end();
  await sql.end();
  // Every writer has ended (and reported its counters on the way out).
  await sleep(1_500);
  const after = await readStats(url, statements);
  const d = delta(before, after);
  const top = statements ? await topStatements(url) : null;
  const busiest = statements ? await topStatements(url, 15, undefined, 'calls') : null;

  // The write floor: the same writes with plain SQL, same concurrency, no queue, no HTTP.
  const floor = await replayFloor(url, d, N, C);
  const floorRate = N / floor.seconds;

  // The old yardstick: the same number of chains, each as long as a sample's job count, of no-op jobs.
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
  await inFlight(Array.from({ length: N }, (_, i) => i), C, async (i) => {
    await q.add('noop', { chain: i, step: 0 }, { removeOnComplete: true });
  });
  await finished;
  const ceiling = N / ((performance.now() - t0) / 1000);
  await kit.close();

  const rows = [...d.tables.values()].reduce((a, t) => ({ ins: a.ins + t.ins, upd: a.upd + t.upd, hot: a.hot + t.hot, del: a.del + t.del }), { ins: 0, upd: 0, hot: 0, del: 0 });
  const perSample = (x: number) => (x / N).toFixed(1);
  const col = (k: string) => steps.rows.map((r) => Number(r[k])).filter((x) => Number.isFinite(x));
  console.log(`\nthroughput   ${rate.toFixed(2)} samples/s  (${N} samples in ${seconds.toFixed(1)} s; ${jobsPerSample.toFixed(2)} jobs per sample)`);
  console.log(`write floor  ${floorRate.toFixed(2)} samples/s  (${floor.xacts} transactions, ${floor.rows} row writes in ${floor.seconds.toFixed(1)} s, plain SQL, ${C} connections)`);
  console.log(`ratio        ${(rate / floorRate).toFixed(3)} of the write floor (target ≥ 0.50)`);
  console.log(`\nper sample   ${perSample(d.writeXacts)} writing transactions; ${perSample(d.commits - (driverQueries - commitsBefore))} committed transactions in all (reads included, the driver's ${perSample(driverQueries - commitsBefore)} polls left out), ${perSample(d.rollbacks)} rolled back`);
  console.log(`             ${d.statements === null ? 'statements: pg_stat_statements not available' : `${perSample(d.statements)} statements (pg_stat_statements calls, BEGIN/COMMIT included, the driver's polls left out)`}`);
  console.log(`             ${perSample(rows.ins)} rows inserted, ${perSample(rows.upd)} updated (${perSample(rows.hot)} HOT), ${perSample(rows.del)} deleted`);
  for (const [t, c] of [...d.tables.entries()].sort((a, b) => b[1].ins + b[1].upd + b[1].del - (a[1].ins + a[1].upd + a[1].del))) {
    console.log(`               ${t.padEnd(40)} +${perSample(c.ins).padStart(5)} ~${perSample(c.upd).padStart(5)} -${perSample(c.del).padStart(5)}`);
  }
  console.log(`CPU          Node.js ${((cpu.user + cpu.system) / 1000 / N).toFixed(1)} ms per sample (user ${(cpu.user / 1000 / N).toFixed(1)}, system ${(cpu.system / 1000 / N).toFixed(1)}; API, workers and driver in one process)`);
  if (server) console.log(`             PostgreSQL ${((pgCpu * 1000) / N).toFixed(1)} ms per sample (all its processes)`);
  console.log(`load         ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${load1.map((x) => x.toFixed(2)).join(' ')} at end (2 cores, shared)`);
  console.log(`ceiling      ${ceiling.toFixed(1)} no-op chains/s of ${chainLen} jobs, same backend, concurrency ${C} (the first yardstick; ratio ${(rate / ceiling).toFixed(3)})`);
  console.log(`\nrequest (HTTP round trip, ${C} in flight)${' '.repeat(12)}p50        p95        p99   (target p95)`);
  for (const [k, xs] of Object.entries(httpMs)) console.log(`  ${k.padEnd(48)}${fmt(pct(xs, 50))}${fmt(pct(xs, 95))}${fmt(pct(xs, 99))}   ${k === 'review' ? '≤ 150' : '≤ 100'} ms`);
  console.log(`step (server-side, from database timestamps)       p50        p95        p99`);
  for (const k of ['triage', 'classify', 'route', 'notify', 'total']) console.log(`  ${k.padEnd(48)}${fmt(pct(col(k), 50))}${fmt(pct(col(k), 95))}${fmt(pct(col(k), 99))}${k === 'route' ? '   (target p99 ≤ 1 s)' : ''}`);
  console.log(`presumptive alert on the live stream (${alertMs.length} of ${N})`);
  console.log(`  ${'after the test POST returned'.padEnd(48)}${fmt(pct(alertMs, 50))}${fmt(pct(alertMs, 95))}${fmt(pct(alertMs, 99))}   (target p99 ≤ 250 ms)`);
  if (top) {
    console.log(`\ntop statements by database time (${(top.total / N).toFixed(1)} ms per sample in all)`);
    for (const r of top.rows) console.log(`  ${((100 * r.ms) / top.total).toFixed(1).padStart(5)} %  ${(r.calls / N).toFixed(1).padStart(6)}/sample  ${(r.ms / r.calls).toFixed(2).padStart(7)} ms  ${r.query}`);
  }
  if (busiest) {
    console.log(`\ntop statements by calls (round trips)`);
    for (const r of busiest.rows) console.log(`  ${(r.calls / N).toFixed(1).padStart(6)}/sample  ${(r.ms / r.calls).toFixed(2).padStart(7)} ms  ${r.query}`);
  }
  console.log(`\nheld in NEEDS_ATTENTION (a step failed for good): ${held.size} of ${N} samples`);
  console.log(`503 answers retried: ${Object.entries(unavailable).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  console.log(`peak RSS     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (API, workers and driver in one process; PostgreSQL not included)`);

  redis?.stop();
  await server?.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
