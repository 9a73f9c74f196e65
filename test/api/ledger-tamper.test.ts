import { afterEach, describe, expect, it } from 'vitest';
import { auth, startHarness, type Harness } from '../support/harness.ts';
import { checkpoint, rewriteHistory, seal, sealedIds, someWork } from '../support/ledger.ts';

/**
 * Tampering by someone with every database right who also recomputes every hash, chain, Merkle node
 * and tree head, and deletes the checkpoints stored in the database: only the signed checkpoint
 * file, kept outside the database, is out of reach. Each kind of tampering is found by
 * GET /audit/verify. Each test has a database of its own.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function signedLog() {
  h = await startHarness({ kind: 'api' });
  const tech = await h.user('TECHNICIAN');
  const manager = await h.user('MANAGER');
  await someWork(h, tech.token, 3);
  const first = (await checkpoint(h))!;
  await someWork(h, tech.token, 2);
  const second = (await checkpoint(h))!;
  const verify = async () => (await h!.http().get('/api/v1/audit/verify').set(auth(manager.token))).body;
  expect(await verify()).toMatchObject({ ok: true, problems: [] });
  return { first, second, verify, tech };
}

describe('tampering with a signed audit log, hashes recomputed', () => {
  it('when an entry is changed, then the checkpoint that covered it no longer matches', async () => {
    const { first, verify } = await signedLog();
    const victim = (await sealedIds(h!))[4]!;
    await rewriteHistory(h!, (sql) => sql(`UPDATE "AuditEntry" SET after = jsonb_set(after, '{location}', '"back room"') WHERE id = $1`, [victim]));
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'checkpoint', checkpoint: first.number })]);
    expect(report.reason).toMatch(new RegExp(`^checkpoint ${first.number} .* no longer matches the log`));
  });

  it('when an entry is deleted, then the checkpoint that covered it no longer matches and the later one lacks an entry', async () => {
    const { first, second, verify } = await signedLog();
    const victim = (await sealedIds(h!))[2]!;
    await rewriteHistory(h!, (sql) => sql('DELETE FROM "AuditEntry" WHERE id = $1', [victim]));
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'checkpoint', checkpoint: first.number }),
      expect.objectContaining({ kind: 'truncated', checkpoint: second.number, message: expect.stringMatching(new RegExp(`^1 entry after checkpoint ${second.number} is missing`)) }),
    ]);
  });

  it('when two entries swap places, then the checkpoint covering them no longer matches', async () => {
    const { first, verify } = await signedLog();
    const [a, b] = (await sealedIds(h!)).slice(2, 4) as [number, number];
    await rewriteHistory(h!, async (sql) => {
      await sql('UPDATE "AuditEntry" SET id = -1 WHERE id = $1', [a]);
      await sql('UPDATE "AuditEntry" SET id = $1 WHERE id = $2', [a, b]);
      await sql('UPDATE "AuditEntry" SET id = $1 WHERE id = -1', [b]);
    });
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint', checkpoint: first.number }));
  });

  it('when an entry is inserted in the past, then the checkpoint covering that time no longer matches', async () => {
    const { first, verify, tech } = await signedLog();
    const ids = await sealedIds(h!);
    const at = ids[3]!;
    await rewriteHistory(h!, async (sql) => {
      // Make room at the fourth place, then slip in a custody event dated an hour ago.
      await sql('UPDATE "AuditEntry" SET id = -(id + 1) WHERE id >= $1', [at]);
      await sql('UPDATE "AuditEntry" SET id = -id WHERE id < 0');
      await sql(`INSERT INTO "AuditEntry" (id, v, at, "actorId", "actorRole", action, "entityType", "entityId", after, txid)
                 SELECT $1::bigint, 2, now() - interval '1 hour', $2::uuid, 'TECHNICIAN', 'custody.returned', 'Sample', "entityId", '{"note":"returned to owner"}'::jsonb, txid
                 FROM "AuditEntry" WHERE id = $1::bigint + 1`, [at, tech.id]);
    });
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint', checkpoint: first.number }));
  });

  it('when the newest entries are cut off after the last checkpoint, then verify says how many are missing after which checkpoint', async () => {
    const { second, verify } = await signedLog();
    const cut = (await sealedIds(h!)).slice(-3);
    await rewriteHistory(h!, (sql) => sql('DELETE FROM "AuditEntry" WHERE id = ANY($1)', [cut]));
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBadSeq: second.treeSize - 2 });
    expect(report.reason).toMatch(new RegExp(`^3 entries after checkpoint ${second.number} are missing`));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'truncated', checkpoint: second.number })]);
  });
});

describe('tampering without recomputing', () => {
  it('when an entry is changed in place, then verify names that entry', async () => {
    const { verify } = await signedLog();
    await rewriteHistoryInPlace(`UPDATE "AuditEntry" SET action = 'custody.forged' WHERE id = (SELECT "entryId" FROM "AuditLeaf" WHERE seq = 6)`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 1, problems: expect.arrayContaining([expect.objectContaining({ kind: 'changed', seq: 6 })]) });
  });

  it('when an entry row is deleted and its leaf left, then verify names the missing entry', async () => {
    const { verify } = await signedLog();
    await rewriteHistoryInPlace(`DELETE FROM "AuditEntry" WHERE id = (SELECT "entryId" FROM "AuditLeaf" WHERE seq = 7)`);
    expect((await verify()).problems).toContainEqual(expect.objectContaining({ kind: 'missing', seq: 7 }));
  });

  it('when a checkpoint is forged in the database, then its signature is refused', async () => {
    const { verify } = await signedLog();
    await rewriteHistoryInPlace(`UPDATE "AuditCheckpoint" SET note = replace(note, E'\\ncheckpoint ', E'\\ncheckpoint 0') WHERE number = 1`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'signature', checkpoint: 1 }));
  });
});

/** One statement as the superuser with triggers off, nothing recomputed. */
async function rewriteHistoryInPlace(sql: string) {
  await h!.sql(`WITH t AS (SELECT set_config('session_replication_role', 'replica', true)) ${sql.replace(/\bWHERE\b/, 'WHERE (SELECT 1 FROM t) = 1 AND')}`);
}

it('when nothing was tampered with, then sealing twice changes nothing and verify is ok', async () => {
  h = await startHarness({ kind: 'api' });
  const tech = await h.user('TECHNICIAN');
  await someWork(h, tech.token, 1);
  await seal(h);
  const before = await sealedIds(h);
  await seal(h);
  expect(await sealedIds(h)).toEqual(before);
});
