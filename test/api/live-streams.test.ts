import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { openEventStream } from '../support/sse.ts';
import { auth, startHarness, type Harness } from '../support/harness.ts';

/** Resolves true when the server closes the stream within `ms`, false otherwise (the stream stays open). */
const closedWithin = (stream: Awaited<ReturnType<typeof openEventStream>>, ms: number) =>
  Promise.race([stream.ended.then(() => stream.closedByServer), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

const clock = fixedClock(new Date());
let a: Harness;
let b: Harness;
beforeAll(async () => {
  // Instance a checks sessions only hourly, so what closes there within seconds was closed at once.
  a = await startHarness({ kind: 'api', clock, env: { LIVE_SESSION_CHECK_MS: '3600000', LIVE_STREAMS_PER_USER: '2' } });
  // Instance b, on the same database, checks every 200 ms: it learns of logouts and disabling elsewhere.
  b = await startHarness({ kind: 'api', clock, env: { LIVE_SESSION_CHECK_MS: '200' }, databaseUrl: a.databaseUrl });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const stream = (h: Harness, token: string) => openEventStream(`${h.url}/api/v1/notifications/stream`, token);

describe('live streams end with their session', () => {
  it('when the user signs out, then the stream on that instance closes at once', async () => {
    const u = await a.user('MANAGER');
    const s = await stream(a, u.token);
    expect((await a.http().post('/api/v1/auth/logout').set(auth(u.token))).status).toBe(204);
    expect(await closedWithin(s, 10_000)).toBe(true);
  });

  it('when the user signs out on another instance, then the stream here closes within the check interval; others stay open', async () => {
    const u = await a.user('INVESTIGATOR');
    const other = await a.user('INVESTIGATOR');
    const mine = await stream(b, u.token);
    const theirs = await stream(b, other.token);
    expect((await a.http().post('/api/v1/auth/logout').set(auth(u.token))).status).toBe(204);
    expect(await closedWithin(mine, 10_000)).toBe(true);
    expect(await closedWithin(theirs, 1000)).toBe(false);
    await theirs.close();
  });

  it('when the session goes idle past its limit, then the stream closes', async () => {
    const u = await a.user('TECHNICIAN');
    const s = await stream(b, u.token);
    clock.advance(31 * 60_000);
    expect(await closedWithin(s, 10_000)).toBe(true);
    expect((await b.http().get('/api/v1/me').set(auth(u.token))).status).toBe(401);
  });

  it('when an administrator disables the user, then their streams close, at once on that instance and soon on others', async () => {
    const admin = await a.user('ADMIN');
    const u = await a.user('TECHNICIAN');
    const here = await stream(a, u.token);
    const there = await stream(b, u.token);
    expect((await a.http().post(`/api/v1/users/${u.id}/disable`).set(auth(admin.token))).status).toBe(200);
    expect(await closedWithin(here, 10_000)).toBe(true);
    expect(await closedWithin(there, 10_000)).toBe(true);
  });
});

describe('streams per user', () => {
  it('when a user opens more streams than allowed, then the next is a 429 with Retry-After until one closes', async () => {
    const u = await a.user('MANAGER');
    const first = await stream(a, u.token);
    const second = await stream(a, u.token);
    const third = await fetch(`${a.url}/api/v1/notifications/stream`, { headers: auth(u.token) });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect((await third.json()).error.code).toBe('RATE_LIMITED');
    await first.close();
    // The server notices the hang-up, then the user may open another.
    let again: Response | undefined;
    for (let i = 0; i < 100 && again?.status !== 200; i++) {
      await again?.body?.cancel();
      again = await fetch(`${a.url}/api/v1/notifications/stream`, { headers: auth(u.token) });
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again!.status).toBe(200);
    await again!.body?.cancel();
    await second.close();
  });
});
