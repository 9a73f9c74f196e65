import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';

/** Compiled (dist/, production) the script is JavaScript run by plain node; from source it needs tsx. */
const COMPILED = import.meta.url.endsWith('.js');
const SCRIPT = path.resolve(import.meta.dirname, `../../scripts/migrate.${COMPILED ? 'js' : 'ts'}`);
const MIGRATIONS = path.resolve(import.meta.dirname, '../../prisma/migrations');

/**
 * The migrations not yet applied to the database at `url`, read with SELECT only: what a service
 * role without the owner's rights checks at start-up instead of migrating.
 */
export async function pendingMigrations(url: string): Promise<string[]> {
  const all = readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = (await client.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`)).rows[0].present as boolean;
    if (!exists) return all;
    const { rows } = await client.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    const applied = new Set(rows.map((r) => r.migration_name));
    return all.filter((m) => !applied.has(m));
  } finally {
    await client.end();
  }
}

/** The installed BullMQ's version: its queue schema is installed after the migrations. */
const bullmqVersion = (): string => (createRequire(import.meta.url)('bullmq/package.json') as { version: string }).version;

/**
 * A digest of everything a full `apply` installs: each migration's folder name and SQL, and the
 * BullMQ version. `apply` records it on the `_prisma_migrations` table (as its comment) when done;
 * a start-up that finds the same digest there has nothing to apply and skips the schema engine.
 */
export function migrationsDigest(): string {
  const hash = createHash('sha256').update(`bullmq ${bullmqVersion()}\n`);
  for (const name of readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    hash.update(`${name}\n`).update(readFileSync(path.join(MIGRATIONS, name, 'migration.sql'))).update('\n');
  }
  return `fol-triage migrations ${hash.digest('hex')}`;
}

/** Whether the database at `url` recorded `digest` after its last full `apply`. */
async function recordedDigestIs(url: string, digest: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ recorded: string | null }>(`SELECT obj_description(to_regclass('_prisma_migrations'), 'pg_class') AS recorded`);
    return rows[0]?.recorded === digest;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Applies pending migrations (all, or up to `until`) in a child process: the WebAssembly schema
 * engine keeps its pool open, so it must not live in the server process. The engine serialises
 * migrators with an advisory lock it waits 10 s for; the processes of a deployment starting together
 * (api × 2, worker × 2) may wait longer on a busy machine, so a lock timeout is tried again.
 * Returns at once when the database recorded this checkout's migrations digest (migrationsDigest).
 */
export async function applyMigrations(databaseUrl: string, opts: { until?: string; attempts?: number } = {}): Promise<string[]> {
  // Nothing changed since the last full apply on this database: no child process, no schema engine
  // (seconds at every start). `npm run db:migrate` always runs the engine.
  if (!opts.until && (await recordedDigestIs(databaseUrl, migrationsDigest()))) return [];
  const attempts = opts.attempts ?? 6;
  for (let i = 1; ; i++) {
    try {
      return await applyOnce(databaseUrl, opts.until);
    } catch (err) {
      if (i >= attempts || !/advisory lock/.test((err as Error).message)) throw err;
    }
  }
}

function applyOnce(databaseUrl: string, until: string | undefined): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(COMPILED ? [] : ['--import', 'tsx']), SCRIPT, 'apply'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_OWNER_URL: '', MIGRATE_UNTIL: until ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`migrations failed: ${err.trim() || out.trim()}`));
      try {
        resolve((JSON.parse(out.trim().split('\n').pop()!) as { applied: string[] }).applied);
      } catch {
        resolve([]);
      }
    });
  });
}
