import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, roleUrl, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/**
 * The service connects as the service role (DATABASE_URL). Someone holding those credentials — an
 * insider, or an attacker inside the application — tries every way around the append-only evidence
 * tables; the database refuses each one. The service itself still does its work with them.
 */
const EVIDENCE = [
  'AuditEntry', 'AuditLeaf', 'AuditNode', 'AuditTreeHead', 'AuditCheckpoint', 'CustodyEvent', 'Test', 'Classification', 'Review', 'SampleEvent', 'CaseEvent', 'WebhookAttempt',
  'Exhibit', 'Observable', 'Arrest', 'Operation', 'OperationSeizure', 'FileBlob', 'SampleFile', 'SpectralLibrary', 'SpectralRecord',
];
const A_COLUMN: Record<string, string> = { AuditLeaf: 'seq', AuditNode: 'hash', AuditTreeHead: 'rootHash', AuditCheckpoint: 'note', FileBlob: 'sha256', OperationSeizure: 'taggedAt' };

let h: Harness;
let service: pg.Client;
let sampleId: string;

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  const tech = await h.user('TECHNICIAN');
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
  sampleId = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body.id;
  service = new pg.Client({ connectionString: h.databaseUrl });
  await service.connect();
});
afterAll(async () => {
  await service?.end();
  await h?.stop();
});

/** Runs one statement as the service role; resolves to the error message, or null if it succeeded. */
const attempt = (sql: string) => service.query(sql).then(() => null, (err: Error & { code?: string }) => `${err.code}: ${err.message}`);

describe('the service role', () => {
  it('when it is inspected, then it is no superuser, cannot create roles or databases, bypass row security or replicate, and is not the owner', async () => {
    const { rows } = await service.query(`
      SELECT current_user AS role, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, pg_has_role(current_user, 'fol_owner', 'MEMBER') AS owner
      FROM pg_roles WHERE rolname = current_user`);
    expect(rows).toEqual([{ role: 'fol_service', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false, owner: false }]);
  });

  it('when it does its own work, then appending evidence and updating working tables succeed', async () => {
    expect(await attempt(`INSERT INTO "AuditEntry" (at, action, "entityType", "entityId", after) VALUES (now(), 'test.probe', 'Probe', 'p1', '{}')`)).toBeNull();
    expect(await attempt(`UPDATE "Sample" SET "updatedAt" = now() WHERE id = '${sampleId}'`)).toBeNull();
    expect(await attempt(`SELECT count(*) FROM "AuditLeaf"`)).toBeNull();
  });

  it('when its rights are listed, then the append-only tables are exactly the evidence tables, and on each it holds SELECT and INSERT and nothing else', async () => {
    const { rows } = await service.query<{ table: string; rights: string[] }>(`
      SELECT c.relname AS table,
             ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
                   WHERE has_table_privilege(current_user, c.oid, p) ORDER BY p) AS rights
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgfoid = 'fol_append_only'::regproc)
      ORDER BY 1`);
    expect(rows.map((r) => r.table)).toEqual([...EVIDENCE].sort());
    for (const r of rows) expect(r.rights, r.table).toEqual(['INSERT', 'SELECT']);
  });

  it.each(EVIDENCE)('when it tries to update, delete or truncate %s, then the database refuses', async (table) => {
    const column = A_COLUMN[table] ?? 'id';
    for (const sql of [`UPDATE "${table}" SET "${column}" = "${column}"`, `DELETE FROM "${table}"`, `TRUNCATE "${table}" CASCADE`]) {
      expect(await attempt(sql), sql).toMatch(/^42501: permission denied for table/);
    }
  });

  it.each([
    ['disable the append-only triggers', `ALTER TABLE "AuditEntry" DISABLE TRIGGER ALL`, /^42501: must be owner of table/],
    ['disable one trigger', `ALTER TABLE "CustodyEvent" DISABLE TRIGGER "CustodyEvent_append_only"`, /^42501: must be owner of table/],
    ['drop a trigger', `DROP TRIGGER "AuditEntry_append_only" ON "AuditEntry"`, /^42501: must be owner of (table|relation)/],
    ['replace the trigger function', `CREATE OR REPLACE FUNCTION fol_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`, /^42501: (must be owner of function|permission denied for schema public)/],
    ['turn triggers off for the session', `SET session_replication_role = replica`, /^42501: permission denied to set parameter "session_replication_role"/],
    ['turn them off through set_config', `SELECT set_config('session_replication_role', 'replica', false)`, /^42501: permission denied to set parameter/],
    ['turn them off for everyone', `ALTER SYSTEM SET session_replication_role = replica`, /^42501: permission denied to set parameter/],
    ['alter a table', `ALTER TABLE "AuditEntry" ADD COLUMN note text`, /^42501: must be owner of table/],
    ['drop a table', `DROP TABLE "AuditLeaf"`, /^42501: must be owner of table/],
    ['add a rewrite rule', `CREATE RULE hide AS ON INSERT TO "AuditEntry" DO INSTEAD NOTHING`, /^42501: must be owner of (table|relation)/],
    ['create a table of its own', `CREATE TABLE "Shadow" (id int)`, /^42501: permission denied for schema public/],
    ['create a function of its own', `CREATE FUNCTION shadow() RETURNS int LANGUAGE sql AS 'SELECT 1'`, /^42501: permission denied for schema public/],
    ['become the owner', `SET ROLE fol_owner`, /^42501: permission denied to set role/],
    ['become the superuser', `SET ROLE postgres`, /^42501: permission denied to set role/],
    ['make itself superuser', `ALTER ROLE fol_service SUPERUSER`, /^42501: permission denied to alter role/],
    ['read the server files', `SELECT pg_read_file('postgresql.conf')`, /^42501: permission denied for function pg_read_file/],
    ['run a program on the server', `COPY "AuditEntry" (action) FROM PROGRAM 'true'`, /^42501: permission denied to COPY (to or from|from or to) an external program/],
    ['install an extension', `CREATE EXTENSION pageinspect`, /^(42501: permission denied to create extension|58P01)/],
  ])('when it tries to %s, then the database refuses', async (_, sql, refusal) => {
    expect(await attempt(sql)).toMatch(refusal);
  });

  it('when it grants itself UPDATE on the audit trail, then it still has none', async () => {
    await service.query(`GRANT UPDATE, DELETE ON "AuditEntry" TO fol_service`).catch(() => {});
    const { rows } = await service.query(`SELECT has_table_privilege('"AuditEntry"', 'UPDATE') AS u, has_table_privilege('"AuditEntry"', 'DELETE') AS d`);
    expect(rows).toEqual([{ u: false, d: false }]);
  });
});

describe('the owner role', () => {
  it('when migrations ran as the owner, then it owns every table, is no superuser, and cannot turn triggers off session-wide', async () => {
    const owner = new pg.Client({ connectionString: roleUrl(h.databaseUrl, 'owner') });
    await owner.connect();
    try {
      const { rows } = await owner.query(`
        SELECT bool_and(pg_get_userbyid(c.relowner) = 'fol_owner') AS owns_all, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`);
      expect(rows).toEqual([{ owns_all: true, superuser: false }]);
      await expect(owner.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied to set parameter/);
    } finally {
      await owner.end();
    }
  });
});
