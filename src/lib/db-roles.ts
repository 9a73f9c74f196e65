import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Db } from './db.ts';
import type { Logger } from './logger.ts';

/**
 * Least privilege (issue 14). Two roles instead of one: migrations run as the owner of the tables,
 * the service connects as a role that may only INSERT and SELECT evidence, cannot alter a table,
 * drop or disable a trigger, or set session_replication_role, and is not a superuser. The grants
 * themselves live in the migrations (fol_grant_service_role); this file creates the roles where the
 * application manages its own PostgreSQL (embedded mode, tests). docs/database-roles.sql is the same
 * for a lab's own server.
 */
export const OWNER_ROLE = 'fol_owner';
export const SERVICE_ROLE = 'fol_service';

/** Passwords of the embedded cluster's roles, random per installation. */
export type TDbCredentials = { superuser: string; owner: string; service: string };

const secret = () => randomBytes(24).toString('base64url');

/**
 * Reads the credentials file, or creates it with fresh random passwords, readable by its owner only
 * (mode 0600; a looser mode found on disk is tightened). Two processes racing to create it agree on
 * the first one written.
 */
export function loadOrCreateCredentials(file: string): TDbCredentials {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${JSON.stringify({ superuser: secret(), owner: secret(), service: secret() }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return JSON.parse(readFileSync(file, 'utf8')) as TDbCredentials;
}

/** The same server and database, as another role. */
export function urlAs(url: string, user: string, password: string, database?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The embedded cluster was first initialised with a password written in the source. When the
 * superuser still has it, it gets the installation's random one instead.
 */
export async function adoptSuperuserPassword(url: string, legacyPassword: string): Promise<void> {
  const wanted = decodeURIComponent(new URL(url).password);
  try {
    await withClient(url, async () => {});
  } catch (err) {
    if ((err as { code?: string }).code !== '28P01') throw err;
    await withClient(urlAs(url, decodeURIComponent(new URL(url).username), legacyPassword), (c) =>
      c.query(`ALTER ROLE CURRENT_USER PASSWORD ${c.escapeLiteral(wanted)}`));
  }
}

/** Hands every object of the application's schemas to the owner role (they were the superuser's before roles existed). */
const HAND_OVER = `
DO $$
DECLARE o record;
BEGIN
  FOR o IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('public', 'bullmq') AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> '${OWNER_ROLE}'::regrole
             AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO ${OWNER_ROLE}',
      CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, o.nspname, o.relname);
  END LOOP;
  -- Functions that belong to an extension (pg_trgm's) stay as the extension made them.
  FOR o IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname IN ('public', 'bullmq') AND p.proowner <> '${OWNER_ROLE}'::regrole
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', o.sig);
  END LOOP;
  FOR o IN SELECT t.oid::regtype AS typ FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname IN ('public', 'bullmq') AND t.typtype IN ('e', 'd') AND t.typowner <> '${OWNER_ROLE}'::regrole LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO ${OWNER_ROLE}', o.typ);
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'bullmq' AND nspowner <> '${OWNER_ROLE}'::regrole) THEN
    ALTER SCHEMA bullmq OWNER TO ${OWNER_ROLE};
  END IF;
END;
$$`;

/**
 * As the superuser: the owner and service roles exist (LOGIN, no other attribute) with the given
 * passwords, and `database` with everything in it belongs to the owner. Idempotent; run at every
 * start in embedded mode. Returns both roles' URLs for that database.
 */
export async function provisionRoles(superUrl: string, database: string, creds: TDbCredentials): Promise<{ ownerUrl: string; serviceUrl: string }> {
  await withClient(superUrl, async (c) => {
    for (const [role, password] of [[OWNER_ROLE, creds.owner], [SERVICE_ROLE, creds.service]] as const) {
      // CREATE ROLE has no IF NOT EXISTS; a concurrent start may still win the race, which is fine.
      await c.query(`DO $$ BEGIN CREATE ROLE ${role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await c.query(`ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${c.escapeLiteral(password)}`);
    }
    await c.query(`ALTER DATABASE ${c.escapeIdentifier(database)} OWNER TO ${OWNER_ROLE}`);
  });
  await withClient(urlAs(superUrl, decodeURIComponent(new URL(superUrl).username), decodeURIComponent(new URL(superUrl).password), database), (c) => c.query(HAND_OVER));
  return { ownerUrl: urlAs(superUrl, OWNER_ROLE, creds.owner, database), serviceUrl: urlAs(superUrl, SERVICE_ROLE, creds.service, database) };
}

/**
 * Whether the service's own connection could rewrite evidence: superuser, owner of the audit table, or
 * allowed to update or delete it. Then only the signed checkpoints protect history; say so loudly.
 */
export async function warnUnlessLeastPrivilege(db: Db, log: Logger): Promise<boolean> {
  const [row] = await db.$queryRaw<{ role: string; unsafe: boolean }[]>`
    SELECT current_user AS role,
           r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE') AS unsafe
    FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = '"AuditEntry"'::regclass`;
  if (row?.unsafe) log.warn({ role: row.role }, 'the service connects with rights to rewrite evidence: give it the service role (DATABASE_URL) and migrate with DATABASE_OWNER_URL');
  return !row?.unsafe;
}
