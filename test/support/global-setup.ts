import 'vitest';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { StartupError } from '../../src/lib/config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/embedded-postgres.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { applyMigrations } from '../../src/lib/migrate.ts';
import { ensureChromium } from './chromium.ts';
import { ensureRedis } from './redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
    redisUrl: string;
    chromiumPath: string;
  }
}

const TEMPLATE = 'fol_template';

/**
 * One real PostgreSQL (embedded, its own data folder and port) and one real Redis for the whole run.
 * Migrations are applied once to a template database; each test file copies it into its own.
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
  await applyMigrations(adminUrl.replace(/\/postgres$/, `/${TEMPLATE}`));

  const redis = await ensureRedis(Number(process.env.TEST_REDIS_PORT ?? 6390));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE);
  project.provide('redisUrl', redis.url);
  project.provide('chromiumPath', ensureChromium());
  return async () => {
    redis.stop();
    await server.stop();
  };
}
