import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { notFound } from '../lib/errors.ts';
import { WEBHOOK_EVENTS } from '../domain/closed-sets.ts';
import { deliveriesOf, findWebhook, listWebhooks } from './webhooks.repository.ts';
import { assertAllowedReceiver, createWebhook, disableWebhook, webhookView } from './webhooks.usecases.ts';

export const webhookRoutes = [
  defineRoute({
    method: 'post', path: '/webhooks', tag: 'Webhooks', summary: 'Register a webhook', roles: ['ADMIN'],
    body: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).max(2000),
      events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
      secret: z.string().min(16, 'at least 16 characters').max(200),
      description: z.string().trim().max(200).optional(),
    }),
    handler: async ({ body, user, write, deps }) => {
      // Resolved before the transaction: no waiting on the network while holding database locks.
      await assertAllowedReceiver(body.url, deps.config);
      return write(async (tx) => ok(await createWebhook(tx, body, { id: user.id, role: user.role }, deps.clock.now()), 201));
    },
  }),
  defineRoute({
    method: 'get', path: '/webhooks', tag: 'Webhooks', summary: 'List webhooks', roles: ['MANAGER', 'ADMIN'],
    handler: async ({ deps }) => ok({ items: (await listWebhooks(deps.db)).map(webhookView), nextCursor: null }),
  }),
  defineRoute({
    method: 'post', path: '/webhooks/:id/disable', tag: 'Webhooks', summary: 'Stop sending to a webhook', roles: ['ADMIN'], params: ZIdParam,
    handler: ({ params, user, write, deps }) => write(async (tx) => ok(await disableWebhook(tx, params.id, { id: user.id, role: user.role }, deps.clock.now()))),
  }),
  defineRoute({
    method: 'get', path: '/webhooks/:id/deliveries', tag: 'Webhooks', summary: 'The delivery log of a webhook, newest first', roles: ['MANAGER', 'ADMIN'], params: ZIdParam,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    handler: async ({ params, query, deps }) => {
      if (!(await findWebhook(deps.db, params.id))) throw notFound('Webhook');
      const rows = await deliveriesOf(deps.db, params.id, query.limit);
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
