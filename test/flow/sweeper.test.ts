import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { SWEEP_LOCK_KEY, sweepOnce } from '../../src/queue/sweeper.ts';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

const MIN = 60_000;
type TUser = Awaited<ReturnType<Harness['user']>>;

/**
 * The sweeper covers what the outbox cannot: a queue that lost work it had accepted. It reads the
 * database (the record) and queues again each step a sample has waited on for too long.
 */
describe('sweeping stalled work', () => {
  const clock = fixedClock(new Date('2026-11-28T12:00:00Z'));
  let h: Harness;
  let tech: TUser;
  // An API process only: nothing publishes or runs the outbox, so what a sweep queues stays to be read.
  beforeAll(async () => {
    h = await startHarness({ kind: 'api', clock });
    tech = await h.user('TECHNICIAN');
  });
  afterAll(() => h?.stop());

  /** A sample in `status` whose outbox rows were published `ageMin` ago (the queue then lost them), last touched then. */
  async function stalled(status: string, ageMin: number, opts: { tests?: number; covered?: number } = {}) {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ seizedAt: new Date(clock.now().getTime() - 60 * MIN).toISOString() }))).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body as { id: string };
    for (let i = 0; i < (opts.tests ?? 0); i++) {
      await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }).expect(201);
    }
    if (opts.covered) {
      await h.deps.db.classification.create({
        data: { sampleId: sample.id, version: 1, testCount: opts.covered, category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'NONE', components: [], thresholds: [], warnings: [], rationale: [], rulesVersion: 'test', classifiedAt: clock.now() },
      });
    }
    const touched = new Date(clock.now().getTime() - ageMin * MIN);
    await h.sql(`UPDATE "OutboxMessage" SET "publishedAt" = $2 WHERE payload->>'sampleId' = $1`, [sample.id, touched]);
    await h.sql(`UPDATE "Sample" SET status = $2::"SampleStatus", "updatedAt" = $3 WHERE id = $1`, [sample.id, status, touched]);
    return sample.id;
  }
  const queued = (sampleId: string) =>
    h.sql<{ jobName: string; jobId: string }>(`SELECT "jobName", "jobId" FROM "OutboxMessage" WHERE "publishedAt" IS NULL AND payload->>'sampleId' = $1`, [sampleId]);

  it('when samples wait too long on a step that is a job, then one sweep queues that step for each, and leaves the rest alone', async () => {
    const registered = await stalled('REGISTERED', 5);
    const uncovered = await stalled('IN_ANALYSIS', 5, { tests: 2, covered: 1 });
    const covered = await stalled('IN_ANALYSIS', 5, { tests: 1, covered: 1 });
    const released = await stalled('RELEASED', 5);
    const fresh = await stalled('REGISTERED', 1);
    const reviewing = await stalled('AWAITING_REVIEW', 5);
    const parked = await stalled('NEEDS_ATTENTION', 5);
    const stamp = Math.floor(clock.now().getTime() / (2 * MIN));

    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(3);
    expect(await queued(registered)).toEqual([{ jobName: 'triage', jobId: `sweep-triage-${registered}-${stamp}` }]);
    expect(await queued(uncovered)).toEqual([{ jobName: 'classify', jobId: `sweep-classify-${uncovered}-${stamp}` }]);
    expect(await queued(released)).toEqual([{ jobName: 'route', jobId: `sweep-route-${released}-${stamp}` }]);
    for (const id of [covered, fresh, reviewing, parked]) expect(await queued(id)).toEqual([]);

    // Until the relay publishes them, a second sweep adds nothing: the waiting rows already cover it.
    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(0);
  });

  it('when a sample\'s weights were corrected and the queue lost the re-classification, then a sweep queues it again, whether it is in analysis or awaiting review', async () => {
    const analysing = await stalled('IN_ANALYSIS', 5, { tests: 1, covered: 1 });
    const reviewing = await stalled('AWAITING_REVIEW', 5, { tests: 1, covered: 1 });
    const untouched = await stalled('AWAITING_REVIEW', 5, { tests: 1, covered: 1 });
    await h.sql(`UPDATE "Sample" SET revision = 1 WHERE id = ANY($1::uuid[])`, [[analysing, reviewing]]);
    const stamp = Math.floor(clock.now().getTime() / (2 * MIN));
    await sweepOnce(h.deps.db, clock, 2 * MIN);
    expect(await queued(analysing)).toEqual([{ jobName: 'classify', jobId: `sweep-classify-${analysing}-${stamp}` }]);
    expect(await queued(reviewing)).toEqual([{ jobName: 'classify', jobId: `sweep-classify-${reviewing}-${stamp}` }]);
    expect(await queued(untouched)).toEqual([]);
  });

  it('when the queue took a stalled sample\'s job less than the stale window ago, then a sweep leaves it in flight; once the window has passed, it queues the step again', async () => {
    const id = await stalled('REGISTERED', 5);
    await h.sql(`UPDATE "OutboxMessage" SET "publishedAt" = $2 WHERE payload->>'sampleId' = $1`, [id, new Date(clock.now().getTime() - MIN)]);
    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(0);
    expect(await queued(id)).toEqual([]);
    await h.sql(`UPDATE "OutboxMessage" SET "publishedAt" = $2 WHERE payload->>'sampleId' = $1`, [id, new Date(clock.now().getTime() - 3 * MIN)]);
    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(1);
    expect(await queued(id)).toHaveLength(1);
  });

  it('when a notification was planned long ago and never delivered, then a sweep queues its delivery again', async () => {
    const agent = await h.user('INVESTIGATOR');
    const old = await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: 'lost delivery', createdAt: new Date(clock.now().getTime() - 10 * MIN) } });
    const recent = await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: 'in flight', createdAt: clock.now() } });
    const notifies = async () => (await h.sql<{ id: string }>(`SELECT payload->>'notificationId' AS id FROM "OutboxMessage" WHERE "jobName" = 'notify' AND "publishedAt" IS NULL`)).map((r) => r.id);
    await sweepOnce(h.deps.db, clock, 2 * MIN);
    expect((await notifies()).filter((n) => n === old.id)).toHaveLength(1);
    expect(await notifies()).not.toContain(recent.id);
    await sweepOnce(h.deps.db, clock, 2 * MIN);
    expect((await notifies()).filter((n) => n === old.id)).toHaveLength(1);
  });

  it('when another sweep holds the sweep lock, then this one does nothing; once it is released, the work is done once', async () => {
    const id = await stalled('REGISTERED', 5);
    const other = new pg.Client({ connectionString: h.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [SWEEP_LOCK_KEY]);
      expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(0);
      expect(await queued(id)).toEqual([]);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBeGreaterThan(0);
    expect(await sweepOnce(h.deps.db, clock, 2 * MIN)).toBe(0);
    expect(await queued(id)).toHaveLength(1);
  });
});

describe.each<TBackend>(['postgres', 'redis'])('the sweeper in a worker on the %s queue backend', (backend) => {
  let api: Harness;
  let worker: Harness | undefined;
  beforeAll(async () => {
    api = await startHarness({ kind: 'api', backend });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it('when the queue lost a triage job it had accepted, then the sweeper queues it again and the sample reaches the worklist', async () => {
    const tech = await api.user('TECHNICIAN');
    const seizure = (await api.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await api.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body as { id: string };
    // Published as far as the database knows, then gone from the queue (a Redis restart without persistence).
    await api.sql(`UPDATE "OutboxMessage" SET "publishedAt" = now() WHERE payload->>'sampleId' = $1`, [sample.id]);
    worker = await startHarness({ kind: 'worker', backend, databaseUrl: api.databaseUrl, env: { QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`, STALE_WORK_MS: '3000', SWEEP_INTERVAL_MS: '500' } });
    await eventually(async () => (await api.sql<{ status: string }>('SELECT status::text FROM "Sample" WHERE id = $1', [sample.id]))[0]?.status === 'QUEUED', 'QUEUED by the swept triage');
    const rows = await api.sql<{ jobId: string }>(`SELECT "jobId" FROM "OutboxMessage" WHERE payload->>'sampleId' = $1 AND "jobName" = 'triage' ORDER BY "createdAt"`, [sample.id]);
    expect(rows).toEqual([{ jobId: null }, { jobId: expect.stringMatching(new RegExp(`^sweep-triage-${sample.id}-\\d+$`)) }]);
  });
});
