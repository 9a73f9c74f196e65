import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { atRiskAt, slaState } from '../../src/domain/priority.rules.ts';
import { completedRunAfter } from '../support/queue-events.ts';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

const H = 3_600_000;

describe('SLA rule', () => {
  const reg = new Date('2026-11-28T10:00:00Z');
  const due = new Date(reg.getTime() + 2 * H);
  it.each([
    [0.79, 'ON_TRACK'], [0.8, 'AT_RISK'], [0.99, 'AT_RISK'], [1, 'AT_RISK'], [1.0001, 'BREACHED'],
  ])('at %d of a 2 h budget the sample is %s', (share, state) => {
    expect(slaState(new Date(reg.getTime() + share * 2 * H), reg, due, 0.8)).toBe(state);
  });
  it('the at-risk moment is 80 % into the budget', () => expect(atRiskAt(reg, due, 0.8).toISOString()).toBe('2026-11-28T11:36:00.000Z'));
});

describe.each<TBackend>(['postgres', 'redis'])('SLA clock on the %s queue backend', (backend) => {
  const clock = fixedClock(new Date());
  let h: Harness;
  let tech: Awaited<ReturnType<Harness['user']>>;
  let managers: Awaited<ReturnType<Harness['user']>>[];

  beforeAll(async () => {
    h = await startHarness({ kind: 'all', backend, clock, env: { SLA_SCAN_MS: '1000' } });
    tech = await h.user('TECHNICIAN');
    managers = [await h.user('MANAGER'), await h.user('MANAGER')];
  });
  afterAll(() => h?.stop());

  /** The fixed clock jumps hours ahead: sign in afresh rather than outlive the idle timeout. */
  const managerToken = () => createSession(h.deps.db, managers[0]!.id, clock, h.apiDeps!.sessionPolicy);
  const slaNotes = (sampleId: string) =>
    h.sql<{ type: string; recipientId: string }>(`SELECT type, "recipientId" FROM "Notification" WHERE "sampleId" = $1 AND type LIKE 'SLA_%' ORDER BY type, "recipientId"`, [sampleId]);

  it('when an urgent sample uses 80 % of its 2 h budget, then every manager is told once; past due, once more; and it lists as overdue', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ subjectInCustody: true }))).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    expect(sample.priority).toBe('URGENT');
    const ids = managers.map((m) => m.id).sort();

    clock.advance(1.5 * H); // 75 %: a scan runs, and flags nothing yet
    await completedRunAfter(h.deps.queues, 'sla', Date.now());
    expect(await slaNotes(sample.id)).toEqual([]);
    expect(await h.sql('SELECT "slaAtRiskAt" FROM "Sample" WHERE id = $1', [sample.id])).toEqual([{ slaAtRiskAt: null }]);

    clock.advance(0.1 * H); // 80 %
    await eventually(async () => (await slaNotes(sample.id)).length === 2, 'SLA_AT_RISK to both managers');
    expect(await slaNotes(sample.id)).toEqual(ids.map((recipientId) => ({ type: 'SLA_AT_RISK', recipientId })));
    expect((await h.http().get('/api/v1/samples?overdue=true').set(auth(await managerToken()))).body.items.map((s: { id: string }) => s.id)).not.toContain(sample.id);
    const listed = (await h.http().get('/api/v1/samples?open=true&limit=500').set(auth(await managerToken()))).body.items.find((s: { id: string }) => s.id === sample.id);
    expect(listed).toMatchObject({ sla: 'AT_RISK', overdue: false });

    clock.advance(0.5 * H); // past due
    await eventually(async () => (await slaNotes(sample.id)).length === 4, 'SLA_BREACHED to both managers');
    await completedRunAfter(h.deps.queues, 'sla', Date.now()); // another scan: nothing new
    expect(await slaNotes(sample.id)).toEqual([
      ...ids.map((recipientId) => ({ type: 'SLA_AT_RISK', recipientId })),
      ...ids.map((recipientId) => ({ type: 'SLA_BREACHED', recipientId })),
    ]);
    const overdue = await h.http().get('/api/v1/samples?overdue=true').set(auth(await managerToken()));
    expect(overdue.body.items.find((s: { id: string }) => s.id === sample.id)).toMatchObject({ overdue: true, sla: 'BREACHED' });
    expect((await h.http().get(`/api/v1/samples/${sample.id}`).set(auth(await managerToken()))).body).toMatchObject({ overdue: true, sla: 'BREACHED' });
  });
});
