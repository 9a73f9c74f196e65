import { Prisma, type Db } from '../lib/db.ts';
import { enqueue } from '../queue/outbox.ts';
import { managerIds } from './plan.ts';

/** Alerts about the installation itself rather than a sample: every manager hears of them. */
export const OPS_ALERT_TYPES = ['BACKUP_FAILED', 'BACKUP_OVERDUE', 'DATABASE_RESTARTED'] as const;
export type TOpsAlertType = (typeof OPS_ALERT_TYPES)[number];

export type TOpsAlert = { type: TOpsAlertType; title: string; body?: unknown };

/**
 * Writes one in-app notification per manager and its delivery job, in one transaction, like any
 * other notification (live stream, unread list). Callers decide how often an alert is worth sending.
 */
export async function alertManagers(db: Db, alert: TOpsAlert, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const ids = await managerIds(tx);
    for (const recipientId of ids) {
      const n = await tx.notification.create({ data: { type: alert.type, recipientId, title: alert.title, body: alert.body === undefined ? Prisma.JsonNull : (alert.body as Prisma.InputJsonValue), createdAt: at } });
      await enqueue(tx, 'notify', { notificationId: n.id });
    }
    return ids.length;
  });
}

/** When the last alert of a type went out (null: never), to keep repeats of one condition to one alert. */
export async function lastAlertAt(db: Db, type: TOpsAlertType): Promise<Date | null> {
  const row = await db.notification.findFirst({ where: { type, sampleId: null }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  return row?.createdAt ?? null;
}
