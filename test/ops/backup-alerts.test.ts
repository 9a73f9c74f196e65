import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOverdue } from '../../src/backups/backup.job.ts';
import { runBackup } from '../../src/backups/backup.usecases.ts';
import { freshDataDir, removeDataDir, startEmbeddedApp, type EmbeddedApp } from '../support/embedded-app.ts';

const dataDir = freshDataDir('backup-alerts');
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'fol-backups-'));
let app: EmbeddedApp;

beforeAll(async () => {
  // No schedule: the tests drive the backup and the overdue check themselves.
  app = await startEmbeddedApp(dataDir);
});

afterAll(async () => {
  await app?.stop();
  removeDataDir(dataDir);
  rmSync(backupDir, { recursive: true, force: true });
});

describe('backup alerts', () => {
  it('when a backup cannot be written, then it is recorded as FAILED and every manager is alerted', async () => {
    const manager = await app.user('MANAGER');
    const blocked = path.join(backupDir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the backup folder should be');
    const run = await runBackup(app.deps, app.embedded!, { to: blocked, dataDirSetting: dataDir, trigger: 'MANUAL' });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^backup failed: /);
    expect(await app.deps.db.backup.findUnique({ where: { id: run.id! } })).toMatchObject({ status: 'FAILED', trigger: 'MANUAL' });
    const alerts = await app.deps.db.notification.findMany({ where: { recipientId: manager.id, type: 'BACKUP_FAILED' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toMatch(/^Backup failed: backup failed: /);
  });

  it('when no verified backup finished for one and a half periods, then the managers are alerted once', async () => {
    const manager = await app.user('MANAGER');
    const verified = await runBackup(app.deps, app.embedded!, { to: backupDir, dataDirSetting: dataDir, trigger: 'MANUAL' });
    expect(verified).toMatchObject({ status: 'VERIFIED', error: null });
    const last = await app.deps.db.backup.findFirst({ where: { status: 'VERIFIED' }, orderBy: { finishedAt: 'desc' } });
    const everyMs = 3_600_000;
    const at = (ms: number) => ({ now: () => new Date(last!.finishedAt.getTime() + ms) });
    expect(await checkOverdue(app.deps.db, at(everyMs), everyMs, new Date())).toBe(false);
    expect(await checkOverdue(app.deps.db, at(2 * everyMs), everyMs, new Date())).toBe(true);
    expect(await checkOverdue(app.deps.db, at(3 * everyMs), everyMs, new Date())).toBe(true);
    const alerts = await app.deps.db.notification.findMany({ where: { recipientId: manager.id, type: 'BACKUP_OVERDUE' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toMatch(/^No verified backup for 2\.0 hours/);
  }, 120_000);
});
