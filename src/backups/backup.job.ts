import { UnrecoverableError } from 'bullmq';
import path from 'node:path';
import type { Db } from '../lib/db.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { keepTrying } from '../queue/schedule.ts';
import { alertManagers, lastAlertAt } from '../notifications/ops-alerts.ts';
import type { QueueKit } from '../queue/backend.ts';
import type { JobHandler } from '../entry/deps.ts';
import { runBackup } from './backup.usecases.ts';

/** The scheduled backup: never retried by the queue (the next one is due anyway); a failure alerts the managers. */
export const backupJob: JobHandler<'backup'> = async (_payload, ctx) => {
  // A schedule left over from a configuration since changed: nothing to do.
  if (!ctx.config.BACKUP_DIR) return;
  if (!ctx.embedded) throw new UnrecoverableError('this process runs no embedded database to back up');
  await runBackup(ctx, ctx.embedded, { to: path.resolve(ctx.config.BACKUP_DIR), dataDirSetting: ctx.config.DATA_DIR, trigger: 'SCHEDULE', keep: ctx.config.BACKUP_KEEP });
};

/**
 * One scheduler per deployment (upserted by id), removed when backups are no longer configured
 * (`everyMs` null); retried until the queue backend answers, like the SLA clock.
 */
export function scheduleBackups(kit: QueueKit, everyMs: number | null, log: Logger): () => void {
  const queue = kit.queue('maintenance');
  return keepTrying(() => (everyMs
    ? queue.upsertJobScheduler('backup-schedule', { every: everyMs }, { name: 'backup', data: {}, opts: { attempts: 1, removeOnComplete: 50, removeOnFail: 50 } })
    : queue.removeJobScheduler('backup-schedule')), log, 'backup schedule');
}

/**
 * Overdue when no verified backup finished within one and a half periods (of the last one, or of
 * the watch starting when there is none yet): the schedule itself may be what broke, so this check
 * runs on its own timer. One alert per overdue spell: none again until a backup succeeds.
 */
export async function checkOverdue(db: Db, clock: Clock, everyMs: number, since: Date): Promise<boolean> {
  const last = await db.backup.findFirst({ where: { status: 'VERIFIED' }, orderBy: { finishedAt: 'desc' }, select: { finishedAt: true } });
  const reference = last?.finishedAt ?? since;
  const now = clock.now();
  if (now.getTime() - reference.getTime() <= everyMs * 1.5) return false;
  const alerted = await lastAlertAt(db, 'BACKUP_OVERDUE');
  if (alerted && alerted > reference) return true;
  const hours = ((now.getTime() - reference.getTime()) / 3_600_000).toFixed(1);
  await alertManagers(db, {
    type: 'BACKUP_OVERDUE',
    title: last ? `No verified backup for ${hours} hours (one is due every ${(everyMs / 3_600_000).toFixed(1)} h): check the Backups page and the worker's log` : `No verified backup yet, ${hours} hours after backups were scheduled: check the Backups page and the worker's log`,
    body: { lastVerifiedAt: last?.finishedAt ?? null, everyHours: everyMs / 3_600_000 },
  }, now);
  return true;
}

export function startBackupWatch(db: Db, clock: Clock, log: Logger, everyMs: number): () => void {
  const since = clock.now();
  const timer = setInterval(() => {
    checkOverdue(db, clock, everyMs, since).catch((err) => log.warn({ err: (err as Error).message }, 'backup overdue check failed'));
  }, Math.min(Math.max(everyMs / 4, 1000), 15 * 60_000));
  timer.unref();
  return () => clearInterval(timer);
}
