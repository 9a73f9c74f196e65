import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../src/audit/checkpoint-file.ts';
import { LedgerIntegrityError } from '../../src/audit/checkpoint.job.ts';
import { KeyFileError, loadOrCreateSigner } from '../../src/audit/checkpoint-key.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/audit/merkle.ts';
import { parseVkey } from '../../src/audit/signed-note.ts';
import { auditEnv, auth, startHarness, type Harness } from '../support/harness.ts';
import { checkpoint, checkpointLines, rewriteHistory, seal, someWork } from '../support/ledger.ts';

let h: Harness;
let manager: Awaited<ReturnType<Harness['user']>>;
let tech: Awaited<ReturnType<Harness['user']>>;
let samples: string[];
const get = (path: string) => h.http().get(`/api/v1${path}`).set(auth(manager.token));
const buf = (hex: string) => Buffer.from(hex, 'hex');

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  [tech, manager] = [await h.user('TECHNICIAN'), await h.user('MANAGER')];
  samples = await someWork(h, tech.token, 2);
});
afterAll(() => h?.stop());

describe('record chains', () => {
  it('when a sample is registered and handled, then its entries, custody included, form one chain numbered 1, 2, 3 with each linking to the one before', async () => {
    const unsealed = (await get(`/audit?entityType=Sample&entityId=${samples[0]}`)).body.items;
    expect(unsealed[0]).toMatchObject({ seq: null, hash: null, record: null });
    await seal(h);
    const chain = (await get(`/audit?recordType=Sample&recordId=${samples[0]}`)).body.items as { action: string; hash: string; prevHash: string; record: { n: number } }[];
    expect(chain.map((e) => e.action)).toEqual(['sample.register', 'custody.received', 'custody.stored']);
    expect(chain.map((e) => e.record.n)).toEqual([1, 2, 3]);
    expect(chain.map((e) => e.prevHash)).toEqual(['0'.repeat(64), chain[0]!.hash, chain[1]!.hash]);
  });
});

describe('signed checkpoints', () => {
  it('when a checkpoint is signed, then it is a C2SP checkpoint of the whole log, signed by the key whose public half is exported, stored, listed and in the file', async () => {
    const c = (await checkpoint(h))!;
    const env = auditEnv(h.databaseUrl);
    expect(statSync(env.AUDIT_KEY_FILE).mode & 0o777).toBe(0o600);
    const key = parseVkey(readFileSync(`${env.AUDIT_KEY_FILE}.pub`, 'utf8'));
    const n = (await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM "AuditEntry"'))[0]!.n;
    expect(parseCheckpoint(c.note, key)).toMatchObject({ number: 1, treeSize: n, origin: key.name });
    expect(checkpointLines(h).at(-1)).toMatchObject({ number: 1, treeSize: n, note: c.note });
    const listed = (await get('/audit/checkpoints')).body;
    expect(listed).toMatchObject({ items: [{ number: 1, treeSize: n, rootHash: c.rootHash, note: c.note }], nextCursor: null, publicKey: readFileSync(`${env.AUDIT_KEY_FILE}.pub`, 'utf8').trim() });
  });

  it('when nothing was sealed since the last checkpoint, then no new one is signed', async () => {
    expect(await checkpoint(h)).toBeNull();
    expect(checkpointLines(h)).toHaveLength(1);
  });

  it('when an entry is proved, then its inclusion proof leads to the signed root of the checkpoint covering it', async () => {
    const proof = (await get('/audit/proof?seq=3')).body;
    expect(proof).toMatchObject({ seq: 3, leafIndex: 2, treeSize: proof.checkpoint.treeSize, entry: { seq: 3 } });
    expect(proof.leafHash).toBe(hashLeaf(buf(proof.entry.hash)).toString('hex'));
    const signedRoot = parseCheckpoint(proof.checkpoint.note, parseVkey((await get('/audit/checkpoints')).body.publicKey))!.rootHash;
    expect(verifyInclusion(proof.leafIndex, proof.treeSize, buf(proof.leafHash), proof.proof.map(buf), buf(signedRoot))).toBe(true);
    expect(verifyInclusion(proof.leafIndex + 1, proof.treeSize, buf(proof.leafHash), proof.proof.map(buf), buf(signedRoot))).toBe(false);
  });

  it('when the log grows, then the next checkpoint is proved an extension of the previous one', async () => {
    await someWork(h, tech.token, 1);
    const [a, b] = [checkpointLines(h).at(-1)!, (await checkpoint(h))!];
    const c = (await get(`/audit/consistency?from=${a.treeSize}&to=${b.treeSize}`)).body;
    expect(c).toMatchObject({ fromRoot: a.rootHash, toRoot: b.rootHash });
    expect(verifyConsistency(a.treeSize, b.treeSize, c.proof.map(buf), buf(a.rootHash), buf(b.rootHash))).toBe(true);
  });

  it('when an entry is not sealed yet or the size cannot hold it, then the proof is 404 or 400', async () => {
    expect((await get('/audit/proof?seq=100000')).status).toBe(404);
    expect((await get('/audit/proof?seq=3&treeSize=2')).status).toBe(400);
    expect((await get('/audit/consistency?from=5&to=4')).status).toBe(400);
  });

  it('when the signing key file can be read by others, then it is refused', () => {
    const env = auditEnv(h.databaseUrl);
    chmodSync(env.AUDIT_KEY_FILE, 0o644);
    try {
      expect(() => loadOrCreateSigner(env.AUDIT_KEY_FILE, `${env.AUDIT_KEY_FILE}.pub`, 'x')).toThrow(KeyFileError);
    } finally {
      chmodSync(env.AUDIT_KEY_FILE, 0o600);
    }
  });
});

describe('the auditor\'s verifier (npm run audit:verify)', () => {
  const run = (args: string[]) =>
    promisify(execFile)('npm', ['run', '-s', 'audit:verify', '--', ...args], { env: { ...process.env, DATABASE_URL: h.databaseUrl, LOG_LEVEL: 'silent' } })
      .then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
  const files = () => ['--checkpoints', auditEnv(h.databaseUrl).AUDIT_CHECKPOINT_FILE, '--public-key', `${auditEnv(h.databaseUrl).AUDIT_KEY_FILE}.pub`];

  it('when the log is intact, then it says so and exits 0', async () => {
    const { code, out } = await run(files());
    expect(out).toMatch(/Result\s+INTACT/);
    expect(code).toBe(0);
  });

  it('when history was rewritten after the last checkpoint, then the checkpoint job refuses to sign and the verifier reports it and exits 2', async () => {
    const last = checkpointLines(h).at(-1)!;
    await rewriteHistory(h, (sql) => sql('DELETE FROM "AuditEntry" WHERE id = (SELECT max(id) FROM "AuditEntry")'));
    await someWork(h, tech.token, 1);
    await expect(checkpoint(h)).rejects.toThrow(LedgerIntegrityError);
    const { code, out } = await run(files());
    expect(out).toMatch(new RegExp(`checkpoint ${last.number} .* no longer matches the log`));
    expect(code).toBe(2);
  });
});
