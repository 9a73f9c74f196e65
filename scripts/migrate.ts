/**
 * Prisma migrations without the native schema engine (which Prisma downloads from its own host at
 * run time): the same engine compiled to WebAssembly, published on npm.
 *
 *   tsx scripts/migrate.ts apply            apply pending migrations (deploy) as the role that owns
 *                                           the tables: DATABASE_OWNER_URL, else DATABASE_URL; then
 *                                           install BullMQ's PostgreSQL schema and re-grant the
 *                                           service role its rights
 *   tsx scripts/migrate.ts new <name>       write prisma/migrations/<ts>_<name>/migration.sql from the
 *                                           difference between schema.prisma as committed (HEAD) and
 *                                           the working copy; DATABASE_URL must reach a server
 *
 * MIGRATE_UNTIL=<migration folder> stops after that migration: builds an older schema, to test an
 * upgrade from it.
 *
 * The layout and the `_prisma_migrations` rows are the CLI's own, so a machine that has the native
 * engine can take over with `prisma migrate deploy`. The engine never closes its pool: exit when done.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { runMigrations as runQueueMigrations } from 'bullmq';
import pg from 'pg';
import { migrationsDigest } from '../src/lib/migrate.ts';

const root = path.resolve(import.meta.dirname, '..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const filters = { externalTables: [], externalEnums: [] };

function migrationList() {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
      .filter((name) => !process.env.MIGRATE_UNTIL || name <= process.env.MIGRATE_UNTIL)
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') } },
    })),
  };
}

/** The package's entry imports the .wasm file as an ES module, which Node 20 cannot: bind it by hand. */
async function loadSchemaEngine(): Promise<typeof bg.SchemaEngine> {
  const bgPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = bgPath.replace(/\.js$/, '.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': bg as never });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg.SchemaEngine;
}

/**
 * The pg adapter runs a migration script by splitting it on every ';' — including those inside
 * comments and dollar-quoted function bodies. PostgreSQL's simple query protocol takes the whole
 * script at once, as `psql` and the native engine do.
 */
function wholeScriptAdapter(url: string): PrismaPg {
  const factory = new PrismaPg({ connectionString: url });
  type TAdapter = Awaited<ReturnType<typeof factory.connect>> & { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
  const whole = (adapter: TAdapter) => {
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.client.query(script);
      } catch (err) {
        adapter.onError(err);
      }
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  factory.connect = async () => whole((await connect()) as TAdapter);
  // The shadow database (replaying migrations to diff them) goes through its own connection.
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connectToShadowDb = async () => whole((await connectToShadowDb()) as TAdapter);
  return factory;
}

async function engine(url: string) {
  const SchemaEngine = await loadSchemaEngine();
  const datamodel = readFileSync(schemaPath, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptAdapter(url));
  return SchemaEngine.new({ datamodels: [[schemaPath, datamodel]] }, () => {}, adapter);
}

async function main() {
  const [command, name] = process.argv.slice(2);
  const url = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (command === 'apply') {
    if (!url) throw new Error('DATABASE_OWNER_URL (or DATABASE_URL) is required');
    const e = await engine(url);
    const { appliedMigrationNames } = await e.applyMigrations({ migrationsList: migrationList(), filters });
    if (!process.env.MIGRATE_UNTIL) await afterMigrations(url);
    console.log(JSON.stringify({ applied: appliedMigrationNames }));
  } else if (command === 'new' && name && /^[a-z0-9_]+$/.test(name)) {
    // Replaying the migrations into a shadow database would need the engine to read a live schema,
    // which the WASM build cannot (it trips on PostgreSQL's "char" type). Instead: diff the schema as
    // last committed (which the migrations so far produce) against the working copy. No database.
    const committed = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' });
    await writeMigration(await engine(url ?? 'postgresql://127.0.0.1:1/none'), name, committed);
  } else {
    throw new Error('usage: migrate.ts apply | new <snake_case_name>');
  }
}

/**
 * Objects the owner creates outside Prisma's migrations: BullMQ's queue schema (the service role may
 * not create schemas, so it is installed here rather than at first connection), and the service
 * role's grants on every table, old and new (fol_grant_service_role, from the audit_ledger migration).
 */
async function afterMigrations(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runQueueMigrations(client, 'bullmq');
    const { rows } = await client.query(`SELECT to_regproc('fol_grant_service_role') IS NOT NULL AS present`);
    if (rows[0].present) await client.query('SELECT fol_grant_service_role()');
    // Last: what a start-up compares to skip this whole step when nothing changed (src/lib/migrate.ts).
    await client.query(`COMMENT ON TABLE _prisma_migrations IS ${client.escapeLiteral(migrationsDigest())}`);
  } finally {
    await client.end();
  }
}

async function writeMigration(e: Awaited<ReturnType<typeof engine>>, name: string, committedSchema: string) {
  {
    const from = { tag: 'schemaDatamodel' as const, files: [{ path: schemaPath, content: committedSchema }] };
    const result = await e.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters,
    });
    const sql = result.stdout ?? '';
    if (!sql.trim() || sql.includes('This is an empty migration')) {
      console.log('schema.prisma matches the migrations: nothing to write');
    } else {
      const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
      const dir = path.join(migrationsDir, `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'migration.sql'), sql);
      const lock = path.join(migrationsDir, 'migration_lock.toml');
      if (!existsSync(lock)) writeFileSync(lock, '# Please do not edit this file manually\nprovider = "postgresql"\n');
      console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
