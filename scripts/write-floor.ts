/**
 * The write floor of bench:pipeline: what the database itself needs for the writes a run made.
 *
 * `readStats` snapshots PostgreSQL's own counters (pg_stat_database, pg_stat_user_tables, the
 * transaction id counter, pg_stat_statements when loaded); the difference of two snapshots is what
 * a run wrote. `replayFloor` writes the same rows again with plain SQL — the same number of writing
 * transactions and of inserted, updated and deleted rows per sample, per table, at the same
 * concurrency, no queue and no HTTP — and times it.
 *
 * The replay writes into copies of the written tables in a schema of its own (same columns, types,
 * defaults and indexes; the rows the run wrote, column for column), so the service's rows are left
 * alone. Unique indexes are copied as plain ones (a table whose rows the run deleted again may have
 * fewer rows left than it inserted; those are written twice), and foreign keys and triggers are not
 * copied: each makes the floor cheaper than the service's own writes, so the yardstick is strict.
 */
import pg from 'pg';
import { inFlight } from './bench-support.ts';

export type TTableCounts = { ins: number; upd: number; hot: number; del: number };
export type TStats = {
  /** The cluster's transaction id counter: every transaction that wrote something took one. */
  xid: number;
  commits: number;
  rollbacks: number;
  tables: Map<string, TTableCounts>;
  /** Statements executed (pg_stat_statements calls), or null when the extension is not loaded. */
  statements: number | null;
};

const key = (schema: string, rel: string) => `${schema}.${rel}`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
const qualified = (k: string) => {
  const dot = k.indexOf('.');
  return `${ident(k.slice(0, dot))}.${ident(k.slice(dot + 1))}`;
};

/** Loads pg_stat_statements into the cluster at its next start, unless it already is. Returns true when a restart is needed. */
export async function wantStatements(adminUrl: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'`);
    if (String(rows[0]?.setting ?? '').includes('pg_stat_statements')) return false;
    await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
    return true;
  } finally {
    await c.end();
  }
}

/** True when pg_stat_statements answers in this database (it is created here when the library is loaded). */
export async function enableStatements(sql: pg.Pool): Promise<boolean> {
  try {
    await sql.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await sql.query('SELECT pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  }
}

/**
 * The counters now. Backends send their table counters to the shared statistics at most once a
 * second and idle ones within ten: take a snapshot once the writers have ended or been idle that long.
 * `exclude` leaves statements matching it out of the statement count (the benchmark driver's own).
 */
export async function readStats(url: string, statements: boolean, exclude = '%AS ok FROM "Sample"%'): Promise<TStats> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const db = (await c.query(`SELECT xact_commit::bigint AS commits, xact_rollback::bigint AS rollbacks FROM pg_stat_database WHERE datname = current_database()`)).rows[0];
    const xid = Number((await c.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`)).rows[0].x);
    const tables = new Map<string, TTableCounts>();
    for (const r of (await c.query(`SELECT schemaname, relname, n_tup_ins::bigint AS ins, n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot, n_tup_del::bigint AS del FROM pg_stat_user_tables`)).rows) {
      tables.set(key(r.schemaname, r.relname), { ins: Number(r.ins), upd: Number(r.upd), hot: Number(r.hot), del: Number(r.del) });
    }
    const stmt = statements
      ? Number((await c.query(`SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE $1`, [exclude])).rows[0].n)
      : null;
    return { xid, commits: Number(db.commits), rollbacks: Number(db.rollbacks), tables, statements: stmt };
  } finally {
    await c.end();
  }
}

export type TDelta = { writeXacts: number; commits: number; rollbacks: number; statements: number | null; tables: Map<string, TTableCounts> };

export function delta(a: TStats, b: TStats): TDelta {
  const tables = new Map<string, TTableCounts>();
  for (const [k, v] of b.tables) {
    const o = a.tables.get(k) ?? { ins: 0, upd: 0, hot: 0, del: 0 };
    const d = { ins: v.ins - o.ins, upd: v.upd - o.upd, hot: v.hot - o.hot, del: v.del - o.del };
    if (d.ins || d.upd || d.del) tables.set(k, d);
  }
  return {
    // The snapshot itself takes no transaction id, so the counter moved only for writers.
    writeXacts: b.xid - a.xid,
    commits: b.commits - a.commits,
    rollbacks: b.rollbacks - a.rollbacks,
    statements: a.statements === null || b.statements === null ? null : b.statements - a.statements,
    tables,
  };
}

/** The top statements by total time since the last reset (the driver's own excluded). */
export async function topStatements(url: string, limit = 12, exclude = '%AS ok FROM "Sample"%', by: 'total_exec_time' | 'calls' = 'total_exec_time') {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT calls::bigint AS calls, total_exec_time AS ms, rows::bigint AS rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE $1
       ORDER BY ${by} DESC LIMIT $2`, [exclude, limit]);
    const total = Number((await c.query(`SELECT coalesce(sum(total_exec_time), 0) AS ms FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE $1`, [exclude])).rows[0].ms);
    return { total, rows: rows.map((r) => ({ calls: Number(r.calls), ms: Number(r.ms), rows: Number(r.rows), query: String(r.query) })) };
  } finally {
    await c.end();
  }
}

/** An even split of `total` over `n` parts: part `i`'s share (whole numbers that add up to `total`). */
const share = (total: number, n: number, i: number) => Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n);

type TOp = { kind: 'ins' | 'upd' | 'del'; table: string };

/**
 * Replays `d` as `samples` units of work with `concurrency` in flight, and returns the seconds it took.
 * Each unit runs its share of the writing transactions one after another, each BEGIN … COMMIT
 * holding its share of the row writes: inserts of the run's own rows, then updates and deletes of
 * rows this unit inserted (or, for a table the run only updated, of rows copied in beforehand).
 */
export async function replayFloor(url: string, d: TDelta, samples: number, concurrency: number): Promise<{ seconds: number; xacts: number; rows: number }> {
  const schema = `floor_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const copyOf = (t: string) => `${ident(schema)}.${ident(t.replace('.', '__'))}`;
  const source = new Map<string, string[]>();
  // The column an update sets to itself: a new row version, as any update writes.
  const columns = new Map<string, string>();
  const col = (t: string) => columns.get(t)!;
  try {
    await admin.query(`CREATE SCHEMA ${ident(schema)}`);
    for (const [t, c] of d.tables) {
      await admin.query(`CREATE TABLE ${copyOf(t)} (LIKE ${qualified(t)} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE)`);
      const [s, rel] = [t.slice(0, t.indexOf('.')), t.slice(t.indexOf('.') + 1)];
      const first = (await admin.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position LIMIT 1`, [s, rel])).rows[0];
      columns.set(t, ident(String(first.column_name)));
      for (const { indexdef } of (await admin.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`, [s, rel])).rows) {
        const def = String(indexdef).replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, `CREATE INDEX ON ${copyOf(t)} `);
        await admin.query(def);
      }
      // The rows to write: the run's own (in a fresh database the written tables hold little else), cycled when deletes left fewer.
      const want = Math.max(c.ins, c.upd || c.del ? 200 : 0);
      const rows = (await admin.query(`SELECT row_to_json(t)::text AS j FROM ${qualified(t)} t LIMIT $1`, [want])).rows.map((r) => r.j as string);
      source.set(t, rows);
      // Updates or deletes with no inserts to act on: copy some rows in first (not counted).
      if ((c.upd || c.del) && rows.length) {
        await admin.query(`INSERT INTO ${copyOf(t)} SELECT * FROM json_populate_recordset(NULL::${copyOf(t)}, $1::json)`, [`[${rows.slice(0, 200).join(',')}]`]);
      }
    }
    await admin.query(`ANALYZE`);
  } finally {
    await admin.end();
  }

  const tables = [...d.tables.entries()];
  const plan = (i: number): TOp[][] => {
    const ops: TOp[] = [];
    for (const kind of ['ins', 'upd', 'del'] as const) {
      for (const [t, c] of tables) for (let k = share(c[kind], samples, i); k > 0; k--) ops.push({ kind, table: t });
    }
    const n = Math.max(1, share(d.writeXacts, samples, i));
    return Array.from({ length: n }, (_, x) => ops.slice(Math.floor((x * ops.length) / n), Math.floor(((x + 1) * ops.length) / n)));
  };
  const plans = Array.from({ length: samples }, (_, i) => plan(i));
  const cursor = new Map<string, number>();
  const nextRow = (t: string) => {
    const rows = source.get(t)!;
    const at = cursor.get(t) ?? 0;
    cursor.set(t, at + 1);
    return rows[at % rows.length]!;
  };

  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  let xacts = 0;
  let rowsWritten = 0;
  const started = performance.now();
  await inFlight(plans, concurrency, async (xactsOfSample) => {
    const client = await pool.connect();
    const mine = new Map<string, string[]>();
    try {
      for (const ops of xactsOfSample) {
        await client.query('BEGIN');
        for (const op of ops) {
          const target = copyOf(op.table);
          const own = mine.get(op.table) ?? [];
          if (op.kind === 'ins') {
            const r = await client.query(`INSERT INTO ${target} SELECT * FROM json_populate_record(NULL::${target}, $1::json) RETURNING ctid::text AS t`, [nextRow(op.table)]);
            own.push(r.rows[0].t);
            mine.set(op.table, own);
          } else if (op.kind === 'upd') {
            if (own.length) {
              const at = rowsWritten % own.length;
              const r = await client.query(`UPDATE ${target} t SET ${col(op.table)} = t.${col(op.table)} WHERE ctid = $1::tid RETURNING ctid::text AS t`, [own[at]]);
              if (r.rows[0]) own[at] = r.rows[0].t;
            } else {
              await client.query(`UPDATE ${target} t SET ${col(op.table)} = t.${col(op.table)} WHERE ctid = (SELECT ctid FROM ${target} LIMIT 1 FOR UPDATE SKIP LOCKED)`);
            }
          } else if (own.length) {
            await client.query(`DELETE FROM ${target} WHERE ctid = $1::tid`, [own.shift()]);
          } else {
            await client.query(`DELETE FROM ${target} WHERE ctid = (SELECT ctid FROM ${target} LIMIT 1 FOR UPDATE SKIP LOCKED)`);
          }
          rowsWritten++;
        }
        await client.query('COMMIT');
        xacts++;
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  const drop = new pg.Client({ connectionString: url });
  await drop.connect();
  await drop.query(`DROP SCHEMA ${ident(schema)} CASCADE`);
  await drop.end();
  return { seconds, xacts, rows: rowsWritten };
}
