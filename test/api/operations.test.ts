import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
});
afterAll(() => h?.stop());

describe('operations endpoints', () => {
  it('when probed, then /healthz and /readyz answer with the queue backend named', async () => {
    expect((await h.http().get('/healthz')).body).toEqual({ status: 'ok', demo: false });
    const ready = await h.http().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: 'ok', queue: 'ok', queueBackend: 'postgres' });
  });

  it('when the OpenAPI document is fetched, then it is 3.1 and describes request bodies from the validating schemas', async () => {
    const res = await h.http().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const post = res.body.paths['/api/v1/samples'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['seizureId', 'form', 'description', 'grossWeightG', 'sealNumber']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.form.enum).toContain('POWDER');
    expect(res.body.paths['/api/v1/samples/{id}/tests'].post.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
  });

  it('when the web UI and the docs page are requested, then the app serves them itself with security headers', async () => {
    const index = await h.http().get('/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('fol-triage');
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    // Served over plain HTTP on a lab network, the page must not ask the browser to switch its own files to https.
    expect(index.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect((await h.http().get('/docs')).status).toBe(200);
    const missing = await h.http().get('/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('when a user signs in, the token works until logout, then stops at once', async () => {
    const u = await h.user('TECHNICIAN', 'a-long-password-1');
    const bad = await h.http().post('/api/v1/auth/login').send({ email: u.email, password: 'wrong' });
    expect(bad.status).toBe(401);
    const login = await h.http().post('/api/v1/auth/login').send({ email: u.email, password: 'a-long-password-1' });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id: u.id, email: u.email, name: expect.any(String), role: 'TECHNICIAN' });
    expect(JSON.stringify(login.body)).not.toMatch(/passwordHash|argon2/);
    const token = login.body.token as string;
    expect((await h.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    expect((await h.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await h.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('when Prometheus scrapes /metrics, then it gets process, HTTP and database-backed figures', async () => {
    await h.http().get('/api/v1/ports').set('Authorization', `Bearer ${(await h.user('MANAGER')).token}`);
    const res = await h.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/^fol_process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^fol_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/ports",status="200"\} [1-9]/m);
    expect(res.text).toMatch(/^fol_outbox_pending \d+/m);
    expect(res.text).toMatch(/^fol_dead_letters \d+/m);
  });
});
