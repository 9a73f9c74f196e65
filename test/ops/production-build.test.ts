/**
 * `npm run build`, then the compiled service as production runs it: plain node with NODE_ENV=production,
 * no development tool loaded anywhere (a preload makes loading tsx, pino-pretty or typescript an error,
 * in the service and in the migration process it starts), JSON logs, Secure cookies, no demo data; a
 * missing setting refuses to start in one sentence; a database that cannot come back ends the process
 * with a non-zero exit for its service manager.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config.ts';
import { locateDataDir, serverAccount } from '../../src/lib/postgres-host.ts';
import { REPO, runCommand, waitFor, type Run } from '../support/clone.ts';
import { EMBEDDED_PORT, freshDataDir, removeDataDir } from '../support/embedded-app.ts';
import { ensureBuilt } from '../support/build.ts';
import { eventually } from '../support/harness.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'fol-prod-home-'));
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'fol-prod-backups-'));
const dataDir = freshDataDir('prod');
const FORBID = `--require ${path.join(REPO, 'test/support/forbid-dev-tools.cjs')}`;
const ADMIN = { email: 'admin@lab.example', password: 'a-long-admin-password-1' };

beforeAll(() => ensureBuilt(), 600_000);
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(backupDir, { recursive: true, force: true });
  removeDataDir(dataDir);
});

const npm = (args: string[], env: Record<string, string>): Run =>
  runCommand(args, { cwd: REPO, home, env: { NODE_OPTIONS: FORBID, HOST: '127.0.0.1', PORT: '0', EMBEDDED_PG_PORT: String(EMBEDDED_PORT), ...env } });

describe('the production build', () => {
  it('when a required setting is missing, then the compiled service refuses to start in one sentence and exits non-zero', async () => {
    const embeddedWithoutBackups = npm(['run', 'start:prod'], { DATA_DIR: dataDir });
    expect(await embeddedWithoutBackups.exited).toBe(1);
    expect(embeddedWithoutBackups.output()).toMatch(/^fol-triage could not start: the embedded database in production needs BACKUP_DIR, [^\n]+\.$/m);
    expect(embeddedWithoutBackups.output()).not.toMatch(/\n\s+at /); // no stack trace

    const apiWithoutDatabase = npm(['run', 'start:api'], { NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(await apiWithoutDatabase.exited).toBe(1);
    expect(apiWithoutDatabase.output()).toMatch(/^fol-triage could not start: a separate api process needs DATABASE_URL in production: [^\n]+\.$/m);
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(false); // refused before touching anything
    expect(loadConfig({ NODE_ENV: 'production' }).LOG_FORMAT).toBe('json');
  }, 120_000);

  it('when the compiled service runs in production, then it serves /healthz without dev tooling or demo data, logs JSON, sets Secure cookies, and exits non-zero once its database is gone for good', async () => {
    const run = npm(['run', 'start:prod'], { DATA_DIR: dataDir, BACKUP_DIR: backupDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, AUDIT_CHECKPOINT_MS: '1000' });
    try {
      const [, url] = await waitFor(run, /"url":"(http:\/\/[^"]+)"/, 240_000);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', demo: false });
      const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      expect(login.status).toBe(200);
      expect(login.headers.getSetCookie().find((c) => c.startsWith('fol_session='))).toMatch(/; Secure/i);
      const demo = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'tech@fol.example', password: 'demo-technician-1' }) });
      expect(demo.status).toBe(401);
      // Everything the service wrote is one JSON object a line (npm's own header lines start with '>').
      const lines = run.output().split('\n').filter((l) => l.trim() && !l.startsWith('>'));
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(run.output()).not.toMatch(/development tool loaded/);

      // The audit ledger runs compiled too: a sign-out is an audit entry; the worker side seals it and
      // signs a checkpoint into DATA_DIR/audit, and the log verifies against it.
      const signIn = async () => ((await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string }).token;
      expect((await fetch(`${url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${await signIn()}` } })).status).toBe(204);
      const checkpoints = path.join(dataDir, 'audit', 'checkpoints.jsonl');
      await eventually(async () => existsSync(checkpoints) && readFileSync(checkpoints, 'utf8').trim().length > 0, 'a signed checkpoint in DATA_DIR/audit', 120_000);
      expect(existsSync(path.join(dataDir, 'audit', 'checkpoint-key.pem.pub'))).toBe(true);
      const verify = (await (await fetch(`${url}/api/v1/audit/verify`, { headers: { Authorization: `Bearer ${await signIn()}` } })).json()) as { ok: boolean; checkpoints: { checked: number } };
      expect(verify.ok).toBe(true);
      expect(verify.checkpoints.checked).toBeGreaterThanOrEqual(1);

      // The database dies and its folder is no longer a database: no restart can work.
      const cluster = locateDataDir(dataDir, serverAccount());
      const pid = Number(readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
      rmSync(path.join(cluster, 'PG_VERSION'));
      process.kill(pid, 'SIGKILL');
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/"msg":"cannot continue; exiting"/);
    } finally {
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 400_000);
});
