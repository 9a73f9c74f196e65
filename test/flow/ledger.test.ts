import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../src/audit/checkpoint-file.ts';
import { parseVkey } from '../../src/audit/signed-note.ts';
import { auth, eventually, startHarness, superuserUrl, type Harness, type TBackend } from '../support/harness.ts';
import { checkpointLines, someWork } from '../support/ledger.ts';

/**
 * The ledger's background work in a real worker process on each queue backend: the sealer places
 * entries without being asked, the checkpoint job (a job scheduler, every second here) signs the
 * tree and sends the checkpoint to a webhook outside the system, and stopping signs a last one.
 */
describe.each<TBackend>(['postgres', 'redis'])('the evidence ledger on the %s queue backend', (backend) => {
  let h: Harness;
  let receiver: http.Server;
  const received: { body: string; signature: string; event: string }[] = [];
  const secret = 'ledger-secret-0123456789';

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-signature']), event: String(req.headers['x-event']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    h = await startHarness({ kind: 'all', backend, env: { AUDIT_CHECKPOINT_MS: '1000', WEBHOOK_BACKOFF_MS: '100', WEBHOOK_ALLOW_PRIVATE: '1' } });
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise((r) => receiver.close(r));
  });

  it('when work is done, then every entry is sealed unasked and a signed checkpoint reaches the webhook subscribed to AUDIT_CHECKPOINT', async () => {
    const [admin, tech] = [await h.user('ADMIN'), await h.user('TECHNICIAN')];
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ledger`;
    await h.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url, events: ['AUDIT_CHECKPOINT'], secret }).expect(201);
    await someWork(h, tech.token, 2);
    await eventually(async () => (await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM "AuditEntry" e WHERE NOT EXISTS (SELECT 1 FROM "AuditLeaf" l WHERE l."entryId" = e.id)'))[0]!.n === 0, 'every entry sealed');
    const [n] = await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM "AuditEntry"');
    const delivery = await eventually(async () => received.find((r) => JSON.parse(r.body).data.treeSize >= n!.n), 'a checkpoint covering the work at the webhook', 30_000);
    expect(delivery.event).toBe('AUDIT_CHECKPOINT');
    expect(delivery.signature).toBe(`sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`);
    const { data } = JSON.parse(delivery.body) as { data: { note: string; publicKey: string; treeSize: number; number: number } };
    expect(parseCheckpoint(data.note, parseVkey(data.publicKey))).toMatchObject({ treeSize: data.treeSize, number: data.number });
  });

  it('when the process stops, then a last checkpoint covers every entry written before', async () => {
    const tech = await h.user('TECHNICIAN');
    await someWork(h, tech.token, 1);
    const url = superuserUrl(h.databaseUrl);
    await h.stop();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "AuditEntry"');
    await db.end();
    expect(checkpointLines(h).at(-1)!.treeSize).toBe(rows[0]!.n);
  });
});
