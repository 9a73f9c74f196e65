import { createHmac } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/audit.ts';
import type { TWebhookEvent } from '../domain/closed-sets.ts';
import type { Tx } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { enqueue } from '../queue/outbox.ts';
import { resolveTarget, TargetRefused, targetPolicy } from './webhook-target.ts';
import { createWebhookRow, deactivateWebhook, findWebhook, insertDelivery, subscribers, type TEventPayload } from './webhooks.repository.ts';

export type { TEventPayload };

/** `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` — the body carries the delivery id and timestamp, so both are signed. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const webhookView = (w: { id: string; url: string; events: string[]; active: boolean; description: string | null; createdAt: Date }) => ({
  id: w.id, url: w.url, events: w.events, active: w.active, description: w.description, createdAt: w.createdAt,
});

/** One delivery per subscribed active webhook and event; (webhook, dedupeKey) is unique, so a retried plan adds none. */
export async function planWebhooks(tx: Tx, type: TWebhookEvent, payload: TEventPayload, dedupeKey: string): Promise<void> {
  for (const hook of await subscribers(tx, type)) {
    const deliveryId = await insertDelivery(tx, { webhookId: hook.id, event: type, dedupeKey, payload });
    if (deliveryId) await enqueue(tx, 'webhook', { deliveryId });
  }
}

/**
 * A receiver may be registered only where deliveries may go (SSRF: public addresses unless
 * WEBHOOK_ALLOW_PRIVATE, https in production); the delivery job checks again at every attempt.
 * Call it before the write transaction: it waits on DNS.
 */
export async function assertAllowedReceiver(url: string, config: Parameters<typeof targetPolicy>[0]): Promise<void> {
  await resolveTarget(url, targetPolicy(config)).catch((err: unknown) => {
    if (err instanceof TargetRefused) throw new AppError('VALIDATION_FAILED', 'This webhook receiver is not allowed', [{ path: 'body.url', message: err.message }]);
    throw err;
  });
}

export async function createWebhook(tx: Tx, input: { url: string; events: TWebhookEvent[]; secret: string; description?: string }, actor: NonNullable<Actor>, now: Date) {
  const hook = await createWebhookRow(tx, { url: input.url, events: input.events, secret: input.secret, description: input.description ?? null, createdById: actor.id, createdAt: now });
  await appendAudit(tx, { actor, action: 'webhook.create', entityType: 'Webhook', entityId: hook.id, after: webhookView(hook) }, now);
  return webhookView(hook);
}

/** Stops deliveries to a webhook (its log stays); audited with the view, never the secret. */
export async function disableWebhook(tx: Tx, id: string, actor: NonNullable<Actor>, now: Date) {
  const before = await findWebhook(tx, id);
  if (!before) throw notFound('Webhook');
  const after = await deactivateWebhook(tx, id);
  await appendAudit(tx, { actor, action: 'webhook.disable', entityType: 'Webhook', entityId: after.id, before: webhookView(before), after: webhookView(after) }, now);
  return webhookView(after);
}
