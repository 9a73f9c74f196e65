import { z } from 'zod';
import { ZIdParam } from '../http/params.ts';
import { defineRoute, ok } from '../http/route.ts';
import { caseSummary, listCases } from './cases.repository.ts';
import { assignCase, caseDetail, linkableSeizures, linkSeizure } from './cases.usecases.ts';

const seizureNumber = z.string().trim().min(3).max(64);

/** The seizure to link: by id, or by its number as people read it off the paperwork. */
const ZLinkSeizure = z.union([
  z.strictObject({ seizureId: z.uuid() }),
  z.strictObject({ seizureNumber }),
], { error: 'give the seizure number (or seizureId)' });

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
    params: ZIdParam, body: ZLinkSeizure,
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await linkSeizure(tx, params.id, body, user, deps.clock.now()))),
  }),
  defineRoute({
    method: 'get', path: '/cases/:id/linkable-seizures', tag: 'Cases', summary: 'Find seizures to link to a case by part of their number', roles: ['INVESTIGATOR', 'MANAGER'],
    params: ZIdParam, query: z.strictObject({ q: z.string().trim().min(2, 'type at least 2 characters of the seizure number').max(64) }),
    handler: async ({ params, query, user, deps }) => ok(await linkableSeizures(deps.db, params.id, query.q, user)),
  }),
];
