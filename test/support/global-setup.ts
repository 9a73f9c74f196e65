import 'vitest';
import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { StartupError } from '../../src/lib/config.ts';
import { OWNER_ROLE, provisionRoles, SERVICE_ROLE } from '../../src/lib/db-roles.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/embedded-postgres.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { applyMigrations } from '../../src/lib/migrate.ts';
import { ensureChromium } from './chromium.ts';
import { ensureRedis } from './redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** The owner and service roles (cluster-wide, so every database copied from the template has them). */
    pgRoles: { owner: { user: string; password: string }; service: { user: string; password: string } };
    templateDb: string;
    redisUrl: string;
    chromiumPath: string;
  }
}

const TEMPLATE = 'fol_template';

/**
 * One real PostgreSQL (embedded, its own data folder and port) and one real Redis for the whole run.
 * The template database belongs to the owner role, which migrates it once; each test file copies it
 * into its own database (grants included) and the service connects as the service role, as in
 * production. Tests read and tamper through the superuser.
 */
export default async function setup(project: TestProject) {
  const log = createLogger('warn');
  const port = Number(process.env.TEST_PG_PORT ?? 54329);
  let server: EmbeddedDatabase;
  try {
    server = await startEmbeddedPostgres({ dataDir: '.data/test', port, database: 'postgres', log, portSetting: 'TEST_PG_PORT' });
  } catch (err) {
    // The same one sentence `npm start` prints, not a stack trace from inside the test runner.
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`\n[test setup] the test database could not start: ${err.message}.\n\n`);
    process.exit(1);
  }
  const adminUrl = server.url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' OR datname = $1`, [TEMPLATE]);
  for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const { ownerUrl } = await provisionRoles(adminUrl, TEMPLATE, server.credentials);
  await applyMigrations(ownerUrl);
  rmSync('.data/test/audit', { recursive: true, force: true });

  const redis = await ensureRedis(Number(process.env.TEST_REDIS_PORT ?? 6390));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgRoles', { owner: { user: OWNER_ROLE, password: server.credentials.owner }, service: { user: SERVICE_ROLE, password: server.credentials.service } });
  project.provide('templateDb', TEMPLATE);
  project.provide('redisUrl', redis.url);
  project.provide('chromiumPath', ensureChromium());
  return async () => {
    redis.stop();
    await server.stop();
  };
}
