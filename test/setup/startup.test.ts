/**
 * The real entry point (`src/entry/all.ts`, what `npm start` runs) as a child process, its output
 * read as an operator would: a pipe, not a terminal.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { relocatedDataDir } from '../../src/lib/postgres-host.ts';
import { auditEnv, createTestDatabase } from '../support/harness.ts';
import { REPO } from '../support/clone.ts';

type Started = { output: () => string; stderr: () => string; exited: Promise<number | null>; stop(): Promise<number | null> };

function startEntry(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/entry/all.ts')], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', PORT: '0', QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    output: () => out,
    stderr: () => err,
    exited,
    stop: () => (child.kill('SIGTERM'), exited),
  };
}

async function waitFor(s: Started, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  let done = false;
  void s.exited.then(() => (done = true));
  for (;;) {
    const m = s.output().match(pattern);
    if (m) return m;
    if (done || Date.now() > until) throw new Error(`no ${pattern}:\n${s.output().slice(-3000)}\n${s.stderr().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('start-up with demo data', () => {
  let demo: Started;
  let url: string;
  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    demo = startEntry({ DATABASE_URL: databaseUrl, SEED_DEMO: '1', LOG_LEVEL: 'info', ...auditEnv(databaseUrl) });
    [, url] = (await waitFor(demo, /fol-triage is running at (http:\/\/\S+)/)) as [string, string];
  }, 180_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('when demo data is seeded, then the console shows a DEMO MODE banner with the sign-ins', () => {
    expect(demo.output()).toMatch(/={20,}\n\s+DEMO MODE: demo data and demo accounts with published passwords, one of them ADMIN/);
    expect(demo.output()).toContain('admin@fol.example');
    expect(demo.output()).toContain('Only this machine can reach it');
  });

  it('when stdout is not a terminal, then the log is JSON lines and it records demo mode as a warning', () => {
    const lines = demo.output().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(2);
    const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; demo?: boolean });
    expect(records.find((r) => r.msg.startsWith('DEMO MODE'))).toMatchObject({ level: 40, demo: true });
  });

  it('when the demo listens, then it is on loopback only and /healthz marks it as a demo', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', demo: true });
  });

  it('when it has started and seeded its demo work, then no deprecation warning was printed', async () => {
    await new Promise((r) => setTimeout(r, 2000));
    expect(demo.stderr()).not.toMatch(/DeprecationWarning|already executing a query/);
  });
});

describe('start-up refusals', () => {
  it('when NODE_ENV=production asks for demo data, then start-up stops with one sentence naming SEED_DEMO and exits 1', async () => {
    const refused = startEntry({ NODE_ENV: 'production', SEED_DEMO: '1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toMatch(/SEED_DEMO: demo accounts with published passwords are refused when NODE_ENV=production: set SEED_DEMO=0/);
    expect(refused.stderr()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('when the embedded database cannot start, then start-up ends with one sentence saying what to do and exits 1', async () => {
    const dataDir = path.join(REPO, '.data', 'refused');
    const taken = startEntry({ EMBEDDED_PG_PORT: new URL(inject('redisUrl')).port, DATA_DIR: dataDir });
    const code = await taken.exited;
    rmSync(path.dirname(relocatedDataDir(path.join(dataDir, 'pg'))), { recursive: true, force: true }); // made when the clone is private
    expect(code).toBe(1);
    expect(taken.stderr().trim()).toMatch(/^fol-triage could not start: port \d+ is taken: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a PostgreSQL server\.$/);
  }, 60_000);
});
