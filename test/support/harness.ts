import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import request from 'supertest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { createSession, DEFAULT_SESSION_POLICY } from '../../src/auth/sessions.ts';
import { startRuntime, type ProcessKind, type Runtime } from '../../src/entry/runtime.ts';
import { loadConfig } from '../../src/lib/config.ts';
import { systemClock, type Clock } from '../../src/lib/clock.ts';
import type { Db } from '../../src/lib/db.ts';
import { OWNER_ROLE, urlAs } from '../../src/lib/db-roles.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { queryOnce } from './sql.ts';

export type TBackend = 'postgres' | 'redis';

const dbName = (url: string) => new URL(url).pathname.slice(1);

/** The same database as the superuser (tests read, inspect and tamper with it). */
export const superuserUrl = (url: string) => urlAs(inject('pgAdminUrl'), 'postgres', decodeURIComponent(new URL(inject('pgAdminUrl')).password), dbName(url));
/** The same database as the owner role or the service role. */
export const roleUrl = (url: string, role: 'owner' | 'service') => urlAs(inject('pgAdminUrl'), inject('pgRoles')[role].user, inject('pgRoles')[role].password, dbName(url));

/**
 * A fresh database copied from the migrated template: each test file owns its rows. Returns the
 * service role's URL, which is what the service gets. `empty`: no migration applied yet, for the
 * tests of migrating.
 */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await queryOnce(adminUrl, `CREATE DATABASE ${name}${opts.empty ? '' : ` TEMPLATE ${inject('templateDb')}`} OWNER ${OWNER_ROLE}`);
  return roleUrl(adminUrl.replace(/\/postgres$/, `/${name}`), 'service');
}

/** Drops a database createTestDatabase made (given any of its URLs), connections and all. */
export const dropTestDatabase = (url: string) => queryOnce(inject('pgAdminUrl'), `DROP DATABASE IF EXISTS ${dbName(url)} WITH (FORCE)`);

/**
 * The ledger's files outside the database, one set per test database (processes sharing a database
 * share them, as the workers of one deployment must share the signing key).
 */
export const auditEnv = (url: string) => {
  const dir = path.resolve('.data/test/audit', dbName(url));
  return { AUDIT_KEY_FILE: path.join(dir, 'checkpoint-key.pem'), AUDIT_CHECKPOINT_FILE: path.join(dir, 'checkpoints.jsonl'), AUDIT_SEAL_MS: '200' };
};

export type Harness = Runtime & {
  /** The service role's URL (what the service connects with). */
  databaseUrl: string;
  http: () => ReturnType<typeof request>;
  user(role: 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER' | 'ADMIN', password?: string): Promise<{ id: string; token: string; email: string; password: string }>;
  /** SQL as the superuser: to look at rows, or to tamper with them as an attacker with every right would. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
};

/** Starts a real process of the given kind (HTTP on an ephemeral loopback port) on a fresh database. */
export async function startHarness(opts: { kind?: ProcessKind; backend?: TBackend; env?: Record<string, string>; databaseUrl?: string; worker?: { lockDuration?: number; stalledInterval?: number }; clock?: Clock; log?: Logger } = {}): Promise<Harness> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ...(opts.backend === 'redis' ? { REDIS_URL: inject('redisUrl') } : {}),
    PORT: '0',
    SHUTDOWN_GRACE_MS: '3000',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    ...auditEnv(databaseUrl),
    ...opts.env,
  });
  const rt = await startRuntime({ kind: opts.kind ?? 'all', config, skipMigrations: true, log: opts.log ?? createLogger(config.LOG_LEVEL), worker: opts.worker, clock: opts.clock });
  const pool = new pg.Pool({ connectionString: superuserUrl(databaseUrl), max: 2 });
  let stopped: Promise<void> | undefined;
  return {
    ...rt,
    databaseUrl,
    http: () => request(rt.server!),
    async user(role, password = `pw-${randomUUID()}`) {
      return makeUser(rt.deps.db, role, password, rt.deps.clock);
    },
    async sql(text, values) {
      return (await pool.query(text, values as unknown[])).rows;
    },
    stop() {
      stopped ??= rt.stop().then(() => pool.end());
      return stopped;
    },
  };
}

export async function makeUser(db: Db, role: 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER' | 'ADMIN', password: string, clock: Clock = systemClock) {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@test.example`;
  const u = await db.user.create({ data: { email, name: `${role} ${email}`, role, passwordHash: await hashPassword(password) } });
  const token = await createSession(db, u.id, clock, DEFAULT_SESSION_POLICY);
  return { id: u.id, token, email, password };
}

/** Polls until `check` returns a truthy value (the queue works asynchronously), or fails with `what`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export const seizureBody = (over: Record<string, unknown> = {}) => ({
  portCode: '2604',
  seizedAt: new Date(Date.now() - 3_600_000).toISOString(),
  subjectInCustody: false,
  conveyance: 'PASSENGER_VEHICLE',
  ...over,
});

export const sampleBody = (seizureId: string, over: Record<string, unknown> = {}) => ({
  seizureId,
  form: 'POWDER',
  description: 'white powder, heat-sealed bag',
  grossWeightG: 120.5,
  netWeightG: 101.2,
  netWeightUncertaintyG: 0.3,
  sealNumber: 'CBP-0001',
  ...over,
});

export { DEFAULT_SESSION_POLICY };
