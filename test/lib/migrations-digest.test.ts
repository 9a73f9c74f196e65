import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OWNER_ROLE } from '../../src/lib/db-roles.ts';
import { applyMigrations, migrationsDigest } from '../../src/lib/migrate.ts';
import { roleUrl } from '../support/harness.ts';

/**
 * A start-up skips the schema engine when the database recorded this checkout's migrations digest at
 * its last full apply, and runs it when the digest differs. The engine's work after the migrations
 * (BullMQ's queue schema) shows which happened.
 */
let owner: string;
let name: string;

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: owner });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}
const recorded = async () => (await query<{ d: string | null }>(`SELECT obj_description('_prisma_migrations'::regclass, 'pg_class') AS d`))[0]!.d;
const queueSchema = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'bullmq'`))[0]!.n === 1;

beforeAll(async () => {
  name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
  await admin.end();
  owner = roleUrl(inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`), 'owner');
}, 60_000);

afterAll(async () => {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe('the migrations digest', () => {
  it('when a database is migrated in full, then every migration is applied and the digest is recorded', async () => {
    const applied = await applyMigrations(owner);

    expect(applied.length).toBeGreaterThan(10);
    expect(await recorded()).toBe(migrationsDigest());
    expect(await queueSchema()).toBe(true);
  }, 180_000);

  it('when the recorded digest matches, then the engine does not run (what it installs after the migrations is not put back)', async () => {
    await query('DROP SCHEMA bullmq CASCADE');

    expect(await applyMigrations(owner)).toEqual([]);
    expect(await queueSchema()).toBe(false);
  }, 180_000);

  it('when the recorded digest differs, then the engine runs and records the current one', async () => {
    await query(`COMMENT ON TABLE _prisma_migrations IS 'fol-triage migrations of another checkout'`);

    expect(await applyMigrations(owner)).toEqual([]);
    expect(await queueSchema()).toBe(true);
    expect(await recorded()).toBe(migrationsDigest());
  }, 180_000);

  it('when only the migrations up to one are applied, then no digest is recorded and the next full apply runs the rest', async () => {
    const all = (await query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).map((r) => r.migration_name);
    const fresh = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${fresh} OWNER ${OWNER_ROLE}`);
    await admin.end();
    const partial = roleUrl(inject('pgAdminUrl').replace(/\/postgres$/, `/${fresh}`), 'owner');
    try {
      await applyMigrations(partial, { until: all[2]! });
      const c = new pg.Client({ connectionString: partial });
      await c.connect();
      const before = (await c.query(`SELECT obj_description('_prisma_migrations'::regclass, 'pg_class') AS d`)).rows[0].d as string | null;
      await c.end();

      expect(before).toBeNull();
      expect(await applyMigrations(partial)).toEqual(all.slice(3));
    } finally {
      const a = new pg.Client({ connectionString: inject('pgAdminUrl') });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
      await a.end();
    }
  }, 300_000);
});
