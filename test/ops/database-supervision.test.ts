import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyNow } from '../../src/audit/audit.usecases.ts';
import { publishCheckpoint } from '../../src/audit/checkpoint.job.ts';
import { SERVICE_ROLE } from '../../src/lib/db-roles.ts';
import { auth, eventually, sampleBody, seizureBody } from '../support/harness.ts';
import { freshDataDir, removeDataDir, startEmbeddedApp, type EmbeddedApp } from '../support/embedded-app.ts';

const dataDir = freshDataDir('supervision');
let app: EmbeddedApp;

beforeAll(async () => {
  app = await startEmbeddedApp(dataDir, { WORKER_CONCURRENCY: '4' });
});

afterAll(async () => {
  await app?.stop();
  removeDataDir(dataDir);
});

const ready = async () => (await app.http().get('/readyz')).status === 200;

describe('the embedded database is supervised', () => {
  it('when PostgreSQL is killed with SIGKILL under load, then it is restarted, the managers are told, and nothing acknowledged is lost', async () => {
    const tech = await app.user('TECHNICIAN');
    const manager = await app.user('MANAGER');
    const seizure = (await app.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody()).expect(201)).body as { id: string };

    // Four writers register samples; a failed request is retried with the same Idempotency-Key, as a client should.
    const acknowledged: string[] = [];
    let failures = 0;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const key = randomUUID();
        for (let attempt = 0; attempt < 200 && !stop; attempt++) {
          const res = await app.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', key).send(sampleBody(seizure.id)).catch(() => null);
          if (res?.status === 201) {
            acknowledged.push((res.body as { id: string }).id);
            break;
          }
          failures += 1;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await eventually(async () => acknowledged.length >= 10, 'samples registered before the kill');

    const killedPid = app.embedded!.pid;
    const killedAt = Date.now();
    process.kill(killedPid, 'SIGKILL');
    await eventually(async () => !(await ready()), 'readyz failing after the kill', 10_000).catch(() => undefined);
    await eventually(async () => app.embedded!.pid !== killedPid && (await ready()), 'database back', 60_000);
    const recoveredMs = Date.now() - killedAt;
    const before = acknowledged.length;
    await eventually(async () => acknowledged.length >= before + 10, 'samples registered after the restart', 30_000);
    stop = true;
    await Promise.all(writers);
    console.log(`[supervision] ready again ${recoveredMs} ms after SIGKILL; ${acknowledged.length} samples acknowledged, ${failures} failed requests retried`);

    expect((await app.http().get('/healthz')).status).toBe(200);
    const ids = [...new Set(acknowledged)];
    expect(ids).toHaveLength(acknowledged.length);
    const stored = await app.deps.db.sample.findMany({ where: { id: { in: ids } }, select: { id: true } });
    expect(stored).toHaveLength(ids.length);
    // Every acknowledged sample also gets through triage: the work queued before the crash was not lost.
    await eventually(async () => (await app.deps.db.sample.count({ where: { id: { in: ids }, status: 'QUEUED' } })) === ids.length, 'every sample triaged', 90_000);
    // Retried requests created nothing twice (one sample per idempotency key: no strays).
    expect(await app.deps.db.sample.count({ where: { seizureId: seizure.id } })).toBe(ids.length);
    // The restarted server is the same cluster: the service still connects as its provisioned role,
    // and the ledger seals and signs over the entries written on both sides of the crash.
    const [who] = await app.deps.db.$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
    expect(who!.role).toBe(SERVICE_ROLE);
    const signed = await publishCheckpoint(app.deps);
    const verified = await verifyNow(app.deps.db, app.deps.config);
    expect(verified.ok, verified.reason ?? '').toBe(true);
    expect(verified.checkpoints.checked).toBeGreaterThanOrEqual(1);
    expect(signed === null || verified.checkpoints.latest!.number >= signed.number).toBe(true);

    const alerts = await eventually(
      async () => {
        const rows = await app.deps.db.notification.findMany({ where: { recipientId: manager.id, type: 'DATABASE_RESTARTED' } });
        return rows.length ? rows : null;
      },
      'the managers alerted',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toMatch(/killed \(SIGKILL\) and was restarted/);
  });

  it('when PostgreSQL dies and cannot be restarted, then /healthz fails and the runtime reports itself finished', async () => {
    // A data folder that is no longer a database: every restart attempt fails at once.
    const pid = app.embedded!.pid;
    rmSync(path.join(app.embedded!.dataDir, 'PG_VERSION'));
    process.kill(pid, 'SIGKILL');
    const err = await Promise.race([app.fatal, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(err).toBeInstanceOf(Error);
    const health = await app.http().get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'failed' });
    expect((health.body as { reason: string }).reason).toMatch(/embedded database down/);
  });
});
