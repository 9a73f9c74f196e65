import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
const lines: { msg: string; userId?: string; record?: string; route?: string }[] = [];
beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  h = await startHarness({ kind: 'api', log: createLogger('info', {}, sink) });
});
afterAll(() => h?.stop());

describe('logout', () => {
  it('when a user signs out, then the audit trail records who ended which session and when', async () => {
    const u = await h.user('INVESTIGATOR', 'correct-horse-battery');
    const login = await h.http().post('/api/v1/auth/login').send({ email: u.email, password: 'correct-horse-battery' });
    expect((await h.http().post('/api/v1/auth/logout').set(auth(login.body.token))).status).toBe(204);
    const [session] = await h.sql<{ id: string; revokedAt: Date }>(`SELECT id::text, "revokedAt" FROM "Session" WHERE "userId" = $1 AND "revokedAt" IS NOT NULL`, [u.id]);
    expect(await h.sql(`SELECT "actorId", "actorRole", action, "entityType", "entityId" FROM "AuditEntry" WHERE action = 'session.logout' AND "actorId" = $1`, [u.id])).toEqual([
      { actorId: u.id, actorRole: 'INVESTIGATOR', action: 'session.logout', entityType: 'Session', entityId: session!.id },
    ]);
  });
});

describe('refused object-level reads', () => {
  it('when an investigator asks for a sample, case or notification that is not theirs, then 404 as if absent, logged with their user id', async () => {
    const tech = await h.user('TECHNICIAN');
    const mine = await h.user('INVESTIGATOR');
    const other = await h.user('INVESTIGATOR');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const kase = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-R${Date.now() % 100000}`, portCode: '2604', assigneeId: other.id } });
    const note = await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: other.id, caseId: kase.id, title: 'theirs' } });
    const from = lines.length;
    for (const [method, path] of [['get', `/samples/${sample.id}`], ['get', `/cases/${kase.id}`], ['post', `/notifications/${note.id}/read`]] as const) {
      const res = await h.http()[method](`/api/v1${path}`).set(auth(mine.token));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const refusals = lines.slice(from).filter((l) => l.msg === 'access denied: object');
    expect(refusals.map((l) => [l.userId, l.record])).toEqual([[mine.id, 'Sample'], [mine.id, 'Case'], [mine.id, 'Notification']]);
  });

  it('when the record does not exist at all, then it is a plain 404, not logged as a refusal', async () => {
    const agent = await h.user('INVESTIGATOR');
    const from = lines.length;
    expect((await h.http().get('/api/v1/cases/00000000-0000-4000-8000-000000000000').set(auth(agent.token))).status).toBe(404);
    expect(lines.slice(from).filter((l) => l.msg === 'access denied: object')).toEqual([]);
  });
});
