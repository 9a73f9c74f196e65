import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

const clock = fixedClock(new Date());
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ kind: 'api', clock, env: { TRUST_PROXY: 'true' } });
});
afterAll(() => h?.stop());

/** Each test signs in from an address of its own, so no test spends another's sign-in budget. */
let tests = 0;
let address = '';
beforeEach(() => {
  tests++;
  address = `10.9.${tests}.1`;
});
const login = (email: string, password: string, from = address) => h.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
const MIN = 60_000;

describe('sign-in, lockout and sessions', () => {
  it('when five wrong passwords are typed, then the account locks for 10 minutes, even for the right password, and the lock is audited', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    for (let i = 0; i < 5; i++) expect((await login(u.email, `wrong-${i}`)).status).toBe(401);
    const locked = await login(u.email, 'correct-horse-battery');
    expect(locked.status).toBe(401);
    expect(locked.body.error.message).toMatch(/locked/);
    expect(await h.sql(`SELECT action FROM "AuditEntry" WHERE "entityId" = $1`, [u.id])).toEqual([{ action: 'user.lock' }]);
    clock.advance(9 * MIN);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(401);
    clock.advance(1 * MIN + 1000);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(200);
  });

  it('when wrong passwords are given as electronic signatures, then they count towards the lock, and a locked account cannot sign', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    const analyst = await h.user('TECHNICIAN');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(analyst.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(analyst.token)).send(sampleBody(seizure.id))).body;
    const sign = (password: string) => h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(u.token)).send({ decision: 'APPROVE', password });
    for (let i = 0; i < 5; i++) expect((await sign(`guess-${i}`)).status).toBe(401);
    const locked = await sign('correct-horse-battery');
    expect(locked.status).toBe(401);
    expect(locked.body.error.message).toMatch(/locked/);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(401);
  });

  it('when a reviewer signs twelve times at once with the right password, then every signature is accepted and the account is not locked', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    const analyst = await h.user('TECHNICIAN');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(analyst.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(analyst.token)).send(sampleBody(seizure.id))).body;
    // Signed correctly, then refused because the sample is not awaiting review: 409 means the signature passed.
    const sign = () => h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(u.token)).send({ decision: 'APPROVE', password: 'correct-horse-battery' });
    const answers = await Promise.all(Array.from({ length: 12 }, sign));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(409));
    expect(await h.sql(`SELECT "failedLogins", "lockedUntil" FROM "User" WHERE id = $1`, [u.id])).toEqual([{ failedLogins: 0, lockedUntil: null }]);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(200);
  });

  it('when a wrong password is followed by the right one, then the failure count starts again', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    for (let i = 0; i < 4; i++) await login(u.email, 'nope');
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(200);
    for (let i = 0; i < 4; i++) await login(u.email, 'nope');
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(200);
  });

  it('when a session is idle for longer than 30 minutes, then it no longer works; activity keeps it alive up to 12 hours', async () => {
    const u = await h.user('MANAGER');
    const me = () => h.http().get('/api/v1/me').set(auth(u.token));
    clock.advance(29 * MIN);
    expect((await me()).status).toBe(200);
    clock.advance(29 * MIN);
    expect((await me()).status).toBe(200);
    for (let elapsed = 58; elapsed < 12 * 60 - 25; elapsed += 25) {
      clock.advance(25 * MIN);
      expect((await me()).status).toBe(200);
    }
    clock.advance(25 * MIN);
    expect((await me()).status).toBe(401);

    const idle = await h.user('MANAGER');
    clock.advance(31 * MIN);
    expect((await h.http().get('/api/v1/me').set(auth(idle.token))).status).toBe(401);
  });

  it('when an administrator disables a user, then their sessions end at once and they cannot sign in; enabling lets them back', async () => {
    const admin = await h.user('ADMIN');
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    expect((await h.http().get('/api/v1/me').set(auth(u.token))).status).toBe(200);
    const off = await h.http().post(`/api/v1/users/${u.id}/disable`).set(auth(admin.token));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: u.id, disabled: true });
    expect((await h.http().get('/api/v1/me').set(auth(u.token))).status).toBe(401);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(401);
    expect((await h.http().post(`/api/v1/users/${admin.id}/disable`).set(auth(admin.token))).status).toBe(409);
    expect((await h.http().post(`/api/v1/users/${u.id}/enable`).set(auth(admin.token))).status).toBe(200);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(200);
  });

  it('when the web UI uses the cookie, then writes need the CSRF token; bearer clients do not', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    const res = await login(u.email, 'correct-horse-battery');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.find((c) => c.startsWith('fol_session='))).toMatch(/HttpOnly/i);
    expect(cookies.find((c) => c.startsWith('fol_session='))).toMatch(/SameSite=Strict/i);
    expect(cookies.find((c) => c.startsWith('fol_csrf='))).not.toMatch(/HttpOnly/i);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    expect((await h.http().get('/api/v1/me').set('Cookie', cookie)).status).toBe(200);
    const forged = await h.http().post('/api/v1/seizures').set('Cookie', cookie).send(seizureBody());
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('FORBIDDEN');
    const wrong = await h.http().post('/api/v1/seizures').set('Cookie', cookie).set('X-CSRF-Token', 'x'.repeat(43)).send(seizureBody());
    expect(wrong.status).toBe(403);
    const good = await h.http().post('/api/v1/seizures').set('Cookie', cookie).set('X-CSRF-Token', res.body.csrfToken).send(seizureBody());
    expect(good.status).toBe(201);
    expect((await h.http().post('/api/v1/seizures').set(auth(res.body.token)).send(seizureBody())).status).toBe(201);
  });

  it('when a body tries to set server-owned fields, then it is a 400 and nothing is written', async () => {
    const tech = await h.user('TECHNICIAN');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const cases: [string, Record<string, unknown>][] = [
      ['/api/v1/seizures', { ...seizureBody(), caseId: seizure.id }],
      ['/api/v1/samples', { ...sampleBody(seizure.id), status: 'RELEASED' }],
      ['/api/v1/samples', { ...sampleBody(seizure.id), caseId: seizure.id }],
    ];
    for (const [path, body] of cases) {
      const res = await h.http().post(path).set(auth(tech.token)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].message).toMatch(/unknown field/);
    }
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const test = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'NEGATIVE', reviewedBy: tech.id });
    expect(test.status).toBe(400);
    expect(await h.sql('SELECT count(*)::int AS n FROM "Sample" WHERE "seizureId" = $1', [seizure.id])).toEqual([{ n: 1 }]);
    expect(await h.sql('SELECT count(*)::int AS n FROM "Test" WHERE "sampleId" = $1', [sample.id])).toEqual([{ n: 0 }]);
  });

  it('when answers are sent, then security headers are set', async () => {
    const res = await h.http().get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('security logging', () => {
  it('when people sign in, fail, or are denied, then each is logged, and no password, token or cookie appears', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logged = await startHarness({ kind: 'api', log: createLogger('info', {}, sink) });
    try {
      const u = await logged.user('TECHNICIAN', 'secret-password-123');
      const ok = await logged.http().post('/api/v1/auth/login').send({ email: u.email, password: 'secret-password-123' });
      await logged.http().post('/api/v1/auth/login').send({ email: u.email, password: 'typo-password-456' });
      await logged.http().get('/api/v1/me').set('Cookie', `fol_session=${ok.body.token}`);
      await logged.http().get('/api/v1/users').set(auth(ok.body.token));
      await logged.http().get('/api/v1/me').set(auth('forged-token-value'));
      const text = lines.join('');
      for (const secret of ['secret-password-123', 'typo-password-456', ok.body.token, 'forged-token-value', u.token]) expect(text).not.toContain(secret);
      const msgs = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string; userId?: string });
      expect(msgs).toEqual(expect.arrayContaining([
        expect.objectContaining({ msg: 'login', userId: u.id }),
        expect.objectContaining({ msg: 'login failed', reason: 'password' }),
        expect.objectContaining({ msg: 'access denied: role', userId: u.id }),
        expect.objectContaining({ msg: 'access denied: session' }),
      ]));
    } finally {
      await logged.stop();
    }
  });
});

describe('rate limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ kind: 'api', env: { LOGIN_RATE_PER_IP: '4', LOGIN_RATE_PER_ACCOUNT: '3', API_RATE_PER_MINUTE: '5', TRUST_PROXY: 'true' } });
  });
  afterAll(() => limited?.stop());
  const signIn = (email: string, password: string) => limited.http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });

  it('when one account is tried too often, then 429 with Retry-After, counted in the shared store', async () => {
    const u = await limited.user('TECHNICIAN', 'correct-horse-battery');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn(u.email, 'bad')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const res = await signIn(u.email, 'correct-horse-battery');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const rows = await limited.sql(`SELECT count(*)::int AS n FROM rate_limit WHERE key LIKE 'login-account:%'`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('when one address tries many accounts, then the per-address limit answers 429', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn(`someone-${i}@test.example`, 'x')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const other = await limited.http().post('/api/v1/auth/login').set('X-Forwarded-For', `${address}0`).send({ email: 'someone-0@test.example', password: 'x' });
    expect(other.status).toBe(401);
  });

  it('when a session floods the API, then 429 with Retry-After', async () => {
    const u = await limited.user('MANAGER');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await limited.http().get('/api/v1/me').set(auth(u.token))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
