import type { JobHandler } from '../queue/job-context.ts';

/**
 * Delivers one planned notification. The in-app row already exists (planning wrote it); delivery
 * marks it delivered, once: a retried job finds `deliveredAt` set and stops.
 */
export const notifyJob: JobHandler<'notify'> = async ({ notificationId }, ctx) => {
  const n = await ctx.db.notification.findUnique({ where: { id: notificationId } });
  if (!n || n.deliveredAt) return;
  await ctx.db.notification.updateMany({ where: { id: notificationId, deliveredAt: null }, data: { deliveredAt: ctx.clock.now() } });
  ctx.log.info({ type: n.type, recipientId: n.recipientId, sampleId: n.sampleId }, 'notification delivered');
};
