/**
 * An installation made before database roles and the evidence ledger, upgraded in place: the last
 * commit without them runs `npm start` in demo mode (initdb with the superuser's fixed password,
 * migrations as that superuser, demo work with audit entries, Ctrl-C), then this commit starts on
 * the same data folder.
 *
 * Proves: the first start after the upgrade gives the superuser a random password, creates the
 * owner and service roles with random passwords kept beside the cluster (mode 0600), hands every
 * table to the owner, applies the ledger's migrations as the owner and serves as the service role;
 * the old entries verify under their old rule inside the new log; a Ctrl-C sent to the whole process
 * group (as a terminal does) still lets the service seal and sign a last checkpoint before it stops
 * PostgreSQL; and the auditor's `npm run audit:verify` then finds the log intact, every entry vouched
 * for by that checkpoint.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/entry/seed.ts';
import { clonePrivately, freePort, interrupt, REPO, runCommand, waitFor, type Run } from '../support/clone.ts';
import { queryOnce } from '../support/sql.ts';

/** main before the ledger was merged: one database role, a fixed superuser password, one audit lock. */
const BEFORE_LEDGER = 'f5d5f757942ac76cdfe30861254637057e0aaf1b';
const LEGACY_PASSWORD = 'fol-triage-local';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'fol-upgrade-'));
chmodSync(scratch, 0o755); // reachable by the postgres account when run as root: no relocation
const dataDir = path.join(scratch, 'data');
const cleanups: (() => void)[] = [() => rmSync(scratch, { recursive: true, force: true })];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
});

let port: number;
let current: Run | undefined;
let url: string;

/** This commit's `all` process in a process group of its own, logging JSON lines. */
function startCurrent(): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/entry/all.ts')], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port),
      PORT: '0', HOST: '127.0.0.1', SEED_DEMO: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json',
      // Only the checkpoint at start and the one at shutdown: the last one must be the shutdown's.
      AUDIT_CHECKPOINT_MS: '3600000',
      // The test's webhook receiver address is on loopback.
      WEBHOOK_ALLOW_PRIVATE: '1',
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

const logLines = (run: Run) => run.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string });

async function signIn(email: string): Promise<string> {
  const password = DEMO_USERS.find((u) => u.email === email)!.password;
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const api = async (token: string, route: string, body?: unknown) => {
  const res = await fetch(`${url}/api/v1${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const credentials = () => JSON.parse(readFileSync(path.join(dataDir, 'db-credentials.json'), 'utf8')) as { superuser: string; owner: string; service: string };
const as = (user: string, password: string) => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/fol`;


describe('upgrading an embedded installation made before database roles and the ledger', () => {
  beforeAll(async () => {
    port = Number(process.env.EMBEDDED_PG_PORT ?? (await freePort()));
    const old = clonePrivately(undefined, BEFORE_LEDGER);
    cleanups.push(() => rmSync(old.dir, { recursive: true, force: true }));
    const before = runCommand(['start'], { cwd: old.repo, home: old.home, env: { PORT: '0', HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(port), DATA_DIR: dataDir } });
    try {
      await waitFor(before, /fol-triage is running at (http:\/\/\S+)/, 300_000);
    } finally {
      await interrupt(before);
    }
    for (let i = 0; i < 100 && existsSync(path.join(dataDir, 'pg', 'postmaster.pid')); i++) await new Promise((r) => setTimeout(r, 100));
    // What the old code left: a cluster whose superuser has the password written in its source.
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'db-credentials.json'))).toBe(false);

    current = startCurrent();
    cleanups.push(() => void (current?.child.exitCode === null && process.kill(-current.child.pid!, 'SIGKILL')));
    [, url] = (await waitFor(current, /"url":"(http:\/\/[^"]+)"[^\n]*fol-triage all listening/, 240_000)) as [string, string];
  }, 600_000);

  it('when the new code starts on the old folder, then the roles exist with random passwords kept beside the cluster, mode 0600, and the fixed password no longer works', async () => {
    const file = path.join(dataDir, 'db-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const creds = credentials();
    for (const p of [creds.superuser, creds.owner, creds.service]) expect(p).toMatch(/^[\w-]{32}$/);
    await expect(queryOnce(as('postgres', LEGACY_PASSWORD), 'SELECT 1')).rejects.toThrow(/password authentication failed/);

    const roles = await queryOnce<{ rolname: string; rolsuper: boolean }>(as('postgres', creds.superuser), `SELECT rolname, rolsuper FROM pg_roles WHERE rolname IN ('fol_owner', 'fol_service') ORDER BY 1`);
    expect(roles).toEqual([{ rolname: 'fol_owner', rolsuper: false }, { rolname: 'fol_service', rolsuper: false }]);
    const [owners] = await queryOnce<{ others: string[]; db: string }>(as('postgres', creds.superuser), `
      SELECT ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ('public', 'bullmq') AND c.relkind = 'r' AND pg_get_userbyid(c.relowner) <> 'fol_owner') AS others,
             (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS db`);
    expect(owners).toEqual({ others: [], db: 'fol_owner' });
  });

  it('when it has started, then it migrated as the owner and serves as the service role, which cannot rewrite the audit trail', async () => {
    const applied = logLines(current!).find((l) => l.msg === 'migrations applied');
    // Exactly the migrations the old commit did not have, the roles and the ledger among them.
    const old = new Set(execFileSync('git', ['-C', REPO, 'ls-tree', '--name-only', `${BEFORE_LEDGER}:prisma/migrations`], { encoding: 'utf8' }).split('\n'));
    const added = readdirSync(path.join(REPO, 'prisma', 'migrations'), { withFileTypes: true }).filter((d) => d.isDirectory() && !old.has(d.name)).map((d) => d.name).sort();
    expect(added).toEqual(expect.arrayContaining(['20261130100000_service_role', '20261130100031_audit_ledger']));
    expect(applied?.applied).toEqual(added);
    const sessions = await queryOnce<{ usename: string }>(as('postgres', credentials().superuser), `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'fol' AND backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY 1`);
    expect(sessions).toEqual([{ usename: 'fol_service' }]);
    await expect(queryOnce(as('fol_service', credentials().service), `UPDATE "AuditEntry" SET action = action`)).rejects.toThrow(/permission denied for table "?AuditEntry"?/);
  });

  it('when the old audit trail is verified, then its entries are the first leaves of the log and still hold', async () => {
    const manager = await signIn('manager@fol.example');
    const { body } = await api(manager, '/audit/verify');
    expect(body).toMatchObject({ ok: true, problems: [] });
    expect(body.legacy).toBeGreaterThan(0);
  });

  it('when Ctrl-C reaches the whole process group, then the service seals and signs a last checkpoint before PostgreSQL stops, and the auditor\'s verifier finds every entry vouched for', async () => {
    const admin = await signIn('admin@fol.example');
    // Audited work after the checkpoint signed at start.
    expect((await api(admin, '/webhooks', { url: 'http://127.0.0.1:9/ledger', events: ['AUDIT_CHECKPOINT'], secret: 'upgrade-test-secret-0123' })).status).toBe(201);
    const manager = await signIn('manager@fol.example');
    const before = (await api(manager, '/audit/verify')).body as { entries: number; pending: number };

    expect(await interrupt(current!)).toBe(0);
    const log = logLines(current!);
    const shutdown = log.findIndex((l) => l.msg === 'shutting down');
    const signed = log.findIndex((l, i) => i > shutdown && l.msg === 'audit checkpoint signed');
    const stopped = log.findIndex((l) => l.msg === 'embedded PostgreSQL stopped');
    expect(shutdown).toBeGreaterThan(-1);
    expect(signed).toBeGreaterThan(shutdown);
    expect(stopped).toBeGreaterThan(signed);
    const total = log[signed]!.treeSize as number;
    expect(total).toBeGreaterThanOrEqual(before.entries + before.pending);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const audit = path.join(dataDir, 'audit');
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'audit:verify', '--', '--checkpoints', path.join(audit, 'checkpoints.jsonl'), '--public-key', path.join(audit, 'checkpoint-key.pem.pub')], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), npm_config_update_notifier: 'false' },
    });
    expect(stdout).toMatch(/Result\s+INTACT/);
    expect(stdout).toMatch(new RegExp(`vouches for ${total.toLocaleString('en-US')} entries`));
    expect(stdout).toMatch(new RegExp(`Audit log\\s+${total.toLocaleString('en-US')} entries sealed, 0 waiting`));
  }, 180_000);
});
