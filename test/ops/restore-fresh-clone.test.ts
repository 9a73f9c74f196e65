/**
 * A lab's disk dies: `npm run backup -- --to DIR` was taken while the service ran (with a writer
 * busy and a sample half-way through the pipeline), then a fresh clone elsewhere runs
 * `npm run restore -- --from DIR` and `npm start`. The same records come back, the audit trail
 * verifies, and the half-done sample carries on to its alert.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relocatedDataDir } from '../../src/lib/postgres-host.ts';
import { clonePrivately, interrupt, REPO, runCommand, waitFor } from '../support/clone.ts';
import { EMBEDDED_PORT, freshDataDir, removeDataDir, startEmbeddedApp, type EmbeddedApp } from '../support/embedded-app.ts';
import { auth, eventually, sampleBody, seizureBody } from '../support/harness.ts';

const dataDir = freshDataDir('lab');
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'fol-backups-'));
const cleanups: (() => void)[] = [];
let lab: EmbeddedApp | undefined;

afterAll(async () => {
  await lab?.stop();
  for (const c of cleanups.reverse()) c();
  removeDataDir(dataDir);
  rmSync(backupDir, { recursive: true, force: true });
});

function runScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('a lab brought back from a backup on a fresh clone', () => {
  it('when the backup is restored in a fresh clone, then the records are the same, the audit trail verifies, and pending work resumes', async () => {
    lab = await startEmbeddedApp(dataDir);
    const tech = await lab.user('TECHNICIAN');
    const reviewer = await lab.user('TECHNICIAN');
    const manager = await lab.user('MANAGER');
    const agent = await lab.user('INVESTIGATOR');
    const http = lab.http;
    await http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
    const seizure = (await http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody()).expect(201)).body as { id: string };

    // One sample all the way to its case.
    const done = (await http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id)).expect(201)).body as { id: string };
    await eventually(async () => (await lab!.deps.db.sample.findUnique({ where: { id: done.id } }))?.status === 'QUEUED', 'QUEUED', 60_000);
    await http().post(`/api/v1/samples/${done.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    await eventually(async () => (await lab!.deps.db.classification.count({ where: { sampleId: done.id } })) > 0, 'classified', 60_000);
    await http().post(`/api/v1/samples/${done.id}/submit`).set(auth(tech.token)).expect(200);
    await http().post(`/api/v1/samples/${done.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: reviewer.password }).expect(200);
    await eventually(async () => (await lab!.deps.db.sample.findUnique({ where: { id: done.id } }))?.status === 'ROUTED', 'ROUTED', 60_000);
    const caseId = (await lab.deps.db.sample.findUnique({ where: { id: done.id } }))!.caseId;
    expect(caseId).not.toBeNull();

    // The workers stop; the API goes on: a sample registered and tested now waits in the outbox.
    await lab.stop();
    lab = await startEmbeddedApp(dataDir, {}, 'api');
    const pending = (await lab.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id)).expect(201)).body as { id: string };
    await lab.http().post(`/api/v1/samples/${pending.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);

    // A technician keeps registering while the backup runs.
    const acknowledged: { id: string; at: number }[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const res = await lab!.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', randomUUID()).send(sampleBody(seizure.id));
        if (res.status === 201) acknowledged.push({ id: (res.body as { id: string }).id, at: Date.now() });
      }
    })();
    await eventually(async () => acknowledged.length >= 3, 'writes under way');
    const backupStarted = Date.now();
    const backup = await runScript(['scripts/backup.ts', '--to', backupDir], { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(EMBEDDED_PORT), LOG_LEVEL: 'warn' });
    const backupMs = Date.now() - backupStarted;
    writing = false;
    await writer;
    expect(backup.code, backup.out).toBe(0);
    const run = JSON.parse(backup.out.slice(backup.out.indexOf('{'), backup.out.lastIndexOf('}') + 1)) as { status: string; path: string; bytes: number; auditEntries: number };
    expect(run.status).toBe('VERIFIED');
    const listed = (await lab.http().get('/api/v1/backups').set(auth(manager.token)).expect(200)).body as { items: { status: string; trigger: string }[] };
    expect(listed.items[0]).toMatchObject({ status: 'VERIFIED', trigger: 'MANUAL' });
    const before = await lab.deps.db.sample.count();
    await lab.stop();
    lab = undefined;
    // Everything acknowledged before the backup began is in it (later writes may or may not be).
    const mustHave = [done.id, pending.id, ...acknowledged.filter((a) => a.at < backupStarted).map((a) => a.id)];

    // Elsewhere: a fresh clone, the backup restored, the service started.
    const clone = clonePrivately();
    cleanups.push(() => rmSync(clone.dir, { recursive: true, force: true }));
    cleanups.push(() => rmSync(path.dirname(relocatedDataDir(path.join(clone.repo, '.data', 'pg'))), { recursive: true, force: true }));
    const env = { EMBEDDED_PG_PORT: String(EMBEDDED_PORT), LOG_LEVEL: 'warn' };
    const restoreStarted = Date.now();
    const restore = runCommand(['run', 'restore', '--', '--from', backupDir], { cwd: clone.repo, home: clone.home, env });
    const code = await restore.exited;
    const restoreMs = Date.now() - restoreStarted;
    expect(code, restore.output()).toBe(0);
    expect(restore.output()).toMatch(/restored \d+ samples and \d+ audit entries \(verified\)/);
    console.log(`[restore] backup ${(run.bytes / 1e6).toFixed(1)} MB in ${backupMs} ms (with verification); npm run restore in the clone ${restoreMs} ms; ${before} samples`);

    const start = runCommand(['start'], { cwd: clone.repo, home: clone.home, env: { ...env, SEED_DEMO: '0', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STALE_WORK_MS: '5000', SWEEP_INTERVAL_MS: '1000' } });
    try {
      const [, url] = await waitFor(start, /"url":"(http:\/\/[^"]+)"/, 240_000);
      const call = (p: string, token: string) => fetch(`${url}/api/v1${p}`, { headers: { Authorization: `Bearer ${token}` } });
      const login = async (u: { email: string; password: string }) =>
        ((await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: u.password }) })).json()) as { token: string }).token;
      const managerToken = await login(manager);
      const agentToken = await login(agent);

      for (const id of mustHave) expect((await call(`/samples/${id}`, managerToken)).status, id).toBe(200);
      const routed = (await (await call(`/samples/${done.id}`, managerToken)).json()) as { status: string; caseId: string };
      expect(routed).toMatchObject({ status: 'ROUTED', caseId });
      const verify = (await (await call('/audit/verify', managerToken)).json()) as { ok: boolean; entries: number; checkpoints: { checked: number; signaturesChecked: boolean } };
      expect(verify.ok).toBe(true);
      // The ledger came back with the data: the same signing key, and the checkpoints signed before
      // the backup (the worker's last one at its shutdown, at least) still match the restored log.
      const publicKey = (dir: string) => readFileSync(path.join(dir, 'audit', 'checkpoint-key.pem.pub'), 'utf8');
      expect(publicKey(path.join(clone.repo, '.data'))).toBe(publicKey(dataDir));
      expect(verify.checkpoints.signaturesChecked).toBe(true);
      expect(verify.checkpoints.checked).toBeGreaterThanOrEqual(1);
      expect(verify.entries).toBeGreaterThanOrEqual(run.auditEntries);
      const restoredEntry = (await (await call('/audit?entityType=Backup', managerToken)).json()) as { items: { action: string }[] };
      expect(restoredEntry.items.map((e) => e.action)).toContain('system.restored');

      // The sample that was half-way: triaged, classified, and its presumptive alert reaches the duty investigator.
      await eventually(async () => {
        const s = (await (await call(`/samples/${pending.id}`, managerToken)).json()) as { status: string };
        return s.status === 'IN_ANALYSIS';
      }, 'the pending sample resumed', 120_000);
      const alert = await eventually(async () => {
        const { items } = (await (await call('/notifications', agentToken)).json()) as { items: { type: string; sampleId: string }[] };
        return items.find((n) => n.type === 'PRESUMPTIVE_ALERT' && n.sampleId === pending.id);
      }, 'the presumptive alert for the pending sample', 120_000);
      expect(alert).toBeTruthy();
    } finally {
      await interrupt(start);
    }
  }, 900_000);
});
