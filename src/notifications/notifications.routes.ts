import { z } from 'zod';
import { appendAudit } from '../audit/audit.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { HiddenRecord, notFound } from '../lib/errors.ts';
import { notificationView } from './live.ts';
import { listPage } from '../http/cursor.ts';
import { authenticate } from '../http/authenticate.ts';

export const notificationRoutes = [
  defineRoute({
    method: 'get', path: '/notifications', tag: 'Notifications', summary: 'List my notifications', roles: 'any',
    query: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional() }),
    handler: async ({ query, user, deps }) => {
      const page = await listPage(
        query.limit, query.cursor,
        (args) => deps.db.notification.findMany({ where: { recipientId: user.id, ...(query.unread === 'true' ? { readAt: null } : {}) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...args }),
        async (id) => !!(await deps.db.notification.findUnique({ where: { id }, select: { id: true } })),
      );
      return ok({ items: page.items.map(notificationView), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'get', path: '/notifications/stream', tag: 'Notifications', roles: 'any', produces: ['text/event-stream'],
    summary: 'Live notifications (Server-Sent Events): one `notification` event per new notification; send Last-Event-ID to catch up',
    handler: async ({ req, res, user, deps }) => {
      const { sessionId } = await authenticate(req, deps);
      await deps.live.open(req, res, user.id, user.role, sessionId);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post', path: '/notifications/:id/read', tag: 'Notifications', summary: 'Mark a notification read', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      const now = deps.clock.now();
      await deps.db.$transaction(async (tx) => {
        const before = await tx.notification.findUnique({ where: { id: params.id } });
        if (!before) throw notFound('Notification');
        if (before.recipientId !== user.id) throw new HiddenRecord('Notification');
        if (before.readAt) return;
        await tx.notification.update({ where: { id: before.id }, data: { readAt: now } });
        await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'notification.read', entityType: 'Notification', entityId: before.id, before: { readAt: null }, after: { readAt: now } }, now);
      });
      return { status: 204 };
    },
  }),
];
