/**
 * npm run bench:surge -- [--minutes=5] [--deployment=embedded|scaleout|both] [--think=2-6]
 *                        [--technicians=40] [--investigators=20] [--managers=5] [--refresh=10]
 *                        [--warmup=30] [--profile=DIR]
 *
 * A surge day at the lab, over HTTP against the service as it is deployed:
 *  - technicians (--technicians) each loop: read the worklist, register a seizure (every third sample)
 *    and a sample, record a fentanyl test strip (a presumptive alert for the port's duty investigator),
 *    GC-MS and FTIR, open the sample until its classification counts the three tests, submit it, and
 *    review a colleague's submitted sample (APPROVE with their password: the Argon2 signature check).
 *    Between actions each thinks for a random --think seconds (uniform);
 *  - investigators (--investigators) hold a live stream (Server-Sent Events) from sign-in to the end,
 *    the first 18 are on duty at one port each, and every 5–15 s read their unread notifications,
 *    mark up to three read, list their cases and open the newest (its samples and seizures' observables);
 *  - managers (--managers) refresh the web dashboard every --refresh seconds: the requests its page
 *    makes (turnaround by port and by priority, backlog, throughput, the overdue and open samples,
 *    the ports, the 30-day operations summary), in parallel as the browser does.
 *
 * Deployments: `embedded` is `npm start`'s all-in-one process (embedded PostgreSQL, BullMQ on it, no
 * REDIS_URL) without demo data; `scaleout` is an API process and a worker process (the same start
 * script, `api` and `worker`) sharing one PostgreSQL (the same embedded server, started here) and Redis.
 * Every account signs in before the measured window opens (a shift starting; the staff sit behind one
 * address, so LOGIN_RATE_PER_IP is raised to 500 per 15 min as such a lab would; API_RATE_PER_MINUTE
 * keeps its default of 1,200 per session). Logging stays at info, as in production.
 *
 * Prints, per deployment: p50/p95/p99 per route (target p95 ≤ 150 ms), errors by status (target none),
 * the presumptive-alert latency (the test POST's response → the event on the duty investigator's live
 * stream) p50/p99, and the RSS of the server processes when the window opens and when it closes
 * (target growth ≤ 10 %), after --warmup seconds of the same load that are not measured (pools fill,
 * code gets compiled, caches warm). Also the CPU time of the service and of PostgreSQL and how long
 * their threads waited for a CPU while runnable (the kernel's schedstat): on a machine shared with
 * other work that wait is part of every latency above. With --profile=DIR the server processes write
 * CPU profiles there.
 *
 * EMBEDDED_PG_PORT and TEST_REDIS_PORT (else free ports / 6399) are the database's and Redis's ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { childProcesses, cpuSeconds, freePort, pct, schedSeconds } from './bench-support.ts';
import { startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { provisionRoles } from '../src/lib/db-roles.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { createLogger } from '../src/lib/logger.ts';
import { ensureRedis } from '../test/support/redis.ts';
import { option } from './args.ts';

const MINUTES = Number(option('minutes', '5'));
const DEPLOYMENTS = option('deployment', 'both') === 'both' ? ['embedded', 'scaleout'] : [option('deployment', 'both')];
const [THINK_MIN, THINK_MAX] = option('think', '2-6').split('-').map(Number) as [number, number];
const TECHS = Number(option('technicians', '40'));
const INVESTIGATORS = Number(option('investigators', '20'));
const MANAGERS = Number(option('managers', '5'));
const REFRESH_S = Number(option('refresh', '10'));
const WARMUP_S = Number(option('warmup', '30'));
const PROFILE = process.argv.find((a) => a.startsWith('--profile='))?.split('=')[1];
const root = path.resolve(import.meta.dirname, '..');
const log = createLogger('error');
const ADMIN = { email: 'admin@surge.example', password: 'surge-admin-password' };
const PASSWORD = (email: string) => `pw-${email}-0123456789`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** The measurements of one deployment's run. */
class Stats {
  routes = new Map<string, number[]>();
  errors = new Map<string, number>();
  errorSamples: string[] = [];
  alerts: number[] = [];
  measuring = false;
  record(route: string, ms: number, status: number, body?: string) {
    if (!this.measuring) return;
    const xs = this.routes.get(route) ?? [];
    xs.push(ms);
    this.routes.set(route, xs);
    if (status >= 400 || status === 0) {
      const key = `${status || 'network'} ${route}`;
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
      if (this.errorSamples.length < 5) this.errorSamples.push(`${key}: ${(body ?? '').slice(0, 200)}`);
    }
  }
}

type Client = { email: string; token: string; id: string };

function http(base: string, stats: Stats) {
  return async <T = any>(client: Client | null, method: string, route: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const t = performance.now();
    let status = 0;
    let text = '';
    try {
      const res = await fetch(base + '/api/v1' + url, {
        method,
        headers: { ...(client ? { authorization: `Bearer ${client.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      text = (err as Error).message;
    }
    stats.record(route, performance.now() - t, status, text);
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status, body: parsed as T };
  };
}

/** This environment without what would change the deployment under test. */
function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['NODE_ENV', 'REDIS_URL', 'DATABASE_URL', 'DATABASE_OWNER_URL', 'API_RATE_PER_MINUTE', 'NODE_OPTIONS']) delete env[k];
  return env;
}

/** A process of the service, its output kept for the first lines that show why it failed. */
function serve(kind: 'all' | 'api' | 'worker', env: Record<string, string>, profileDir?: string): { child: ChildProcess; output: () => string; ready: Promise<string> } {
  const child = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), path.join(root, 'scripts', 'start.mjs'), kind], {
    cwd: root,
    env: { ...serverEnv(), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json', SEED_DEMO: '0', SERVER_SECRET: 'surge-bench-server-secret-0123456789', LOGIN_RATE_PER_IP: '500', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    if (out.length < 200_000) out += d;
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*listening/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`${kind} exited (${code}):\n${out.slice(-3000)}`)));
  });
  return { child, output: () => out, ready };
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGINT');
  await Promise.race([exited, sleep(30_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** A live stream held by an investigator: resolves alerts waited for by sample id. */
function liveStream(base: string, client: Client, onAlert: (sampleId: string, at: number) => void, stopped: AbortSignal): Promise<void> {
  return (async () => {
    const res = await fetch(`${base}/api/v1/notifications/stream`, { headers: { authorization: `Bearer ${client.token}`, accept: 'text/event-stream' }, signal: stopped });
    if (res.status !== 200 || !res.body) throw new Error(`live stream of ${client.email}: ${res.status}`);
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        buf += decoder.decode(chunk, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const event = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!/^event: notification$/m.test(event)) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? '{}') as { type?: string; sampleId?: string };
          if (data.type === 'PRESUMPTIVE_ALERT' && data.sampleId) onAlert(data.sampleId, at);
        }
      }
    } catch (err) {
      if (!stopped.aborted) throw err;
    }
  })();
}

async function run(deployment: string) {
  const stats = new Stats();
  const scratch = mkdtempSync(path.join(tmpdir(), `fol-surge-${deployment}-`));
  const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? (await freePort()));
  const profileDir = PROFILE ? path.resolve(PROFILE, deployment) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const servers: { name: string; child: ChildProcess }[] = [];
  const cleanup: (() => Promise<void> | void)[] = [];
  let base: string;
  try {
    const port = String(await freePort());
    if (deployment === 'embedded') {
      const all = serve('all', { DATA_DIR: scratch, EMBEDDED_PG_PORT: String(pgPort), PORT: port, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, profileDir);
      servers.push({ name: 'all-in-one', child: all.child });
      base = await all.ready;
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: pgPort, database: 'fol', log });
      cleanup.push(() => pg.stop());
      const roles = await provisionRoles(pg.url, 'fol', pg.credentials);
      await applyMigrations(roles.ownerUrl);
      const redis = await ensureRedis(Number(process.env.TEST_REDIS_PORT ?? 6399));
      cleanup.push(() => redis.stop());
      const prefix = `surge-${Date.now()}`;
      const env = { DATABASE_URL: roles.serviceUrl, DATABASE_OWNER_URL: roles.ownerUrl, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATA_DIR: scratch, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
      const worker = serve('worker', env, profileDir);
      servers.push({ name: 'worker', child: worker.child });
      worker.ready.catch(() => {});
      const api = serve('api', { ...env, PORT: port }, profileDir);
      servers.push({ name: 'api', child: api.child });
      base = await api.ready;
    }
    cleanup.unshift(async () => {
      for (const s of [...servers].reverse()) await stopProcess(s.child);
    });
    const call = http(base, stats);

    // Staff: the administrator creates the accounts, a manager puts investigators on duty.
    const signIn = async (email: string, password: string): Promise<Client> => {
      const r = await call<{ token: string; user: { id: string } }>(null, 'POST', 'POST /auth/login', '/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`sign-in of ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return { email, token: r.body.token, id: r.body.user.id };
    };
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const people = [
      ...Array.from({ length: TECHS }, (_, i) => ({ role: 'TECHNICIAN', email: `tech${i}@surge.example` })),
      ...Array.from({ length: INVESTIGATORS }, (_, i) => ({ role: 'INVESTIGATOR', email: `agent${i}@surge.example` })),
      ...Array.from({ length: MANAGERS }, (_, i) => ({ role: 'MANAGER', email: `manager${i}@surge.example` })),
    ];
    for (const p of people) {
      const r = await call(admin, 'POST', 'POST /users', '/users', { email: p.email, name: p.email, role: p.role, password: PASSWORD(p.email) });
      if (r.status !== 201) throw new Error(`creating ${p.email}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    // The shift signs in over ten seconds.
    const clients = await Promise.all(people.map(async (p, i) => {
      await sleep((i / people.length) * 10_000);
      return { ...p, client: await signIn(p.email, PASSWORD(p.email)) };
    }));
    const techs = clients.filter((c) => c.role === 'TECHNICIAN').map((c) => c.client);
    const agents = clients.filter((c) => c.role === 'INVESTIGATOR').map((c) => c.client);
    const managers = clients.filter((c) => c.role === 'MANAGER').map((c) => c.client);
    const portCodes = (await call<{ code: string }[]>(managers[0]!, 'GET', 'GET /ports', '/ports')).body.map((p) => p.code);
    const onDuty = portCodes.slice(0, Math.min(portCodes.length, agents.length));
    for (const [i, code] of onDuty.entries()) {
      const r = await call(managers[0]!, 'PUT', 'PUT /ports/:code/duty', `/ports/${code}/duty`, { investigatorId: agents[i]!.id });
      if (r.status !== 200) throw new Error(`duty at ${code}: ${r.status} ${JSON.stringify(r.body)}`);
    }

    // Live streams, and the alerts they are waiting for.
    const waiting = new Map<string, number>();
    const early = new Map<string, number>();
    const stop = new AbortController();
    const streams = agents.map((a) => liveStream(base, a, (sampleId, at) => {
      const sent = waiting.get(sampleId);
      if (sent === undefined) return void early.set(sampleId, at);
      waiting.delete(sampleId);
      if (stats.measuring) stats.alerts.push(at - sent);
    }, stop.signal));
    streams.forEach((s) => s.catch((err) => console.error(`  ${(err as Error).message}`)));
    const alertSent = (sampleId: string, at: number) => {
      const got = early.get(sampleId);
      if (got !== undefined) {
        early.delete(sampleId);
        if (stats.measuring) stats.alerts.push(got - at);
      } else waiting.set(sampleId, at);
    };
    await sleep(1000);

    // The load starts now; the measured window opens after the warm-up.
    const pids = servers.map((s) => ({ name: s.name, pid: s.child.pid! }));
    const postmaster = childProcesses(deployment === 'embedded' ? servers[0]!.child.pid! : process.pid).find((c) => c.name === 'postgres')?.pid;
    let rss0: number[] = [];
    let cpu0: number[] = [];
    let driverCpu0 = process.cpuUsage();
    let pgCpu0 = NaN;
    let sched0 = { node: { run: 0, wait: 0 }, pg: { run: 0, wait: 0 } };
    const sched = () => ({ node: schedSeconds(pids.map((p) => p.pid)), pg: postmaster ? schedSeconds([postmaster, ...childProcesses(postmaster).map((c) => c.pid)]) : { run: NaN, wait: NaN } });
    const loads: number[] = [];
    const rssTrend: number[][] = [];
    let t0 = performance.now();
    const deadline = t0 + WARMUP_S * 1000 + MINUTES * 60_000;
    const opened = sleep(WARMUP_S * 1000).then(() => {
      rss0 = pids.map((p) => rssMiB(p.pid));
      cpu0 = pids.map((p) => cpuSeconds(p.pid));
      driverCpu0 = process.cpuUsage();
      pgCpu0 = postmaster ? cpuSeconds(postmaster, true) : NaN;
      sched0 = sched();
      loads.push(loadavg()[0]!);
      t0 = performance.now();
      stats.measuring = true;
    });
    const running = () => performance.now() < deadline;
    const think = (min = THINK_MIN, max = THINK_MAX) => sleep((min + Math.random() * (max - min)) * 1000);
    const ticker = setInterval(() => {
      if (!stats.measuring) return;
      loads.push(loadavg()[0]!);
      rssTrend.push(pids.map((p) => rssMiB(p.pid)));
    }, 15_000);

    const forReview: { sampleId: string; by: string }[] = [];
    let samples = 0;
    let reviews = 0;
    const technician = async (me: Client, i: number) => {
      const portCode = onDuty[i % onDuty.length]!;
      let seizureId: string | undefined;
      for (let n = 0; running(); n++) {
        await think();
        await call(me, 'GET', 'GET /samples (worklist)', '/samples?limit=50&open=true');
        if (!running()) break;
        if (n % 3 === 0 || !seizureId) {
          const z = await call<{ id: string }>(me, 'POST', 'POST /seizures', '/seizures', { portCode, seizedAt: new Date().toISOString(), subjectInCustody: true, conveyance: 'PASSENGER_VEHICLE', narrative: 'surge' });
          if (z.status !== 201) continue;
          seizureId = z.body.id;
        }
        await think();
        const s = await call<{ id: string }>(me, 'POST', 'POST /samples', '/samples', { seizureId, form: 'POWDER', description: 'surge: off-white powder', grossWeightG: 60, netWeightG: 50, netWeightUncertaintyG: 0.2, sealNumber: `S-${i}-${n}` });
        if (s.status !== 201) continue;
        if (stats.measuring) samples++;
        const id = s.body.id;
        await think();
        const strip = await call(me, 'POST', 'POST /samples/:id/tests', `/samples/${id}/tests`, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' });
        if (strip.status === 201) alertSent(id, performance.now());
        await think();
        await call(me, 'POST', 'POST /samples/:id/tests', `/samples/${id}/tests`, { technique: 'GC_MS', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: `gcms-${i}-${n}` });
        await think();
        await call(me, 'POST', 'POST /samples/:id/tests', `/samples/${id}/tests`, { technique: 'FTIR', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: `ftir-${i}-${n}` });
        // The sample page, until the classification counts the three tests (the SPA hears it live).
        let classified = false;
        for (let k = 0; k < 5 && running() && !classified; k++) {
          await think(1, 2);
          const page = await call<{ classification: { testCount: number } | null }>(me, 'GET', 'GET /samples/:id', `/samples/${id}`);
          classified = page.body?.classification?.testCount === 3;
        }
        if (!classified || !running()) continue;
        const sub = await call(me, 'POST', 'POST /samples/:id/submit', `/samples/${id}/submit`);
        if (sub.status === 200) forReview.push({ sampleId: id, by: me.id });
        await think();
        const k = forReview.findIndex((r) => r.by !== me.id);
        if (k >= 0 && running()) {
          const [r] = forReview.splice(k, 1);
          const rv = await call(me, 'POST', 'POST /samples/:id/review', `/samples/${r!.sampleId}/review`, { decision: 'APPROVE', password: PASSWORD(me.email) });
          if (rv.status === 200 && stats.measuring) reviews++;
        }
      }
    };
    const investigator = async (me: Client) => {
      while (running()) {
        await think(5, 15);
        if (!running()) break;
        const unread = await call<{ items: { id: string }[] }>(me, 'GET', 'GET /notifications', '/notifications?unread=true&limit=500');
        for (const n of (unread.body?.items ?? []).slice(0, 3)) await call(me, 'POST', 'POST /notifications/:id/read', `/notifications/${n.id}/read`);
        const cases = await call<{ items: { id: string }[] }>(me, 'GET', 'GET /cases', '/cases?limit=500');
        const newest = cases.body?.items?.[0];
        if (!newest) continue;
        const c = await call<{ samples: { id: string }[]; seizures: { id: string }[] }>(me, 'GET', 'GET /cases/:id', `/cases/${newest.id}`);
        await Promise.all([
          ...(c.body?.samples ?? []).map((s) => call(me, 'GET', 'GET /samples/:id', `/samples/${s.id}`)),
          ...(c.body?.seizures ?? []).map((z) => call(me, 'GET', 'GET /seizures/:id/observables', `/seizures/${z.id}/observables`)),
        ]);
      }
    };
    const manager = async (me: Client, i: number) => {
      await sleep((i / MANAGERS) * REFRESH_S * 1000);
      await call(me, 'GET', 'GET /meta', '/meta');
      while (running()) {
        const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
        const started = performance.now();
        await Promise.all([
          call(me, 'GET', 'GET /reports/turnaround?groupBy=port', '/reports/turnaround?groupBy=port'),
          call(me, 'GET', 'GET /reports/turnaround?groupBy=priority', '/reports/turnaround?groupBy=priority'),
          call(me, 'GET', 'GET /reports/backlog', '/reports/backlog'),
          call(me, 'GET', 'GET /reports/throughput', '/reports/throughput'),
          call(me, 'GET', 'GET /samples?overdue=true', '/samples?overdue=true&limit=200'),
          call(me, 'GET', 'GET /samples?open=true&limit=500', '/samples?open=true&limit=500'),
          call(me, 'GET', 'GET /ports', '/ports'),
          call(me, 'GET', 'GET /reports/operations', `/reports/operations?from=${from}T00:00:00.000Z&to=${to}T00:00:00.000Z`),
        ]);
        await sleep(Math.max(0, REFRESH_S * 1000 - (performance.now() - started)));
      }
    };
    console.log(`\n[${deployment}] ${servers.map((s) => `${s.name} pid ${s.child.pid}`).join(', ')}; ${TECHS} technicians, ${agents.length} investigators (${onDuty.length} on duty), ${MANAGERS} managers; ${WARMUP_S} s warm-up, then ${MINUTES} min measured`);
    await Promise.all([opened, ...techs.map(technician), ...agents.map(investigator), ...managers.map(manager)]);
    const sched1 = sched();
    const seconds = (performance.now() - t0) / 1000;
    const rss1 = pids.map((p) => rssMiB(p.pid));
    const cpu1 = pids.map((p) => cpuSeconds(p.pid));
    const driverCpu = process.cpuUsage(driverCpu0);
    const pgCpu = postmaster ? cpuSeconds(postmaster, true) - pgCpu0 : NaN;
    clearInterval(ticker);
    loads.push(loadavg()[0]!);
    // Alerts still on their way are waited for, up to 10 s, then counted as missing.
    for (let k = 0; k < 20 && waiting.size; k++) await sleep(500);
    stats.measuring = false;
    stop.abort();
    const dead = servers.filter((s) => s.child.exitCode !== null);

    // The report.
    const all = [...stats.routes.values()].flat();
    console.log(`[${deployment}] ${seconds.toFixed(0)} s: ${all.length} requests (${(all.length / seconds).toFixed(1)}/s), ${samples} samples registered, ${reviews} reviewed; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${'2'} cores`);
    console.log(`  ${'route'.padEnd(44)}${'n'.padStart(6)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}   p95 ≤ 150 ms`);
    for (const [route, xs] of [...stats.routes.entries()].sort()) {
      const p95 = pct(xs, 95);
      console.log(`  ${route.padEnd(44)}${String(xs.length).padStart(6)}${pct(xs, 50).toFixed(0).padStart(9)}${p95.toFixed(0).padStart(9)}${pct(xs, 99).toFixed(0).padStart(9)}   ${p95 <= 150 ? 'met' : 'MISSED'}`);
    }
    const errors = [...stats.errors.entries()];
    console.log(`  errors: ${errors.length ? errors.map(([k, n]) => `${k} × ${n}`).join('; ') : 'none'}`);
    for (const e of stats.errorSamples) console.log(`    e.g. ${e}`);
    console.log(`  presumptive alert (test POST answered → event on the duty investigator's stream): n ${stats.alerts.length}, p50 ${pct(stats.alerts, 50).toFixed(0)} ms, p99 ${pct(stats.alerts, 99).toFixed(0)} ms, max ${Math.max(...stats.alerts).toFixed(0)} ms; not heard within 10 s after the window: ${waiting.size}`);
    for (const [i, p] of pids.entries()) {
      const growth = ((rss1[i]! - rss0[i]!) / rss0[i]!) * 100;
      console.log(`  RSS ${p.name.padEnd(10)} ${rss0[i]!.toFixed(0)} → ${rss1[i]!.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %, target ≤ 10 %; every 15 s: ${rssTrend.map((r) => r[i]!.toFixed(0)).join(' ')}); CPU ${(cpu1[i]! - cpu0[i]!).toFixed(0)} s (${(((cpu1[i]! - cpu0[i]!) / seconds) * 100).toFixed(0)} % of a core)`);
    }
    const nodeCpu = cpu1.reduce((a, c, i) => a + c - cpu0[i]!, 0);
    console.log(`  PostgreSQL CPU ${pgCpu.toFixed(0)} s (${((pgCpu / seconds) * 100).toFixed(0)} % of a core); service + PostgreSQL: ${(((nodeCpu + pgCpu) * 1000) / all.length).toFixed(0)} ms CPU per request (background jobs included)`);
    const waited = (k: 'node' | 'pg') => `${(sched1[k].run - sched0[k].run).toFixed(0)} s on a CPU, ${(sched1[k].wait - sched0[k].wait).toFixed(0)} s runnable but waiting for one`;
    console.log(`  CPU scheduling in the window: service ${waited('node')}; PostgreSQL ${waited('pg')}`);
    console.log(`  the driver itself (this process): CPU ${((driverCpu.user + driverCpu.system) / 1e6).toFixed(0)} s on the same 2 cores`);
    if (dead.length) console.log(`  DIED during the run: ${dead.map((s) => s.name).join(', ')}`);
  } finally {
    for (const c of cleanup) await Promise.resolve(c()).catch((err: unknown) => console.error(err));
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`bench:surge — ${MINUTES} min per deployment (${DEPLOYMENTS.join(', ')}), think time ${THINK_MIN}–${THINK_MAX} s, dashboard every ${REFRESH_S} s`);
  for (const d of DEPLOYMENTS) await run(d);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
