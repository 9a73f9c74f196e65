import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;

/**
 * A step that runs out of retries puts its sample in NEEDS_ATTENTION; a manager takes it out again,
 * on each queue backend. Faults are real: a database trigger refuses a write until it is dropped.
 */
describe.each<TBackend>(['postgres', 'redis'])('recovery from NEEDS_ATTENTION on the %s queue backend', (backend) => {
  let h: Harness;
  let tech: TUser;
  let manager: TUser;
  type TLine = { level: number; msg: string; job?: string; sampleId?: string; final?: boolean; err?: { message: string; stack: string } };
  const lines: TLine[] = [];
  const jobLog = (sampleId: string) => lines.filter((l) => l.sampleId === sampleId && l.msg.startsWith('job failed')).map((l) => [l.level, l.msg, l.job, l.final]);

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    h = await startHarness({ kind: 'all', backend, env: { JOB_ATTEMPTS: '2' }, log: createLogger('warn', {}, sink) });
    tech = await h.user('TECHNICIAN');
    manager = await h.user('MANAGER');
    await h.sql(`CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
  });
  afterAll(() => h?.stop());

  const sampleOf = async (id: string) => (await h.http().get(`/api/v1/samples/${id}`).set(auth(manager.token))).body;
  const register = async (description: string) => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const res = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, { description }));
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const attention = (id: string, body: unknown, token = manager.token) => h.http().post(`/api/v1/samples/${id}/attention`).set(auth(token)).send(body as object);
  const inAttention = (id: string) => eventually(async () => (await sampleOf(id)).status === 'NEEDS_ATTENTION', 'NEEDS_ATTENTION', 30_000);

  it('when triage keeps failing on a database fault (transient), then it is retried, dead-lettered and the sample waits in NEEDS_ATTENTION; once the fault is gone, RETRY queues it', async () => {
    const description = `fault-${randomUUID()}`;
    const trigger = `fault_${randomUUID().replaceAll('-', '')}`;
    await h.sql(`CREATE TRIGGER ${trigger} BEFORE UPDATE ON "Sample" FOR EACH ROW WHEN (NEW.status = 'QUEUED' AND NEW.description = '${description}') EXECUTE FUNCTION injected_fault()`);
    const sample = await register(description);
    await inAttention(sample.id);
    const held = await sampleOf(sample.id);
    expect(held.attention).toMatchObject({ statusBefore: 'REGISTERED', failures: [{ step: 'triage', attempts: 2, error: expect.stringContaining('injected fault') }] });
    expect(jobLog(sample.id)).toEqual([[40, 'job failed; will retry', 'triage', false], [50, 'job failed for good', 'triage', true]]);
    expect(lines.find((l) => l.sampleId === sample.id && l.final)!.err!.stack).toMatch(/injected fault[\s\S]*\n\s+at /);

    await h.sql(`DROP TRIGGER ${trigger} ON "Sample"`);
    const res = await attention(sample.id, { action: 'RETRY', reason: 'database fault fixed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'REGISTERED', attention: null });
    await eventually(async () => (await sampleOf(sample.id)).status === 'QUEUED', 'QUEUED after the retry');

    const timeline = (await sampleOf(sample.id)).timeline as { status: string; by: string | null; note?: string }[];
    expect(timeline.map((t) => t.status)).toEqual(['REGISTERED', 'NEEDS_ATTENTION', 'REGISTERED', 'QUEUED']);
    expect(timeline[2]).toMatchObject({ by: manager.id, note: 'retried (triage) by a manager: database fault fixed' });
    const dead = await h.sql('SELECT "jobName", attempts, resolution, "resolvedById"::text AS "resolvedById", "resolvedAt" IS NOT NULL AS resolved FROM "DeadLetter" WHERE "sampleId" = $1', [sample.id]);
    expect(dead).toEqual([{ jobName: 'triage', attempts: 2, resolution: 'RETRY', resolvedById: manager.id, resolved: true }]);
    const audit = await h.sql<{ action: string; actorId: string }>(
      `SELECT action, "actorId"::text AS "actorId" FROM "AuditEntry" WHERE "entityId" IN ($1::text, (SELECT id::text FROM "DeadLetter" WHERE "sampleId" = $1::uuid)) ORDER BY seq`, [sample.id]);
    expect(audit.map((a) => a.action)).toEqual(['sample.register', 'sample.status.needs_attention', 'sample.status.registered', 'deadletter.retry', 'sample.status.queued']);
    expect(audit.filter((a) => a.action.endsWith('registered') || a.action.startsWith('deadletter')).map((a) => a.actorId)).toEqual([manager.id, manager.id]);
  });

  it('when routing hits a permanent error, then it is dead-lettered at the first attempt; RETURN puts the sample back to RELEASED with its stage clock kept, and queues nothing', async () => {
    const sample = await register('released without a classification');
    await eventually(async () => (await sampleOf(sample.id)).status === 'QUEUED', 'QUEUED');
    const releasedAt = '2026-01-02T03:04:05.000Z';
    await h.sql(`UPDATE "Sample" SET status = 'RELEASED', "releasedAt" = $2 WHERE id = $1`, [sample.id, releasedAt]);
    await h.deps.queues!.queue('routing').add('route', { sampleId: sample.id }, { jobId: `route-broken-${sample.id}`, attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    await inAttention(sample.id);
    expect(await h.sql('SELECT "jobName", attempts FROM "DeadLetter" WHERE "sampleId" = $1', [sample.id])).toEqual([{ jobName: 'route', attempts: 1 }]);
    expect((await sampleOf(sample.id)).timeline.at(-1)).toMatchObject({ status: 'NEEDS_ATTENTION', by: null, note: 'route failed after 1 attempt: A released sample without a classification cannot be routed' });
    expect(jobLog(sample.id)).toEqual([[50, 'job failed for good', 'route', true]]);

    const res = await attention(sample.id, { action: 'RETURN', reason: 'classification to be redone by the analyst' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('RELEASED');
    expect(res.body.timeline.at(-1)).toMatchObject({ status: 'RELEASED', by: manager.id, note: 'returned by a manager: classification to be redone by the analyst' });
    const [row] = await h.sql<{ releasedAt: Date; statusBeforeAttention: string | null }>('SELECT "releasedAt", "statusBeforeAttention" FROM "Sample" WHERE id = $1', [sample.id]);
    expect(row).toEqual({ releasedAt: new Date(releasedAt), statusBeforeAttention: null });
    expect(await h.sql('SELECT resolution FROM "DeadLetter" WHERE "sampleId" = $1', [sample.id])).toEqual([{ resolution: 'RETURN' }]);
    expect(await h.sql(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "jobId" LIKE 'attention-%' AND payload->>'sampleId' = $1`, [sample.id])).toEqual([{ n: 0 }]);
    expect(await h.sql(`SELECT action FROM "AuditEntry" WHERE "entityType" = 'DeadLetter' AND "entityId" = (SELECT id::text FROM "DeadLetter" WHERE "sampleId" = $1)`, [sample.id]))
      .toEqual([{ action: 'deadletter.return' }]);
  });

  it('when the sample is not in NEEDS_ATTENTION, the reason is missing or the caller is not a manager, then 409, 400 and 403 and nothing changes', async () => {
    const sample = await register('nothing wrong with it');
    const busy = await attention(sample.id, { action: 'RETRY', reason: 'just in case' });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('CONFLICT');
    expect((await attention(sample.id, { action: 'RETRY' })).status).toBe(400);
    expect((await attention(sample.id, { action: 'REDO', reason: 'x' })).status).toBe(400);
    expect((await attention(sample.id, { action: 'RETURN', reason: 'x' }, tech.token)).status).toBe(403);
    expect((await attention(randomUUID(), { action: 'RETURN', reason: 'x' })).status).toBe(404);
    expect(await h.sql(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE "entityId" = $1 AND "actorId" = $2`, [sample.id, manager.id])).toEqual([{ n: 0 }]);
  });
});
