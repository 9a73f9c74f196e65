import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

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

/** Opens `n` seizures one after another as `who`; answers the sequence numbers of their audit entries. */
async function seizuresBy(who: { token: string }, n: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = (await h.http().post('/api/v1/seizures').set(auth(who.token)).send(seizureBody())).body;
    const [row] = await h.sql<{ seq: number }>(`SELECT seq::int AS seq FROM "AuditEntry" WHERE "entityId" = $1`, [s.id]);
    seqs.push(row!.seq);
  }
  return seqs;
}

/** Runs SQL as the database owner with triggers off: what an attacker with database rights could do. */
const tamper = (sql: string, values: unknown[] = []) =>
  h.sql(`WITH t AS (SELECT set_config('session_replication_role', 'replica', true)) ${sql}`, values);

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

  it('when the application role tries to change or remove custody, audit, tests or reviews, then the database refuses', async () => {
    const s = await newSample();
    for (const sql of [
      `UPDATE "CustodyEvent" SET note = 'edited' WHERE "sampleId" = '${s.id}'`,
      `DELETE FROM "CustodyEvent" WHERE "sampleId" = '${s.id}'`,
      `UPDATE "AuditEntry" SET action = 'x' WHERE seq = 1`,
      `DELETE FROM "AuditEntry" WHERE seq = 1`,
      `TRUNCATE "AuditEntry"`,
      `TRUNCATE "Review" CASCADE`,
    ]) await expect(h.sql(sql), sql).rejects.toThrow(/append-only/);
  });
});

describe('audit trail', () => {
  it('when the caller is not a manager or admin, then reading the trail is 403', async () => {
    expect((await h.http().get('/api/v1/audit').set(auth(tech.token))).status).toBe(403);
    expect((await h.http().get('/api/v1/audit/verify').set(auth(tech.token))).status).toBe(403);
  });

  it('when 100 writers append at once, then the chain has no fork and no gap, and it verifies', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const [stats] = await h.sql<{ n: number; min: number; max: number; links: number }>(
      `SELECT count(*)::int AS n, min(seq)::int AS min, max(seq)::int AS max, count(DISTINCT "prevHash")::int AS links FROM "AuditEntry"`);
    expect(stats!.max - stats!.min + 1).toBe(stats!.n);
    expect(stats!.links).toBe(stats!.n);
    const verify = await h.http().get('/api/v1/audit/verify').set(auth(manager.token));
    expect(verify.body).toMatchObject({ ok: true, entries: stats!.n, firstBadSeq: null });
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
      `SELECT action, "entityId", "actorId"::text AS "actorId" FROM "AuditEntry" WHERE "entityId" = ANY($1) ORDER BY seq`, [[n.id, hook.id, '2503', victim.id]]);
    expect(rows).toEqual([
      { action: 'notification.read', entityId: n.id, actorId: agent.id },
      { action: 'webhook.create', entityId: hook.id, actorId: admin.id },
      { action: 'webhook.disable', entityId: hook.id, actorId: admin.id },
      { action: 'port.duty', entityId: '2503', actorId: manager.id },
      { action: 'user.disable', entityId: victim.id, actorId: admin.id },
    ]);
    expect(JSON.stringify(await h.sql('SELECT before, after FROM "AuditEntry" WHERE "entityId" = $1', [hook.id]))).not.toContain('audit-secret');
  });

  it('when the trail is paged, then pages follow each other without overlap', async () => {
    const writer = await h.user('TECHNICIAN');
    const made = await seizuresBy(writer, 7);
    const page = (cursor?: string) => h.http().get(`/api/v1/audit?actorId=${writer.id}&limit=5${cursor ? `&cursor=${cursor}` : ''}`).set(auth(manager.token));
    const first = await page();
    const second = await page(first.body.nextCursor);
    expect([...first.body.items, ...second.body.items].map((e: { seq: number }) => e.seq)).toEqual(made);
    expect(first.body.items).toHaveLength(5);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.items[0].prevHash).toBe(first.body.items[4].hash);
  });

  describe('tampering through SQL is found', () => {
    const verify = async () => (await h.http().get('/api/v1/audit/verify').set(auth(manager.token))).body;

    it('when one entry is changed, then verify names its sequence number', async () => {
      const [seq] = await seizuresBy(tech, 1);
      const [row] = await h.sql<{ after: unknown }>('SELECT after FROM "AuditEntry" WHERE seq = $1', [seq]);
      await tamper(`UPDATE "AuditEntry" SET after = jsonb_set(after, '{narrative}', '"edited"') WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [seq]);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq });
      await tamper(`UPDATE "AuditEntry" SET after = $2::jsonb WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [seq, JSON.stringify(row!.after)]);
      expect((await verify()).ok).toBe(true);
    });

    it('when one entry is deleted, then verify names the missing sequence number', async () => {
      // Not the newest: a chain cut at its end is still a valid chain (the external anchor catches that).
      const [seq] = await seizuresBy(tech, 2);
      const [row] = await h.sql('SELECT * FROM "AuditEntry" WHERE seq = $1', [seq]);
      await tamper(`DELETE FROM "AuditEntry" WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [seq]);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq });
      const cols = Object.keys(row!).map((c) => `"${c}"`).join(', ');
      const params = Object.keys(row!).map((_, i) => `$${i + 1}`).join(', ');
      await h.sql(`INSERT INTO "AuditEntry" (${cols}) VALUES (${params})`, Object.values(row!).map((v) => (v && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v)));
      expect((await verify()).ok).toBe(true);
    });

    it('when an entry is changed and re-hashed so it looks consistent, then the next link breaks there', async () => {
      const [seq, next] = await seizuresBy(tech, 2);
      expect(next).toBe(seq! + 1);
      const [row] = await h.sql<{ action: string; hash: string }>('SELECT action, hash FROM "AuditEntry" WHERE seq = $1', [seq]);
      await tamper(`UPDATE "AuditEntry" SET action = 'forged', hash = repeat('a', 64) WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [seq]);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq });
      await tamper(`UPDATE "AuditEntry" SET "prevHash" = repeat('a', 64) WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [next]);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq });
      await tamper(`UPDATE "AuditEntry" SET action = $2, hash = $3 WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [seq, row!.action, row!.hash]);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: next });
      await tamper(`UPDATE "AuditEntry" SET "prevHash" = $2 WHERE seq = $1 AND (SELECT 1 FROM t) = 1`, [next, row!.hash]);
      expect((await verify()).ok).toBe(true);
    });
  });
});
