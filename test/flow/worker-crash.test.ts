import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditEnv, auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

/**
 * A worker process killed with SIGKILL while it is delivering: another worker takes the job over once
 * its lock lapses, and the receiver still ends up with one delivery (same X-Delivery-Id; it drops the
 * repeat) and the investigator with one notification.
 */
describe.each<TBackend>(['postgres', 'redis'])('worker killed during delivery on the %s queue backend', (backend) => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const fast = { WORKER_LOCK_MS: '1500', WORKER_STALLED_MS: '1000', WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_ALLOW_PRIVATE: '1' };
  let api: Harness;
  let worker: ChildProcess | undefined;
  let rescuer: Harness | undefined;
  const requests: { id: string; res: http.ServerResponse }[] = [];
  let receiver: http.Server;

  beforeAll(async () => {
    // The first delivery attempt never gets an answer: the worker holding it is killed meanwhile.
    receiver = http.createServer((req, res) => {
      req.resume();
      requests.push({ id: String(req.headers['x-delivery-id']), res });
      if (requests.length > 1) res.writeHead(200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    api = await startHarness({ kind: 'api', backend, env: { QUEUE_PREFIX: prefix, ...fast } });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await rescuer?.stop();
    await api?.stop();
    for (const r of requests) r.res.destroy();
    await new Promise((r) => receiver.close(r));
  });

  it('when the worker dies mid-delivery, then the job is taken over and delivered once', async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/entry/worker.ts'], {
      env: { ...process.env, DATABASE_URL: api.databaseUrl, ...auditEnv(api.databaseUrl), ...(backend === 'redis' ? { REDIS_URL: inject('redisUrl') } : {}), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...fast },
      stdio: 'ignore',
    });
    const tech = await api.user('TECHNICIAN');
    const agent = await api.user('INVESTIGATOR');
    const admin = await api.user('ADMIN');
    const manager = await api.user('MANAGER');
    await api.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await api.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url, events: ['PRESUMPTIVE_ALERT'], secret: 'crash-secret-0123456789' }).expect(201);
    const seizure = (await api.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await api.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await api.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);

    // The budget covers a cold start of the child process (tsx compiles the sources) on a busy machine.
    await eventually(async () => requests.length === 1, 'the first delivery attempt to reach the receiver', 90_000);
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));

    rescuer = await startHarness({ kind: 'worker', backend, databaseUrl: api.databaseUrl, env: { QUEUE_PREFIX: prefix, ...fast } });
    const delivery = await eventually(async () => {
      const [d] = await api.sql<{ id: string; status: string }>(`SELECT id::text, status FROM "WebhookDelivery"`);
      return d?.status === 'DELIVERED' && d;
    }, 'delivery by the rescuing worker', 30_000);
    expect(requests.length).toBe(2);
    expect(new Set(requests.map((r) => r.id))).toEqual(new Set([delivery.id]));
    expect(await api.sql(`SELECT count(*)::int AS n FROM "WebhookDelivery"`)).toEqual([{ n: 1 }]);
    expect(await api.sql(`SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1 AND type = 'PRESUMPTIVE_ALERT'`, [sample.id])).toEqual([{ n: 1 }]);
  }, 180_000);
});
