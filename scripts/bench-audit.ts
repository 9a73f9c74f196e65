/**
 * npm run bench:audit -- [--requests=300] [--rounds=3] [--inflight=20] [--api=1] [--latency=0,2]
 *
 * Do audited writes run side by side? Registers samples (`POST /samples`: one transaction with two
 * audit entries, a custody event, a timeline event and an outbox row) one at a time, then
 * `--inflight` at a time, in alternating rounds on one database, and prints samples/s for both and
 * their ratio, with the CPU each sample cost. Each request has a seizure of its own, so requests
 * share nothing but the audit trail, the database and the machine.
 *
 * The API runs as `--api` child processes (`src/entry/api.ts`, the service role), requests spread
 * round robin; this process drives them and runs the sealer (every 500 ms, as a worker would), so
 * sealing is in the figures. No job workers run: triage jobs wait in the outbox. `--latency` lists
 * round-trip times (ms) added between the API and PostgreSQL by a proxy: 0 is the same machine, 2
 * a database server elsewhere on the lab network, where waits that a lock would serialise add up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { latestTreeHead } from '../src/audit/tree.repository.ts';
import { startSealer } from '../src/audit/sealer.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createDb } from '../src/lib/db.ts';
import { provisionRoles } from '../src/lib/db-roles.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { cpuSeconds, freePort, inFlight, median, startLatencyProxy } from './bench-support.ts';
import { option } from './args.ts';

const REQUESTS = Number(option('requests', '300'));
const ROUNDS = Number(option('rounds', '3'));
const INFLIGHT = Number(option('inflight', '20'));
const APIS = Number(option('api', '1'));
const LATENCIES = option('latency', '0,2').split(',').map(Number);
const root = path.resolve(import.meta.dirname, '..');
const log = createLogger('error');

async function startApi(url: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'src/entry/api.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, REDIS_URL: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', SEED_DEMO: '0', API_RATE_PER_MINUTE: '0', QUEUE_PREFIX: `ba-${randomUUID().slice(0, 6)}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i++) {
    if (i > 600 || child.exitCode !== null) throw new Error('the API did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base };
}

async function main() {
  const port = Number(process.env.BENCH_PG_PORT ?? process.env.EMBEDDED_PG_PORT ?? 54338);
  const server = await startEmbeddedPostgres({ dataDir: '.data/bench-audit', port, database: 'postgres', log });
  const postmaster = Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  console.log(`bench:audit — POST /samples, 1 vs ${INFLIGHT} in flight, ${APIS} API process(es), ${ROUNDS} rounds of ${Math.ceil(REQUESTS / 4)} and ${REQUESTS} requests`);
  const results: string[] = [];
  for (const latency of LATENCIES) {
    const dbName = `bench_audit_${Date.now()}`;
    await ensureDatabase(server.url, dbName);
    const roles = await provisionRoles(server.url, dbName, server.credentials);
    await applyMigrations(roles.ownerUrl);
    const proxy = await startLatencyProxy(port, latency);
    const url = roles.serviceUrl.replace(`:${port}/`, `:${proxy.port}/`);
    const db = createDb(url, 4);
    const sealer = startSealer(db, systemClock, log, 500);
    const apis = await Promise.all(Array.from({ length: APIS }, () => startApi(url)));
    let turn = 0;
    const call = async (method: string, p: string, body?: unknown, token?: string) => {
      const res = await fetch(`${apis[turn++ % apis.length]!.base}/api/v1${p}`, {
        method, body: body ? JSON.stringify(body) : undefined,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const sql = new pg.Pool({ connectionString: roles.serviceUrl, max: 2 });
    const email = `tech-${randomUUID()}@bench.example`;
    await sql.query(`INSERT INTO "User" (id, email, name, role, "passwordHash") VALUES (gen_random_uuid(), $1, 'bench', 'TECHNICIAN', $2)`, [email, await hashPassword('bench-tech-pass')]);
    const token = (await call('POST', '/auth/login', { email, password: 'bench-tech-pass' })).token as string;
    const seizures: string[] = [];
    await inFlight(Array.from({ length: 40 + ROUNDS * (Math.ceil(REQUESTS / 4) + REQUESTS) }), 10, async () => {
      seizures.push((await call('POST', '/seizures', { portCode: '2604', seizedAt: new Date().toISOString(), subjectInCustody: false }, token)).id as string);
    });
    const cpu = { api: 0, pg: 0, n: 0 };
    const apiCpu = () => apis.reduce((sum, a) => sum + cpuSeconds(a.child.pid!), 0);
    const run = async (n: number, inflight: number) => {
      const batch = seizures.splice(0, n);
      const [api0, pg0, t0] = [apiCpu(), cpuSeconds(postmaster, true), performance.now()];
      await inFlight(batch, inflight, async (seizureId) => void (await call('POST', '/samples', {
        seizureId, form: 'POWDER', description: 'bench', grossWeightG: 60, netWeightG: 50, netWeightUncertaintyG: 0.2, sealNumber: 'B-1',
      }, token)));
      const rate = n / ((performance.now() - t0) / 1000);
      Object.assign(cpu, { api: cpu.api + apiCpu() - api0, pg: cpu.pg + cpuSeconds(postmaster, true) - pg0, n: cpu.n + n });
      return rate;
    };

    console.log(`\ndatabase round trip +${latency} ms${latency ? ' (through a delaying proxy)' : ' (same machine)'}`);
    await run(40, INFLIGHT); // warm-up: connections, JIT, query plans
    Object.assign(cpu, { api: 0, pg: 0, n: 0 });
    const one: number[] = [];
    const many: number[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      one.push(await run(Math.ceil(REQUESTS / 4), 1));
      many.push(await run(REQUESTS, INFLIGHT));
      console.log(`  round ${r}: ${one.at(-1)!.toFixed(1)} samples/s at 1 in flight, ${many.at(-1)!.toFixed(1)} at ${INFLIGHT}`);
    }
    const [a, b] = [median(one), median(many)];
    const perSample = `${((cpu.api / cpu.n) * 1000).toFixed(1)} ms API + ${((cpu.pg / cpu.n) * 1000).toFixed(1)} ms PostgreSQL`;
    await sealer.stop();
    const entries = Number((await sql.query('SELECT count(*)::int AS n FROM "AuditEntry"')).rows[0].n);
    console.log(`  1 in flight ${a.toFixed(1)}/s, ${INFLIGHT} in flight ${b.toFixed(1)}/s: ratio ${(b / a).toFixed(2)} (medians); CPU per sample ${perSample}`);
    console.log(`  sealed ${(await latestTreeHead(db)).size} of ${entries} audit entries when the last round ended`);
    results.push(`+${latency} ms`.padEnd(10) + `${a.toFixed(1)}`.padStart(8) + `${b.toFixed(1)}`.padStart(10) + `${(b / a).toFixed(2)}`.padStart(8) + `   ${perSample}`);
    for (const api of apis) api.child.kill('SIGTERM');
    await Promise.all(apis.map((api) => new Promise((r) => (api.child.exitCode === null ? api.child.once('exit', r) : r(null)))));
    await sql.end();
    await db.$disconnect();
    await proxy.close();
  }
  console.log(`\nround trip  1 in flight  ${INFLIGHT} in flight  ratio   CPU per sample\n${results.join('\n')}`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end (other work on the machine lowers every figure)`);
  await server.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
