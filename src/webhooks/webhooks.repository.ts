import { z } from 'zod';
import { WEBHOOK_EVENTS, type TWebhookEvent } from '../domain/closed-sets.ts';
import type { Db, Tx } from '../lib/db.ts';

/** What a delivery carries (WebhookDelivery.payload): the event as planned, parsed on read. */
export const ZEventPayload = z.object({
  event: z.enum(WEBHOOK_EVENTS),
  occurredAt: z.string(),
  sampleId: z.uuid().nullable(),
  caseId: z.uuid().nullable(),
  title: z.string(),
  data: z.unknown(),
});
export type TEventPayload = z.infer<typeof ZEventPayload>;

export const listWebhooks = (db: Db) => db.webhook.findMany({ orderBy: { createdAt: 'asc' } });

export const findWebhook = (db: Db | Tx, id: string) => db.webhook.findUnique({ where: { id } });

export const createWebhookRow = (tx: Tx, w: { url: string; events: TWebhookEvent[]; secret: string; description: string | null; createdById: string; createdAt: Date }) =>
  tx.webhook.create({ data: w });

export const deactivateWebhook = (tx: Tx, id: string) => tx.webhook.update({ where: { id }, data: { active: false } });

/** The active webhooks subscribed to an event type. */
export const subscribers = (tx: Tx, type: TWebhookEvent) => tx.webhook.findMany({ where: { active: true, events: { has: type } }, select: { id: true } });

/** One delivery per (webhook, dedupeKey): returns the new row's id, or null when it already existed. */
export async function insertDelivery(tx: Tx, d: { webhookId: string; event: TWebhookEvent; dedupeKey: string; payload: TEventPayload }): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" (id, "webhookId", event, "dedupeKey", payload, "createdAt")
    VALUES (gen_random_uuid(), ${d.webhookId}::uuid, ${d.event}, ${d.dedupeKey}, ${JSON.stringify(d.payload)}::jsonb, now())
    ON CONFLICT ("webhookId", "dedupeKey") DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** A delivery with its webhook, the payload parsed; null when there is no such delivery. */
export async function findDelivery(db: Db, id: string) {
  const d = await db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  return d && { ...d, payload: ZEventPayload.parse(d.payload) };
}

/** The delivery log of a webhook, newest first, each delivery with every attempt. */
export const deliveriesOf = (db: Db, webhookId: string, limit: number) =>
  db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: 'desc' }, take: limit, include: { attemptLog: { orderBy: { at: 'asc' } } } });

/** Appends one attempt (append-only log) and updates the delivery's state, in one transaction. */
export async function recordAttempt(db: Db, a: { deliveryId: string; at: Date; statusCode: number | null; error: string | null; durationMs: number; dead: boolean }) {
  await db.$transaction([
    db.webhookAttempt.create({ data: { deliveryId: a.deliveryId, at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs } }),
    db.webhookDelivery.update({
      where: { id: a.deliveryId },
      data: {
        attempts: { increment: 1 }, lastStatusCode: a.statusCode, lastError: a.error,
        ...(a.error ? (a.dead ? { status: 'DEAD' } : {}) : { status: 'DELIVERED', deliveredAt: a.at }),
      },
    }),
  ]);
}
