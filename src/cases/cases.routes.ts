import { z } from 'zod';
import { ZIdParam } from '../http/params.ts';
import { defineRoute, ok } from '../http/route.ts';
import { caseSummary, listCases } from './cases.repository.ts';
import { assignCase, caseDetail, linkSeizure } from './cases.usecases.ts';

export const caseRoutes = [
  defineRoute({
    method: 'get', path: '/cases', tag: 'Cases', summary: 'List cases', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional() }),
    handler: async ({ query, user, deps }) => {
      const page = await listCases(deps.db, { ...query, ...(user.role === 'INVESTIGATOR' ? { assigneeId: user.id } : {}) });
      return ok({ items: page.items.map(caseSummary), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'get', path: '/cases/:id', tag: 'Cases', summary: 'Read a case', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam,
    handler: async ({ params, user, deps }) => ok(await caseDetail(deps.db, params.id, user)),
  }),
  defineRoute({
    method: 'post', path: '/cases/:id/assign', tag: 'Cases', summary: 'Assign a case to an investigator', roles: ['MANAGER'],
    params: ZIdParam, body: z.strictObject({ investigatorId: z.uuid() }),
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await assignCase(tx, params.id, body.investigatorId, user, deps.clock.now()))),
  }),
  defineRoute({
    method: 'post', path: '/cases/:id/seizures', tag: 'Cases', summary: 'Link another seizure to a case', roles: ['INVESTIGATOR', 'MANAGER'],
    params: ZIdParam, body: z.strictObject({ seizureId: z.uuid() }),
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await linkSeizure(tx, params.id, body.seizureId, user, deps.clock.now()))),
  }),
];
