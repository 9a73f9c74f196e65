import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startHarness, type Harness } from '../support/harness.ts';

async function boardQueues(h: Harness, token: string): Promise<string[]> {
  const res = await h.http().get('/admin/queues/api/queues').set(auth(token));
  expect(res.status).toBe(200);
  return (res.body.queues as { name: string }[]).map((q) => q.name);
}

describe('queue board, read-only by default', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ kind: 'api' });
  });
  afterAll(() => h?.stop());

  it('when an administrator tries to pause, empty or obliterate a queue, then 403, the queue is untouched and nothing is audited', async () => {
    const admin = await h.user('ADMIN');
    const [name] = await boardQueues(h, admin.token);
    const before = await h.sql(`SELECT count(*)::int AS n FROM "AuditEntry"`);
    for (const [method, path] of [['put', `${name}/pause`], ['put', `${name}/empty`], ['put', `${name}/obliterate`], ['put', 'pause'], ['post', `${name}/add`]] as const) {
      const res = await h.http()[method](`/admin/queues/api/queues/${path}`).set(auth(admin.token)).send({});
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await h.deps.queues!.queue('intake').isPaused()).toBe(false);
    expect(await h.sql(`SELECT count(*)::int AS n FROM "AuditEntry"`)).toEqual(before);
  });

  it('when someone other than an administrator asks, then the board does not exist for them', async () => {
    const manager = await h.user('MANAGER');
    expect((await h.http().get('/admin/queues/api/queues').set(auth(manager.token))).status).toBe(404);
    expect((await h.http().put('/admin/queues/api/queues/pause').set(auth(manager.token))).status).toBe(404);
  });
});

describe('queue board with QUEUE_BOARD_WRITE', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ kind: 'api', env: { QUEUE_BOARD_WRITE: '1' } });
  });
  afterAll(() => h?.stop());

  it('when an administrator pauses a queue, then it pauses and the audit trail names who, when and what', async () => {
    const admin = await h.user('ADMIN');
    const name = (await boardQueues(h, admin.token)).find((q) => q.includes('intake'))!;
    const res = await h.http().put(`/admin/queues/api/queues/${encodeURIComponent(name)}/pause`).set(auth(admin.token));
    expect(res.status).toBe(200);
    expect(await h.deps.queues!.queue('intake').isPaused()).toBe(true);
    expect(await h.sql(`SELECT "actorId", action, "entityType", "entityId", after FROM "AuditEntry" WHERE action LIKE 'queue.%'`)).toEqual([
      { actorId: admin.id, action: 'queue.board-change', entityType: 'Queue', entityId: name, after: { method: 'PUT', path: `/api/queues/${name}/pause` } },
    ]);
    await h.deps.queues!.queue('intake').resume();
  });
});
