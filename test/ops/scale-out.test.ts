/**
 * The scale-out topology, tested as one: Debian's PostgreSQL (not the embedded one), a Redis, two API
 * processes and two worker processes of the compiled service on loopback. Samples go through both
 * APIs; one worker and one API are killed (SIGKILL) mid-run. Every sample is routed exactly once,
 * every investigator's live stream — reconnecting to the surviving API as a browser's EventSource
 * would — receives every one of their notifications, and the audit trail verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRoles } from '../../src/lib/db-roles.ts';
import { applyMigrations } from '../../src/lib/migrate.ts';
import { ensureBuilt } from '../support/build.ts';
import { REPO } from '../support/clone.ts';
import { ensureRedis } from '../support/redis.ts';
import { openEventStream } from '../support/sse.ts';
import { startSystemPostgres, type SystemPostgres } from '../support/system-postgres.ts';

const SAMPLES = 21;
const PORTS = ['2604', '2504', '2303'];

/** A free loopback port in 55400–55499 (this suite's range for the topology). */
async function freePortInRange(taken: Set<number>): Promise<number> {
  for (let p = 55400; p <= 55499; p++) {
    if (taken.has(p)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) {
      taken.add(p);
      return p;
    }
  }
  throw new Error('no free port in 55400-55499');
}

type Proc = { name: string; child: ChildProcess; out: () => string; url?: string };
const procs: Proc[] = [];
const pools: pg.Pool[] = [];
let database: SystemPostgres | undefined;
let redis: { url: string; stop(): void } | undefined;
/** The deployment's shared DATA_DIR: the ledger's signing key, public key and checkpoint file. */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fol-scale-data-'));

function startProcess(name: string, kind: 'api' | 'worker', env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(REPO, 'dist/src/entry', `${kind}.js`)], { cwd: REPO, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-200_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-200_000)));
  const p = { name, child, out: () => out };
  procs.push(p);
  return p;
}

async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${procs.map((p) => `--- ${p.name}\n${p.out().slice(-3000)}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await database?.stop();
  redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeAll(() => ensureBuilt(), 600_000);

describe('scale-out: PostgreSQL, Redis, two APIs, two workers', () => {
  it('when samples go through both APIs while one worker and one API are killed, then each is routed once, every live stream gets its alerts, and the audit trail verifies', async () => {
    const taken = new Set<number>();
    database = await startSystemPostgres(await freePortInRange(taken));
    redis = await ensureRedis(await freePortInRange(taken));
    // As a lab's own server is set up (docs/database-roles.sql): an owner role migrates, the processes
    // connect as the service role, which cannot rewrite evidence.
    const roles = await provisionRoles(database.url, 'fol', { superuser: '', owner: 'scale-out-owner', service: 'scale-out-service' });
    await applyMigrations(roles.ownerUrl);
    const admin = { email: 'admin@scale.example', password: 'scale-out-admin-password' };
    const env = {
      NODE_ENV: 'production', DATABASE_URL: roles.serviceUrl, DATABASE_OWNER_URL: roles.ownerUrl, REDIS_URL: redis.url, DATA_DIR: dataDir, AUDIT_CHECKPOINT_MS: '3000', HOST: '127.0.0.1', LOG_LEVEL: 'warn', QUEUE_PREFIX: `so-${randomUUID().slice(0, 6)}`,
      ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, API_RATE_PER_MINUTE: '0', JOB_ATTEMPTS: '10',
      WORKER_LOCK_MS: '5000', WORKER_STALLED_MS: '2000', STALE_WORK_MS: '15000', SWEEP_INTERVAL_MS: '3000', SHUTDOWN_GRACE_MS: '3000',
    };
    const apiPorts = [await freePortInRange(taken), await freePortInRange(taken)];
    const apis = apiPorts.map((port, i) => Object.assign(startProcess(`api${i + 1}`, 'api', { ...env, PORT: String(port) }), { url: `http://127.0.0.1:${port}` }));
    const workers = [startProcess('worker1', 'worker', env), startProcess('worker2', 'worker', env)];
    for (const a of apis) await until(async () => (await fetch(`${a.url}/readyz`)).status === 200, `${a.name} ready`, 180_000);
    const alive = () => apis.filter((a) => a.child.exitCode === null && a.child.signalCode === null);

    /** One request, to the preferred API or, when that one is down, to the other — with the same Idempotency-Key. */
    const call = async (prefer: number, method: string, p: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> => {
      const key = randomUUID();
      for (let attempt = 0; attempt < 40; attempt++) {
        const live = alive();
        const a = live.find((x) => x === apis[prefer % 2]) ?? live[0]!;
        try {
          const res = await fetch(`${a.url}/api/v1${p}`, {
            method, headers: { 'content-type': 'application/json', 'Idempotency-Key': key, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          if (res.status < 500) return { status: res.status, body: res.status === 204 ? null : await res.json() };
        } catch {
          // that API is gone: the next attempt goes to the other
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`${method} ${p} failed on every API`);
    };
    const login = async (email: string, password: string) => (await call(0, 'POST', '/auth/login', null, { email, password })).body.token as string;
    const adminToken = await login(admin.email, admin.password);
    const makeUser = async (role: string, i: number) => {
      const u = { email: `${role.toLowerCase()}${i}@scale.example`, name: `${role} ${i}`, role, password: `password-of-${role}-${i}` };
      const res = await call(i, 'POST', '/users', adminToken, u);
      expect(res.status).toBe(201);
      return { id: res.body.id as string, token: await login(u.email, u.password), password: u.password };
    };
    const tech = await makeUser('TECHNICIAN', 1);
    const reviewer = await makeUser('TECHNICIAN', 2);
    const manager = await makeUser('MANAGER', 1);
    const agents = await Promise.all(PORTS.map((_, i) => makeUser('INVESTIGATOR', i + 1)));
    for (const [i, port] of PORTS.entries()) expect((await call(i, 'PUT', `/ports/${port}/duty`, manager.token, { investigatorId: agents[i]!.id })).status).toBe(200);

    // Each investigator's live stream, on the two APIs in turn; when its API dies it reconnects to the other with Last-Event-ID.
    const received = agents.map(() => new Set<string>());
    let streaming = true;
    const streams = agents.map(async (agent, i) => {
      let apiIndex = i % 2;
      let lastId: string | undefined;
      while (streaming) {
        const api = alive().find((a) => a === apis[apiIndex]) ?? alive()[0]!;
        try {
          const s = await openEventStream(`${api.url}/api/v1/notifications/stream`, agent.token, lastId);
          while (streaming && api.child.exitCode === null && api.child.signalCode === null) {
            for (const e of s.events.splice(0)) {
              if (e.event === 'notification' && e.id) {
                received[i]!.add(e.id);
                lastId = e.id;
              }
            }
            await new Promise((r) => setTimeout(r, 100));
          }
          for (const e of s.events.splice(0)) if (e.event === 'notification' && e.id) (received[i]!.add(e.id), (lastId = e.id));
          await s.close();
        } catch {
          await new Promise((r) => setTimeout(r, 300));
        }
        apiIndex += 1;
      }
    });

    const sql = new pg.Pool({ connectionString: database.url, max: 2 });
    sql.on('error', () => {});
    pools.push(sql);
    const q = async <T>(text: string, values: unknown[] = []) => (await sql.query(text, values)).rows as T[];
    const statusOf = async (id: string) => (await q<{ status: string }>('SELECT status::text FROM "Sample" WHERE id = $1', [id]))[0]?.status;
    const routed = new Set<string>();
    const one = async (i: number) => {
      const seizure = await call(i, 'POST', '/seizures', tech.token, { portCode: PORTS[i % PORTS.length], seizedAt: new Date(Date.now() - 3_600_000).toISOString(), subjectInCustody: false, conveyance: 'PASSENGER_VEHICLE' });
      expect(seizure.status).toBe(201);
      const sample = await call(i + 1, 'POST', '/samples', tech.token, { seizureId: seizure.body.id, form: 'POWDER', description: `sample ${i}`, grossWeightG: 12, netWeightG: 10, netWeightUncertaintyG: 0.1, sealNumber: `S-${i}` });
      expect(sample.status).toBe(201);
      const id = sample.body.id as string;
      await until(async () => (await statusOf(id)) === 'QUEUED', `sample ${i} queued`, 120_000);
      expect((await call(i, 'POST', `/samples/${id}/tests`, tech.token, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' })).status).toBe(201);
      await until(async () => (await q('SELECT 1 FROM "Classification" WHERE "sampleId" = $1', [id])).length, `sample ${i} classified`, 120_000);
      const submitted = await call(i + 1, 'POST', `/samples/${id}/submit`, tech.token);
      expect([200, 409]).toContain(submitted.status);
      await until(async () => (await statusOf(id)) === 'AWAITING_REVIEW' || (await statusOf(id)) === 'RELEASED' || (await statusOf(id)) === 'ROUTED', `sample ${i} submitted`, 60_000);
      const review = await call(i, 'POST', `/samples/${id}/review`, reviewer.token, { decision: 'APPROVE', password: reviewer.password });
      expect([200, 409]).toContain(review.status);
      await until(async () => (await statusOf(id)) === 'ROUTED', `sample ${i} routed`, 180_000);
      routed.add(id);
      return id;
    };

    const started = Date.now();
    const ids: string[] = [];
    let next = 0;
    let killed = false;
    const lanes = Array.from({ length: 4 }, async () => {
      while (next < SAMPLES) {
        const i = next++;
        ids.push(await one(i));
        // A third of the way through, once every investigator has heard something: one worker and one API die.
        if (!killed && routed.size >= SAMPLES / 3 && received.every((r) => r.size > 0)) {
          killed = true;
          workers[0]!.child.kill('SIGKILL');
          apis[0]!.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(lanes);
    expect(killed).toBe(true);
    const elapsed = Date.now() - started;

    // Routed once: one routing entry in the audit trail, one case link, one presumptive alert, per sample.
    expect(ids).toHaveLength(SAMPLES);
    const perSample = await q<{ id: string; routed: number; linked: number; alerts: number; versions: number }>(`
      SELECT s.id,
        (SELECT count(*)::int FROM "AuditEntry" a WHERE a."entityId" = s.id::text AND a.action = 'sample.status.routed') AS routed,
        (SELECT count(*)::int FROM "SampleEvent" e WHERE e."sampleId" = s.id AND e.status = 'ROUTED') AS linked,
        (SELECT count(*)::int FROM "Notification" n WHERE n."sampleId" = s.id AND n.type = 'PRESUMPTIVE_ALERT') AS alerts,
        (SELECT count(*)::int FROM "Classification" c WHERE c."sampleId" = s.id) AS versions
      FROM "Sample" s WHERE s.id = ANY($1::uuid[])`, [ids]);
    expect(perSample).toHaveLength(SAMPLES);
    for (const row of perSample) expect(row, row.id).toMatchObject({ routed: 1, linked: 1, alerts: 1, versions: 1 });

    // Every investigator's stream got every notification addressed to them (alerts, cases, results),
    // and nothing else: compared once the last ones are written and pushed.
    const addressed = () => Promise.all(agents.map(async (a) => (await q<{ id: string }>('SELECT id FROM "Notification" WHERE "recipientId" = $1 ORDER BY id', [a.id])).map((r) => r.id)));
    const same = (a: string[], b: Set<string>) => a.length === b.size && a.every((id) => b.has(id));
    // Work still finishing (relating seizures, webhooks) may add a notification late: equal and unchanged for 5 s.
    let settled: { key: string; since: number } | null = null;
    await until(async () => {
      const now = await addressed();
      if (!now.every((ids_, i) => same(ids_, received[i]!))) return (settled = null);
      const key = now.flat().join();
      if (settled?.key !== key) settled = { key, since: Date.now() };
      return Date.now() - settled.since > 5000;
    }, 'every notification on a live stream', 90_000);
    streaming = false;
    await Promise.all(streams);
    const expected = await addressed();
    for (const [i, ids_] of expected.entries()) {
      expect(ids_.filter((id) => !received[i]!.has(id))).toEqual([]);
      expect([...received[i]!].sort()).toEqual(ids_);
      expect(ids_.length).toBeGreaterThanOrEqual(SAMPLES / PORTS.length);
    }

    const types = await q<{ type: string; n: number }>('SELECT type, count(*)::int AS n FROM "Notification" WHERE "recipientId" = ANY($1::uuid[]) GROUP BY type ORDER BY type', [agents.map((a) => a.id)]);
    const verify = await call(1, 'GET', '/audit/verify', manager.token);
    expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null });
    // The surviving worker signed checkpoints, and the API checked them against the log.
    expect(verify.body.checkpoints.checked).toBeGreaterThanOrEqual(1);
    expect(verify.body.checkpoints.signaturesChecked).toBe(true);
    console.log(`[scale-out] ${SAMPLES} samples routed in ${(elapsed / 1000).toFixed(1)} s through 2 APIs and 2 workers (PostgreSQL ${database.version}), one of each killed mid-run; ${verify.body.entries} audit entries verified; investigators' notifications ${types.map((t) => `${t.type} ${t.n}`).join(', ')}`);
  }, 600_000);
});
