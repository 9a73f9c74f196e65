import { readFileSync } from 'node:fs';
import pg from 'pg';
import { publishCheckpoint } from '../../src/audit/checkpoint.job.ts';
import { sealAll } from '../../src/audit/sealer.ts';
import { createDb } from '../../src/lib/db.ts';
import { auditEnv, auth, sampleBody, seizureBody, superuserUrl, type Harness } from './harness.ts';

/** Seals what is committed, as the worker's sealer would (API-only harnesses have none). */
export const seal = (h: Harness) => sealAll(h.deps.db, h.deps.clock);

/** Seals, then signs a checkpoint, as the checkpoint job would. */
export const checkpoint = (h: Harness) => publishCheckpoint(h.deps);

/** The checkpoint file of the harness's database: the copy kept outside the database. */
export const checkpointLines = (h: Harness) =>
  readFileSync(auditEnv(h.databaseUrl).AUDIT_CHECKPOINT_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { number: number; treeSize: number; rootHash: string; note: string });

/** Some audited work: a seizure with `samples` samples, each with a custody hand-off. */
export async function someWork(h: Harness, token: string, samples = 2): Promise<string[]> {
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(token)).send(seizureBody())).body;
  const ids: string[] = [];
  for (let i = 0; i < samples; i++) {
    const s = (await h.http().post('/api/v1/samples').set(auth(token)).send(sampleBody(seizure.id))).body as { id: string };
    await h.http().post(`/api/v1/samples/${s.id}/custody`).set(auth(token)).send({ action: 'STORED', location: 'vault 2' }).expect(201);
    ids.push(s.id);
  }
  return ids;
}

/**
 * What an attacker with every database right does: runs `tamper` as the superuser with triggers and
 * foreign keys off (session_replication_role = replica), then throws away everything the sealer
 * derived — leaves, tree, heads, and the checkpoints kept in the database — and seals the altered
 * entries again from scratch, so every hash, chain and root in the database is consistent. Only
 * the checkpoint file and the signing key, which live outside the database, are out of reach.
 */
export async function rewriteHistory(h: Harness, tamper: (sql: (text: string, values?: unknown[]) => Promise<pg.QueryResult>) => Promise<unknown>): Promise<void> {
  const url = superuserUrl(h.databaseUrl);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await tamper((text, values) => client.query(text, values as unknown[]));
    for (const t of ['AuditLeaf', 'AuditNode', 'AuditTreeHead', 'AuditCheckpoint']) await client.query(`DELETE FROM "${t}"`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  const db = createDb(url, 2);
  try {
    await sealAll(db, h.deps.clock);
  } finally {
    await db.$disconnect();
  }
}

/** The entry ids in sealed order (what an attacker moves around). */
export async function sealedIds(h: Harness): Promise<number[]> {
  return (await h.sql<{ id: number }>('SELECT "entryId"::int AS id FROM "AuditLeaf" ORDER BY seq')).map((r) => r.id);
}
