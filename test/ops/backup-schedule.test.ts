import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSums } from '../../src/backups/manifest.ts';
import { auth, eventually, seizureBody } from '../support/harness.ts';
import { freshDataDir, removeDataDir, startEmbeddedApp, type EmbeddedApp } from '../support/embedded-app.ts';

const dataDir = freshDataDir('backups');
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'fol-backups-'));
let app: EmbeddedApp;

beforeAll(async () => {
  // A backup every 9 seconds (each takes longer on a busy machine: they queue up), the last one kept.
  app = await startEmbeddedApp(dataDir, { BACKUP_DIR: backupDir, BACKUP_EVERY_HOURS: String(9 / 3600), BACKUP_KEEP: '1' });
});

afterAll(async () => {
  await app?.stop();
  removeDataDir(dataDir);
  rmSync(backupDir, { recursive: true, force: true });
});

describe('scheduled backups', () => {
  it('when backups are scheduled, then each one is verified by restoring it, recorded, served to admins and managers, and only the last BACKUP_KEEP are kept', async () => {
    const manager = await app.user('MANAGER');
    const admin = await app.user('ADMIN');
    const tech = await app.user('TECHNICIAN');
    // Something in the audit trail for the restored copies to verify.
    await app.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody()).expect(201);
    const since = new Date();
    const rows = await eventually(async () => {
      const r = await app.deps.db.backup.findMany({ where: { trigger: 'SCHEDULE', startedAt: { gt: since } }, orderBy: { startedAt: 'asc' } });
      return r.length >= 2 ? r : null;
    }, 'two scheduled backups', 240_000);
    expect(rows.map((r) => [r.status, r.error])).toEqual(rows.map(() => ['VERIFIED', null]));
    expect(rows.every((r) => (r.auditEntries ?? 0) >= 1 && r.verifyMs !== null && Number(r.bytes) > 0)).toBe(true);
    await eventually(async () => readdirSync(backupDir).filter((n) => n.startsWith('fol-backup-')).length === 1, 'older backups pruned', 60_000);
    for (const name of readdirSync(backupDir).filter((n) => n.startsWith('fol-backup-'))) await checkSums(path.join(backupDir, name));

    const res = await app.http().get('/api/v1/backups').set(auth(manager.token)).expect(200);
    expect(res.body.schedule).toMatchObject({ dir: backupDir, keep: 1 });
    expect(res.body.items[0]).toMatchObject({ status: 'VERIFIED', trigger: 'SCHEDULE' });
    expect(typeof res.body.items[0].bytes).toBe('number');
    await app.http().get('/api/v1/backups').set(auth(admin.token)).expect(200);
    await app.http().get('/api/v1/backups').set(auth(tech.token)).expect(403);
  }, 400_000);
});
