import { z } from 'zod';
import { appendAudit } from '../audit/audit.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../intake/intake.schemas.ts';
import { notFound } from '../lib/errors.ts';
import { createWebhook, WEBHOOK_EVENTS, webhookView } from './webhooks.usecases.ts';

export const webhookRoutes = [
  defineRoute({
    method: 'post', path: '/webhooks', tag: 'Webhooks', summary: 'Register a webhook', roles: ['ADMIN'],
    body: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).max(2000),
      events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
      secret: z.string().min(16, 'at least 16 characters').max(200),
      description: z.string().trim().max(200).optional(),
    }),
    handler: ({ body, user, write, deps }) => write(async (tx) => ok(await createWebhook(tx, body, { id: user.id, role: user.role }, deps.clock.now()), 201)),
  }),
  defineRoute({
    method: 'get', path: '/webhooks', tag: 'Webhooks', summary: 'List webhooks', roles: ['ADMIN'],
    handler: async ({ deps }) => ok({ items: (await deps.db.webhook.findMany({ orderBy: { createdAt: 'asc' } })).map(webhookView), nextCursor: null }),
  }),
  defineRoute({
    method: 'post', path: '/webhooks/:id/disable', tag: 'Webhooks', summary: 'Stop sending to a webhook', roles: ['ADMIN'], params: ZIdParam,
    handler: ({ params, user, write, deps }) =>
      write(async (tx) => {
        const now = deps.clock.now();
        const before = await tx.webhook.findUnique({ where: { id: params.id } });
        if (!before) throw notFound('Webhook');
        const after = await tx.webhook.update({ where: { id: params.id }, data: { active: false } });
        await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'webhook.disable', entityType: 'Webhook', entityId: after.id, before: webhookView(before), after: webhookView(after) }, now);
        return ok(webhookView(after));
      }),
  }),
  defineRoute({
    method: 'get', path: '/webhooks/:id/deliveries', tag: 'Webhooks', summary: 'The delivery log of a webhook, newest first', roles: ['ADMIN'], params: ZIdParam,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    handler: async ({ params, query, deps }) => {
      if (!(await deps.db.webhook.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound('Webhook');
      const rows = await deps.db.webhookDelivery.findMany({
        where: { webhookId: params.id }, orderBy: { createdAt: 'desc' }, take: query.limit,
        include: { attemptLog: { orderBy: { at: 'asc' } } },
      });
      return ok({
        items: rows.map((d) => ({
          id: d.id, event: d.event, status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError,
          createdAt: d.createdAt, deliveredAt: d.deliveredAt,
          attemptLog: d.attemptLog.map((a) => ({ at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
        })),
        nextCursor: null,
      });
    },
  }),
];
