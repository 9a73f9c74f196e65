import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../intake/intake.schemas.ts';
import { notFound } from '../lib/errors.ts';

export const notificationRoutes = [
  defineRoute({
    method: 'get', path: '/notifications', tag: 'Notifications', summary: 'List my notifications', roles: 'any',
    query: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
    handler: async ({ query, user, deps }) => {
      const rows = await deps.db.notification.findMany({
        where: { recipientId: user.id, ...(query.unread === 'true' ? { readAt: null } : {}) },
        orderBy: { createdAt: 'desc' },
        take: query.limit,
      });
      return ok({
        items: rows.map((n) => ({ id: n.id, type: n.type, caseId: n.caseId, sampleId: n.sampleId, title: n.title, body: n.body, createdAt: n.createdAt, readAt: n.readAt })),
        nextCursor: null,
      });
    },
  }),
  defineRoute({
    method: 'post', path: '/notifications/:id/read', tag: 'Notifications', summary: 'Mark a notification read', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      const { count } = await deps.db.notification.updateMany({ where: { id: params.id, recipientId: user.id }, data: { readAt: deps.clock.now() } });
      if (!count) throw notFound('Notification');
      return { status: 204 };
    },
  }),
];
