import { createHash, createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordWork } from '../../src/auth/passwords.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

const SECRET = 'server-secret-for-tests-0123456789abcdef';
let h: Harness;
const lines: { msg: string; reason?: string; emailRef?: string; userId?: string }[] = [];
beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  h = await startHarness({ kind: 'api', log: createLogger('info', {}, sink), env: { LOGIN_RATE_PER_ACCOUNT: '1000', LOGIN_RATE_PER_IP: '1000', SERVER_SECRET: SECRET } });
});
afterAll(() => h?.stop());

const login = (email: string, password: string) => h.http().post('/api/v1/auth/login').send({ email, password });

describe('lockout under parallel guesses', () => {
  it('when 20 wrong passwords arrive at once, then only 5 are checked, the account locks once, and all answers are alike', async () => {
    const u = await h.user('TECHNICIAN', 'correct-horse-battery');
    const from = lines.length;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(u.email, `guess-${i}`)));
    expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(401);
    const reasons = lines.slice(from).filter((l) => l.msg === 'login failed' && l.userId === u.id).map((l) => l.reason);
    expect(reasons.filter((r) => r === 'password')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(15);
    expect(await h.sql(`SELECT action FROM "AuditEntry" WHERE "entityId" = $1`, [u.id])).toEqual([{ action: 'user.lock' }]);
    expect((await login(u.email, 'correct-horse-battery')).status).toBe(401);
  });
});

describe('account enumeration', () => {
  it('when the email is unknown, the account locked or disabled, or the password wrong, then the answer is the same and costs one password check', async () => {
    const locked = await h.user('TECHNICIAN', 'correct-horse-battery');
    for (let i = 0; i < 5; i++) await login(locked.email, `guess-${i}`);
    const disabled = await h.user('TECHNICIAN', 'correct-horse-battery');
    await h.deps.db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const known = await h.user('TECHNICIAN', 'correct-horse-battery');
    const tries: [string, string][] = [
      ['nobody-here@test.example', 'correct-horse-battery'],
      [locked.email, 'correct-horse-battery'],
      [disabled.email, 'correct-horse-battery'],
      [known.email, 'not-the-password'],
    ];
    const seen: { status: number; body: unknown; checks: number }[] = [];
    for (const [email, password] of tries) {
      const before = passwordWork.verifications;
      const res = await login(email, password);
      seen.push({ status: res.status, body: res.body, checks: passwordWork.verifications - before });
    }
    expect(seen).toEqual(tries.map(() => seen[0]));
    expect(seen[0]).toMatchObject({ status: 401, checks: 1, body: { error: { code: 'UNAUTHENTICATED' } } });
  });
});

describe('electronic signatures', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ kind: 'api', env: { LOGIN_RATE_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES: '100' } });
  });
  afterAll(() => limited?.stop());

  it('when wrong signatures come faster than the account\'s sign-in budget, then 429, and sign-in for that account is limited too; right ones cost nothing', async () => {
    const analyst = await limited.user('TECHNICIAN');
    const reviewer = await limited.user('TECHNICIAN', 'reviewer-password-1');
    const seizure = (await limited.http().post('/api/v1/seizures').set(auth(analyst.token)).send(seizureBody())).body;
    const sample = (await limited.http().post('/api/v1/samples').set(auth(analyst.token)).send(sampleBody(seizure.id))).body;
    const sign = (password: string) => limited.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password });
    // Signed correctly, refused only because the sample is not awaiting review: the point comes back.
    for (let i = 0; i < 5; i++) expect((await sign('reviewer-password-1')).status).toBe(409);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sign(`guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const signIn = await limited.http().post('/api/v1/auth/login').send({ email: reviewer.email, password: 'reviewer-password-1' });
    expect(signIn.status).toBe(429);
    expect(Number(signIn.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('account references in logs', () => {
  it('when a sign-in fails, then the email appears only as an HMAC keyed with the server secret', async () => {
    const email = 'who-is-this@test.example';
    const from = lines.length;
    await login(email, 'whatever-password');
    const line = lines.slice(from).find((l) => l.msg === 'login failed')!;
    expect(line.emailRef).toBe(createHmac('sha256', SECRET).update(email).digest('hex').slice(0, 16));
    expect(line.emailRef).not.toBe(createHash('sha256').update(email).digest('hex').slice(0, 16));
    expect(JSON.stringify(lines.slice(from))).not.toContain(email);
  });
});
