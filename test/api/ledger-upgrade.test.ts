import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyEntryHash, GENESIS_HASH } from '../../src/audit/entry-hash.ts';
import { canonicalJson } from '../../src/audit/canonical.ts';
import { hashLeaf, verifyInclusion } from '../../src/audit/merkle.ts';
import { applyMigrations } from '../../src/lib/migrate.ts';
import { auth, createTestDatabase, roleUrl, startHarness, superuserUrl, type Harness } from '../support/harness.ts';
import { checkpoint, seal, someWork } from '../support/ledger.ts';

/**
 * A database from before the ledger (one hash chain, one lock) with entries written the old way is
 * upgraded: the old entries keep every stored value, become the first leaves of the log in their old
 * order, still verify under their old rule, and new entries follow them under the new one.
 */
const LAST_BEFORE_LEDGER = '20261130000951_sample_files_spectral_libraries';
let h: Harness;
let legacy: { seq: number; hash: string; prevHash: string }[] = [];

beforeAll(async () => {
  const service = await createTestDatabase({ empty: true });
  await applyMigrations(roleUrl(service, 'owner'), { until: LAST_BEFORE_LEDGER });

  // Five entries as the old appendAudit wrote them: seq 1…5, each hash over the previous one.
  const old = new pg.Client({ connectionString: roleUrl(service, 'owner') });
  await old.connect();
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= 5; seq++) {
    const e = { seq: BigInt(seq), at: new Date(Date.UTC(2026, 10, 1, 9, seq)), actorId: null, actorRole: null, action: 'seizure.create', entityType: 'Seizure', entityId: `old-${seq}`, before: null, after: { seizureNumber: `SZ-OLD-${seq}`, weights: [1.5, seq] } };
    const hash = legacyEntryHash(prevHash, e);
    await old.query(`INSERT INTO "AuditEntry" (seq, at, "actorId", "actorRole", action, "entityType", "entityId", before, after, "prevHash", hash)
                     VALUES ($1, $2, NULL, NULL, $3, $4, $5, 'null'::jsonb, $6::jsonb, $7, $8)`, [seq, e.at, e.action, e.entityType, e.entityId, canonicalJson(e.after), prevHash, hash]);
    legacy.push({ seq, hash, prevHash });
    prevHash = hash;
  }
  await old.end();

  // The ledger's two migrations come next (later ones, such as the backup record, follow them).
  expect((await applyMigrations(roleUrl(service, 'owner'))).slice(0, 2)).toEqual(['20261130100000_service_role', '20261130100031_audit_ledger']);
  h = await startHarness({ kind: 'api', databaseUrl: service });
});
afterAll(() => h?.stop());

describe('upgrading an audit trail written before the ledger', () => {
  it('when the upgrade has run, then the old entries are the first five leaves, unchanged, with their old hashes and links', async () => {
    const manager = await h.user('MANAGER');
    const items = (await h.http().get('/api/v1/audit?limit=5').set(auth(manager.token))).body.items;
    expect(items.map((e: { seq: number; hash: string; prevHash: string; record: unknown }) => ({ seq: e.seq, hash: e.hash, prevHash: e.prevHash }))).toEqual(legacy);
    expect(items.every((e: { record: unknown }) => e.record === null)).toBe(true);
  });

  it('when new work follows and a checkpoint is signed, then the whole log verifies and an old entry is proved under the signed root', async () => {
    const [tech, manager] = [await h.user('TECHNICIAN'), await h.user('MANAGER')];
    await someWork(h, tech.token, 1);
    await seal(h);
    const c = (await checkpoint(h))!;
    const verify = (await h.http().get('/api/v1/audit/verify').set(auth(manager.token))).body;
    expect(verify).toMatchObject({ ok: true, legacy: 5, entries: c.treeSize, problems: [] });
    expect(c.treeSize).toBeGreaterThan(5);
    const proof = (await h.http().get('/api/v1/audit/proof?seq=2').set(auth(manager.token))).body;
    expect(proof.leafHash).toBe(hashLeaf(Buffer.from(legacy[1]!.hash, 'hex')).toString('hex'));
    expect(verifyInclusion(1, c.treeSize, Buffer.from(proof.leafHash, 'hex'), proof.proof.map((p: string) => Buffer.from(p, 'hex')), Buffer.from(c.rootHash, 'hex'))).toBe(true);
  });

  it('when an old entry is changed afterwards, then its old rule still catches it, by number', async () => {
    const manager = await h.user('MANAGER');
    const su = new pg.Client({ connectionString: superuserUrl(h.databaseUrl) });
    await su.connect();
    await su.query(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE "AuditEntry" SET "entityId" = 'old-x' WHERE id = 3; COMMIT`);
    await su.end();
    const verify = (await h.http().get('/api/v1/audit/verify').set(auth(manager.token))).body;
    expect(verify).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(verify.problems).toContainEqual(expect.objectContaining({ kind: 'changed', seq: 3 }));
  });
});
