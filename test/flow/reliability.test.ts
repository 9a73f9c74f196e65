import { describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness } from '../support/harness.ts';

const status = async (h: Awaited<ReturnType<typeof startHarness>>, id: string) =>
  (await h.sql<{ status: string }>('SELECT status::text FROM "Sample" WHERE id = $1', [id]))[0]?.status;

describe('nothing is lost', () => {
  it('when the process dies after the commit and before anything is published, then a worker started later finds the job in the outbox', async () => {
    const api = await startHarness({ kind: 'api' });
    const tech = await api.user('TECHNICIAN');
    const seizure = (await api.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await api.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    // An API process has no relay: the committed job waits in the outbox, unpublished, when the process dies.
    expect(await api.sql(`SELECT "jobName" FROM "OutboxMessage" WHERE "publishedAt" IS NULL AND payload->>'sampleId' = $1`, [sample.id])).toEqual([{ jobName: 'triage' }]);
    await api.stop();

    const worker = await startHarness({ kind: 'worker', databaseUrl: api.databaseUrl });
    try {
      await eventually(async () => (await status(worker, sample.id)) === 'QUEUED', 'QUEUED after restart');
      expect(await worker.sql('SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "publishedAt" IS NULL')).toEqual([{ n: 0 }]);
    } finally {
      await worker.stop();
    }
  });

  it('when the same step is published twice (relay killed between publish and mark), then it takes effect once', async () => {
    const h = await startHarness({ kind: 'all' });
    try {
      const tech = await h.user('TECHNICIAN');
      const agent = await h.user('INVESTIGATOR');
      const manager = await h.user('MANAGER');
      await h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
      const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
      const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
      await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
      const alerts = () => h.sql(`SELECT "recipientId" FROM "Notification" WHERE "sampleId" = $1 AND type = 'PRESUMPTIVE_ALERT'`, [sample.id]);
      await eventually(async () => (await alerts()).length, 'the first classification and its alert');
      const events = await h.deps.queues.events('analysis');
      const queue = h.deps.queues.queue('analysis');
      const dups = await Promise.all([1, 2, 3].map((i) => queue.add('classify', { sampleId: sample.id }, { jobId: `dup-${sample.id}-${i}` })));
      await Promise.all(dups.map((job) => job.waitUntilFinished(events, 30_000)));
      expect(await h.sql('SELECT version FROM "Classification" WHERE "sampleId" = $1', [sample.id])).toEqual([{ version: 1 }]);
      expect(await alerts()).toEqual([{ recipientId: agent.id }]);
      expect(await h.sql(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "jobName" = 'plan' AND payload->>'sampleId' = $1`, [sample.id])).toEqual([{ n: 1 }]);
    } finally {
      await h.stop();
    }
  });

  it('when Redis is down while a technician registers a sample, then the answer is still 201 and the work runs once Redis is back', async () => {
    const down = await startHarness({ kind: 'all', backend: 'redis', env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    let sampleId: string;
    try {
      const tech = await down.user('TECHNICIAN');
      const seizure = (await down.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
      const res = await down.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id));
      expect(res.status).toBe(201);
      sampleId = res.body.id;
      const ready = await down.http().get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ database: 'ok', queue: 'down' });
      // The positive signal that the work was tried: the relay's publish failed and was recorded.
      const [row] = await eventually(async () => {
        const rows = await down.sql<{ attempts: number; lastError: string | null; publishedAt: Date | null }>(
          `SELECT attempts, "lastError", "publishedAt" FROM "OutboxMessage" WHERE payload->>'sampleId' = $1`, [sampleId]);
        return rows[0]?.lastError ? rows : null;
      }, 'a failed publish recorded in the outbox');
      expect(row).toMatchObject({ attempts: expect.any(Number), publishedAt: null });
      expect(await status(down, sampleId)).toBe('REGISTERED');
    } finally {
      await down.stop();
    }
    const back = await startHarness({ kind: 'worker', backend: 'redis', databaseUrl: down.databaseUrl });
    try {
      await eventually(async () => (await status(back, sampleId)) === 'QUEUED', 'QUEUED once Redis is back', 20_000);
    } finally {
      await back.stop();
    }
  });
});
