import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';
import { openEventStream } from '../support/sse.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;

/** A real HTTP receiver: answers with the scripted statuses in turn, then 200; keeps every request. */
async function receiver(statuses: number[]) {
  const requests: { headers: http.IncomingHttpHeaders; body: string; answered: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answered = statuses[requests.length] ?? 200;
      requests.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests, close: () => new Promise((r) => server.close(r)) };
}

const verified = (secret: string, r: { headers: http.IncomingHttpHeaders; body: string }) =>
  r.headers['x-signature'] === `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;

describe.each<TBackend>(['postgres', 'redis'])('notifications on the %s queue backend', (backend) => {
  let workers: Harness;
  let api2: Harness;
  let tech: TUser;
  let reviewer: TUser;
  let agent: TUser;
  let admin: TUser;

  beforeAll(async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    // The receivers are local: lab-internal receivers are allowed explicitly.
    const env = { QUEUE_PREFIX: prefix, WEBHOOK_BACKOFF_MS: '50', WEBHOOK_ATTEMPTS: '3', WEBHOOK_ALLOW_PRIVATE: '1' };
    workers = await startHarness({ kind: 'all', backend, env });
    // A second API instance on the same database and queue backend: live events must reach it too.
    api2 = await startHarness({ kind: 'api', backend, env, databaseUrl: workers.databaseUrl });
    tech = await workers.user('TECHNICIAN');
    reviewer = await workers.user('TECHNICIAN', 'reviewer-password-1');
    agent = await workers.user('INVESTIGATOR');
    admin = await workers.user('ADMIN');
    const manager = await workers.user('MANAGER');
    expect((await workers.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id })).status).toBe(200);
  });
  afterAll(async () => {
    await api2?.stop();
    await workers?.stop();
  });

  const newSample = async () => {
    const seizure = (await workers.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ subjectInCustody: true }))).body;
    return (await workers.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body as { id: string; barcode: string };
  };

  it('when a strip test is positive, then the duty investigator connected to another API instance gets exactly one presumptive alert, live', async () => {
    const stream = await openEventStream(`${api2.url}/api/v1/notifications/stream`, agent.token);
    try {
      const sample = await newSample();
      await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
      const alert = await eventually(async () => stream.events.find((e) => (e.data as { sampleId: string }).sampleId === sample.id), 'alert on the stream');
      expect(alert.event).toBe('notification');
      expect(alert.data).toMatchObject({
        type: 'PRESUMPTIVE_ALERT', sampleId: sample.id, title: expect.stringMatching(/^PRESUMPTIVE fentanyl/),
        body: { presumptive: true, level: 'PRESUMPTIVE', warnings: expect.arrayContaining([expect.objectContaining({ code: 'SINGLE_SAMPLING' })]) },
      });
      // More results (a new classification each) and a repeated delivery announcement change nothing.
      await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'gcms/1', samplingId: 'S2' }).expect(201);
      await eventually(async () => (await workers.sql('SELECT max(version)::int AS v FROM "Classification" WHERE "sampleId" = $1', [sample.id]))[0]!.v === 2, 'second classification');
      await workers.deps.queues.publish('notifications', JSON.stringify({ id: alert.id, recipientId: agent.id }));
      // A later announcement on the same channel reaching the stream shows the repeat was heard too.
      const sentinel = await workers.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: 'sentinel after the repeat' } });
      await workers.deps.queues.publish('notifications', JSON.stringify({ id: sentinel.id, recipientId: agent.id }));
      await eventually(async () => stream.events.some((e) => e.id === sentinel.id), 'the announcement sent after the repeat');
      expect(stream.events.filter((e) => (e.data as { sampleId: string }).sampleId === sample.id)).toHaveLength(1);
      expect(await workers.sql(`SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1 AND type = 'PRESUMPTIVE_ALERT'`, [sample.id])).toEqual([{ n: 1 }]);
    } finally {
      await stream.close();
    }
  });

  it('when a client reconnects with Last-Event-ID, then it gets what it missed, once', async () => {
    const first = await openEventStream(`${workers.url}/api/v1/notifications/stream`, agent.token);
    const a = await newSample();
    await workers.http().post(`/api/v1/samples/${a.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    const seen = await eventually(async () => first.events.find((e) => (e.data as { sampleId: string }).sampleId === a.id), 'first alert');
    await first.close();
    const b = await newSample();
    await workers.http().post(`/api/v1/samples/${b.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    await eventually(async () => (await workers.sql(`SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1 AND "deliveredAt" IS NOT NULL`, [b.id]))[0]!.n === 1, 'second alert delivered');
    const again = await openEventStream(`${workers.url}/api/v1/notifications/stream`, agent.token, seen.id);
    try {
      await eventually(async () => again.events.length > 0, 'replay');
      expect(again.events.map((e) => (e.data as { sampleId: string }).sampleId)).toEqual([b.id]);
    } finally {
      await again.close();
    }
  });

  it('when a webhook receiver fails twice then succeeds, then it gets one verified delivery and the log shows three attempts', async () => {
    const hook = await receiver([500, 503]);
    const secret = 'receiver-secret-0123456789';
    try {
      const reg = await workers.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url: hook.url, events: ['PRESUMPTIVE_ALERT'], secret });
      expect(reg.status).toBe(201);
      expect(JSON.stringify(reg.body)).not.toContain(secret);
      const sample = await newSample();
      await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
      const log = await eventually(async () => {
        const res = await workers.http().get(`/api/v1/webhooks/${reg.body.id}/deliveries`).set(auth(admin.token));
        return res.body.items[0]?.status === 'DELIVERED' && res.body.items;
      }, 'delivered webhook');
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ event: 'PRESUMPTIVE_ALERT', attempts: 3, lastStatusCode: 200 });
      expect(log[0].attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 200]);
      expect(hook.requests).toHaveLength(3);
      expect(hook.requests.every((r) => verified(secret, r))).toBe(true);
      const accepted = hook.requests.filter((r) => r.answered === 200);
      expect(accepted).toHaveLength(1);
      const body = JSON.parse(accepted[0]!.body);
      expect(body).toMatchObject({ id: log[0].id, event: 'PRESUMPTIVE_ALERT', sampleId: sample.id, timestamp: Number(accepted[0]!.headers['x-timestamp']) });
      expect(new Set(hook.requests.map((r) => r.headers['x-delivery-id']))).toEqual(new Set([log[0].id]));
      // Running the delivery job again (a worker killed after sending) sends nothing more.
      const { webhookJob } = await import('../../src/webhooks/webhook.job.ts');
      await webhookJob({ deliveryId: log[0].id }, { ...workers.deps, log: workers.deps.log, jobId: 'again', attempt: 4 });
      expect(hook.requests).toHaveLength(3);
      await workers.http().post(`/api/v1/webhooks/${reg.body.id}/disable`).set(auth(admin.token)).expect(200);
    } finally {
      await hook.close();
    }
  });

  it('when a webhook receiver never answers 2xx, then the delivery is dead after the last attempt and dead-lettered', async () => {
    const hook = await receiver([500, 500, 500, 500]);
    try {
      const reg = await workers.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url: hook.url, events: ['PRESUMPTIVE_ALERT'], secret: 'receiver-secret-abcdefghij' });
      const sample = await newSample();
      await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
      const dead = await eventually(async () => {
        const res = await workers.http().get(`/api/v1/webhooks/${reg.body.id}/deliveries`).set(auth(admin.token));
        return res.body.items[0]?.status === 'DEAD' && res.body.items[0];
      }, 'dead delivery');
      expect(dead.attempts).toBe(3);
      await eventually(async () => (await workers.sql(`SELECT count(*)::int AS n FROM "DeadLetter" WHERE payload->>'deliveryId' = $1`, [dead.id]))[0]!.n === 1, 'dead letter');
      expect(hook.requests).toHaveLength(3);
      await workers.http().post(`/api/v1/webhooks/${reg.body.id}/disable`).set(auth(admin.token)).expect(200);
    } finally {
      await hook.close();
    }
  });

  it('when a released sample is routed, then one case opens and one RESULT_RELEASED reaches the assignee; a manager can reassign it and link a seizure', async () => {
    const sample = await newSample();
    await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'POSITIVE', substance: 'cocaine', dataRef: 'ftir/9' }).expect(201);
    await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC', outcome: 'POSITIVE', substance: 'cocaine', dataRef: 'gc/9' }).expect(201);
    await eventually(async () => (await workers.sql('SELECT max("testCount")::int AS n FROM "Classification" WHERE "sampleId" = $1', [sample.id]))[0]!.n === 2, 'classified');
    await workers.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);
    await workers.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' }).expect(200);
    const caseId = await eventually(async () => (await workers.http().get(`/api/v1/samples/${sample.id}`).set(auth(tech.token))).body.caseId, 'routed to a case');
    await eventually(async () => (await workers.sql(`SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1 AND type = 'RESULT_RELEASED'`, [sample.id]))[0]!.n === 1, 'RESULT_RELEASED');
    expect(await workers.sql(`SELECT "recipientId" FROM "Notification" WHERE "sampleId" = $1 AND type = 'RESULT_RELEASED'`, [sample.id])).toEqual([{ recipientId: agent.id }]);
    expect(await workers.sql(`SELECT count(*)::int AS n FROM "Case" c JOIN "Seizure" s ON s."caseId" = c.id JOIN "Sample" x ON x."seizureId" = s.id WHERE x.id = $1`, [sample.id])).toEqual([{ n: 1 }]);
    // The case opened in one statement with its number: its audit entry records the case as created, number included.
    const [opened] = await workers.sql<{ after: unknown; id: string; caseNumber: string; status: string; assigneeId: string | null; portCode: string; openedAt: Date }>(
      `SELECT a.after, c.id::text AS id, c."caseNumber", c.status, c."assigneeId"::text AS "assigneeId", c."portCode", c."openedAt" FROM "AuditEntry" a JOIN "Case" c ON c.id::text = a."entityId" WHERE a.action = 'case.open' AND a."entityId" = $1`, [caseId]);
    expect(opened!.after).toEqual({ id: caseId, caseNumber: opened!.caseNumber, status: 'OPEN', assigneeId: agent.id, portCode: opened!.portCode, openedAt: opened!.openedAt.toISOString() });
    expect(opened!.caseNumber).toMatch(/^HSI-\d{4}-\d{4}-\d{6}$/);
    const opening = (await workers.http().get(`/api/v1/cases/${caseId}`).set(auth(agent.token))).body.timeline.map((t: { type: string }) => t.type);
    expect(opening).toEqual(['OPENED', 'SEIZURE_LINKED', 'SAMPLE_LINKED', 'RESULT_RELEASED']);

    const manager = await workers.user('MANAGER');
    const agent2 = await workers.user('INVESTIGATOR');
    const assigned = await workers.http().post(`/api/v1/cases/${caseId}/assign`).set(auth(manager.token)).send({ investigatorId: agent2.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigneeId).toBe(agent2.id);
    await eventually(async () => {
      const items = (await workers.http().get('/api/v1/notifications').set(auth(agent2.token))).body.items as { type: string; caseId: string }[];
      return items.some((n) => n.type === 'CASE_ASSIGNED' && n.caseId === caseId);
    }, 'CASE_ASSIGNED to the new assignee');
    expect((await workers.http().get(`/api/v1/cases/${caseId}`).set(auth(agent.token))).status).toBe(404);

    const other = (await workers.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const linked = await workers.http().post(`/api/v1/cases/${caseId}/seizures`).set(auth(agent2.token)).send({ seizureId: other.id });
    expect(linked.status).toBe(200);
    const kase = (await workers.http().get(`/api/v1/cases/${caseId}`).set(auth(agent2.token))).body;
    expect(kase.seizures.map((s: { id: string }) => s.id)).toContain(other.id);
    expect(kase.timeline.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(['OPENED', 'SEIZURE_LINKED', 'SAMPLE_LINKED', 'RESULT_RELEASED', 'ASSIGNED']));
    const elsewhere = await workers.http().post(`/api/v1/cases/${caseId}/seizures`).set(auth(manager.token)).send({ seizureId: randomUUID() });
    expect(elsewhere.status).toBe(400);
  });

  it('when nobody is on duty at the port, then the alert and the release go to the managers and the new case is unassigned', async () => {
    const manager = await workers.user('MANAGER');
    await workers.http().put('/api/v1/ports/2503/duty').set(auth(manager.token)).send({ investigatorId: null }).expect(200);
    const seizure = (await workers.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ portCode: '2503' }))).body;
    const sample = (await workers.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'f/1' }).expect(201);
    await workers.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'g/1' }).expect(201);
    await eventually(async () => (await workers.sql('SELECT max("testCount")::int AS n FROM "Classification" WHERE "sampleId" = $1', [sample.id]))[0]!.n === 2, 'classified');
    await workers.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);
    await workers.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' }).expect(200);
    const managers = (await workers.sql<{ id: string }>(`SELECT id::text FROM "User" WHERE role = 'MANAGER' AND "disabledAt" IS NULL ORDER BY id`)).map((m) => m.id);
    const byType = async (type: string) => (await workers.sql<{ r: string }>(`SELECT "recipientId"::text AS r FROM "Notification" WHERE "sampleId" = $1 AND type = $2 ORDER BY 1`, [sample.id, type])).map((x) => x.r);
    await eventually(async () => (await byType('RESULT_RELEASED')).length === managers.length, 'RESULT_RELEASED to every manager');
    expect(await byType('PRESUMPTIVE_ALERT')).toEqual(managers);
    expect(await byType('RESULT_RELEASED')).toEqual(managers);
    expect(await byType('CASE_ASSIGNED')).toEqual([]);
    const [kase] = await workers.sql<{ assigneeId: string | null; caseNumber: string }>(`SELECT c."assigneeId", c."caseNumber" FROM "Case" c JOIN "Seizure" z ON z."caseId" = c.id WHERE z.id = $1`, [seizure.id]);
    expect(kase).toMatchObject({ assigneeId: null, caseNumber: expect.stringMatching(/^HSI-2503-\d{4}-\d{6}$/) });
  });
});
