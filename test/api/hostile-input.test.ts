/**
 * Hostile input, class by class: each answer is a 4xx in the contract's error format, never a 500,
 * and nothing is written. (hostile-properties.test.ts generates such requests for every route.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/http/routes.ts';
import { toErrorReply } from '../../src/http/errors.ts';
import { encodeCursor } from '../../src/http/cursor.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let manager: Awaited<ReturnType<Harness['user']>>;
beforeAll(async () => {
  h = await startHarness({ kind: 'api', env: { API_RATE_PER_MINUTE: '0' } });
  tech = await h.user('TECHNICIAN');
  manager = await h.user('MANAGER');
});
afterAll(() => h?.stop());

const rowCount = async () => (await h.sql<{ n: number }>(`SELECT ((SELECT count(*) FROM "Seizure") + (SELECT count(*) FROM "Sample") + (SELECT count(*) FROM "Test") + (SELECT count(*) FROM "AuditEntry") + (SELECT count(*) FROM "Session"))::int AS n`))[0]!.n;

function expectRefused(res: { status: number; body: any }, status = 400) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('malformed percent-escapes in path segments', () => {
  const withParams = ROUTES.filter((r) => r.path.includes(':')).map((r) => ({ route: r, name: `${r.method.toUpperCase()} ${r.path}` }));
  it.each(withParams)('when $name has %E0%A4%A for a parameter, then it is a 400', async ({ route }) => {
    const path = route.path.replace(/:[a-z]+/i, '%E0%A4%A').replace(/:[a-z]+/gi, '00000000-0000-4000-8000-000000000000');
    const body = route.body ? {} : undefined;
    const req = h.http()[route.method](`/api/v1${path}`).set(auth(manager.token));
    const res = body ? await req.send(body) : await req;
    expectRefused(res);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('NUL and lone surrogates in strings', () => {
  it('when the sign-in email or password holds a NUL, then it is a 400 before anything is looked up', async () => {
    const before = await rowCount();
    expectRefused(await h.http().post('/api/v1/auth/login').send({ email: `${tech.email}\u0000`, password: tech.password }));
    expectRefused(await h.http().post('/api/v1/auth/login').send({ email: tech.email, password: `x\u0000y` }));
    expect(await rowCount()).toBe(before);
  });

  it('when a body string holds a NUL or a lone surrogate, then it is a 400 naming the field and nothing is written', async () => {
    const before = await rowCount();
    const nul = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ narrative: 'bag\u0000of powder' }));
    expectRefused(nul);
    expect(nul.body.error.details).toEqual([{ path: 'body.narrative', label: 'narrative', message: expect.stringMatching(/NUL/) }]);
    // JSON can carry a surrogate half as an escape; stored, it would silently become U+FFFD.
    const raw = JSON.stringify(seizureBody({ narrative: 'PLACEHOLDER' })).replace('PLACEHOLDER', '\\ud800 alone');
    const lone = await h.http().post('/api/v1/seizures').set(auth(tech.token)).set('Content-Type', 'application/json').send(raw);
    expectRefused(lone);
    expect(lone.body.error.details).toEqual([{ path: 'body.narrative', label: 'narrative', message: expect.stringMatching(/surrogate/) }]);
    const key = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send({ ...seizureBody(), 'x\u0000': 1 });
    expectRefused(key);
    expect(await rowCount()).toBe(before);
  });

  it('when a query string holds a NUL, then it is a 400, also on routes that take no query', async () => {
    expectRefused(await h.http().get('/api/v1/audit?entityType=Sample%00').set(auth(manager.token)));
    expectRefused(await h.http().get('/api/v1/substances?q=fent%00anyl').set(auth(manager.token)));
    expectRefused(await h.http().get('/api/v1/ports?x=%00').set(auth(manager.token)));
  });

  it('when a well-formed pair (an emoji) is sent, then it is kept as sent', async () => {
    const res = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ narrative: 'marked 💊 on the bag' }));
    expect(res.status).toBe(201);
    expect(res.body.narrative).toBe('marked 💊 on the bag');
  });
});

describe('dates out of range', () => {
  it('when a body date is in year 0000 or before 1900, then it is a 400 and nothing is written', async () => {
    const before = await rowCount();
    for (const seizedAt of ['0000-01-01T00:00:00Z', '0001-06-01T00:00:00Z', '1899-12-31T23:59:59Z']) {
      const res = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ seizedAt }));
      expectRefused(res);
      expect(res.body.error.details[0].path).toBe('body.seizedAt');
    }
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const mid = await rowCount();
    expectRefused(await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'NEGATIVE', performedAt: '0000-03-01T10:00:00+01:00' }));
    expect(await rowCount()).toBe(mid);
    expect(mid).toBeGreaterThan(before);
  });

  it('when a report period starts or ends in year 0000, then it is a 400', async () => {
    for (const q of ['from=0000-01-01', 'to=0000-01-01T00:00:00Z', 'from=0000-01-01T00:00:00Z&to=0001-01-01']) {
      for (const report of ['turnaround', 'operations', 'throughput']) {
        const res = await h.http().get(`/api/v1/reports/${report}?${q}`).set(auth(manager.token));
        expectRefused(res);
      }
    }
    expect((await h.http().get('/api/v1/reports/operations?from=1900-01-01&to=9999-12-31').set(auth(manager.token))).status).toBe(200);
  });
});

describe('cursors', () => {
  it('when a cursor is well-formed base64 but not a position, then it is a 400 on every list', async () => {
    const notUuid = Buffer.from('0'.repeat(36)).toString('base64url');
    const noRow = encodeCursor('00000000-0000-4000-8000-000000000000');
    for (const list of ['/samples', '/cases', '/notifications']) {
      for (const cursor of [notUuid, noRow, 'not base64!']) {
        const res = await h.http().get(`/api/v1${list}?cursor=${encodeURIComponent(cursor)}`).set(auth(manager.token));
        expectRefused(res);
        expect(res.body.error.details).toEqual([{ path: 'query.cursor', label: 'page', message: expect.any(String) }]);
      }
    }
  });

  it('when the cursor names the last row, then the page is empty, not an error', async () => {
    const agent = await h.user('INVESTIGATOR');
    const n = await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: 'only one' } });
    const res = await h.http().get(`/api/v1/notifications?cursor=${encodeCursor(n.id)}`).set(auth(agent.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('the session cookie', () => {
  it('when fol_session is not valid percent-encoding, then it is no session: 401', async () => {
    for (const cookie of ['fol_session=%E0%A4%A', 'fol_session=%', 'fol_session=%00', 'fol_session=a=b=c; fol_csrf=%ZZ']) {
      const res = await h.http().get('/api/v1/me').set('Cookie', cookie);
      expectRefused(res, 401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('the error mapper', () => {
  it('when PostgreSQL refuses a value (a malformed uuid, a NUL, year 0), then the mapper makes it a 400 without SQL', async () => {
    const attempts = [
      () => h.deps.db.$queryRaw`SELECT ${'not-a-uuid'}::uuid`,
      () => h.deps.db.seizure.findMany({ where: { narrative: 'a\u0000b' } }),
      () => h.deps.db.seizure.findMany({ where: { seizedAt: new Date('0000-01-01T00:00:00Z') } }),
    ];
    for (const attempt of attempts) {
      const err = await attempt().then(() => null, (e: unknown) => e);
      expect(err).not.toBeNull();
      const reply = toErrorReply(err, h.deps.log);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(reply.body)).not.toMatch(/SELECT|uuid|Seizure|invalid input/i);
    }
  });
});
