/**
 * A new user's first run: clone into a private folder (mode 700, like a home directory or `mktemp -d`)
 * and type the README's commands. As root, PostgreSQL runs as the `postgres` account, which cannot
 * reach anything inside that folder; as a normal user it runs as that user.
 *
 * Proves, in a clone of the current commit: `npm start` generates the Prisma client, creates the
 * database (initdb), starts PostgreSQL, applies the migrations, seeds and serves, then stops
 * everything on Ctrl-C, after signing a checkpoint covering every audit entry — as root and as a
 * normal user; `npm test` type-checks and runs a test file against its own embedded PostgreSQL, as
 * root. Does not prove the download of npm packages:
 * node_modules is hard-linked from this checkout (the same lockfile gives the same tree).
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relocatedDataDir, SYSTEM_DIR } from '../../src/lib/postgres-host.ts';
import { DEMO_USERS } from '../../src/entry/seed.ts';
import { clonePrivately, freePort, interrupt, makeUser, runCommand, waitFor } from '../support/clone.ts';

const isRoot = process.getuid?.() === 0;
const cleanups: (() => void)[] = [];
afterAll(() => {
  const failures: unknown[] = [];
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length) throw failures[0];
});

/** Ctrl-C stops PostgreSQL too: its pid file goes once its shutdown ends. */
async function stopped(dataDir: string): Promise<boolean> {
  for (let i = 0; i < 100 && existsSync(path.join(dataDir, 'postmaster.pid')); i++) await new Promise((r) => setTimeout(r, 100));
  return !existsSync(path.join(dataDir, 'postmaster.pid'));
}

/** Audited work as the demo administrator, then the number of committed audit entries. */
async function auditedWork(url: string): Promise<number> {
  const signIn = async (email: string) => {
    const password = DEMO_USERS.find((u) => u.email === email)!.password;
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    return ((await res.json()) as { token: string }).token;
  };
  const admin = await signIn('admin@fol.example');
  const hook = await fetch(`${url}/api/v1/webhooks`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'http://127.0.0.1:9/none', events: ['AUDIT_CHECKPOINT'], secret: 'fresh-clone-secret-0123' }),
  });
  expect(hook.status).toBe(201);
  const manager = await signIn('manager@fol.example');
  const verify = (await (await fetch(`${url}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${manager}` } })).json()) as { ok: boolean; entries: number; pending: number };
  expect(verify.ok).toBe(true);
  return verify.entries + verify.pending;
}

/** The tree size of the last signed checkpoint in the clone's checkpoint file. */
const lastCheckpoint = (repo: string) => (JSON.parse(readFileSync(path.join(repo, '.data', 'audit', 'checkpoints.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { treeSize: number }).treeSize;

/**
 * `npm start` in the clone until it serves; checks /healthz, does audited work, then Ctrl-C. Returns
 * the log, and how many audit entries were committed before the Ctrl-C.
 */
async function startAndStop(clone: { repo: string; home: string }, as?: { uid: number; gid: number }): Promise<{ log: string; entries: number }> {
  const run = runCommand(['start'], { cwd: clone.repo, home: clone.home, as, env: { PORT: '0', HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(await freePort()) } });
  let entries = 0;
  try {
    const [, url] = await waitFor(run, /fol-triage is running at (http:\/\/\S+)/, 240_000);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    entries = await auditedWork(url!);
  } finally {
    await interrupt(run);
  }
  return { log: run.output(), entries };
}

/** This run's Redis settings for the clone's tests (this file runs without the shared test set-up). */
const redisSettings = () => Object.fromEntries(['TEST_REDIS_URL', 'TEST_REDIS_PORT'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));

const dataDirOf = (log: string) => (log.match(/"dataDir":"([^"]+)","port"/) ?? [])[1];

describe.skipIf(!isRoot)('fresh clone in a private folder', () => {
  describe('as root', () => {
    let clone: ReturnType<typeof clonePrivately>;
    beforeAll(() => {
      clone = clonePrivately();
      cleanups.push(() => rmSync(clone.dir, { recursive: true, force: true }));
      for (const data of ['.data', '.data/test']) cleanups.push(() => rmSync(path.dirname(relocatedDataDir(path.join(clone.repo, data, 'pg'))), { recursive: true, force: true }));
    });

    it('when root runs npm start in a clone inside a mode-700 folder, then PostgreSQL is created, started, migrated and stopped on Ctrl-C', async () => {
      expect(statSync(clone.dir).mode & 0o077).toBe(0);

      const { log, entries } = await startAndStop(clone);

      expect(log).toContain('generating the Prisma client');
      expect(log).toContain('initialising embedded PostgreSQL');
      expect(log).toContain('migrations applied');
      expect(log).not.toMatch(/EACCES|Unhandled|\n\s+at /);
      // The data went where the postgres account can reach it, and so did a copy of the binaries.
      const dataDir = dataDirOf(log);
      expect(dataDir).toBe(relocatedDataDir(path.join(clone.repo, '.data', 'pg')));
      expect(statSync(dataDir!).uid).not.toBe(0);
      expect(log).toMatch(new RegExp(`"binaries":"${SYSTEM_DIR}/postgresql-[^"]+"`));
      expect(await stopped(dataDir!)).toBe(true);
      // Ctrl-C reached the service, not PostgreSQL: every entry is in a signed checkpoint.
      expect(lastCheckpoint(clone.repo)).toBeGreaterThanOrEqual(entries);
    }, 300_000);

    it('when root runs npm test in that clone, then the test database starts and the tests run', async () => {
      const run = runCommand(['test', '--', 'test/domain/sampling.test.ts'], { cwd: clone.repo, home: clone.home, env: { TEST_PG_PORT: String(await freePort()), ...redisSettings() } });
      const code = await run.exited;

      expect(run.output()).toMatch(/\n\d+ passed, 0 failed/);
      expect(code).toBe(0);
    }, 300_000);
  });

  it('when a normal user runs npm start in a clone inside their own mode-700 folder, then PostgreSQL runs as that user inside the clone', async () => {
    const user = makeUser();
    cleanups.push(() => user.drop());
    const clone = clonePrivately(user);
    cleanups.push(() => rmSync(clone.dir, { recursive: true, force: true }));

    const { log, entries } = await startAndStop(clone, user);

    expect(log).toContain('initialising embedded PostgreSQL');
    expect(log).toContain('migrations applied');
    const dataDir = dataDirOf(log);
    expect(dataDir).toBe(path.join(clone.repo, '.data', 'pg'));
    expect(statSync(dataDir!).uid).toBe(user.uid);
    expect(await stopped(dataDir!)).toBe(true);
    expect(lastCheckpoint(clone.repo)).toBeGreaterThanOrEqual(entries);
  }, 300_000);
});
