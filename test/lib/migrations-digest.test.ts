import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationsDigest } from '../../src/lib/migrate.ts';
import { createTestDatabase, dropTestDatabase, roleUrl } from '../support/harness.ts';
import { queryOnce } from '../support/sql.ts';

/**
 * A start-up skips the schema engine when the database recorded this checkout's migrations digest at
 * its last full apply, and runs it when the digest differs. The engine's work after the migrations
 * (BullMQ's queue schema) shows which happened.
 */
let owner: string;

const query = <T extends pg.QueryResultRow>(sql: string) => queryOnce<T>(owner, sql);
const recorded = async (url = owner) => (await queryOnce<{ d: string | null }>(url, `SELECT obj_description('_prisma_migrations'::regclass, 'pg_class') AS d`))[0]!.d;
const queueSchema = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'bullmq'`))[0]!.n === 1;

beforeAll(async () => {
  owner = roleUrl(await createTestDatabase({ empty: true }), 'owner');
}, 60_000);

afterAll(() => dropTestDatabase(owner));

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
    const partial = roleUrl(await createTestDatabase({ empty: true }), 'owner');
    try {
      await applyMigrations(partial, { until: all[2]! });
      expect(await recorded(partial)).toBeNull();
      expect(await applyMigrations(partial)).toEqual(all.slice(3));
    } finally {
      await dropTestDatabase(partial);
    }
  }, 300_000);
});
