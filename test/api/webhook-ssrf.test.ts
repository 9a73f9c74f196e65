import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookJob } from '../../src/webhooks/webhook.job.ts';
import { resolveTarget, TargetRefused } from '../../src/webhooks/webhook-target.ts';
import { startDnsServer } from '../support/dns-server.ts';
import { auth, startHarness, type Harness } from '../support/harness.ts';

/** A real HTTP receiver on a loopback address; keeps every request. */
async function receiver(host = '127.0.0.1', port = 0) {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return { port: (server.address() as AddressInfo).port, requests, close: () => new Promise((r) => server.close(r)) };
}

let dns: Awaited<ReturnType<typeof startDnsServer>>;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(() => dns?.close());

const PUBLIC = '93.184.216.34';
const SECRET = 'ssrf-secret-0123456789';

describe('webhook registration refuses receivers that are not public', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<Harness['user']>>;
  beforeAll(async () => {
    h = await startHarness({ kind: 'api', env: { WEBHOOK_DNS_SERVERS: dns.server } });
    admin = await h.user('ADMIN');
    dns.answers.set('intranet.test', ['10.20.30.40']);
    dns.answers.set('metadata.test', ['169.254.169.254']);
    dns.answers.set('receiver.test', [PUBLIC]);
  });
  afterAll(() => h?.stop());

  const register = (url: string) => h.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url, events: ['RESULT_RELEASED'], secret: SECRET });
  const written = async () => (await h.sql<{ n: number }>(`SELECT ((SELECT count(*) FROM "Webhook") + (SELECT count(*) FROM "AuditEntry"))::int AS n`))[0]!.n;

  it.each([
    'http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://192.168.1.10/',
    'http://172.16.0.1/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://[fe80::1]/',
    'http://2130706433/', 'http://0x7f.1/', 'http://intranet.test/hook', 'https://metadata.test/', 'https://nowhere.test/', 'https://user:pw@receiver.test/',
  ])('when the URL is %s, then it is a 400 on body.url and nothing is written', async (url) => {
    const before = await written();
    const res = await register(url);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.url', message: expect.any(String) }] });
    expect(await written()).toBe(before);
  });

  it('when the host resolves to a public address, then the webhook is registered', async () => {
    const res = await register('https://receiver.test/hook');
    expect(res.status).toBe(201);
    expect(dns.lookupsOf('receiver.test')).toBeGreaterThan(0);
  });
});

describe('webhook delivery checks the address again and connects to the address it checked', () => {
  let strict: Harness;
  let lab: Harness;
  beforeAll(async () => {
    strict = await startHarness({ kind: 'api', env: { WEBHOOK_DNS_SERVERS: dns.server } });
    lab = await startHarness({ kind: 'api', env: { WEBHOOK_DNS_SERVERS: dns.server, WEBHOOK_ALLOW_PRIVATE: '1' } });
  });
  afterAll(async () => {
    await strict?.stop();
    await lab?.stop();
  });

  async function delivery(h: Harness, url: string) {
    const admin = await h.user('ADMIN');
    const hook = await h.deps.db.webhook.create({ data: { url, events: ['RESULT_RELEASED'], secret: SECRET, createdById: admin.id } });
    const d = await h.deps.db.webhookDelivery.create({ data: { webhookId: hook.id, event: 'RESULT_RELEASED', dedupeKey: `k-${hook.id}`, payload: { event: 'RESULT_RELEASED', occurredAt: new Date().toISOString(), sampleId: null, caseId: null, title: 't', data: {} } } });
    const run = () => webhookJob({ deliveryId: d.id }, { ...h.deps, log: h.deps.log, jobId: `j-${d.id}`, attempt: 1 });
    const attempts = () => h.deps.db.webhookAttempt.findMany({ where: { deliveryId: d.id } });
    return { run, attempts };
  }

  it('when the name that was public at registration points at loopback at delivery, then nothing is sent and the attempt says why', async () => {
    const target = await receiver();
    const admin = await strict.user('ADMIN');
    dns.answers.set('rebind.test', [PUBLIC]);
    const url = `http://rebind.test:${target.port}/hook`;
    expect((await strict.http().post('/api/v1/webhooks').set(auth(admin.token)).send({ url, events: ['RESULT_RELEASED'], secret: SECRET })).status).toBe(201);
    dns.answers.set('rebind.test', ['127.0.0.1']);
    const { run, attempts } = await delivery(strict, url);
    await expect(run()).rejects.toThrow(/refused/);
    expect(await attempts()).toEqual([expect.objectContaining({ statusCode: null, error: expect.stringMatching(/refused: .*loopback address \(127\.0\.0\.1\)/) })]);
    expect(target.requests).toEqual([]);
    await target.close();
  });

  it('when the name answers differently at a second lookup, then the delivery still goes to the address that was checked', async () => {
    const first = await receiver('127.0.0.1');
    const second = await receiver('127.0.0.2', first.port);
    let lookups = 0;
    dns.answers.set('pinned.test', () => (lookups++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']));
    const { run, attempts } = await delivery(lab, `http://pinned.test:${first.port}/hook`);
    await run();
    expect(first.requests).toHaveLength(1);
    expect(first.requests[0]!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(first.requests[0]!.body).digest('hex')}`);
    expect(second.requests).toEqual([]);
    expect(dns.lookupsOf('pinned.test')).toBe(1);
    expect(await attempts()).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    await first.close();
    await second.close();
  });
});

describe('https in production', () => {
  const policy = (allowPrivate: boolean) => ({ production: true, allowPrivate, dnsServers: [dns.server] });
  beforeAll(() => {
    dns.answers.set('public.test', [PUBLIC]);
    dns.answers.set('lab-receiver.test', ['10.1.1.1']);
  });

  it('when a public receiver is plain http in production, then it is refused; https is accepted', async () => {
    await expect(resolveTarget('http://public.test/hook', policy(false))).rejects.toThrow(TargetRefused);
    await expect(resolveTarget('http://public.test/hook', policy(true))).rejects.toThrow(/https/);
    await expect(resolveTarget('https://public.test/hook', policy(false))).resolves.toMatchObject({ address: PUBLIC });
  });

  it('when WEBHOOK_ALLOW_PRIVATE allows a lab-internal receiver, then plain http to it is accepted in production', async () => {
    await expect(resolveTarget('http://lab-receiver.test/hook', policy(false))).rejects.toThrow(/private address/);
    await expect(resolveTarget('http://lab-receiver.test/hook', policy(true))).resolves.toMatchObject({ address: '10.1.1.1' });
  });
});
