import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDbGauges } from '../../src/http/metrics.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let h: Harness;
beforeAll(async () => {
  // Behind a reverse proxy on this host: Express takes the client address from X-Forwarded-For.
  h = await startHarness({ kind: 'api', env: { METRICS_TOKEN: TOKEN, TRUST_PROXY: 'loopback', METRICS_REFRESH_MS: '3600000' } });
});
afterAll(() => h?.stop());

const deadLetters = (text: string) => Number(/^fol_dead_letters (\d+)/m.exec(text)?.[1]);

describe('who may scrape /metrics', () => {
  it('when a remote client (through the local proxy) scrapes without the token, or with a wrong one, then 401 in the contract format', async () => {
    const anonymous = await h.http().get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(anonymous.text).not.toMatch(/fol_/);
    expect((await h.http().get('/metrics').set('X-Forwarded-For', '203.0.113.9').set('Authorization', 'Bearer wrong-token-000000000000')).status).toBe(401);
  });

  it('when the bearer token is right, then the figures are served wherever the scraper is', async () => {
    const res = await h.http().get('/metrics').set('X-Forwarded-For', '203.0.113.9').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^fol_dead_letters \d+/m);
  });

  it('when the scrape comes from this host itself, then no token is needed', async () => {
    expect((await h.http().get('/metrics')).status).toBe(200);
  });
});

describe('database-backed gauges', () => {
  it('when Prometheus scrapes, then the figures come from the background cache, not a query per scrape', async () => {
    const before = deadLetters((await h.http().get('/metrics')).text);
    await h.deps.db.deadLetter.create({ data: { jobId: `metrics-${Date.now()}`, queue: 'analysis', jobName: 'classify', payload: {}, error: 'x', attempts: 5 } });
    expect(deadLetters((await h.http().get('/metrics')).text)).toBe(before);
    await refreshDbGauges(h.deps.db);
    expect(deadLetters((await h.http().get('/metrics')).text)).toBe(before + 1);
  });

  it('when a manager has resolved a dead letter (retried or returned), then fol_dead_letters no longer counts it', async () => {
    await refreshDbGauges(h.deps.db);
    const before = deadLetters((await h.http().get('/metrics')).text);
    const manager = await h.user('MANAGER');
    const open = await h.deps.db.deadLetter.create({ data: { jobId: `metrics-open-${Date.now()}`, queue: 'analysis', jobName: 'classify', payload: {}, error: 'x', attempts: 5 } });
    await h.deps.db.deadLetter.create({ data: { jobId: `metrics-done-${Date.now()}`, queue: 'analysis', jobName: 'classify', payload: {}, error: 'x', attempts: 5, resolvedAt: new Date(), resolvedById: manager.id, resolution: 'RETURN' } });
    await refreshDbGauges(h.deps.db);
    expect(deadLetters((await h.http().get('/metrics')).text)).toBe(before + 1);
    await h.deps.db.deadLetter.update({ where: { id: open.id }, data: { resolvedAt: new Date(), resolvedById: manager.id, resolution: 'RETRY' } });
    await refreshDbGauges(h.deps.db);
    expect(deadLetters((await h.http().get('/metrics')).text)).toBe(before);
  });
});
