import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';
import { seal } from '../support/ledger.ts';

let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let tech2: Awaited<ReturnType<Harness['user']>>;
let manager: Awaited<ReturnType<Harness['user']>>;
beforeAll(async () => {
  // Its webhook points at a local port: lab-internal receivers are allowed explicitly.
  h = await startHarness({ kind: 'api', env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
  [tech, tech2, manager] = [await h.user('TECHNICIAN'), await h.user('TECHNICIAN'), await h.user('MANAGER')];
});
afterAll(() => h?.stop());

async function newSample() {
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
  return (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body as { id: string };
}

describe('chain of custody', () => {
  it('when an item is transferred, opened, sampled and resealed, then the log lists every hand-off oldest first, from whom to whom', async () => {
    const s = await newSample();
    const post = (body: Record<string, unknown>, who = tech) => h.http().post(`/api/v1/samples/${s.id}/custody`).set(auth(who.token)).send(body);
    expect((await post({ action: 'TRANSFERRED', toUserId: tech2.id, location: '2604 vault', sealNumber: 'B-1' })).status).toBe(201);
    expect((await post({ action: 'RECEIVED', sealIntact: true, weightG: 59.9 }, tech2)).status).toBe(201);
    expect((await post({ action: 'OPENED' }, tech2)).status).toBe(201);
    expect((await post({ action: 'RESEALED', sealNumber: 'B-2' }, tech2)).status).toBe(201);
    const log = await h.http().get(`/api/v1/samples/${s.id}/custody`).set(auth(manager.token));
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['RECEIVED', 'TRANSFERRED', 'RECEIVED', 'OPENED', 'RESEALED']);
    expect(log.body.items[1]).toMatchObject({ fromUserId: tech.id, toUserId: tech2.id, recordedById: tech.id });
    expect(log.body.items[2]).toMatchObject({ fromUserId: tech2.id, toUserId: tech2.id, sealIntact: true, weightG: 59.9 });
    const audit = await h.http().get(`/api/v1/audit?entityType=CustodyEvent&entityId=${log.body.items[1].id}`).set(auth(manager.token));
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'custody.transferred', actorId: tech.id, entityType: 'CustodyEvent' })]);
  });

  it.each([
    [{ action: 'TRANSFERRED' }, 'body.toUserId'],
    [{ action: 'SEALED' }, 'body.sealNumber'],
    [{ action: 'RECEIVED' }, 'body.sealIntact'],
    [{ action: 'DESTROYED', note: 'court order 12' }, 'body.witnessId'],
    [{ action: 'LOST' }, 'body.action'],
    [{ action: 'STORED', recordedById: '00000000-0000-0000-0000-000000000000' }, 'body'],
  ])('when a custody event lacks what it needs (%o), then 400 names %s and nothing is written', async (body, path) => {
    const s = await newSample();
    const res = await h.http().post(`/api/v1/samples/${s.id}/custody`).set(auth(tech.token)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await h.sql('SELECT count(*)::int AS n FROM "CustodyEvent" WHERE "sampleId" = $1', [s.id])).toEqual([{ n: 1 }]);
  });

  it('when an item was destroyed before a witness, then nothing can follow it', async () => {
    const s = await newSample();
    expect((await h.http().post(`/api/v1/samples/${s.id}/custody`).set(auth(tech.token)).send({ action: 'DESTROYED', witnessId: tech2.id, note: 'destroyed under order 7' })).status).toBe(201);
    const after = await h.http().post(`/api/v1/samples/${s.id}/custody`).set(auth(tech.token)).send({ action: 'STORED' });
    expect(after.status).toBe(409);
  });

  it('when even the superuser changes or removes custody, audit, tests or reviews with triggers on, then the database refuses', async () => {
    const s = await newSample();
    await seal(h);
    for (const sql of [
      `UPDATE "CustodyEvent" SET note = 'edited' WHERE "sampleId" = '${s.id}'`,
      `DELETE FROM "CustodyEvent" WHERE "sampleId" = '${s.id}'`,
      `UPDATE "AuditEntry" SET action = 'x' WHERE id = (SELECT min(id) FROM "AuditEntry")`,
      `DELETE FROM "AuditEntry" WHERE id = (SELECT min(id) FROM "AuditEntry")`,
      `UPDATE "AuditLeaf" SET hash = 'x' WHERE seq = 1`,
      `TRUNCATE "AuditEntry" CASCADE`,
      `TRUNCATE "Review" CASCADE`,
    ]) await expect(h.sql(sql), sql).rejects.toThrow(/append-only/);
  });
});

describe('audit trail', () => {
  it('when the caller is not a manager or admin, then reading the trail, its checkpoints and proofs is 403', async () => {
    for (const path of ['/audit', '/audit/verify', '/audit/checkpoints', '/audit/proof?seq=1', '/audit/consistency?from=1&to=1']) {
      expect((await h.http().get(`/api/v1${path}`).set(auth(tech.token))).status, path).toBe(403);
    }
  });

  it('when 100 writers append at once, then each entry gets exactly one place in a gapless log, each record its own chain, and it verifies', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    await seal(h);
    const [stats] = await h.sql<{ entries: number; leaves: number; min: number; max: number; distinct: number }>(
      `SELECT (SELECT count(*)::int FROM "AuditEntry") AS entries, count(*)::int AS leaves, min(seq)::int AS min, max(seq)::int AS max,
              count(DISTINCT "entryId")::int AS distinct FROM "AuditLeaf"`);
    expect(stats).toEqual({ entries: stats!.leaves, leaves: stats!.leaves, min: 1, max: stats!.leaves, distinct: stats!.leaves });
    const chains = await h.sql<{ n: number; prev: string }>(
      `SELECT l."chainSeq" AS n, l."prevHash" AS prev FROM "AuditLeaf" l WHERE l."entryId" IN (SELECT id FROM "AuditEntry" WHERE "entityId" = ANY($1))`,
      [results.map((r) => r.body.id)]);
    expect(chains).toEqual(Array(100).fill({ n: 1, prev: '0'.repeat(64) }));
    const verify = await h.http().get('/api/v1/audit/verify').set(auth(manager.token));
    expect(verify.body).toMatchObject({ ok: true, entries: stats!.leaves, firstBadSeq: null, pending: 0 });
  });

  it('when other records change (notification read, webhook disabled, duty set, user disabled), then each change has one audit entry', async () => {
    const admin = await h.user('ADMIN');
    const agent = await h.user('INVESTIGATOR');
    const victim = await h.user('TECHNICIAN');
    const n = await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: 'audit check' } });
    await h.http().post(`/api/v1/notifications/${n.id}/read`).set(auth(agent.token)).expect(204);
    await h.http().post(`/api/v1/notifications/${n.id}/read`).set(auth(agent.token)).expect(204); // already read: no change, no entry
    const hook = (await h.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url: 'http://127.0.0.1:9/x', events: ['SLA_BREACHED'], secret: 'audit-secret-0123456789' })).body;
    await h.http().post(`/api/v1/webhooks/${hook.id}/disable`).set(auth(admin.token)).expect(200);
    await h.http().put('/api/v1/ports/2503/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
    await h.http().post(`/api/v1/users/${victim.id}/disable`).set(auth(admin.token)).expect(200);
    const rows = await h.sql<{ action: string; entityId: string; actorId: string }>(
      `SELECT action, "entityId", "actorId"::text AS "actorId" FROM "AuditEntry" WHERE "entityId" = ANY($1) ORDER BY id`, [[n.id, hook.id, '2503', victim.id]]);
    expect(rows).toEqual([
      { action: 'notification.read', entityId: n.id, actorId: agent.id },
      { action: 'webhook.create', entityId: hook.id, actorId: admin.id },
      { action: 'webhook.disable', entityId: hook.id, actorId: admin.id },
      { action: 'port.duty', entityId: '2503', actorId: manager.id },
      { action: 'user.disable', entityId: victim.id, actorId: admin.id },
    ]);
    expect(JSON.stringify(await h.sql('SELECT before, after FROM "AuditEntry" WHERE "entityId" = $1', [hook.id]))).not.toContain('audit-secret');
  });

  it('when the trail is paged, then pages follow each other without overlap, each entry with its place and its record', async () => {
    await seal(h);
    const first = await h.http().get('/api/v1/audit?limit=5').set(auth(manager.token));
    const second = await h.http().get(`/api/v1/audit?limit=5&cursor=${first.body.nextCursor}`).set(auth(manager.token));
    expect(first.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(second.body.items.map((e: { seq: number }) => e.seq)).toEqual([6, 7, 8, 9, 10]);
    expect(first.body.items[0]).toMatchObject({ record: { type: 'Seizure', n: 1 }, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
