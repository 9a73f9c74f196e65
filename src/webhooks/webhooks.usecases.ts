import { createHmac } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/audit.ts';
import type { Tx } from '../lib/db.ts';
import { enqueue } from '../queue/outbox.ts';
import { NOTIFICATION_TYPES } from '../notifications/plan.ts';

/** What a webhook can subscribe to: every notification type, and the audit log's signed checkpoints (issue 14). */
export const WEBHOOK_EVENTS = [...NOTIFICATION_TYPES, 'AUDIT_CHECKPOINT'] as const;
export type TWebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type TEventPayload = { event: TWebhookEvent; occurredAt: string; sampleId: string | null; caseId: string | null; title: string; data: unknown };

/** `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` — the body carries the delivery id and timestamp, so both are signed. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const webhookView = (w: { id: string; url: string; events: string[]; active: boolean; description: string | null; createdAt: Date }) => ({
  id: w.id, url: w.url, events: w.events, active: w.active, description: w.description, createdAt: w.createdAt,
});

/** One delivery per subscribed active webhook and event; (webhook, dedupeKey) is unique, so a retried plan adds none. */
export async function planWebhooks(tx: Tx, type: TWebhookEvent, payload: TEventPayload, dedupeKey: string): Promise<void> {
  const hooks = await tx.webhook.findMany({ where: { active: true, events: { has: type } }, select: { id: true } });
  for (const hook of hooks) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "WebhookDelivery" (id, "webhookId", event, "dedupeKey", payload, "createdAt")
      VALUES (gen_random_uuid(), ${hook.id}::uuid, ${type}, ${dedupeKey}, ${JSON.stringify(payload)}::jsonb, now())
      ON CONFLICT ("webhookId", "dedupeKey") DO NOTHING
      RETURNING id`;
    if (rows[0]) await enqueue(tx, 'webhook', { deliveryId: rows[0].id });
  }
}

export async function createWebhook(tx: Tx, input: { url: string; events: TWebhookEvent[]; secret: string; description?: string }, actor: NonNullable<Actor>, now: Date) {
  const hook = await tx.webhook.create({ data: { url: input.url, events: input.events, secret: input.secret, description: input.description ?? null, createdById: actor.id, createdAt: now } });
  await appendAudit(tx, { actor, action: 'webhook.create', entityType: 'Webhook', entityId: hook.id, after: webhookView(hook) }, now);
  return webhookView(hook);
}
