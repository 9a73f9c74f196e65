import { notFound } from '../lib/errors.ts';
import type { JobHandler } from '../entry/deps.ts';
import { findDelivery, recordAttempt } from './webhooks.repository.ts';
import { signBody } from './webhooks.usecases.ts';
import { postToTarget, resolveTarget, TargetRefused, targetPolicy } from './webhook-target.ts';

/**
 * POSTs one delivery. Every attempt is logged (WebhookAttempt, append-only); a 2xx marks it
 * DELIVERED; anything else throws so BullMQ retries with exponential backoff; the last failed attempt
 * marks it DEAD (and the job runner writes the dead letter). A delivery already DELIVERED is not sent
 * again, and receivers can drop repeats by `X-Delivery-Id` (a worker killed after the POST and before
 * recording it sends once more: at least once, by design).
 */
export const webhookJob: JobHandler<'webhook'> = async ({ deliveryId }, ctx) => {
  const d = await findDelivery(ctx.db, deliveryId);
  if (!d) throw notFound('Webhook delivery');
  if (d.status !== 'PENDING' || !d.webhook.active) return;
  const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
  const body = JSON.stringify({ id: d.id, timestamp, ...d.payload });
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    // Checked again at every attempt (the URL was checked at registration, but DNS answers change).
    const target = await resolveTarget(d.webhook.url, targetPolicy(ctx.config));
    statusCode = await postToTarget(target, {
      'Content-Type': 'application/json',
      'User-Agent': 'fol-triage-webhook/1',
      'X-Signature': signBody(d.webhook.secret, body),
      'X-Timestamp': String(timestamp),
      'X-Delivery-Id': d.id,
      'X-Event': d.event,
    }, body, ctx.config.WEBHOOK_TIMEOUT_MS);
    if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
  } catch (err) {
    error = err instanceof TargetRefused ? `refused: ${err.message}`
      : (err as Error).name === 'TimeoutError' ? `no answer within ${ctx.config.WEBHOOK_TIMEOUT_MS} ms` : (err as Error).message;
  }
  const now = ctx.clock.now();
  const dead = ctx.attempt >= ctx.config.WEBHOOK_ATTEMPTS;
  await recordAttempt(ctx.db, { deliveryId, at: now, statusCode, error, durationMs: Date.now() - started, dead });
  if (error) throw new Error(`webhook delivery failed: ${error}`);
  ctx.log.info({ deliveryId, event: d.event, statusCode }, 'webhook delivered');
};
