import type { Tx } from '../lib/db.ts';
import { enqueue } from '../queue/outbox.ts';

export const NOTIFICATION_TYPES = ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED'] as const;
export type TNotificationType = (typeof NOTIFICATION_TYPES)[number];

export type TPlanned = { type: TNotificationType; recipientId: string; sampleId: string | null; caseId?: string | null; title: string; body?: unknown };

/**
 * Plans one notification inside the caller's transaction. (type, sample, recipient) is unique, so a
 * retried step plans nothing twice; only a newly planned row gets a delivery job.
 */
export async function planNotification(tx: Tx, n: TPlanned, at: Date): Promise<boolean> {
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
  if (port?.dutyInvestigatorId) return { ids: [port.dutyInvestigatorId], onDuty: true };
  return { ids: await managerIds(tx), onDuty: false };
}

export async function managerIds(tx: Tx): Promise<string[]> {
  const managers = await tx.user.findMany({ where: { role: 'MANAGER', disabledAt: null }, select: { id: true } });
  return managers.map((m) => m.id);
}
