import { notFound } from '../lib/errors.ts';
import type { JobHandler } from '../entry/deps.ts';

export const LIVE_CHANNEL = 'notifications';

/**
 * Delivers one planned notification. The in-app row already exists (planning wrote it); delivery
 * pushes it to every API instance's live streams, then marks it delivered. A retry after a crash
 * between the two pushes it again, and each stream drops an id it has already sent; a retry after
 * the mark finds `deliveredAt` set and stops.
 */
export const notifyJob: JobHandler<'notify'> = async ({ notificationId }, ctx) => {
  const n = await ctx.db.notification.findUnique({ where: { id: notificationId } });
  if (!n) throw notFound('Notification');
  if (n.deliveredAt) return;
  await ctx.queues.publish(LIVE_CHANNEL, JSON.stringify({ id: n.id, recipientId: n.recipientId }));
  await ctx.db.notification.updateMany({ where: { id: notificationId, deliveredAt: null }, data: { deliveredAt: ctx.clock.now() } });
  ctx.log.info({ type: n.type, recipientId: n.recipientId, sampleId: n.sampleId }, 'notification delivered');
};
