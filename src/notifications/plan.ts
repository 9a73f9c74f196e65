import type { Tx } from '../lib/db.ts';
import { enqueue } from '../queue/outbox.ts';
import type { TJobPayload } from '../queue/catalog.ts';

import type { TNotificationType } from '../domain/closed-sets.ts';

export type TPlanned = { type: TNotificationType; recipientId: string; sampleId: string | null; caseId?: string | null; title: string; body?: unknown };

/**
 * Asks for an event's notifications, inside the caller's transaction: the plan job decides who gets
 * what. The job id makes a repeated request for the same event one job while it is queued.
 */
export async function requestNotifications(tx: Tx, event: TJobPayload<'plan'>): Promise<void> {
  const key = [event.type, event.sampleId ?? '', event.caseId ?? '', event.assigneeId ?? ''].join('_');
  await enqueue(tx, 'plan', event, { jobId: `plan_${key}` });
}

/**
 * Writes one in-app notification and its delivery job. (type, sample, recipient) is unique, and
 * case-level ones (no sample) are checked by (type, case, recipient), so a retried plan writes nothing
 * twice; only a new row gets a delivery job.
 */
export async function planNotification(tx: Tx, n: TPlanned, at: Date): Promise<boolean> {
  if (!n.sampleId) {
    const existing = await tx.notification.findFirst({ where: { type: n.type, caseId: n.caseId ?? null, recipientId: n.recipientId, sampleId: null }, select: { id: true } });
    if (existing) return false;
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Notification" (id, type, "recipientId", "sampleId", "caseId", title, body, "createdAt")
    VALUES (gen_random_uuid(), ${n.type}, ${n.recipientId}::uuid, ${n.sampleId}::uuid, ${n.caseId ?? null}::uuid, ${n.title},
            ${JSON.stringify(n.body ?? null)}::jsonb, ${at})
    ON CONFLICT (type, "sampleId", "recipientId") DO NOTHING
    RETURNING id`;
  if (!rows[0]) return false;
  await enqueue(tx, 'notify', { notificationId: rows[0].id });
  return true;
}

/** Who hears about a port's events: its on-duty investigator, or every manager when none is on duty. */
export async function portRecipients(tx: Tx, portCode: string): Promise<{ ids: string[]; onDuty: boolean }> {
  const port = await tx.port.findUnique({ where: { code: portCode } });
  const duty = port?.dutyInvestigatorId ? await tx.user.findUnique({ where: { id: port.dutyInvestigatorId }, select: { disabledAt: true } }) : null;
  if (port?.dutyInvestigatorId && duty && !duty.disabledAt) return { ids: [port.dutyInvestigatorId], onDuty: true };
  return { ids: await managerIds(tx), onDuty: false };
}

export async function managerIds(tx: Tx): Promise<string[]> {
  const managers = await tx.user.findMany({ where: { role: 'MANAGER', disabledAt: null }, select: { id: true } });
  return managers.map((m) => m.id);
}
