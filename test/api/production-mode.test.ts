import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupError, loadConfig } from '../../src/lib/config.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { DEMO_USERS } from '../../src/entry/seed.ts';
import { auth, createTestDatabase, startHarness, type Harness } from '../support/harness.ts';

const cookiesOf = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
const named = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`)) ?? '';

describe('demo data and production', () => {
  it('when NODE_ENV=production asks for demo data, then the configuration is refused, naming SEED_DEMO and what to do', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: '1' })).toThrow(/SEED_DEMO: demo accounts .* refused when NODE_ENV=production: set SEED_DEMO=0/);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: '0' }).SEED_DEMO).toBe(false);
  });

  it.each([
    [{ SEED_DEMO: '1' }, '127.0.0.1'],
    [{ SEED_DEMO: '1', HOST: '0.0.0.0' }, '0.0.0.0'],
    [{}, '0.0.0.0'],
  ])('when the environment is %o and names no other host, then the service listens on %s', (env, host) => {
    expect(loadConfig(env).HOST).toBe(host);
  });

  it('when a database seeded with demo accounts is started in production, then start-up is refused until they are disabled', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startHarness({ kind: 'api', databaseUrl });
    const demoAdmin = DEMO_USERS.find((u) => u.role === 'ADMIN')!;
    await first.deps.db.user.create({ data: { email: demoAdmin.email, name: demoAdmin.name, role: 'ADMIN', passwordHash: await hashPassword(demoAdmin.password) } });
    await first.stop();

    const refused = startHarness({ kind: 'api', databaseUrl, env: { NODE_ENV: 'production' } });
    await expect(refused).rejects.toBeInstanceOf(StartupError);
    await expect(refused).rejects.toThrow(`enabled demo accounts with published passwords (${demoAdmin.email})`);

    const admin = await startHarness({ kind: 'api', databaseUrl });
    await admin.sql(`UPDATE "User" SET "disabledAt" = now() WHERE email = $1`, [demoAdmin.email]);
    await admin.stop();
    const production = await startHarness({ kind: 'api', databaseUrl, env: { NODE_ENV: 'production' } });
    expect((await production.http().get('/healthz')).body).toEqual({ status: 'ok', demo: false });
    await production.stop();
  });
});

describe('session cookies in production', () => {
  let prod: Harness;
  let dev: Harness;
  beforeAll(async () => {
    prod = await startHarness({ kind: 'api', env: { NODE_ENV: 'production' } });
    dev = await startHarness({ kind: 'api', env: { NODE_ENV: 'development', TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await prod?.stop();
    await dev?.stop();
  });

  it('when someone signs in over plain HTTP with NODE_ENV=production, then both cookies are Secure all the same', async () => {
    const u = await prod.user('TECHNICIAN', 'correct-horse-battery');
    const cookies = cookiesOf(await prod.http().post('/api/v1/auth/login').send({ email: u.email, password: 'correct-horse-battery' }));
    expect(named(cookies, 'fol_session')).toMatch(/;\s*Secure/i);
    expect(named(cookies, 'fol_csrf')).toMatch(/;\s*Secure/i);
  });

  it('when someone signs out in production, then the cookies are cleared with the same Secure attributes', async () => {
    const u = await prod.user('TECHNICIAN');
    const res = await prod.http().post('/api/v1/auth/logout').set(auth(u.token));
    expect(res.status).toBe(204);
    const cookies = cookiesOf(res);
    expect(named(cookies, 'fol_session')).toMatch(/Expires=Thu, 01 Jan 1970.*;\s*Secure/i);
    expect(named(cookies, 'fol_csrf')).toMatch(/;\s*Secure/i);
  });

  it('when someone signs in outside production over plain HTTP, then the cookies are not Secure, so a laptop demo on http://localhost works', async () => {
    const u = await dev.user('TECHNICIAN', 'correct-horse-battery');
    const cookies = cookiesOf(await dev.http().post('/api/v1/auth/login').send({ email: u.email, password: 'correct-horse-battery' }));
    expect(named(cookies, 'fol_session')).not.toMatch(/Secure/i);
  });

  it('when someone signs in outside production through a trusted TLS proxy, then the cookies are Secure', async () => {
    const u = await dev.user('TECHNICIAN', 'correct-horse-battery');
    const res = await dev.http().post('/api/v1/auth/login').set('X-Forwarded-Proto', 'https').send({ email: u.email, password: 'correct-horse-battery' });
    expect(named(cookiesOf(res), 'fol_session')).toMatch(/;\s*Secure/i);
  });
});
